package dev.agentetl.bench;

import dev.agentetl.db.Database;
import dev.agentetl.export.ExportFormat;
import dev.agentetl.export.ExportReport;
import dev.agentetl.export.ExportRequest;
import dev.agentetl.finetune.FinetuneReport;
import dev.agentetl.finetune.FinetuneRequest;
import dev.agentetl.generate.GenerateOptions;
import dev.agentetl.app.AgentEtlRuntime;
import dev.agentetl.runtime.AppConfig;
import dev.agentetl.runtime.JobReport;

import javax.sql.DataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;

import static dev.agentetl.bench.BenchSupport.count;

/**
 * {@code bench finetune}: on a scratch database with generated llm_call rows multiplied to the asked count
 * (each copy a distinct conversation with a distinct first message, so nothing is a duplicate), the plain
 * JSON Lines export of those rows (the anchor), then a fine-tuning export of the same rows, in one run.
 */
public final class FinetuneBenchmark {

    private final DataSource admin;
    private final Database server;
    private final AppConfig config;

    public FinetuneBenchmark(DataSource admin, Database server, AppConfig config) {
        this.admin = admin;
        this.server = server;
        this.config = config;
    }

    /** {@code repeat}: how many times anchor and export each run, alternately; the best time of each counts. */
    public record Options(long llmCalls, int repeat) {
        public Options {
            if (repeat < 1) throw new IllegalArgumentException("--repeat must be at least 1, got " + repeat);
        }
    }

    public JobReport run(Options options) throws Exception {
        Path dir = Files.createTempDirectory("agent-etl-bench-finetune");
        long rows;
        long anchorMs, finetuneMs;
        ExportReport anchor;
        FinetuneReport finetune;
        try (ScratchDatabase scratch = new ScratchDatabase(admin, server, config);
             AgentEtlRuntime rt = AgentEtlRuntime.startMigrated(scratch.config(), "bench")) {
            // a base of generated telemetry (all schemas), whose llm_call rows are then multiplied
            rt.run("generate", new GenerateOptions(Math.min(50_000, Math.max(2_000, options.llmCalls())), 42,
                    LocalDate.now(ZoneOffset.UTC), 30, false));
            try (Connection c = rt.dataSource().getConnection(); Statement st = c.createStatement()) {
                long base = count(st, "SELECT count(*) FROM agent_telemetry WHERE record_type = 'llm_call'");
                long copies = Math.max(0, (options.llmCalls() + base - 1) / Math.max(1, base) - 1);
                st.execute("""
                        INSERT INTO agent_telemetry (created_at, record_type, project_id, session_id, user_message, model_used,
                            system_prompt, chat_history, response_text, response_thoughts, tool_calls, tool_results, stop_reason,
                            rounds, tool_call_count, turn_intent, chat_mode, prompt_tokens, completion_tokens, total_tokens, duration_ms)
                        SELECT created_at, record_type, project_id, session_id || '~' || g, user_message, model_used, system_prompt,
                            jsonb_set(chat_history, '{0,content}', to_jsonb(coalesce(chat_history->0->>'content', '') || ' (' || g || ')')),
                            response_text, response_thoughts, tool_calls, tool_results, stop_reason, rounds, tool_call_count,
                            turn_intent, chat_mode, prompt_tokens, completion_tokens, total_tokens, duration_ms
                        FROM agent_telemetry, generate_series(1, %d) g WHERE record_type = 'llm_call'""".formatted(copies));
                st.execute("DELETE FROM agent_telemetry WHERE id IN (SELECT id FROM agent_telemetry WHERE record_type = 'llm_call' "
                        + "ORDER BY created_at DESC, id OFFSET " + options.llmCalls() + ")");
                st.execute("VACUUM ANALYZE agent_telemetry");
                rows = count(st, "SELECT count(*) FROM agent_telemetry WHERE record_type = 'llm_call'");
            }
            anchorMs = Long.MAX_VALUE;
            finetuneMs = Long.MAX_VALUE;
            anchor = null;
            finetune = null;
            // alternating runs, best of each: both sides see the same machine noise and the same warm caches
            for (int i = 0; i < options.repeat(); i++) {
                long t0 = System.nanoTime();
                anchor = (ExportReport) rt.run("export", new ExportRequest("agent_telemetry", null, ExportFormat.JSONL, null, null,
                        Map.of("record_type", "llm_call"), false, dir, "snappy", "bench"));
                anchorMs = Math.min(anchorMs, (System.nanoTime() - t0) / 1_000_000);
                t0 = System.nanoTime();
                finetune = (FinetuneReport) rt.run("finetune", new FinetuneRequest(null, null, null, null, null, null, null, null,
                        null, 0.1, "openai", null, null, "telemetry", dir, "bench"));
                finetuneMs = Math.min(finetuneMs, (System.nanoTime() - t0) / 1_000_000);
            }
        } finally {
            BenchSupport.deleteTree(dir);
        }
        long heapMb = Runtime.getRuntime().maxMemory() >> 20;
        String text = String.format("fine-tuning benchmark on %,d llm_call rows (same run, best of %d alternating runs each, heap limit %,d MB)%n",
                rows, options.repeat(), heapMb)
                + String.format("%-40s %12s %10s %12s%n", "step", "examples", "seconds", "rows/s")
                + String.format("%-40s %,12d %10.2f %,12d%n", "anchor: export agent_telemetry jsonl", anchor.rows(), anchorMs / 1000.0,
                anchor.rows() * 1000 / Math.max(1, anchorMs))
                + String.format("%-40s %,12d %10.2f %,12d%n", "finetune (written; " + finetune.rowsRejected() + " rejected, "
                        + finetune.rowsSkipped() + " duplicates)", finetune.rowsWritten(), finetuneMs / 1000.0,
                finetune.rowsRead() * 1000 / Math.max(1, finetuneMs))
                + String.format("finetune time / anchor time: %.2fx (target <= 2x)%n", (double) finetuneMs / Math.max(1, anchorMs));
        return () -> text;
    }

}
