package dev.agentetl.export;

/** One column of an exported relation: name, PostgreSQL type name (udt) and, for numeric, its typmod. */
public record Column(String name, String type, Integer precision, Integer scale) {

    boolean isTimestampTz() {
        return type.equals("timestamptz");
    }

    boolean isTimestamp() {
        return type.equals("timestamp");
    }

    boolean isJson() {
        return type.equals("jsonb") || type.equals("json");
    }

    boolean isArray() {
        return type.startsWith("_");
    }
}
