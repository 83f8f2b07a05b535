package dev.agentetl.rules;

import java.util.List;

/** The two rule files, recognised by their header. */
public enum RuleKind {
    CONTEXT_RULES("context_rules", List.of("context", "important", "ignore", "description")),
    NEGATE_KEYS("negate_keys", List.of("label", "operator", "value"));

    final String table;
    final List<String> columns;

    RuleKind(String table, List<String> columns) {
        this.table = table;
        this.columns = columns;
    }

    /** The kind whose header this is (context_rules may start with an id column), or null. */
    static RuleKind ofHeader(List<String> header) {
        List<String> h = header.stream().map(s -> s.strip().toLowerCase(java.util.Locale.ROOT)).toList();
        if (h.equals(CONTEXT_RULES.columns)
                || (h.size() == 5 && h.get(0).equals("id") && h.subList(1, 5).equals(CONTEXT_RULES.columns))) {
            return CONTEXT_RULES;
        }
        return h.equals(NEGATE_KEYS.columns) ? NEGATE_KEYS : null;
    }

    public String table() {
        return table;
    }
}
