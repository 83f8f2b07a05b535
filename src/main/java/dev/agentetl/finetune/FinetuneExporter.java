package dev.agentetl.finetune;

import dev.agentetl.progress.PlannerEstimate;
import dev.agentetl.progress.Progress;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.agentetl.db.Transactions;
import dev.agentetl.export.ExportRows;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code finetune}: recorded LLM calls and session conversations to train / validation files in OpenAI's
 * chat format, under {@code <out>/finetune/<format>/dt=<day>/finetune-<id>/} with a manifest and a dataset
 * card. Everything is read in one repeatable-read transaction from server-side cursors, so memory stays
 * bounded and both sources see the same snapshot. The folder is written under a hidden name and renamed
 * when complete; the database is only read (plus the exports row).
 */
public final class FinetuneExporter {

    private static final Logger LOG = LoggerFactory.getLogger(FinetuneExporter.class);
    private static final ObjectMapper MANIFEST = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final int FETCH = 500;
    /** Candidates per batch handed to a worker. */
    private static final int BATCH = 256;
    /** Worker threads preparing examples (redaction, tokens, validation, hashing, JSON) while one thread reads. */
    private static final int WORKERS = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));

    private final DataSource dataSource;
    private final Path defaultOut;
    private final Settings settings;

    /** Configured defaults: token limit, tokenizer, and the custom redaction rules and profiles. */
    public record Settings(int maxTokens, String encoding, Map<String, String> rules, Map<String, String> profiles, String epochs,
                           String license) {
        public Settings {
            if (epochs != null && !epochs.isBlank() && !epochs.strip().equals("auto")) TrainingEstimate.epochs(epochs);
            license = license == null || license.isBlank() ? "other" : license.strip();
        }

        /** The one place the fine-tuning keys are read (defaults documented in application.properties). */
        public static Settings from(dev.agentetl.runtime.AppConfig config) {
            return new Settings(config.getInt("agent-etl.finetune.max-tokens"), config.get("agent-etl.finetune.encoding"),
                    config.under("agent-etl.finetune.redaction.rule."), config.under("agent-etl.finetune.redaction.profile."),
                    config.get("agent-etl.finetune.epochs"), config.get("agent-etl.finetune.license"));
        }
    }

    public FinetuneExporter(DataSource dataSource, Path defaultOut, Settings settings) {
        this.dataSource = dataSource;
        this.defaultOut = defaultOut;
        this.settings = settings;
    }

    // ---- The steps of routes/finetune.camel.yaml, in their order; from the snapshot to the record they are one unit
    // ---- (route finetune-steps), tried again as a whole. Each takes the export's state (FinetuneRun) from the exchange.

    /** Validate the request: its redaction profile, the token encoding and limit, before any connection is taken. */
    public FinetuneRun.Plan validate(FinetuneRequest request) {
        long started = System.nanoTime();
        Redactor redactor = Redactor.profile(request.redaction(), settings.rules(), settings.profiles());
        String encoding = TextProcessor.type(settings.encoding()).getName();
        int maxTokens = request.maxTokens() != null ? request.maxTokens() : settings.maxTokens();
        return new FinetuneRun.Plan(request, redactor, encoding, maxTokens, started);
    }

    /** A new attempt of the export: its state, holding nothing yet. */
    public FinetuneRun begin(FinetuneRun.Plan plan) {
        return new FinetuneRun(plan);
    }

    /**
     * Open the snapshot: the source queries resolved, the registry's tools, the exports row (running), the folder
     * written under a hidden name, and one REPEATABLE READ transaction reading the tables in their physical order.
     */
    public void openSnapshot(FinetuneRun run) throws Exception {
        FinetuneRequest request = run.request;
        Connection c = run.c = dataSource.getConnection();
        run.queries = SourceQueries.resolve(c, request);
        run.filters = run.queries.describe();
        run.registry = registryTools(c);
        Path parent = (request.outDir() != null ? request.outDir() : defaultOut).resolve("finetune")
                .resolve(request.format()).resolve("dt=" + run.startedAt.toLocalDate());
        run.exportId = ExportRows.start(c, "finetune", "finetune", MANIFEST.writeValueAsString(run.filters), parent, request.actor());
        String name = String.format("finetune-%06d", run.exportId);
        run.temp = parent.resolve("." + name + ".inprogress");
        run.folder = parent.resolve(name);
        if (Files.exists(run.folder)) throw collision(run.folder);
        Files.createDirectories(run.temp);
        c.setAutoCommit(false);
        try (Statement st = c.createStatement()) {
            st.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ");
        }
        try (Statement st = c.createStatement()) {
            // examples come in the tables' physical order (a plain sequential scan; no parallel or synchronized
            // scan, no index order): deterministic for the same data without sorting the wide rows
            st.execute("SET LOCAL synchronize_seqscans = off; SET LOCAL max_parallel_workers_per_gather = 0; "
                    + "SET LOCAL enable_indexscan = off; SET LOCAL enable_indexonlyscan = off; SET LOCAL jit = off");
        }
    }

    /**
     * Write the examples: the source rows streamed, built into examples on the workers (validated, redacted,
     * deduplicated, counted in tokens) and split by conversation into the train / validation files.
     */
    public void writeExamples(FinetuneRun run) throws Exception {
        FinetuneRequest request = run.request;
        Connection c = run.c;
        Redactor redactor = run.plan.redactor();
        List<String> ruleNames = redactor.rules().stream().map(Redactor.Rule::name).toList();
        boolean parquet = request.format().equals("parquet");
        try (SplitFiles files = new SplitFiles(run.temp, parquet)) {
            ExamplePipeline pipeline = run.pipeline = new ExamplePipeline(() -> new ExamplePreparer(new TextProcessor(redactor,
                    settings.encoding()), ruleNames.size()), new SeenExamples(c), files, run.plan.maxTokens(), request.validationRatio(),
                    ruleNames, parquet);
            SourceQueries.Query telemetry = request.telemetry() ? run.queries.telemetry(c) : null;
            SourceQueries.Query sessions = request.sessions() ? run.queries.sessions(c) : null;
            SourceQueries.Query pairs = request.preferences() ? run.queries.preferencePairs(c) : null;
            // source rows read (llm_call rows, session messages), out of the planner's estimate of the queries
            try (Progress progress = Progress.start("finetune", "rows",
                    estimate(c, telemetry) + estimate(c, sessions) + estimate(c, pairs));
                 OrderedWorkers workers = new OrderedWorkers(WORKERS, pipeline::accept)) {
                if (telemetry != null) streamTelemetry(c, telemetry, run.registry, pipeline, workers, progress);
                if (sessions != null) streamSessions(c, sessions, run.registry, pipeline, workers, progress);
                if (pairs != null) streamPairs(c, pairs, run.registry, pipeline, workers, progress);
                workers.finish();
            }
            run.facts = files.finish();
        }
        run.c.commit();
        run.c.setAutoCommit(true);
    }

    /** Write the dataset card and manifest, then move the folder into place: published only when complete. */
    public void writeManifest(FinetuneRun run) throws Exception {
        FinetuneRequest request = run.request;
        ExamplePipeline pipeline = run.pipeline;
        run.training = TrainingEstimate.of(settings.epochs(), pipeline.train, pipeline.validation, pipeline.trainTokens,
                request.validationRatio());
        run.training.warnings().forEach(w -> LOG.warn("finetune: {}", w));
        run.manifest = manifest(run.exportId, request, run.filters, run.plan.redactor(), run.plan.encoding(), run.plan.maxTokens(),
                pipeline, run.facts, run.startedAt);
        run.manifest.put("training_estimate", run.training.describe());
        run.manifest.put("warnings", run.training.warnings());
        Files.writeString(run.temp.resolve("README.md"), DatasetCard.render(request.format(), run.filters,
                request.validationRatio(), run.plan.redactor().name(), run.plan.encoding(), run.plan.maxTokens(), pipeline, run.facts,
                run.training, settings.license()));
        Files.writeString(run.temp.resolve("_manifest.json"), MANIFEST.writeValueAsString(run.manifest));
        Files.move(run.temp, run.folder, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Record it: the exports row succeeded; the report. */
    public FinetuneReport record(FinetuneRun run) throws Exception {
        ExamplePipeline pipeline = run.pipeline;
        long millis = (System.nanoTime() - run.plan.startedNanos()) / 1_000_000;
        finishRow(run.c, run.exportId, pipeline.train + pipeline.validation, run.facts, run.manifest, run.folder);
        run.report = new FinetuneReport(run.exportId, run.folder.toString(), run.request.format(), pipeline.candidates, pipeline.train,
                pipeline.validation, pipeline.duplicates, new LinkedHashMap<>(pipeline.rejected), pipeline.replacements(),
                pipeline.tokens.describe(), run.facts, List.copyOf(pipeline.samples), millis, run.manifest, run.training);
        return run.report;
    }

    /** A step failed: the transaction rolled back, the hidden folder removed, the exports row failed with why; the failure goes on. */
    public void failed(FinetuneRun run, Exception e) throws Exception {
        if (run == null || run.exportId == null) throw e;
        Connection c = run.c;
        if (!c.getAutoCommit()) {
            Transactions.rollbackQuietly(c, e);
            c.setAutoCommit(true);
        }
        deleteQuietly(run.temp);
        ExportRows.fail(dataSource, c, run.exportId, e);
        throw e;
    }

    /** Whatever happened: the exports row let go and the connection back to the pool. */
    public void release(FinetuneRun run) throws SQLException {
        if (run == null || run.c == null) return;
        try (Connection c = run.c) {
            if (run.exportId != null) ExportRows.release(c, run.exportId);
        }
    }

    private static void streamTelemetry(Connection c, SourceQueries.Query q, Map<String, ArrayNode> registry,
                                        ExamplePipeline run, OrderedWorkers workers, Progress progress) throws SQLException, IOException {
        try (PreparedStatement ps = prepare(c, q); ResultSet rs = ps.executeQuery()) {
            List<ExampleBuilder.TelemetryRow> batch = new ArrayList<>(BATCH);
            while (rs.next()) {
                batch.add(new ExampleBuilder.TelemetryRow(rs.getString(1), rs.getString(2),
                        rs.getString(3), rs.getString(4), rs.getBytes(5), rs.getString(6), rs.getString(7), rs.getBytes(8)));
                if (batch.size() == BATCH) {
                    submitTelemetry(batch, registry, run, workers);
                    batch = new ArrayList<>(BATCH);
                    tick(progress, BATCH, run);
                }
            }
            if (!batch.isEmpty()) submitTelemetry(batch, registry, run, workers);
            progress.step(batch.size());
        }
    }

    private static void submitTelemetry(List<ExampleBuilder.TelemetryRow> rows, Map<String, ArrayNode> registry,
                                        ExamplePipeline run, OrderedWorkers workers) throws SQLException, IOException {
        workers.submit(() -> {
            List<ExamplePipeline.Prepared> out = new ArrayList<>(rows.size());
            for (ExampleBuilder.TelemetryRow row : rows) {
                try {
                    out.add(run.prepare(ExampleBuilder.telemetry(row, registry.get(row.systemPrompt()))));
                } catch (Rejected r) {
                    out.add(run.rejected(r, "agent_telemetry " + row.sourceId()));
                }
            }
            return out;
        });
    }

    private static void streamSessions(Connection c, SourceQueries.Query q, Map<String, ArrayNode> registry,
                                       ExamplePipeline run, OrderedWorkers workers, Progress progress) throws SQLException, IOException {
        try (PreparedStatement ps = prepare(c, q); ResultSet rs = ps.executeQuery()) {
            List<List<ExampleBuilder.SessionRow>> batch = new ArrayList<>();
            List<ExampleBuilder.SessionRow> session = new ArrayList<>();
            int rows = 0;
            while (rs.next()) {
                ExampleBuilder.SessionRow row = sessionRow(rs);
                if (!session.isEmpty() && !session.get(0).sessionId().equals(row.sessionId())) {
                    batch.add(session);
                    session = new ArrayList<>();
                    if (rows >= BATCH) {
                        submitSessions(batch, registry, run, workers);
                        batch = new ArrayList<>();
                        tick(progress, rows, run);
                        rows = 0;
                    }
                }
                session.add(row);
                rows++;
            }
            if (!session.isEmpty()) batch.add(session);
            if (!batch.isEmpty()) submitSessions(batch, registry, run, workers);
            progress.step(rows);
        }
    }

    private static ExampleBuilder.SessionRow sessionRow(ResultSet rs) throws SQLException {
        return new ExampleBuilder.SessionRow(rs.getString("session_id"), rs.getString("model"),
                rs.getInt("message_index"), rs.getString("role"), rs.getString("content"), rs.getString("reply_to"),
                (Long) rs.getObject("call_id"), rs.getString("tool_name"), rs.getString("parameters"),
                rs.getString("result_data"), rs.getString("result_error"), rs.getString("raw_calls"));
    }

    /** The preference pairs' sessions, a pair (both sides) at a time, prepared on the workers in batches. */
    private static void streamPairs(Connection c, SourceQueries.Query q, Map<String, ArrayNode> registry,
                                    ExamplePipeline run, OrderedWorkers workers, Progress progress) throws SQLException, IOException {
        try (PreparedStatement ps = prepare(c, q); ResultSet rs = ps.executeQuery()) {
            List<PreferencePair.Source> batch = new ArrayList<>();
            long pairNo = -1;
            String kind = null, inputKey = null, caseMessages = null, caseTools = null;
            String[] refs = new String[2];
            List<List<ExampleBuilder.SessionRow>> sides = List.of(new ArrayList<>(), new ArrayList<>());
            int rows = 0;
            while (true) {
                boolean more = rs.next();
                long no = more ? rs.getLong("pair_no") : -2;
                if (no != pairNo && pairNo != -1) {
                    batch.add(new PreferencePair.Source(pairNo, kind, inputKey, caseMessages, caseTools, refs[0], refs[1],
                            List.copyOf(sides.get(0)), List.copyOf(sides.get(1))));
                    sides.get(0).clear();
                    sides.get(1).clear();
                    if (rows >= BATCH || !more) {
                        submitPairs(batch, registry, run, workers);
                        batch = new ArrayList<>();
                        tick(progress, rows, run);
                        rows = 0;
                    }
                }
                if (!more) break;
                if (no != pairNo) {
                    pairNo = no;
                    kind = rs.getString("kind");
                    inputKey = rs.getString("input_key");
                    caseMessages = rs.getString("case_messages");
                    caseTools = rs.getString("case_tools");
                }
                int side = rs.getInt("side");
                refs[side] = rs.getString("ref");
                sides.get(side).add(sessionRow(rs));
                rows++;
            }
        }
    }

    private static void submitPairs(List<PreferencePair.Source> pairs, Map<String, ArrayNode> registry, ExamplePipeline run,
                                    OrderedWorkers workers) throws SQLException, IOException {
        workers.submit(() -> {
            List<ExamplePipeline.Prepared> out = new ArrayList<>(pairs.size());
            for (PreferencePair.Source source : pairs) {
                try {
                    out.add(run.preparePair(PreferencePair.of(source, registry)));
                } catch (Rejected r) {
                    out.add(run.rejected(r, source.where()));
                }
            }
            return out;
        });
    }

    private static void submitSessions(List<List<ExampleBuilder.SessionRow>> sessions, Map<String, ArrayNode> registry,
                                       ExamplePipeline run, OrderedWorkers workers) throws SQLException, IOException {
        workers.submit(() -> {
            List<ExamplePipeline.Prepared> out = new ArrayList<>();
            for (List<ExampleBuilder.SessionRow> session : sessions) {
                for (Object candidate : ExampleBuilder.session(session, registry)) {
                    out.add(candidate instanceof Rejected r ? run.rejected(r, "session " + session.get(0).sessionId())
                            : run.prepare((Example) candidate));
                }
            }
            return out;
        });
    }

    private static PreparedStatement prepare(Connection c, SourceQueries.Query q) throws SQLException {
        PreparedStatement ps = c.prepareStatement(q.sql(), ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
        ps.setFetchSize(FETCH);
        for (int i = 0; i < q.parameters().size(); i++) ps.setObject(i + 1, q.parameters().get(i));
        return ps;
    }

    /** The newest version's tools of every registered prompt that declares tools, by template text. */
    private static Map<String, ArrayNode> registryTools(Connection c) throws SQLException {
        Map<String, ArrayNode> out = new HashMap<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT DISTINCT ON (p.template) p.template, f.tools::text FROM prompts p JOIN registry_facts f "
                        + "ON f.config_type = 'prompt' AND f.config_id = p.id AND f.version = p.version "
                        + "WHERE f.tools IS NOT NULL ORDER BY p.template, p.version DESC")) {
            while (rs.next()) {
                ArrayNode tools = OpenAiShapes.registryTools(rs.getString(2));
                if (tools != null) out.put(rs.getString(1), tools);
            }
        }
        return out;
    }

    /** Progress on the log every few seconds. */
    /** Source rows read, with the examples written so far beside them (they lag: workers prepare them). */
    private static void tick(Progress progress, long rows, ExamplePipeline run) {
        progress.step(rows);
        progress.note(String.format("%,d examples written", run.train + run.validation));
    }

    private static long estimate(Connection c, SourceQueries.Query q) {
        return q == null ? 0 : PlannerEstimate.rows(c, q.sql(), q.parameters());
    }

    private Map<String, Object> manifest(long id, FinetuneRequest request, Map<String, Object> filters, Redactor redactor,
                                         String encoding, int maxTokens, ExamplePipeline run,
                                         List<SplitFiles.FileFacts> facts, OffsetDateTime startedAt) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("export_id", id);
        m.put("dataset", "finetune");
        m.put("format", request.format());
        m.put("filters", filters);
        m.put("validation_ratio", request.validationRatio());
        m.put("split", request.preferences() ? "sha256 of the input (test case or input messages)" : "sha256 of the conversation id");
        if (request.preferences()) m.put("pairs", run.pairs);
        m.put("files", facts);
        m.put("candidates", run.candidates);
        m.put("train", run.train);
        m.put("validation", run.validation);
        m.put("duplicates", run.duplicates);
        m.put("rejected", run.rejected);
        m.put("redaction", Map.of("profile", redactor.name(), "replacements", run.replacements()));
        m.put("tokenizer", encoding);
        m.put("max_tokens", maxTokens);
        m.put("tokens", run.tokens.describe());
        m.put("started_at", startedAt.toString());
        m.put("finished_at", OffsetDateTime.now(ZoneOffset.UTC).toString());
        return m;
    }

    private static void finishRow(Connection c, long id, long examples, List<SplitFiles.FileFacts> facts,
                                  Map<String, Object> manifest, Path folder) throws Exception {
        try (PreparedStatement ps = c.prepareStatement("""
                UPDATE exports SET status = 'succeeded', record_count = ?, bytes = ?, manifest = ?::jsonb, file_path = ?,
                       finished_at = now() WHERE id = ?""")) {
            ps.setLong(1, examples);
            ps.setLong(2, facts.stream().mapToLong(SplitFiles.FileFacts::bytes).sum());
            ps.setString(3, MANIFEST.writeValueAsString(manifest));
            ps.setString(4, folder.toString());
            ps.setLong(5, id);
            ps.executeUpdate();
        }
    }

    /**
     * Export ids count per database, so another database's dataset (or a database since replaced) may already
     * hold this name in the same output folder: refuse rather than mix the two.
     */
    static IllegalStateException collision(Path existing) {
        return new IllegalStateException(existing + " already exists, written by another database's export with the "
                + "same id; choose another --out folder (or move the old output away)");
    }

    private static void deleteQuietly(Path dir) {
        if (!Files.exists(dir)) return;
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a later run cleans hidden .inprogress folders up
        }
    }
}
