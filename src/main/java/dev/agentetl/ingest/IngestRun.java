package dev.agentetl.ingest;

import dev.agentetl.progress.Progress;

import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One ingest as it goes through the steps of routes/ingest.camel.yaml: the checked request, then the store's
 * snapshot, the tables found, the PostgreSQL transaction and what each table brought. It travels in the exchange
 * (variable {@code ingest}); the {@link Ingester} bean keeps nothing between steps. A new one is made for every
 * attempt: the whole run is one transaction, tried again as a whole.
 */
public final class IngestRun {

    /** What {@link Ingester#validate} found in the request, before the store is opened. */
    public record Plan(IngestRequest request, Path file, String zone, String store, long startedNanos) {
    }

    final Plan plan;
    final IngestRequest request;
    final Map<String, Long> phases = new LinkedHashMap<>();
    long mark;

    StoreSnapshot snapshot;
    Connection src;
    List<String> present;
    List<Map.Entry<StoreTable, List<String>>> found;
    final List<String> notes = new ArrayList<>();

    Connection pg;
    Connection keys;
    Connection ids;
    /** The run's connection written on a thread of its own, across tables (see {@link TableIngest#stage}). */
    CopyPipe pipe;
    long runId;
    TableIngest.Context context;
    boolean owns;
    Progress progress;
    final List<TableIngest> jobs = new ArrayList<>();
    /** When the table in hand began staging, and applying (nanoTime). */
    long stageStarted;
    long applyStarted;
    final List<TableIngest.Result> results = new ArrayList<>();
    List<TableIngest.Result> finalResults;
    IngestReport report;

    IngestRun(Plan plan) {
        this.plan = plan;
        this.request = plan.request();
        this.mark = plan.startedNanos();
    }

    /** How many of the store's tables are ingested (the loop of the stage and apply steps). */
    public int tableCount() {
        return found == null ? 0 : found.size();
    }

    /** The finished run's report (after the record step). */
    public IngestReport report() {
        return report;
    }

    @Override
    public String toString() {
        return "ingest of " + plan.store();
    }
}
