package dev.agentetl.prompts;

import dev.agentetl.importing.FileResult;
import dev.agentetl.importing.ImportReport;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Imports prompt files into the registry. A file whose behaviour hash equals the newest version's
 * writes nothing; otherwise it becomes a new immutable version, its front-matter labels move to it,
 * and every change gets a config_changelog row. One transaction per file; a bad file is reported
 * with its problems and does not stop the others.
 */
public final class PromptImporter {

    private final DataSource dataSource;

    public PromptImporter(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Prompt files, and the model / embedding configuration files of the same catalog. */
    public ImportReport importPrompts(ImportPromptsRequest request) throws SQLException {
        long started = System.nanoTime();
        List<CatalogFile> files = request.paths().isEmpty() ? CatalogFile.bundled()
                : CatalogFile.fromPaths(request.paths(), ".prompt", ConfigKind.MODEL.suffix, ConfigKind.EMBEDDING.suffix);
        List<FileResult> results = new ArrayList<>();
        try (Connection c = dataSource.getConnection()) {
            Map<String, String> newestHash = newestHashes(c);
            for (CatalogFile file : files) {
                long t0 = System.nanoTime();
                ConfigKind configKind = ConfigKind.of(file.source());
                if (configKind != null) {
                    results.add(ConfigImporter.importFile(c, file, configKind, request.dryRun(), request.actor()));
                    continue;
                }
                PromptDefinition def;
                try {
                    def = PromptFileParser.parse(file);
                } catch (CatalogException e) {
                    results.add(FileResult.rejected(file.source(), "prompt", 1, ms(t0), List.of(e.getMessage().split("\n"))));
                    continue;
                }
                if (def.contentHash().equals(newestHash.get(def.project() + ":" + def.name()))) {
                    // the common re-run case: no transaction, no write
                    results.add(new FileResult(file.source(), "prompt", 1, 0, 0, 1, 0, 0, ms(t0), List.of()));
                    continue;
                }
                results.add(importOne(c, def, request, t0));
            }
        }
        return new ImportReport("prompts", request.dryRun(), results, ms(started));
    }

    private FileResult importOne(Connection c, PromptDefinition def, ImportPromptsRequest request, long t0) throws SQLException {
        c.setAutoCommit(false);
        try {
            try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_xact_lock(hashtext(?))")) {
                lock.setString(1, "prompt:" + def.project() + ":" + def.name());
                lock.execute();
            }
            PromptVersions.Version newest = PromptVersions.newest(c, def.project(), def.name());
            FileResult result;
            if (newest != null && newest.contentHash().equals(def.contentHash())) {
                result = new FileResult(def.sourceFile(), "prompt", 1, 0, 0, 1, 0, 0, ms(t0), List.of());
            } else {
                int version = newest == null ? 1 : newest.version() + 1;
                long id = insert(c, def, version, request.actor());
                AuditLog.write(c, new AuditLog.Change("prompt", id, def.project() + ":" + def.name(),
                        newest == null ? null : newest.version(), version, newest == null ? "create" : "update",
                        (newest == null ? "created" : "new version") + " from " + def.sourceFile(),
                        newest == null ? null : newest.data(), def.auditData(), request.actor(), def.sourceFile()));
                for (String label : def.labels()) {
                    PromptLabels.move(c, def.project(), def.name(), label, id, version, request.actor(), def.sourceFile());
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

    private static long insert(Connection c, PromptDefinition def, int version, String actor) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO prompts (project, name, version, type, template, description, usage, model, parameters, tools,
                                     metadata, content_hash, source_file, created_by)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?::jsonb, ?, ?, ?) RETURNING id""")) {
            ps.setString(1, def.project());
            ps.setString(2, def.name());
            ps.setInt(3, version);
            ps.setString(4, def.type());
            ps.setString(5, def.template());
            ps.setString(6, def.description());
            ps.setString(7, def.usage());
            ps.setString(8, def.model());
            ps.setString(9, AuditLog.json(def.config()));
            ps.setString(10, AuditLog.json(def.tools()));
            ps.setString(11, AuditLog.json(def.metadata()));
            ps.setString(12, def.contentHash());
            ps.setString(13, def.sourceFile());
            ps.setString(14, actor);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static Map<String, String> newestHashes(Connection c) throws SQLException {
        Map<String, String> hashes = new HashMap<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT DISTINCT ON (project, name) project, name, content_hash FROM prompts ORDER BY project, name, version DESC")) {
            while (rs.next()) {
                hashes.put(rs.getString(1) + ":" + rs.getString(2), rs.getString(3));
            }
        }
        return hashes;
    }

    private static long ms(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }
}
