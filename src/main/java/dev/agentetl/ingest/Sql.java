package dev.agentetl.ingest;

/** Identifiers and literals written into ingest's SQL (names come from the catalogs, values from us). */
final class Sql {

    private Sql() {
    }

    static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }
}
