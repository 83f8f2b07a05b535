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

    public String extension() {
        return extension;
    }
}
