package dev.agentetl.consolidate;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.IntFunction;

/**
 * {@code generate legacy}: SQLite files in the legacy layout (graph/graph.db, team_learning.db, signatures.db,
 * sessions.db) with the legacy DDL and value formats: local ISO timestamps with and without microseconds,
 * Julian days, Unix epochs, JSON text as Python's json.dumps writes it, keys joined with ':' around model
 * names that contain ':'. History tables and rl_outcomes take most rows, as in real files.
 */
public final class LegacyFiles {

    private static final DateTimeFormatter ISO_MICROS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS");
    private static final DateTimeFormatter ISO_SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss");
    private static final String[] PROVIDERS = {"anthropic", "openai", "ollama", "google"};
    private static final String[] MODELS = {"claude-3-opus", "gpt-4o", "qwen2.5-coder:7b", "gemini-1.5-pro", "llama3.1:70b"};
    private static final String[] TASKS = {"analysis", "action", "search", "edit", "review", "default"};
    private static final String[] TOOLS = {"shell", "git", "read_file", "write_file", "code_search", "web_fetch", "test_runner"};
    private static final String[] MODES = {"explore", "plan", "build", "review"};
    private static final String[] DIMENSIONS = {"relevance", "completeness", "accuracy", "conciseness", "actionability"};
    private static final String[] STYLES = {"concise", "detailed", "structured", "cot", "few_shot", "role_based"};
    private static final String[] ELEMENTS = {"task_context", "constraints", "examples", "output_format", "thinking_prompt"};
    private static final String[] LEARNERS = {"continuation_patience", "continuation_prompts", "mode_transition", "model_selector",
            "tool_selector", "quality_weights", "prompt_template", "grounding_threshold", "semantic_threshold", "cache_eviction"};

    public record Written(Path dir, Map<String, Long> rowsPerTable) {
        public long total() {
            return rowsPerTable.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private final Random random;
    private final LocalDateTime start = LocalDateTime.of(2025, 12, 20, 9, 0);

    private LegacyFiles(long seed) {
        this.random = new Random(seed);
    }

    /** Writes about {@code rows} rows in all legacy tables under {@code dir} (replacing files there). */
    public static Written write(Path dir, long rows, long seed) throws Exception {
        return new LegacyFiles(seed).writeAll(dir, rows);
    }

    private Written writeAll(Path dir, long rows) throws Exception {
        Map<String, Long> counts = new LinkedHashMap<>();
        long history = Math.max(1, rows * 9 / 100);
        long keyed = Math.max(4, rows / 400);
        Map<String, String> fileOf = new LinkedHashMap<>();
        for (String t : List.of("team_composition_stats", "team_execution_history")) fileOf.put(t, "team_learning.db");
        for (String t : List.of("failed_signatures", "schema_version")) fileOf.put(t, "signatures.db");
        fileOf.put("sessions", "sessions.db");
        Map<String, List<String>> ddlByFile = new LinkedHashMap<>();
        for (String ddl : LegacyCatalog.ddl()) {
            String name = ddl.substring("CREATE TABLE ".length(), ddl.indexOf(' ', "CREATE TABLE ".length()));
            if (name.contains("__")) continue;
            ddlByFile.computeIfAbsent(fileOf.getOrDefault(name, "graph/graph.db"), k -> new ArrayList<>()).add(ddl);
        }
        for (Map.Entry<String, List<String>> e : ddlByFile.entrySet()) {
            Path file = dir.resolve(e.getKey());
            Files.createDirectories(file.getParent());
            Files.deleteIfExists(file);
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file)) {
                try (Statement st = c.createStatement()) {
                    st.execute("PRAGMA journal_mode = OFF");
                    st.execute("PRAGMA synchronous = OFF");
                    for (String ddl : e.getValue()) st.execute(ddl);
                }
                c.setAutoCommit(false);
                for (String ddl : e.getValue()) {
                    String name = ddl.substring("CREATE TABLE ".length(), ddl.indexOf(' ', "CREATE TABLE ".length()));
                    long n = switch (name) {
                        case "rl_outcomes" -> rows * 40 / 100;
                        case "rl_telemetry" -> 0;
                        case "mode_transition_history", "tool_selector_outcomes", "cache_eviction_history",
                             "grounding_threshold_history", "quality_weight_history", "prompt_template_history" -> history;
                        case "team_execution_history" -> Math.max(1, rows / 50);
                        case "curriculum_history", "failed_signatures" -> Math.max(1, rows / 100);
                        case "model_selector_state" -> 2;
                        case "schema_version" -> 1;
                        case "sessions" -> Math.max(1, rows / 1000);
                        default -> keyed;
                    };
                    counts.put(name, insert(c, name, n, generator(name)));
                }
                c.commit();
            }
        }
        return new Written(dir, counts);
    }

    private long insert(Connection c, String table, long n, IntFunction<Object[]> row) throws SQLException {
        if (n == 0) return 0;
        Object[] first = row.apply(0);
        String marks = String.join(", ", java.util.Collections.nCopies(first.length, "?"));
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table + " VALUES (" + marks + ")")) {
            for (int i = 0; i < n; i++) {
                Object[] values = i == 0 ? first : row.apply(i);
                for (int k = 0; k < values.length; k++) ps.setObject(k + 1, values[k]);
                ps.addBatch();
                if (i % 10_000 == 9_999) ps.executeBatch();
            }
            ps.executeBatch();
        }
        return n;
    }

    private String pick(String[] values) {
        return values[random.nextInt(values.length)];
    }

    private double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }

    /** Local naive isoformat(); like Python, without the fraction when the microseconds are 0. */
    private String localTime(int i) {
        LocalDateTime t = start.plusSeconds(i * 7L).plusNanos((random.nextInt(20) == 0 ? 0 : random.nextInt(1_000_000)) * 1000L);
        return t.getNano() == 0 ? ISO_SECONDS.format(t) : ISO_MICROS.format(t);
    }

    private double julianDay(int i) {
        return start.plusSeconds(i * 7L).toEpochSecond(ZoneOffset.UTC) / 86400.0 + 2440587.5;
    }

    private String json(Object... kv) {
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < kv.length; i += 2) {
            if (i > 0) sb.append(", ");
            sb.append('"').append(kv[i]).append("\": ");
            Object v = kv[i + 1];
            sb.append(v instanceof String s ? "\"" + s + "\"" : v instanceof Boolean b ? (b ? "true" : "false") : String.valueOf(v));
        }
        return sb.append('}').toString();
    }

    private String contextKey(int i) {
        return PROVIDERS[i % PROVIDERS.length] + ":" + MODELS[(i / PROVIDERS.length) % MODELS.length] + ":" + TASKS[(i / 20) % TASKS.length] + ":" + i;
    }

    private IntFunction<Object[]> generator(String table) {
        return switch (table) {
            case "rl_outcomes" -> i -> new Object[]{i + 1, pick(LEARNERS), pick(PROVIDERS), pick(MODELS), pick(TASKS), "coding",
                    random.nextInt(4) == 0 ? 0 : 1, round(random.nextDouble(), 3),
                    json("flagged_as_stuck", random.nextBoolean(), "tool_calls_total", random.nextInt(9)), localTime(i), julianDay(i)};
            case "rl_telemetry" -> i -> new Object[]{i + 1, pick(LEARNERS), "update", "{}", localTime(i)};
            case "mode_transition_q_values" -> i -> new Object[]{MODES[i % 4] + ":" + TASKS[i % 6] + ":" + i + ":1", "transition_to_" + pick(MODES),
                    round(random.nextGaussian() / 10, 5), random.nextInt(50), localTime(i)};
            case "mode_transition_task_stats" -> i -> new Object[]{TASKS[i % 6] + "_" + i, 10 + random.nextInt(10), round(random.nextDouble(), 4),
                    round(random.nextDouble(), 4), random.nextInt(100), localTime(i)};
            case "mode_transition_history" -> i -> new Object[]{i + 1, pick(MODES), pick(MODES), pick(TASKS), MODES[i % 4] + ":" + TASKS[i % 6] + ":2:1",
                    "transition_to_" + pick(MODES), round(random.nextGaussian() / 10, 5), random.nextInt(2), round(random.nextDouble(), 3), localTime(i)};
            case "model_selector_q_values" -> i -> new Object[]{PROVIDERS[i % 4] + (i < 4 ? "" : "_" + i), round(random.nextDouble(), 6), random.nextInt(90), localTime(i)};
            case "model_selector_task_q_values" -> i -> new Object[]{PROVIDERS[i % 4], TASKS[i % 6] + "_" + i, round(random.nextDouble(), 6), random.nextInt(90), localTime(i)};
            case "model_selector_state" -> i -> i == 0 ? new Object[]{"epsilon", "0.11008734651784999"} : new Object[]{"total_selections", "200"};
            case "tool_selector_q_values" -> i -> new Object[]{TOOLS[i % TOOLS.length] + "_" + i, round(random.nextDouble(), 6), 10 + random.nextInt(90), random.nextInt(10), localTime(i)};
            case "tool_selector_task_q_values" -> i -> new Object[]{TOOLS[i % TOOLS.length], TASKS[i % 6] + "_" + i, round(random.nextDouble(), 6),
                    random.nextInt(90), random.nextInt(10), localTime(i)};
            case "tool_selector_outcomes" -> i -> new Object[]{i + 1, pick(TOOLS), pick(TASKS), random.nextInt(2), round(random.nextDouble(), 3),
                    round(random.nextGaussian(), 4), json("duration_ms", random.nextInt(5000)), localTime(i)};
            case "cache_eviction_q_values" -> i -> new Object[]{"0." + (i % 10) + ":" + (i % 7) + ":" + i + ":" + pick(TOOLS), i % 2 == 0 ? "keep" : "evict",
                    round(random.nextDouble(), 5), random.nextInt(40), localTime(i)};
            case "cache_eviction_tool_values" -> i -> new Object[]{TOOLS[i % TOOLS.length] + "_" + i, round(random.nextDouble(), 4), random.nextInt(100), random.nextInt(100), localTime(i)};
            case "cache_eviction_history" -> i -> new Object[]{i + 1, "0.3:2:1:" + pick(TOOLS), random.nextBoolean() ? "keep" : "evict", pick(TOOLS),
                    round(random.nextGaussian(), 4), random.nextInt(2), localTime(i)};
            case "grounding_threshold_params" -> i -> new Object[]{PROVIDERS[i % 4] + ":response_" + (i / 4), 0.5 + (i % 4) * 0.1, 1.0 + random.nextInt(20),
                    1.0 + random.nextInt(20), random.nextInt(40), localTime(i)};
            case "grounding_threshold_stats" -> i -> new Object[]{PROVIDERS[i % 4] + (i < 4 ? "" : "_" + i), random.nextInt(50), random.nextInt(50),
                    random.nextInt(10), random.nextInt(10), localTime(i)};
            case "grounding_threshold_history" -> i -> new Object[]{i + 1, pick(PROVIDERS) + ":code", 0.5 + random.nextInt(4) * 0.1,
                    new String[]{"tp", "tn", "fp", "fn"}[random.nextInt(4)], round(random.nextGaussian(), 3), localTime(i)};
            case "quality_weights" -> i -> new Object[]{TASKS[i % 6] + "_" + (i / DIMENSIONS.length), DIMENSIONS[i % DIMENSIONS.length], round(0.5 + random.nextDouble(), 6),
                    round(random.nextGaussian() / 100, 6), random.nextInt(200), localTime(i)};
            case "quality_weight_history" -> i -> new Object[]{i + 1, pick(TASKS), json("relevance", round(random.nextDouble(), 3), "accuracy", round(random.nextDouble(), 3)),
                    round(random.nextDouble(), 3), json("relevance", 1.498142297104256, "accuracy", 1.2981866790847003), localTime(i)};
            case "prompt_template_styles" -> i -> new Object[]{TASKS[i % 6] + "_" + (i / STYLES.length), pick(PROVIDERS), STYLES[i % STYLES.length],
                    1.0 + random.nextInt(10), 1.0 + random.nextInt(10), random.nextInt(40), localTime(i)};
            case "prompt_template_elements" -> i -> new Object[]{TASKS[i % 6] + "_" + (i / ELEMENTS.length), pick(PROVIDERS), ELEMENTS[i % ELEMENTS.length],
                    1.0 + random.nextInt(10), 1.0 + random.nextInt(10), random.nextInt(40), localTime(i)};
            case "prompt_template_history" -> i -> new Object[]{i + 1, pick(TASKS), pick(PROVIDERS), random.nextInt(5) == 0 ? null : pick(MODELS),
                    "{\"style\": \"" + pick(STYLES) + "\", \"elements\": [\"task_context\", \"constraints\"], \"confidence\": 0.5, \"sample_count\": 3}",
                    round(random.nextDouble(), 4), localTime(i)};
            case "continuation_patience_stats" -> i -> {
                String key = contextKey(i);
                String[] p = key.split(":", 2);
                return new Object[]{key, p[0], MODELS[(i / PROVIDERS.length) % MODELS.length], TASKS[(i / 20) % TASKS.length], 3 + random.nextInt(4),
                        random.nextInt(30), random.nextInt(5), random.nextInt(5), random.nextInt(3), localTime(i)};
            };
            case "continuation_prompts_stats" -> i -> new Object[]{contextKey(i), PROVIDERS[i % PROVIDERS.length], MODELS[(i / PROVIDERS.length) % MODELS.length],
                    TASKS[(i / 20) % TASKS.length], random.nextInt(30), random.nextInt(20), random.nextInt(5), random.nextInt(5), round(random.nextDouble(), 3),
                    round(random.nextDouble() * 4, 3), 3 + random.nextInt(4), random.nextInt(3) == 0 ? null : 4, round(random.nextDouble() * 20, 3),
                    round(random.nextDouble() * 40, 3), localTime(i)};
            case "semantic_threshold_stats" -> i -> new Object[]{"bge-small:" + TASKS[i % 6] + ":" + TOOLS[i % TOOLS.length] + ":" + i, "bge-small",
                    TASKS[i % 6], TOOLS[i % TOOLS.length], random.nextInt(100), random.nextInt(10), random.nextInt(10), round(random.nextDouble() * 8, 3),
                    round(random.nextDouble(), 3), random.nextInt(3) == 0 ? null : round(random.nextDouble(), 3), round(random.nextDouble() * 400, 3),
                    round(random.nextDouble() * 50, 3), localTime(i)};
            case "curriculum_stages" -> i -> new Object[]{contextKey(i), 1 + random.nextInt(5), localTime(i)};
            case "curriculum_metrics" -> i -> new Object[]{contextKey(i / 5), 1 + i % 5, random.nextInt(50), random.nextInt(40), round(random.nextDouble(), 3),
                    round(random.nextDouble() * 8, 3), round(random.nextDouble() * 6, 3), localTime(i)};
            case "curriculum_history" -> i -> new Object[]{i + 1, contextKey(i % 50), 1 + i % 4, 2 + i % 4, "success_rate above threshold", localTime(i)};
            case "policy_checkpoints" -> i -> new Object[]{"ckpt_" + LEARNERS[i % LEARNERS.length] + "_" + i, LEARNERS[i % LEARNERS.length], "v0.0." + i,
                    "{\"q\": {\"a\": " + random.nextDouble() + "}, \"eps\": 0.1}", json("avg_reward", round(random.nextDouble(), 6)), localTime(i),
                    i == 0 ? null : "ckpt_" + LEARNERS[(i - 1) % LEARNERS.length] + "_" + (i - 1), "[\"auto\"]", String.format(Locale.ROOT, "%016x", random.nextLong())};
            case "team_composition_stats" -> i -> new Object[]{i + 1, "pipeline:coder=" + (1 + i % 3) + ",reviewer=" + (i / 3), "pipeline",
                    "{\"coder\": " + (1 + i % 3) + ", \"reviewer\": " + (i / 3) + "}", pick(TASKS), random.nextInt(20), random.nextInt(10),
                    round(random.nextDouble() * 10, 3), round(random.nextDouble() * 100, 3), random.nextInt(50), random.nextInt(5000), round(random.nextDouble(), 4), localTime(i)};
            case "team_execution_history" -> i -> new Object[]{i + 1, "team-" + i, pick(TASKS), "pipeline", "{\"coder\": 2, \"reviewer\": 1}", 3,
                    random.nextInt(5000), random.nextInt(30), random.nextInt(2), round(random.nextDouble(), 3), round(random.nextDouble() * 60, 3), localTime(i)};
            case "failed_signatures" -> i -> {
                double seen = 1795343366.04014 + i * 3.5;
                return new Object[]{i + 1, TOOLS[i % TOOLS.length], String.format(Locale.ROOT, "%032x", (long) i * 7919L), "{\"path\": \"/nope/" + i + "\", \"n\": " + i + "}",
                        "Permission denied, code=13", 1 + random.nextInt(3), seen, seen, seen + 7 * 86400};
            };
            case "schema_version" -> i -> new Object[]{1};
            case "sessions" -> i -> {
                String id = new java.util.UUID(random.nextLong(), random.nextLong()).toString();
                return new Object[]{id, "session " + i, pick(PROVIDERS), pick(MODELS), random.nextBoolean() ? null : "default", localTime(i), localTime(i + 1),
                        "{\"id\": \"" + id + "\", \"messages\": [{\"role\": \"user\", \"content\": \"fix the build\"}]}"};
            };
            default -> throw new IllegalStateException("no generator for legacy table " + table);
        };
    }
}
