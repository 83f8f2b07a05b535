package dev.agentetl.bench;

import dev.agentetl.db.Database;
import dev.agentetl.importing.ImportReport;
import dev.agentetl.prompts.ImportPromptsRequest;
import dev.agentetl.rules.ImportRulesRequest;
import dev.agentetl.app.AgentEtlRuntime;
import dev.agentetl.runtime.AppConfig;
import dev.agentetl.runtime.JobReport;

import javax.sql.DataSource;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code bench import}: imports N generated prompt files and an M-row rules file into a scratch
 * database, then imports them again (which must write nothing) and once more with one row changed.
 */
public final class ImportBenchmark {

    private final DataSource admin;
    private final Database server;
    private final AppConfig config;

    public ImportBenchmark(DataSource admin, Database server, AppConfig config) {
        this.admin = admin;
        this.server = server;
        this.config = config;
    }

    public record Options(int prompts, int ruleRows) {
    }

    private record Phase(String name, long items, long written, long millis) {
    }

    public JobReport run(Options options) throws Exception {
        Path dir = Files.createTempDirectory("agent-etl-bench");
        List<Phase> phases = new ArrayList<>();
        try (ScratchDatabase scratch = new ScratchDatabase(admin, server, config)) {
            Path prompts = Files.createDirectories(dir.resolve("prompts"));
            for (int i = 0; i < options.prompts(); i++) {
                Files.writeString(prompts.resolve(String.format("bench_%06d.prompt", i)), promptText(i, "v1"));
            }
            Path rules = dir.resolve("context_rules.csv");
            writeRules(rules, options.ruleRows(), -1);
            try (AgentEtlRuntime rt = AgentEtlRuntime.startMigrated(scratch.config(), "bench")) {
                phases.add(time(rt, "prompts: first import", new ImportPromptsRequest(List.of(prompts), false, "bench")));
                phases.add(time(rt, "prompts: re-run", new ImportPromptsRequest(List.of(prompts), false, "bench")));
                Files.writeString(prompts.resolve("bench_000000.prompt"), promptText(0, "v2"));
                phases.add(time(rt, "prompts: one changed", new ImportPromptsRequest(List.of(prompts), false, "bench")));
                phases.add(time(rt, "rules: first import", new ImportRulesRequest(List.of(rules), false, "bench")));
                phases.add(time(rt, "rules: re-run", new ImportRulesRequest(List.of(rules), false, "bench")));
                writeRules(rules, options.ruleRows(), options.ruleRows() / 2);
                phases.add(time(rt, "rules: one changed", new ImportRulesRequest(List.of(rules), false, "bench")));
            }
        } finally {
            BenchSupport.deleteTree(dir);
        }
        return () -> render(phases);
    }

    private static Phase time(AgentEtlRuntime rt, String name, Object request) {
        long t0 = System.nanoTime();
        ImportReport report = (ImportReport) rt.run(request instanceof ImportPromptsRequest ? "import-prompts" : "import-rules", request);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        if (!report.problems().isEmpty()) {
            throw new IllegalStateException("benchmark input was rejected: " + report.problems().get(0));
        }
        return new Phase(name, report.rowsRead(), report.rowsWritten(), ms);
    }

    private static String render(List<Phase> phases) {
        StringBuilder sb = new StringBuilder(String.format("%-24s %10s %10s %10s %12s %14s%n",
                "phase", "items", "written", "seconds", "items/s", "vs first run"));
        long[] first = new long[2];
        for (Phase p : phases) {
            int family = p.name().startsWith("prompts") ? 0 : 1;
            if (p.name().endsWith("first import")) first[family] = Math.max(1, p.millis());
            sb.append(String.format("%-24s %,10d %,10d %10.2f %,12d %13.2fx%n", p.name(), p.items(), p.written(),
                    p.millis() / 1000.0, p.items() * 1000 / Math.max(1, p.millis()), (double) p.millis() / first[family]));
        }
        return sb.toString();
    }

    static String promptText(int i, String variant) {
        return "---\nname: bench_" + i + "\ntype: user\nmodel: gpt-4o\nconfig:\n  temperature: 0.2\nlabels: [production]\n---\n"
                + "You are benchmark prompt " + i + " (" + variant + "). " + "Follow the rules carefully. ".repeat(40) + "\n";
    }

    private static void writeRules(Path file, int rows, int changedRow) throws IOException {
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("context,important,ignore,description\n");
            for (int i = 0; i < rows; i++) {
                w.write("ctx_" + i + ",\"op_a" + i + ",op_b" + i + ",op_c\",\"heartbeat,health\",\"Rule " + i
                        + (i == changedRow ? " (changed)" : "") + " \u2013 with \"\"quotes\"\", and commas\"\n");
            }
        }
    }
}
