package dev.agentetl.prompts;

import dev.agentetl.importing.FileResult;
import dev.agentetl.importing.ImportReport;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Imports prompt files into the registry. A file whose behaviour hash equals the newest version's
 * writes nothing; otherwise it becomes a new immutable version, its front-matter labels move to it,
 * and every change gets a config_changelog row. One transaction per file; a bad file is reported
 * with its problems and does not stop the others. The registry rows get agent-loggy's columns only;
 * hash, tools, metadata and source file go to agent-etl's registry_facts, in the same transaction.
 */
public final class PromptImporter {

    private final DataSource dataSource;
    private final long maxFileBytes;
    private final dev.agentetl.importing.ConfigChangeEvents events;

    public PromptImporter(DataSource dataSource) {
        this(dataSource, CatalogFile.DEFAULT_MAX_BYTES);
    }

    /** @param maxFileBytes larger prompt and configuration files are refused (agent-etl.import.max-prompt-bytes) */
    public PromptImporter(DataSource dataSource, long maxFileBytes) {
        this(dataSource, maxFileBytes, dev.agentetl.importing.ConfigChangeEvents.NONE);
    }

    public PromptImporter(DataSource dataSource, long maxFileBytes, dev.agentetl.importing.ConfigChangeEvents events) {
        this.dataSource = dataSource;
        this.maxFileBytes = maxFileBytes;
        this.events = events;
    }

    /**
     * Prompt files, and the model / embedding configuration files of the same catalog: the steps of the
     * import-prompts route, in their order (the inbox imports its files through here). Every prompt file is
     * read and checked before anything is written: a prompt defined by two files of one import is refused in
     * both (which would win would depend on the order the files were found in).
     */
    public ImportReport importPrompts(ImportPromptsRequest request) throws SQLException {
        PromptImportRun run = readFiles(request);
        parse(run);
        checkDuplicates(run);
        sync(run);
        return record(run);
    }

    /** Read the files: the request's paths (folders walked, each file at most agent-etl.import.max-prompt-bytes), or the bundled catalog. */
    public PromptImportRun readFiles(ImportPromptsRequest request) {
        List<CatalogFile> files = request.paths().isEmpty() ? CatalogFile.bundled()
                : CatalogFile.fromPaths(request.paths(), maxFileBytes, ".prompt", ConfigKind.MODEL.suffix, ConfigKind.EMBEDDING.suffix);
        return new PromptImportRun(request, files);
    }

    /** Parse each prompt file; a file that cannot be read or parsed is rejected with its problems (line numbers). */
    public void parse(PromptImportRun run) {
        for (int i = 0; i < run.files.size(); i++) {
            CatalogFile file = run.files.get(i);
            long t0 = System.nanoTime();
            ConfigKind configKind = ConfigKind.of(file.source());
            if (file.problem() != null) {
                run.results[i] = FileResult.rejected(file.source(), configKind != null ? configKind.auditType : "prompt", 1, ms(t0),
                        List.of(file.problem()));
            } else if (configKind == null) {
                try {
                    run.defs[i] = PromptFileParser.parse(file);
                    run.byPrompt.computeIfAbsent(run.defs[i].project() + ":" + run.defs[i].name(), k -> new ArrayList<>()).add(i);
                } catch (CatalogException e) {
                    run.results[i] = FileResult.rejected(file.source(), "prompt", 1, ms(t0), List.of(e.getMessage().split("\n")));
                }
            }
        }
    }

    /** Validate the import as a whole: a prompt defined by two of its files is refused in both. */
    public void checkDuplicates(PromptImportRun run) {
        for (List<Integer> same : run.byPrompt.values()) {
            if (same.size() < 2) continue;
            for (int i : same) {
                List<String> others = same.stream().filter(j -> j != i).map(j -> run.files.get(j).source()).toList();
                PromptDefinition def = run.defs[i];
                run.results[i] = FileResult.rejected(run.files.get(i).source(), "prompt", 1, 0, List.of(run.files.get(i).source()
                        + ": prompt '" + def.name() + "'" + ("default".equals(def.project()) ? "" : " of project '" + def.project() + "'")
                        + " is also defined in " + String.join(", ", others) + "; an import takes one file per prompt"));
                run.defs[i] = null;
            }
        }
    }

    /**
     * Sync each file with the registry, one transaction each: a new version when its content changed, its labels
     * moved, audited; an unchanged prompt writes nothing. A file the database refuses is rejected, the others go on.
     */
    public void sync(PromptImportRun run) throws SQLException {
        ImportPromptsRequest request = run.request;
        try (Connection c = dataSource.getConnection()) {
            Map<String, String> newestHash = PromptVersions.newestHashes(c);
            for (int i = 0; i < run.files.size(); i++) {
                if (run.results[i] != null) continue;
                CatalogFile file = run.files.get(i);
                long t0 = System.nanoTime();
                ConfigKind configKind = ConfigKind.of(file.source());
                try {
                    if (configKind != null) {
                        run.results[i] = ConfigImporter.importFile(c, file, configKind, request.dryRun(), request.actor());
                        continue;
                    }
                    PromptDefinition def = run.defs[i];
                    if (def.contentHash().equals(newestHash.get(def.project() + ":" + def.name()))) {
                        // the common re-run case: no transaction, no write
                        run.results[i] = new FileResult(file.source(), "prompt", 1, 0, 0, 1, 0, 0, ms(t0), List.of());
                        continue;
                    }
                    run.results[i] = importOne(c, def, request, t0);
                } catch (SQLException e) {
                    // the file's transaction is rolled back; the other files are still imported
                    run.results[i] = FileResult.rejected(file.source(), configKind != null ? configKind.auditType : "prompt", 1, ms(t0),
                            List.of(file.source() + ": not imported, the database refused it: "
                                    + dev.agentetl.importing.DatabaseRefusal.reason(e)));
                }
            }
        }
    }

    /** Record the import: its report, and the changes as config_change system events. */
    public ImportReport record(PromptImportRun run) {
        ImportReport report = new ImportReport("prompts", run.request.dryRun(), List.of(run.results), ms(run.started));
        events.imported(report, run.request.actor());
        return report;
    }

    private FileResult importOne(Connection c, PromptDefinition def, ImportPromptsRequest request, long t0) throws SQLException {
        c.setAutoCommit(false);
        try {
            RegistryLabels.Owner owner = RegistryLabels.Owner.prompt(def.project(), def.name());
            owner.lock(c);
            PromptVersions.Version newest = PromptVersions.newest(c, def.project(), def.name());
            FileResult result;
            if (newest != null && newest.contentHash().equals(def.contentHash())) {
                result = new FileResult(def.sourceFile(), "prompt", 1, 0, 0, 1, 0, 0, ms(t0), List.of());
            } else {
                int version = newest == null ? 1 : newest.version() + 1;
                long id = insert(c, def, version, request.actor());
                RegistryFacts.record(c, "prompt", id, owner.changelogName(), version, def.contentHash(), def.sourceFile(),
                        def.tools(), def.metadata(), request.actor());
                AuditLog.write(c, new AuditLog.Change("prompt", id, owner.changelogName(),
                        newest == null ? null : newest.version(), version, newest == null ? "create" : "update",
                        (newest == null ? "created" : "new version") + " from " + def.sourceFile(),
                        newest == null ? null : newest.data(), def.auditData(), request.actor()));
                for (String label : def.labels()) {
                    RegistryLabels.move(c, owner, label, id, version, request.actor(), def.sourceFile());
                }
                result = new FileResult(def.sourceFile(), "prompt", 1, newest == null ? 1 : 0, newest == null ? 0 : 1,
                        0, 0, 0, ms(t0), List.of());
            }
            if (request.dryRun()) c.rollback(); else c.commit();
            return result;
        } catch (SQLException | RuntimeException e) {
            dev.agentetl.db.Transactions.rollbackQuietly(c, e);
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }

    /**
     * A new version, with agent-loggy's columns only (tools, metadata, hash and file go to registry_facts);
     * active, so the app's {@code ... AND is_active} finds it; labels are added by the moves that follow;
     * the embedding is never written (pgvector's type in the app's database).
     */
    private static long insert(Connection c, PromptDefinition def, int version, String actor) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO prompts (project, name, version, type, template, description, usage, model, parameters, is_active,
                                     created_by)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, true, ?) RETURNING id""")) {
            ps.setString(1, def.project());
            ps.setString(2, def.name());
            ps.setInt(3, version);
            ps.setString(4, def.type());
            ps.setString(5, def.template());
            ps.setString(6, def.description());
            ps.setString(7, def.usage());
            ps.setString(8, def.model());
            ps.setString(9, AuditLog.json(def.config()));
            ps.setString(10, AuditLog.fit(actor, 100));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static long ms(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }
}
