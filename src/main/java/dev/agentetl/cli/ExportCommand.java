package dev.agentetl.cli;

import dev.agentetl.export.ExportFormat;
import dev.agentetl.export.ExportRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Export a table or view (or a SELECT from --query FILE) as CSV, JSON Lines or Parquet to "
                + "<out>/<dataset>/<format>/dt=<day>/part-*.<ext>, with a manifest and an exports row.")
final class ExportCommand extends JobCommand {

    @Parameters(index = "0", arity = "0..1", paramLabel = "DATASET", description = "A table or view name.")
    String dataset;

    @Option(names = "--query", paramLabel = "FILE", description = "A SELECT to export instead, run in a read-only transaction.")
    Path query;

    @Option(names = "--format", required = true, paramLabel = "csv|jsonl|parquet")
    String format;

    @Option(names = "--since", paramLabel = "T", description = "Rows at or after T (ISO date or timestamp, UTC if no offset).")
    String since;

    @Option(names = "--until", paramLabel = "T", description = "Rows before T.")
    String until;

    @Option(names = "--where", paramLabel = "COLUMN=VALUE", description = "Only rows whose column equals the value (repeatable).")
    List<String> where = List.of();

    @Option(names = "--incremental", description = "Continue from the last successful export of this dataset and format.")
    boolean incremental;

    @Option(names = "--out", paramLabel = "DIR", description = "Output folder (default: agent-etl.exports-dir).")
    Path out;

    @Option(names = "--compression", paramLabel = "snappy|zstd", defaultValue = "snappy", description = "Parquet codec.")
    String compression;

    @Override
    String job() {
        return "export";
    }

    @Override
    Object body() {
        if ((dataset == null) == (query == null)) {
            throw new IllegalArgumentException("give a DATASET or --query FILE");
        }
        Map<String, String> filters = new LinkedHashMap<>();
        for (String w : where) {
            int eq = w.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("--where takes COLUMN=VALUE, got '" + w + "'");
            }
            String column = w.substring(0, eq);
            String value = w.substring(eq + 1);
            String before = filters.putIfAbsent(column, value);
            if (before != null) {
                throw new IllegalArgumentException("--where names column '" + column + "' twice ('" + before + "' and '" + value
                        + "'); give each column one value");
            }
        }
        if (query != null) {
            ExportRequest.datasetOfQueryFile(query);
            if (!filters.isEmpty() || since != null || until != null || incremental) {
                throw new IllegalArgumentException("--query takes no --where, --since, --until or --incremental; put the conditions in the query");
            }
        }
        return new ExportRequest(dataset, query, ExportFormat.parse(format), time("--since", since), time("--until", until),
                filters, incremental, out, compression, System.getProperty("user.name", "unknown"));
    }

    static OffsetDateTime time(String option, String value) {
        if (value == null) return null;
        try {
            if (value.length() == 10) return LocalDate.parse(value).atStartOfDay().atOffset(ZoneOffset.UTC);
            try {
                return OffsetDateTime.parse(value);
            } catch (DateTimeParseException e) {
                return java.time.LocalDateTime.parse(value).atOffset(ZoneOffset.UTC);
            }
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(option + " takes an ISO date or timestamp, got '" + value + "'");
        }
    }
}
