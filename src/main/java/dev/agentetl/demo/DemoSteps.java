package dev.agentetl.demo;

import dev.agentetl.runtime.JobReport;
import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;

import java.util.ArrayList;
import java.util.List;

/** Collects the reports of the demo's steps into one. */
public final class DemoSteps {

    public static final String PROPERTY = "demoReport";

    private final java.nio.file.Path legacyDir;

    public DemoSteps(java.nio.file.Path legacyDir) {
        this.legacyDir = legacyDir;
    }

    public DemoReport begin() {
        return new DemoReport(new ArrayList<>());
    }

    public void append(@Body JobReport step, @ExchangeProperty(PROPERTY) DemoReport report) {
        report.steps().add(step);
    }

    /** The demo imports the bundled prompt catalog as user "demo". */
    public dev.agentetl.prompts.ImportPromptsRequest bundledCatalog() {
        return new dev.agentetl.prompts.ImportPromptsRequest(List.of(), false, "demo");
    }

    /** The demo imports the bundled sample rules (context_rules, negate_keys) as user "demo". */
    public dev.agentetl.rules.ImportRulesRequest bundledRules() {
        return new dev.agentetl.rules.ImportRulesRequest(List.of(), false, "demo");
    }

    /** A snapshot export of a dataset in the default exports folder. */
    public dev.agentetl.export.ExportRequest exportOf(String dataset, String format) {
        return new dev.agentetl.export.ExportRequest(dataset, null, dev.agentetl.export.ExportFormat.parse(format), null, null,
                java.util.Map.of(), false, null, "snappy", "demo");
    }

    public dev.agentetl.stats.StatsRefresher.Options incrementalRefresh() {
        return new dev.agentetl.stats.StatsRefresher.Options(false);
    }

    public dev.agentetl.insights.InsightsGenerator.Options insightsNow() {
        return new dev.agentetl.insights.InsightsGenerator.Options(null);
    }

    /** Legacy learner SQLite files in the default legacy folder (the same files on every demo run). */
    public dev.agentetl.consolidate.LegacyGenerator.Request legacyFiles() {
        return new dev.agentetl.consolidate.LegacyGenerator.Request(null, 20_000, 42);
    }

    /**
     * A small VibeAgent store beside the legacy files, written once (a second demo run finds it and its ingest
     * writes nothing), to ingest into the interactions group.
     */
    public dev.agentetl.ingest.IngestRequest vibeAgentStore() throws Exception {
        java.nio.file.Path store = legacyDir.resolveSibling("vibeagent-demo.db");
        if (!java.nio.file.Files.exists(store)) new dev.agentetl.ingest.StoreWriter(store, 7).create(200);
        return new dev.agentetl.ingest.IngestRequest("sqlite:" + store, "UTC", false, false);
    }

    /** Consolidates the demo's legacy files; a second demo run finds them consolidated and writes nothing. */
    public dev.agentetl.consolidate.ConsolidateRequest consolidateLegacy() {
        return new dev.agentetl.consolidate.ConsolidateRequest("sqlite:" + legacyDir, "UTC", false, false, false, null);
    }

    /** A fine-tuning dataset of everything recorded, in the default exports folder. */
    /** The dashboard at its configured place (agent-etl.dashboard.out), over the configured days. */
    public dev.agentetl.dashboard.DashboardRequest dashboard() {
        return new dev.agentetl.dashboard.DashboardRequest(null, null, null);
    }

    public dev.agentetl.finetune.FinetuneRequest finetuneDataset() {
        return dev.agentetl.finetune.FinetuneRequest.everything(null, "demo");
    }

    public DemoReport finish(@ExchangeProperty(PROPERTY) DemoReport report) {
        return report;
    }

    /** The demo's steps in order. */
    public record DemoReport(List<JobReport> steps) implements JobReport {
        @Override
        public long rowsWritten() {
            return steps.stream().mapToLong(JobReport::rowsWritten).sum();
        }

        @Override
        public String render() {
            StringBuilder sb = new StringBuilder();
            for (JobReport step : steps) {
                sb.append(step.render()).append('\n');
            }
            return sb.toString();
        }
    }
}
