package dev.agentetl.app;

import dev.agentetl.runtime.AppConfig;

import dev.agentetl.db.GroupInstaller;
import dev.agentetl.db.MigrateJob;
import dev.agentetl.db.SchemaMigrator;
import dev.agentetl.demo.DemoSeeder;
import dev.agentetl.demo.DemoSteps;
import dev.agentetl.generate.TelemetryGenerator;
import dev.agentetl.inbox.InboxImporter;
import dev.agentetl.prompts.PromptImporter;
import dev.agentetl.prompts.PromptRegistry;
import dev.agentetl.rules.RulesImporter;
import dev.agentetl.status.StatusReporter;

import java.util.function.BiConsumer;

/** The beans the routes call, by the names the YAML refers to. One place to see what each job uses. */
final class Beans {

    private Beans() {
    }

    static void bindAll(BiConsumer<String, Object> bind, AgentEtlRuntime rt) {
        AppConfig config = rt.config();
        SchemaMigrator migrator = rt.migrator();
        bind.accept("migrateJob", new MigrateJob(migrator, new GroupInstaller(rt.layout(), rt.sources()), rt::schemaMigrated));
        JobRequirements requirements = new JobRequirements(rt.sources(), rt::notReadyReason);
        bind.accept("jobRequirements", requirements);
        bind.accept("transientDatabaseErrors", new TransientDatabaseErrors(rt.events()));
        bind.accept("scheduledRequests", new dev.agentetl.cli.ScheduledRequests(config));
        bind.accept("notifications", new dev.agentetl.notify.Notifications(config.get("agent-etl.notify.uri", ""),
                config.get("agent-etl.notify.insight-severities", "warning,critical")));
        bind.accept("statusReporter", new StatusReporter(rt.sources(), rt.database(), migrator));
        bind.accept("checkReporter", new dev.agentetl.check.CheckReporter(rt.sources(), migrator, requirements, config));
        TelemetryGenerator generator = new TelemetryGenerator(rt.dataSource());
        bind.accept("telemetryGenerator", generator);
        bind.accept("demoSeeder", new DemoSeeder(rt.dataSource(), generator,
                config.getInt("agent-etl.demo.rows"), config.getInt("agent-etl.generate.seed")));
        bind.accept("demoSteps", new DemoSteps(config.path("agent-etl.legacy-dir")));
        // changes to the registry are also config_change system events (agent-etl's own table)
        dev.agentetl.importing.ConfigChangeEvents configChanges = new dev.agentetl.importing.ConfigChangeEvents(rt.events());
        PromptImporter promptImporter = new PromptImporter(rt.dataSource(), Long.parseLong(config.get("agent-etl.import.max-prompt-bytes")),
                configChanges);
        RulesImporter rulesImporter = new RulesImporter(rt.dataSource(), configChanges);
        bind.accept("promptImporter", promptImporter);
        bind.accept("promptRegistry", new PromptRegistry(rt.dataSource()).withEvents(configChanges));
        bind.accept("rulesImporter", rulesImporter);
        dev.agentetl.export.Exporter exporter = new dev.agentetl.export.Exporter(rt.dataSource(), rt.sources()::forTable,
                dev.agentetl.export.ExportSettings.from(config));
        bind.accept("exporter", exporter);
        bind.accept("scheduledExports", new dev.agentetl.export.ScheduledExports(
                config.get("agent-etl.schedule.export-snapshots.datasets", "")));
        bind.accept("archiver", new dev.agentetl.archive.Archiver(rt.sources()::forTable, dev.agentetl.archive.ArchiveSettings.from(config)));
        bind.accept("exportBenchmark", new dev.agentetl.bench.ExportBenchmark(rt.dataSource(), rt.database(), config));
        bind.accept("statsRefresher", new dev.agentetl.stats.StatsRefresher(rt.dataSource(), config.get("agent-etl.stats.work-mem")));
        bind.accept("insightsGenerator", new dev.agentetl.insights.InsightsGenerator(rt.dataSource(),
                dev.agentetl.insights.InsightSettings.from(config)));
        bind.accept("insightsBoard", new dev.agentetl.insights.InsightsBoard(rt.dataSource()));
        bind.accept("reportRunner", new dev.agentetl.reports.ReportRunner());
        // the report route's jdbc endpoint (jdbc:reportDataSource): the pool's connections, read-only
        bind.accept("reportDataSource", new dev.agentetl.reports.ReadOnlyDataSource(rt.dataSource()));
        bind.accept("dashboardWriter", new dev.agentetl.dashboard.DashboardWriter(rt.dataSource(), rt.sources()::forTable,
                dev.agentetl.dashboard.DashboardSettings.from(config), rt.database().describe()));
        bind.accept("statsBenchmark", new dev.agentetl.bench.StatsBenchmark(rt.dataSource(), rt.database(), config));
        bind.accept("importBenchmark", new dev.agentetl.bench.ImportBenchmark(rt.dataSource(), rt.database(), config));
        bind.accept("consolidator", new dev.agentetl.consolidate.Consolidator(rt.dataSource(),
                dev.agentetl.consolidate.ConsolidateSettings.from(config))
                .ownsTargetsWhen(() -> requirements.createdByAgentEtl(dev.agentetl.db.Group.LEARNING)));
        bind.accept("ingester", new dev.agentetl.ingest.Ingester(rt.dataSource(), dev.agentetl.ingest.IngestSettings.from(config))
                .ownsTargetsWhen(() -> requirements.createdByAgentEtl(dev.agentetl.db.Group.INTERACTIONS)));
        bind.accept("ingestBenchmark", new dev.agentetl.bench.IngestBenchmark(rt.dataSource(), rt.database(), config));
        bind.accept("legacyGenerator", new dev.agentetl.consolidate.LegacyGenerator(config.path("agent-etl.legacy-dir")));
        bind.accept("finetuneExporter", new dev.agentetl.finetune.FinetuneExporter(rt.dataSource(),
                config.path("agent-etl.exports-dir"), dev.agentetl.finetune.FinetuneExporter.Settings.from(config)));
        bind.accept("consolidateBenchmark", new dev.agentetl.bench.ConsolidateBenchmark(rt.dataSource(), rt.database(), config));
        bind.accept("finetuneBenchmark", new dev.agentetl.bench.FinetuneBenchmark(rt.dataSource(), rt.database(), config));
        bind.accept("inboxImporter", new InboxImporter(promptImporter, rulesImporter, config.path("agent-etl.inbox-dir"),
                Long.parseLong(config.get("agent-etl.inbox.settle-ms"))));
    }
}
