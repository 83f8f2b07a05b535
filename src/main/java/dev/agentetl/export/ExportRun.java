package dev.agentetl.export;

import dev.agentetl.runtime.Cancellation;

import javax.sql.DataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

/**
 * One export as it goes through the steps of routes/export.camel.yaml: what the request asked for, then the
 * connections, lock, snapshot and files each step adds. It travels in the exchange (variable {@code export}), so
 * two exports at once never share one; the {@link Exporter} bean that runs the steps keeps no state of its own.
 * A new one is made for every attempt (a transient error tries the steps again from the lock).
 */
public final class ExportRun {

    /** What {@link Exporter#validate} found in the request: checked before any connection is taken. */
    public record Plan(ExportRequest request, String userSql, String queryDataset, boolean filtered, long startedNanos) {
    }

    final ExportRequest request;
    final Plan plan;
    final long started;
    final OffsetDateTime startedAt = OffsetDateTime.now(java.time.ZoneOffset.UTC);

    // lock step: the connections (records in c, rows from src), the stop registration and the dataset's lock
    DataSource sourceDs;
    Connection c;
    Connection other;
    Connection src;
    Cancellation.Registration onStop;
    String lockKey;
    boolean locked;
    String datasetName;
    Dataset dataset;
    ExportFolder datasetFolder;
    Path folder;

    // what the export holds: kind, queries, window, filters
    ExportFolder.Kind kind;
    ExportQuery query;
    ExportQuery tail;
    OffsetDateTime since;
    OffsetDateTime upper;
    Map<String, Object> filters;

    // open step: the exports row and the snapshot's slices
    Long exportId;
    Slices slices;
    List<Column> columns;
    int fetch;
    Path manifestFile;

    // write step
    PartFiles tailParts;
    long rows;

    // manifest step
    List<PartFiles.Part> body;
    List<PartFiles.Part> tailFiles;
    Map<String, Object> manifest;
    boolean manifestWritten;

    ExportReport report;

    ExportRun(Plan plan) {
        this.plan = plan;
        this.request = plan.request();
        this.started = plan.startedNanos();
    }

    /** The finished export's report (after the record step). */
    public ExportReport report() {
        return report;
    }

    @Override
    public String toString() {
        return "export of " + (datasetName != null ? datasetName : plan.queryDataset() != null ? plan.queryDataset() : request.dataset())
                + (exportId == null ? "" : " (" + exportId + ")");
    }
}
