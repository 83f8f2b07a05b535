package dev.agentetl.generate;

import dev.agentetl.db.CopyBuffer;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes realistic agent telemetry into all three seed schemas, session by session, with COPY in
 * chunks so memory stays bounded for any row count. One transaction: a failed run leaves nothing.
 */
public final class TelemetryGenerator {

    private static final Logger LOG = LoggerFactory.getLogger(TelemetryGenerator.class);
    /** Buffered COPY text before a flush; bounds memory whatever the row count. */
    private static final int FLUSH_CHARS = 8 << 20;

    private final DataSource dataSource;

    public TelemetryGenerator(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public GenerateReport generate(GenerateOptions options) throws Exception {
        long started = System.nanoTime();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                GenerateReport report = generate(c, options, started);
                c.commit();
                return report;
            } catch (Exception e) {
                dev.agentetl.db.Transactions.rollbackQuietly(c, e);
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    private GenerateReport generate(Connection c, GenerateOptions options, long started) throws Exception {
        try (Statement st = c.createStatement()) {
            // one generator at a time; it does not block other writers
            st.execute("SELECT pg_advisory_xact_lock(hashtext('agent-etl generate'))");
        }
        CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
        long existing;
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM sessions")) {
            rs.next();
            existing = rs.getLong(1);
        }
        GenContext ctx = new GenContext(c, options, existing);
        Behaviour behaviour = new Behaviour(ctx);
        List<Long> testCases = ensureTestCases(c);
        InteractionWriter interactions = new InteractionWriter(ctx, behaviour, testCases, new ExperimentWriter(ctx, c));
        ExecutionWriter executions = new ExecutionWriter(ctx, behaviour);
        TurnTelemetryWriter turns = new TurnTelemetryWriter(ctx, behaviour);
        long written = 0;
        long sessions = 0;
        // one COPY in flight while the next chunk is generated: memory stays at two chunks
        java.util.concurrent.ExecutorService sender = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "generate-copy");
            t.setDaemon(true);
            return t;
        });
        java.util.concurrent.Future<Long> inFlight = null;
        try (dev.agentetl.progress.Progress progress = dev.agentetl.progress.Progress.start("generate", "rows", options.rows())) {
        while (written + pending(ctx) < options.rows()) {
            sessions++;
            OffsetDateTime at = ctx.timeline.randomMoment(ctx.random);
            String model = Vocabulary.pick(ctx.random, Vocabulary.MODELS);
            String task = Vocabulary.pick(ctx.random, Vocabulary.TASKS);
            int variant = ctx.random.nextInt(4);
            String thread = interactions.write(sessions, at, model, task, variant);
            if (ctx.chance(0.7)) {
                executions.write(sessions, at, model, task, thread);
            }
            OffsetDateTime t = at;
            int userTurns = 1 + (ctx.chance(0.4) ? 1 : 0);
            for (int i = 0; i < userTurns; i++) {
                t = turns.write(t.plusSeconds(5), thread, model, task, Vocabulary.systemPrompt(variant));
            }
            if (pendingChars(ctx) > FLUSH_CHARS) {
                await(inFlight);
                List<CopyBuffer.Batch> batches = new ArrayList<>();
                ctx.buffers.values().forEach(b -> batches.add(b.take()));
                // counted when handed over; a failed COPY fails the whole run anyway
                written += batches.stream().mapToLong(CopyBuffer.Batch::rows).sum();
                inFlight = sender.submit(() -> {
                    long n = 0;
                    for (CopyBuffer.Batch b : batches) n += b.send(copy);
                    return n;
                });
                progress.stepTo(written);
                progress.note(String.format("%,d sessions", sessions));
            }
        }
        await(inFlight);
        inFlight = null;
        progress.stepTo(written + pending(ctx));
        } finally {
            if (inFlight != null) inFlight.cancel(false);
            sender.shutdown();
        }
        written += flush(ctx, copy);
        Map<String, Long> perTable = new LinkedHashMap<>();
        ctx.buffers.values().forEach(b -> perTable.put(b.table(), b.total()));
        return new GenerateReport(perTable, sessions, options, (System.nanoTime() - started) / 1_000_000);
    }

    private static long await(java.util.concurrent.Future<Long> inFlight) throws Exception {
        if (inFlight == null) return 0;
        try {
            return inFlight.get();
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof Exception ex ? ex : e;
        }
    }

    private static long pending(GenContext ctx) {
        long n = 0;
        for (CopyBuffer b : ctx.buffers.values()) {
            n += b.pendingRows();
        }
        return n;
    }

    private static long pendingChars(GenContext ctx) {
        long n = 0;
        for (CopyBuffer b : ctx.buffers.values()) {
            n += b.pendingChars();
        }
        return n;
    }

    private static long flush(GenContext ctx, CopyManager copy) throws Exception {
        long n = 0;
        for (CopyBuffer b : ctx.buffers.values()) {
            n += b.flush(copy);
        }
        return n;
    }

    /** The test cases test runs refer to: created once, reused by later runs. */
    private static List<Long> ensureTestCases(Connection c) throws SQLException {
        String[][] cases = {
                {"single_tool_search", "simple"}, {"two_step_calculation", "multi_call"},
                {"sql_then_summarise", "complex"}, {"recover_from_timeout", "error_handling"},
                {"parallel_lookups", "parallel"}, {"no_tool_greeting", "simple"}};
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO test_cases (name, category, description, messages, tools, expected_tools, expect_no_tools)
                VALUES (?, ?, ?, ?::jsonb, ?::jsonb, ?::jsonb, ?) ON CONFLICT (name) DO NOTHING""")) {
            for (String[] tc : cases) {
                boolean noTools = tc[0].startsWith("no_tool");
                ps.setString(1, tc[0]);
                ps.setString(2, tc[1]);
                ps.setString(3, "Generated test case " + tc[0].replace('_', ' '));
                ps.setString(4, "[{\"role\":\"user\",\"content\":\"" + tc[0].replace('_', ' ') + "\"}]");
                ps.setString(5, "[\"web_search\",\"calculator\",\"sql_query\",\"summarize\"]");
                ps.setString(6, noTools ? "[]" : "[\"web_search\"]");
                ps.setBoolean(7, noTools);
                ps.addBatch();
            }
            ps.executeBatch();
        }
        List<Long> ids = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT id FROM test_cases ORDER BY id")) {
            while (rs.next()) {
                ids.add(rs.getLong(1));
            }
        }
        return ids;
    }
}
