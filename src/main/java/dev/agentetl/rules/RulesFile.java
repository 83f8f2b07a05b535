package dev.agentetl.rules;

import java.util.List;
import java.util.Map;

/** A parsed and validated rules CSV: its kind (from the header) and its rows with their first line numbers. */
public record RulesFile(String source, RuleKind kind, List<Row> rows) {

    /** One data record; {@code line} is the file line it starts on. */
    public record Row(int line, Map<String, String> fields) {
        public String get(String column) {
            return fields.get(column);
        }
    }
}
