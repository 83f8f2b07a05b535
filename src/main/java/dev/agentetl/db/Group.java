package dev.agentetl.db;

import java.util.List;

/**
 * The groups of the seeds' tables (DESIGN.md, "The data"). Each belongs to an application that creates,
 * writes and reads it in its own place; agent-etl adopts it there or, when absent, creates it.
 * {@code marker} is the table whose presence says the group is there at all.
 */
public enum Group {
    INTERACTIONS("interactions", "seed 000 (VibeAgent's interaction store)", "sessions"),
    EXECUTIONS("executions", "seed 002 (execution store)", "executions"),
    TELEMETRY("telemetry", "seed 004 (web app turn telemetry)", "agent_telemetry"),
    REGISTRY("registry", "seed 003 (agent-loggy configuration registry)", "prompts"),
    LEARNING("learning", "seed 001 (unified learning store)", "rl_learner");

    private final String key;
    private final String origin;
    private final String marker;

    Group(String key, String origin, String marker) {
        this.key = key;
        this.origin = origin;
        this.marker = marker;
    }

    /** The name in configuration keys ({@code agent-etl.<key>.schema}) and reports. */
    public String key() {
        return key;
    }

    public String origin() {
        return origin;
    }

    public String marker() {
        return marker;
    }

    /** The DDL that creates the group when it is absent (classpath resource). */
    public String ddlResource() {
        return "/groups/" + key + ".sql";
    }

    /** The tables of the group as its seed declares them (the contract adopted tables are checked against). */
    public List<String> tables() {
        return GroupContract.of(this).tables();
    }

    public static Group byKey(String key) {
        for (Group g : values()) {
            if (g.key.equals(key)) return g;
        }
        throw new IllegalArgumentException("unknown group '" + key + "'");
    }
}
