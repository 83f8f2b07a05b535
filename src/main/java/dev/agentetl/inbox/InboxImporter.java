package dev.agentetl.inbox;

import dev.agentetl.importing.FileResult;
import dev.agentetl.importing.ImportReport;
import dev.agentetl.prompts.ImportPromptsRequest;
import dev.agentetl.prompts.PromptImporter;
import dev.agentetl.rules.ImportRulesRequest;
import dev.agentetl.rules.RulesImporter;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Imports the files dropped into the inbox folder: {@code *.prompt} into the prompt registry and
 * {@code *.csv} into the rules tables. The file component does the file handling (route {@code inbox-files} in
 * routes/import.camel.yaml): it picks up settled files (read lock {@code changed}, agent-etl.inbox.settle-ms),
 * skips names starting with '.', moves a file that imports to {@code .done/} and one with problems to
 * {@code .error/} ({@code moveFailed}), and takes a file again only once it changed (idempotent on name, size and
 * modification time). This class is the route's step ({@link #importFile}), which writes
 * {@code <file>.error.txt}, and the {@code import inbox} job ({@link #drain}): one poll of that route, then the
 * report, naming the files left for the next run because they were still being written.
 */
public final class InboxImporter implements org.apache.camel.spi.PollingConsumerPollStrategy {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(InboxImporter.class);

    /** The file route of the inbox. */
    public static final String ROUTE = "inbox-files";

    private final PromptImporter prompts;
    private final RulesImporter rules;
    private final Path inbox;
    private final long settleMs;
    /** The files the current drain imported or rejected; null when no drain runs. */
    private volatile List<FileResult> draining;
    private volatile java.util.concurrent.CountDownLatch polled = new java.util.concurrent.CountDownLatch(1);

    public InboxImporter(PromptImporter prompts, RulesImporter rules, Path inbox, long settleMs) {
        this.prompts = prompts;
        this.rules = rules;
        this.inbox = inbox;
        this.settleMs = settleMs;
    }

    /**
     * {@code import inbox}: one poll of the inbox route (started for it unless the inbox is watched), then what it
     * imported, what it set aside, and what it left.
     */
    public synchronized ImportReport drain(org.apache.camel.Exchange exchange) throws Exception {
        org.apache.camel.CamelContext context = exchange.getContext();
        long started = System.nanoTime();
        List<FileResult> results = java.util.Collections.synchronizedList(new ArrayList<>());
        draining = results;
        boolean watched = context.getRouteController().getRouteStatus(ROUTE).isStarted();
        try {
            if (Files.isDirectory(inbox)) {
                // a watched route may be half-way through a poll: the drain waits for the next whole one
                polled = new java.util.concurrent.CountDownLatch(watched ? 2 : 1);
                if (!watched) context.getRouteController().startRoute(ROUTE);
                // a poll takes every settled file, each waited for at most settle-ms; a watched route polls every 2 s
                if (!polled.await(Math.max(60_000, settleMs * 20), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                    throw new IllegalStateException("the inbox was not read within " + Math.max(60_000, settleMs * 20) / 1000 + " s");
                }
            }
        } finally {
            draining = null;
            if (!watched) context.getRouteController().stopRoute(ROUTE);
        }
        List<String> left = new ArrayList<>();
        if (Files.isDirectory(inbox)) {
            try (Stream<Path> list = Files.list(inbox)) {
                list.filter(InboxImporter::accepted).sorted().forEach(f -> left.add(f.getFileName()
                        + " (still being written: its size or modification time changed within the last " + settleMs
                        + " ms, agent-etl.inbox.settle-ms)"));
            }
        }
        List<FileResult> files;
        synchronized (results) {
            files = new ArrayList<>(results);
        }
        return new ImportReport("inbox " + inbox, false, files, (System.nanoTime() - started) / 1_000_000, left);
    }

    // The poll strategy of the inbox route: a drain ends when a poll has handled every file it took.

    @Override
    public boolean begin(org.apache.camel.Consumer consumer, org.apache.camel.Endpoint endpoint) {
        return true;
    }

    @Override
    public void commit(org.apache.camel.Consumer consumer, org.apache.camel.Endpoint endpoint, int polledMessages) {
        polled.countDown();
    }

    @Override
    public boolean rollback(org.apache.camel.Consumer consumer, org.apache.camel.Endpoint endpoint, int retryCounter, Exception cause) {
        polled.countDown();
        return false;
    }

    /**
     * The file route's step: imports one file; on problems writes the error report and throws, so the
     * file consumer moves the file to .error (and to .done otherwise).
     */
    public FileResult importFile(File file) throws IOException, SQLException {
        FileResult result;
        try {
            result = importOne(file.toPath());
        } catch (IOException | SQLException | RuntimeException e) {
            LOG.warn("{} not imported, moved to .error/: {}", file.getName(), dev.agentetl.runtime.Errors.oneLine(e));
            throw e;
        }
        List<FileResult> d = draining;
        if (d != null) d.add(result);
        if (!result.problems().isEmpty()) {
            // one line per set-aside file (Camel's own rollback line is turned down, see application.properties); in
            // import inbox the job's report names it, and its failure line is that line
            if (d == null) LOG.warn("{} rejected, moved to .error/ ({} problem(s) in .error/{}.error.txt), first: {}", file.getName(),
                    result.problems().size(), file.getName(), result.problems().get(0));
            throw new IllegalArgumentException(file.getName() + " rejected: " + result.problems().get(0));
        }
        return result;
    }

    static boolean accepted(Path p) {
        String name = p.getFileName().toString();
        return Files.isRegularFile(p) && !name.startsWith(".") && (name.endsWith(".prompt") || name.endsWith(".csv"));
    }

    private FileResult importOne(Path file) throws IOException, SQLException {
        String actor = "inbox";
        FileResult result;
        if (file.getFileName().toString().endsWith(".prompt")) {
            ImportReport report = prompts.importPrompts(new ImportPromptsRequest(List.of(file), false, actor));
            result = report.files().get(0);
        } else {
            result = rules.importFile(file, new ImportRulesRequest(List.of(file), false, actor));
        }
        Path report = inbox.resolve(".error").resolve(file.getFileName() + ".error.txt");
        if (!result.problems().isEmpty()) {
            Files.createDirectories(report.getParent());
            Files.writeString(report, String.join("\n", result.problems()) + "\n", StandardCharsets.UTF_8);
        } else {
            // a fixed file that imports clears the report of an earlier failure
            Files.deleteIfExists(report);
        }
        return result;
    }

}
