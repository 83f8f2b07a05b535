package dev.agentetl.consolidate;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The transform SQL of each legacy table, from consolidate/transforms.sql ("-- table: <name>" sections). */
final class Transforms {

    private static final Map<String, List<String>> SECTIONS = load();

    private Transforms() {
    }

    /** The statements of one table's transform with its placeholders filled in. */
    static List<String> forTable(LegacyTable t, String sourceTable, String filteredSource, long runId, String zone) {
        List<String> statements = SECTIONS.get(t.transformKey());
        if (statements == null) {
            throw new IllegalStateException("no transform for legacy table " + t.transformKey());
        }
        List<String> out = new ArrayList<>();
        for (String s : statements) {
            out.add(s.replace("${src}", filteredSource).replace("${table}", literal(sourceTable))
                    .replace("${run}", Long.toString(runId)).replace("${tz}", literal(zone)));
        }
        return out;
    }

    /**
     * Targets whose only unique key is the lineage (source table, source key). Into these, a table that has no
     * rows there yet cannot conflict (its source keys are unique, and a failed table left nothing), so its
     * rows go in without ON CONFLICT, whose check of every unique index per row cost a quarter of the
     * transform (bench consolidate, 200k rows: 8.98 s with it on every statement, 6.63 s with none).
     * Targets with natural keys (rl_q_value, rl_param, ...) always keep it.
     */
    private static final java.util.Set<String> KEYED_BY_LINEAGE_ONLY =
            java.util.Set.of("rl_outcome", "rl_transition", "rl_metric", "agent_team_run", "agent_policy_snapshot");
    private static final String NO_CONFLICT = "ON CONFLICT DO NOTHING";
    private static final java.util.regex.Pattern INSERT_INTO = java.util.regex.Pattern.compile("^INSERT INTO (\\w+)");

    static boolean isKeyedByLineageOnly(String target) {
        return KEYED_BY_LINEAGE_ONLY.contains(target);
    }

    /** The target of a transform statement whose ON CONFLICT may be dropped when it has none of the source's rows; else null. */
    static String lineageKeyedTarget(String sql) {
        String target = target(sql);
        return KEYED_BY_LINEAGE_ONLY.contains(target) && sql.endsWith(NO_CONFLICT) ? target : null;
    }

    /** The table a transform statement inserts into. */
    static String target(String sql) {
        java.util.regex.Matcher m = INSERT_INTO.matcher(sql);
        if (!m.find()) throw new IllegalStateException("a transform statement that is not an INSERT: " + sql);
        return m.group(1);
    }

    /** The statement as a plain INSERT. */
    static String withoutConflictClause(String sql) {
        return sql.substring(0, sql.length() - NO_CONFLICT.length()).stripTrailing();
    }

    static boolean has(String key) {
        return SECTIONS.containsKey(key);
    }

    static String literal(String s) {
        return "'" + s.replace("'", "''") + "'";
    }

    private static Map<String, List<String>> load() {
        String text;
        try (InputStream in = Transforms.class.getResourceAsStream("/consolidate/transforms.sql")) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("consolidate/transforms.sql missing from the classpath", e);
        }
        Map<String, List<String>> out = new LinkedHashMap<>();
        String current = null;
        StringBuilder statement = new StringBuilder();
        for (String line : text.split("\n")) {
            if (line.startsWith("-- table: ")) {
                current = line.substring("-- table: ".length()).strip();
                out.put(current, new ArrayList<>());
                continue;
            }
            if (current == null || line.startsWith("--") || line.isBlank()) {
                continue;
            }
            statement.append(line).append('\n');
            if (line.stripTrailing().endsWith(";")) {
                String sql = statement.toString().strip();
                out.get(current).add(sql.substring(0, sql.length() - 1));
                statement.setLength(0);
            }
        }
        return out;
    }
}
