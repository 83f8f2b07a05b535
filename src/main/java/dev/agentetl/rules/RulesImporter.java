package dev.agentetl.rules;

import dev.agentetl.importing.FileResult;
import dev.agentetl.importing.ImportReport;
import dev.agentetl.prompts.AuditLog;
import dev.agentetl.prompts.CatalogException;

import javax.sql.DataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Imports rules CSV files. Each file is the desired state of its table: a new row is created, a changed
 * row gets a new version (the old one is deactivated), an unchanged row is left alone and a row missing
 * from the file is deactivated, each change with a changelog row. One transaction per file: a bad
 * file changes nothing, and the other files are still imported. Its steps are those of the import-rules route;
 * an import's state travels between them in a {@link RulesImportRun}.
 */
public final class RulesImporter {

    private final DataSource dataSource;
    private final dev.agentetl.importing.ConfigChangeEvents events;

    public RulesImporter(DataSource dataSource) {
        this(dataSource, dev.agentetl.importing.ConfigChangeEvents.NONE);
    }

    public RulesImporter(DataSource dataSource, dev.agentetl.importing.ConfigChangeEvents events) {
        this.dataSource = dataSource;
        this.events = events;
    }

    // ---- The steps of the import-rules route (routes/import.camel.yaml), in their order. Each file is one transaction.

    /** The files to import, or with none the bundled samples (as `import prompts` with no path imports the bundled catalog). */
    public RulesImportRun begin(ImportRulesRequest request) {
        RulesImportRun run = new RulesImportRun(request);
        if (request.files().isEmpty()) run.sources.addAll(RulesCsvReader.bundled());
        run.sources.addAll(request.files());
        return run;
    }

    /** Read and parse file {@code index} of the import; a file that cannot be read or parsed is rejected with its problems. */
    public void read(RulesImportRun run, int index) {
        run.currentStarted = System.nanoTime();
        Object source = run.sources.get(index);
        if (source instanceof Path file) {
            Object read = readFile(file, run.currentStarted);
            run.current = read instanceof RulesFile rules ? rules : null;
            if (read instanceof FileResult rejected) run.results.add(rejected);
        } else {
            run.current = RulesCsvReader.readBundled((String) source);
        }
    }

    /** Sync the file in hand with its table, in one transaction (validated there: a header-only file is refused). */
    public void sync(RulesImportRun run) {
        run.results.add(importRead(run.current, run.request, run.currentStarted));
        run.current = null;
    }

    /** The import's report. */
    public ImportReport report(RulesImportRun run) {
        return new ImportReport("rules", run.request.dryRun(), run.results, (System.nanoTime() - run.started) / 1_000_000);
    }

    /** One file, read, parsed and synced (the inbox's step for a rules file). */
    public FileResult importFile(Path file, ImportRulesRequest request) throws SQLException {
        long t0 = System.nanoTime();
        Object read = readFile(file, t0);
        return read instanceof RulesFile rules ? importRead(rules, request, t0) : (FileResult) read;
    }

    /** The file read and parsed, or its rejection. */
    private static Object readFile(Path file, long t0) {
        try {
            if (!java.nio.file.Files.isRegularFile(file)) {
                throw new CatalogException(file + ": no such file");
            }
            return RulesCsvReader.read(file);
        } catch (CatalogException e) {
            List<String> problems = List.of(e.getMessage().split("\n"));
            return FileResult.rejected(file.toString(), "rules", problems.size(), ms(t0), problems);
        } catch (java.io.UncheckedIOException e) {
            return FileResult.rejected(file.toString(), "rules", 1, ms(t0), List.of(file + ": cannot be read: " + e.getMessage()));
        }
    }

    private FileResult importRead(RulesFile rules, ImportRulesRequest request, long t0) {
        try {
            FileResult result = sync(rules, request, t0);
            events.imported("rules", result, request.dryRun(), request.actor());
            return result;
        } catch (SQLException e) {
            // the file's transaction is rolled back: it changed nothing, and the next files are still imported
            return FileResult.rejected(rules.source(), rules.kind().table(), rules.rows().size(), ms(t0),
                    List.of(rules.source() + ": not imported, the database refused it: " + dev.agentetl.importing.DatabaseRefusal.reason(e)));
        }
    }

    private FileResult sync(RulesFile rules, ImportRulesRequest request, long t0) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                // one import of a table at a time: the desired-state sync reads the table, then writes; and the
                // seed layout has no unique index keeping one active version per context (the app's table
                // may be the one written, and agent-etl adds nothing to it)
                try (var lock = c.prepareStatement("SELECT pg_advisory_xact_lock(hashtext(?))")) {
                    lock.setString(1, "rules:" + rules.kind().table());
                    lock.execute();
                }
                RuleSync sync = rules.kind() == RuleKind.CONTEXT_RULES
                        ? new ContextRuleSync(c, request.actor(), rules.source())
                        : new NegateKeySync(c, request.actor(), rules.source());
                RuleSync.Counts counts = sync.apply(rules.rows());
                if (rules.rows().isEmpty() && !request.allowEmpty()) {
                    // a header-only file is a desired state of nothing: only on request, never by accident
                    // (a truncated download, an export of an empty query)
                    c.rollback();
                    return FileResult.rejected(rules.source(), rules.kind().table(), 0, ms(t0), List.of(rules.source()
                            + ": no rows, only a header: importing it would deactivate all " + counts.deactivated()
                            + " active " + rules.kind().table() + "; nothing changed (pass --allow-empty to empty the table)"));
                }
                if (request.dryRun()) c.rollback(); else c.commit();
                return new FileResult(rules.source(), rules.kind().table(), rules.rows().size(), counts.created(),
                        counts.updated(), counts.unchanged(), counts.deactivated(), 0, ms(t0), List.of());
            } catch (SQLException | RuntimeException e) {
                dev.agentetl.db.Transactions.rollbackQuietly(c, e);
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    private static long ms(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }

    /** Used by the syncs to audit their changes. */
    static void audit(Connection c, String table, long id, String name, Integer previousVersion, int newVersion, String type,
                      Object previous, Object next, String actor, String source) throws SQLException {
        AuditLog.write(c, new AuditLog.Change(table, id, name, previousVersion, newVersion, type,
                type + " from " + source, previous, next, actor));
    }
}
