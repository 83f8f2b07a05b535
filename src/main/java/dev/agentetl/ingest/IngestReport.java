package dev.agentetl.ingest;

import dev.agentetl.runtime.JobReport;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** What one ingest did, per table: read = inserted + updated + unchanged + rejected; rows gone at the source. */
public record IngestReport(long runId, String store, boolean dryRun, boolean syncDeletes, List<TableIngest.Result> tables,
                           List<String> notes, long millis, Map<String, Long> phases) implements JobReport {

    @Override
    public long rowsRead() {
        return tables.stream().mapToLong(TableIngest.Result::read).sum();
    }

    @Override
    public long rowsWritten() {
        return dryRun ? 0 : tables.stream().mapToLong(t -> t.inserted() + t.updated() + t.deleted()).sum();
    }

    @Override
    public long rowsRejected() {
        return tables.stream().mapToLong(TableIngest.Result::rejected).sum();
    }

    @Override
    public long rowsSkipped() {
        return tables.stream().mapToLong(TableIngest.Result::unchanged).sum();
    }

    /** Rejected rows, as table:key: reason; the rest of the run is kept, the exit is non-zero. */
    @Override
    public List<String> problems() {
        List<String> out = new ArrayList<>();
        for (TableIngest.Result t : tables) {
            t.rejectedBy().forEach((reason, n) -> out.add(store + ": " + t.table() + ": " + n + " row(s) rejected, " + reason
                    + " (ids in ingest_rejects, run " + runId + ")"));
        }
        return out;
    }

    /**
     * Milliseconds by phase, in run order: the snapshot of the store, reading its schema, the run's setup in
     * PostgreSQL, the tables (then split: reading and staging the store, checking and writing in PostgreSQL),
     * rows gone at the source and the key counts, committing.
     */
    public Map<String, Long> phaseMillis() {
        Map<String, Long> out = new java.util.LinkedHashMap<>(phases);
        out.put("stage", tables.stream().mapToLong(TableIngest.Result::stageMillis).sum());
        out.put("apply", tables.stream().mapToLong(TableIngest.Result::applyMillis).sum());
        return out;
    }

    @Override
    public Object details() {
        return Map.of("run", runId, "store", store, "tables", tables);
    }

    @Override
    public String render() {
        StringBuilder sb = new StringBuilder();
        sb.append(dryRun ? "ingest (dry run, nothing written) " : "ingest ").append(runId).append(": ").append(store).append('\n');
        sb.append(String.format("%-20s %10s %10s %10s %10s %10s %10s%n", "table", "read", "inserted", "updated", "unchanged",
                "rejected", syncDeletes ? "deleted" : "gone"));
        for (TableIngest.Result t : tables) {
            sb.append(String.format("%-20s %,10d %,10d %,10d %,10d %,10d %,10d%n", t.table(), t.read(), t.inserted(), t.updated(),
                    t.unchanged(), t.rejected(), syncDeletes ? t.deleted() : t.goneAtSource()));
        }
        for (String n : notes) sb.append("note: ").append(n).append('\n');
        sb.append(String.format("%,d rows read, %,d written, %,d rejected in %.1f s%n", rowsRead(), rowsWritten(), rowsRejected(),
                millis / 1000.0));
        return sb.toString();
    }
}
