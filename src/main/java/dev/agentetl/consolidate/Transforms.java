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
