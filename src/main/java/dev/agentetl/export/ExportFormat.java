package dev.agentetl.export;

/** The file formats of an export and their file extensions. */
public enum ExportFormat {
    CSV("csv"), JSONL("jsonl"), PARQUET("parquet");

    final String extension;

    ExportFormat(String extension) {
        this.extension = extension;
    }

    public static ExportFormat parse(String s) {
        for (ExportFormat f : values()) {
            if (f.extension.equalsIgnoreCase(s)) return f;
        }
        throw new IllegalArgumentException("unknown format '" + s + "'; use csv, jsonl or parquet");
    }

    @com.fasterxml.jackson.annotation.JsonValue // in --json as the report prints it: csv, jsonl, parquet
    public String extension() {
        return extension;
    }
}
