package dev.agentetl.generate;

import java.time.OffsetDateTime;

/** How tools and models behave at a moment: base rates plus the planted patterns when enabled. */
final class Behaviour {

    private final GenContext ctx;

    Behaviour(GenContext ctx) {
        this.ctx = ctx;
    }

    double toolFailure(String tool, String model, OffsetDateTime at) {
        double p = Vocabulary.TOOL_FAILURE[Vocabulary.TOOLS.indexOf(tool)];
        if (ctx.patterns) {
            if (tool.equals(PlantedPatterns.FAILING_TOOL) && ctx.timeline.isRecent(at)) {
                p = PlantedPatterns.FAILING_TOOL_RECENT_FAILURE;
            }
            if (tool.equals(PlantedPatterns.PAIRING_TOOL) && model.equals(PlantedPatterns.PAIRING_MODEL)) {
                p = 1 - PlantedPatterns.PAIRING_SUCCESS;
            }
        }
        return p;
    }

    int modelLatency(String model, OffsetDateTime at) {
        double typical = Vocabulary.MODEL_LATENCY_MS[Vocabulary.MODELS.indexOf(model)];
        if (ctx.patterns && model.equals(PlantedPatterns.SLOW_MODEL) && ctx.timeline.isRecent(at)) {
            typical *= PlantedPatterns.SLOW_MODEL_LATENCY_FACTOR;
        }
        return Vocabulary.duration(ctx.random, typical);
    }

    int toolDuration(String tool) {
        return Vocabulary.duration(ctx.random, Vocabulary.TOOL_DURATION_MS[Vocabulary.TOOLS.indexOf(tool)]);
    }

    /** A tool for this model: the paired model favours its paired tool, so the pairing has a sample. */
    String pickTool(String model) {
        if (model.equals(PlantedPatterns.PAIRING_MODEL) && ctx.chance(0.35)) {
            return PlantedPatterns.PAIRING_TOOL;
        }
        return Vocabulary.pick(ctx.random, Vocabulary.TOOLS);
    }

    /** Arguments a model would pass to the tool, as a JSON-ready map. */
    java.util.Map<String, Object> arguments(String tool, String task) {
        return switch (tool) {
            case "web_search" -> java.util.Map.of("query", task.substring(0, Math.min(60, task.length())), "max_results", 5);
            case "code_executor" -> java.util.Map.of("language", "python",
                    "code", "def is_prime(n):\n    return n > 1 and all(n % d for d in range(2, int(n ** 0.5) + 1))\nprint(is_prime(97))");
            case "file_reader" -> java.util.Map.of("path", "data/report.csv", "encoding", "utf-8");
            case "calculator" -> java.util.Map.of("expression", "2340 * 0.17 + sqrt(1764)");
            case "sql_query" -> java.util.Map.of("sql", "SELECT customer_id, count(*) FROM orders GROUP BY 1 HAVING count(*) > 1 LIMIT 50");
            case "http_request" -> java.util.Map.of("method", "GET", "url", "https://status.example.com/api", "timeout_s", 10);
            case "summarize" -> java.util.Map.of("text_ref", "incident-log-" + ctx.random.nextInt(1000), "max_words", 120);
            default -> java.util.Map.of("to", "team@example.com", "subject", "Weekly summary", "body_ref", "draft-" + ctx.random.nextInt(100));
        };
    }
}
