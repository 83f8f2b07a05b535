package dev.agentetl.consolidate;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Every legacy table consolidation knows, read from the legacy DDL (consolidate/legacy-ddl.sql, loaded
 * into an in-memory SQLite so columns and keys come from SQLite itself), with the facts the DDL does not
 * carry: JSON and time columns, targets and fan-out, the learner a table belongs to.
 */
final class LegacyCatalog {

    private static final Set<String> TIME_NAMES = Set.of("last_updated", "timestamp", "created_at", "updated_at",
            "last_activity", "applied_at");

    private static final Map<String, Set<String>> JSON = Map.ofEntries(
            Map.entry("rl_outcomes", Set.of("metadata")), Map.entry("rl_telemetry", Set.of("data")),
            Map.entry("tool_selector_outcomes", Set.of("metadata")),
            Map.entry("quality_weight_history", Set.of("dimension_scores", "weights_used")),
            Map.entry("prompt_template_history", Set.of("template_used")),
            Map.entry("policy_checkpoints", Set.of("state", "metadata", "tags")),
            Map.entry("team_composition_stats", Set.of("role_counts")), Map.entry("team_execution_history", Set.of("role_counts")),
            Map.entry("failed_signatures", Set.of("args_json")), Map.entry("sessions", Set.of("data")),
            Map.entry("sessions__conversation", Set.of("metadata")));

    /** Targets and rows per source row; must agree with transforms.sql (a test checks every table). */
    private static final Map<String, Map<String, Integer>> FAN_OUT = new TreeMap<>();
    private static final Map<String, String> LEARNER = new TreeMap<>();

    private static void table(String key, String learner, Object... targetAndRows) {
        Map<String, Integer> m = new LinkedHashMap<>();
        for (int i = 0; i < targetAndRows.length; i += 2) {
            m.put((String) targetAndRows[i], (Integer) targetAndRows[i + 1]);
        }
        FAN_OUT.put(key, m);
        if (learner != null) LEARNER.put(key, learner);
    }

    static {
        table("rl_outcomes", null, "rl_outcome", 1);
        table("rl_telemetry", null, "rl_metric", 1);
        table("mode_transition_q_values", "mode_transition", "rl_q_value", 1);
        table("mode_transition_task_stats", "mode_transition", "rl_task_stat", 3);
        table("mode_transition_history", "mode_transition", "rl_transition", 1);
        table("model_selector_q_values", "model_selector", "rl_q_value", 1);
        table("model_selector_task_q_values", "model_selector", "rl_q_value", 1);
        table("model_selector_state", "model_selector", "rl_param", 1);
        table("tool_selector_q_values", "tool_selector", "rl_q_value", 1, "rl_task_stat", 1);
        table("tool_selector_task_q_values", "tool_selector", "rl_q_value", 1);
        table("tool_selector_outcomes", "tool_selector", "rl_transition", 1);
        table("cache_eviction_q_values", "cache_eviction", "rl_q_value", 1);
        table("cache_eviction_tool_values", "cache_eviction", "rl_task_stat", 3);
        table("cache_eviction_history", "cache_eviction", "rl_transition", 1);
        table("grounding_threshold_params", "grounding_threshold", "rl_param", 2);
        table("grounding_threshold_stats", "grounding_threshold", "rl_task_stat", 4);
        table("grounding_threshold_history", "grounding_threshold", "rl_transition", 1);
        table("semantic_threshold_stats", "semantic_threshold", "rl_task_stat", 5);
        table("continuation_patience_stats", "continuation_patience", "rl_param", 1, "rl_task_stat", 4);
        table("continuation_prompts_stats", "continuation_prompts", "rl_param", 1, "rl_task_stat", 4);
        table("quality_weights", "quality_weights", "rl_param", 2);
        table("quality_weight_history", "quality_weights", "rl_transition", 1);
        table("prompt_template_styles", "prompt_template", "rl_param", 2);
        table("prompt_template_elements", "prompt_template", "rl_param", 2);
        table("prompt_template_history", "prompt_template", "rl_transition", 1);
        table("curriculum_stages", "curriculum", "rl_param", 1);
        table("curriculum_metrics", "curriculum", "rl_task_stat", 4);
        table("curriculum_history", "curriculum", "rl_transition", 1);
        table("policy_checkpoints", null, "agent_policy_snapshot", 1);
        table("team_composition_stats", null, "agent_team_config", 1);
        table("team_execution_history", null, "agent_team_run", 1);
        table("failed_signatures", null, "ui_failed_call", 1);
        table("schema_version", null, "sys_schema_version", 1);
        table("schema_version__conversation", null, "sys_metadata", 1);
        table("sessions", null, "ui_session", 1);
        table("sessions__conversation", null, "ui_session", 1);
    }

    /** Tables whose rows name their learner in a column rather than by the table they are in. */
    private static final Map<String, String> LEARNER_COLUMN = Map.of("rl_outcomes", "learner_name",
            "rl_telemetry", "learner_name", "policy_checkpoints", "learner_name");

    /** Columns an older legacy file may lack (sessions.db from before the profile column). */
    private static final Map<String, Set<String>> OPTIONAL = Map.of("sessions", Set.of("profile"));

    private static final List<LegacyTable> ALL = load();

    private LegacyCatalog() {
    }

    static List<LegacyTable> all() {
        return ALL;
    }

    /** The SQLite DDL of every known table (one statement per line), as the legacy code wrote it. */
    static List<String> ddl() {
        List<String> out = new ArrayList<>();
        for (String line : resource().split("\n")) {
            if (line.startsWith("CREATE TABLE")) out.add(line.strip());
        }
        return out;
    }

    static boolean isKnownName(String table) {
        return ALL.stream().anyMatch(t -> t.name().equals(table));
    }

    /**
     * The layout of a found table, by its columns: every required column present. Empty when the name
     * is known but no layout matches (an unknown layout, which is an error for that table).
     */
    static Optional<LegacyTable> match(String table, Set<String> columns) {
        return ALL.stream().filter(t -> t.name().equals(table))
                // required columns include the key, so sessions (id) and its conversation layout (session_id) differ
                .filter(t -> columns.containsAll(t.requiredColumns()))
                .findFirst();
    }

    private static String resource() {
        try (InputStream in = LegacyCatalog.class.getResourceAsStream("/consolidate/legacy-ddl.sql")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("consolidate/legacy-ddl.sql missing from the classpath", e);
        }
    }

    private static List<LegacyTable> load() {
        List<LegacyTable> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite::memory:"); Statement st = c.createStatement()) {
            for (String ddl : ddl()) {
                st.execute(ddl);
            }
            List<String> names = new ArrayList<>();
            try (ResultSet rs = st.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table' AND name <> 'sqlite_sequence' ORDER BY rowid")) {
                while (rs.next()) names.add(rs.getString(1));
            }
            for (String key : names) {
                String name = key.contains("__") ? key.substring(0, key.indexOf("__")) : key;
                String layout = key.contains("__") ? key.substring(key.indexOf("__") + 2) : LegacyTable.DEFAULT_LAYOUT;
                List<LegacyTable.Column> columns = new ArrayList<>();
                TreeMap<Integer, String> pk = new TreeMap<>();
                try (ResultSet rs = st.executeQuery("PRAGMA table_info(\"" + key + "\")")) {
                    while (rs.next()) {
                        columns.add(new LegacyTable.Column(rs.getString("name"), rs.getString("type")));
                        if (rs.getInt("pk") > 0) pk.put(rs.getInt("pk"), rs.getString("name"));
                    }
                }
                Set<String> times = new java.util.LinkedHashSet<>();
                Set<String> julian = new java.util.LinkedHashSet<>();
                Set<String> epoch = new java.util.LinkedHashSet<>();
                for (LegacyTable.Column col : columns) {
                    boolean real = col.stagedType().equals("double precision");
                    if (TIME_NAMES.contains(col.name()) && !real && !col.stagedType().equals("bigint")) times.add(col.name());
                    if (key.equals("rl_outcomes") && col.name().equals("created_at")) julian.add(col.name());
                    if (key.equals("failed_signatures") && Set.of("first_seen", "last_seen", "expires_at").contains(col.name())) epoch.add(col.name());
                }
                if (!FAN_OUT.containsKey(key)) {
                    throw new IllegalStateException("legacy table " + key + " has no transform targets");
                }
                out.add(new LegacyTable(name, layout, List.copyOf(columns), List.copyOf(pk.values()),
                        OPTIONAL.getOrDefault(key, Set.of()), JSON.getOrDefault(key, Set.of()), times, julian, epoch,
                        FAN_OUT.get(key), LEARNER.get(key), LEARNER_COLUMN.get(key)));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the legacy DDL: " + e.getMessage(), e);
        }
        return List.copyOf(out);
    }
}
