package dev.agentetl.generate;

/**
 * The patterns the generator plants for later jobs (statistics, insights, reports) to find.
 * With patterns off, every tool and model behaves the same across the whole period.
 */
public final class PlantedPatterns {

    private PlantedPatterns() {
    }

    /** Days at the end of the period in which the failing tool and the slow model misbehave. */
    public static final int RECENT_DAYS = 7;

    /** A tool whose failure rate jumps in the last week. */
    public static final String FAILING_TOOL = "web_search";
    public static final double FAILING_TOOL_BASE_FAILURE = 0.06;
    public static final double FAILING_TOOL_RECENT_FAILURE = 0.45;

    /** A model whose latency degrades in the last week. */
    public static final String SLOW_MODEL = "gpt-4o";
    public static final double SLOW_MODEL_LATENCY_FACTOR = 3.0;

    /** A model/tool pairing that almost always succeeds, where the tool otherwise fails often. */
    public static final String PAIRING_MODEL = "claude-sonnet-4";
    public static final String PAIRING_TOOL = "code_executor";
    public static final double PAIRING_SUCCESS = 0.995;

    /** Share of delegate-mode turns cut off early: not completed, fewer than 3 rounds, tools running. */
    public static final String CUT_OFF_CHAT_MODE = "delegate";
    public static final double CUT_OFF_SHARE = 0.25;
}
