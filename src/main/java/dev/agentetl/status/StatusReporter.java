package dev.agentetl.status;

import dev.agentetl.db.DataSources;
import dev.agentetl.db.Database;
import dev.agentetl.db.GroupInspector;
import dev.agentetl.db.Layout;
import dev.agentetl.db.SchemaMigrator;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the {@code status} report: database in use, schema version, rows per group where each group is,
 * last runs. Reads only: on a database agent-etl never migrated it reports what is missing and creates nothing.
 */
public final class StatusReporter {

    private static final List<String> BOOKKEEPING = List.of("job_runs", "consolidation_runs", "consolidation_tables",
            "consolidation_rejects", "export_watermarks");

    private final DataSources sources;
    private final Database database;
    private final SchemaMigrator migrator;

    public StatusReporter(DataSources sources, Database database, SchemaMigrator migrator) {
        this.sources = sources;
        this.database = database;
        this.migrator = migrator;
    }

    public StatusReport report() throws SQLException {
        Layout layout = sources.layout();
        Map<String, Map<String, Long>> groups = new LinkedHashMap<>();
        List<String> notes = new ArrayList<>();
        for (Layout.Place place : layout.places()) {
            try (Connection c = sources.of(place.db()).getConnection()) {
                GroupInspector.Findings f = GroupInspector.inspect(c, place, true);
                String name = place.group().key() + " (" + place.schema() + (place.db().isHome() ? "" : ", " + place.db().describe()) + ")";
                groups.put(name, f.rows());
                if (f.presence() != GroupInspector.Presence.PRESENT) {
                    notes.add(place.group().key() + ": " + (f.presence() == GroupInspector.Presence.ABSENT ? "not there"
                            : "missing " + String.join(", ", f.missingTables())) + " in " + place.describe());
                }
            } catch (SQLException | RuntimeException e) {
                notes.add(place.group().key() + ": cannot read " + place.describe() + ": " + e.getMessage());
            }
        }
        List<StatusReport.LastRun> runs = new ArrayList<>();
        boolean ready = migrator.notReadyReason() == null;
        if (ready) {
            try (Connection c = sources.home().getConnection(); Statement st = c.createStatement()) {
                Map<String, Long> own = new LinkedHashMap<>();
                for (String table : BOOKKEEPING) {
                    try (ResultSet rs = st.executeQuery("SELECT count(*) FROM " + layout.ownSchema() + "." + table)) {
                        rs.next();
                        own.put(table, rs.getLong(1));
                    }
                }
                groups.put("agent-etl (" + layout.ownSchema() + ")", own);
                try (ResultSet rs = st.executeQuery("SELECT DISTINCT ON (job) job, status, started_at, duration_ms, rows_written, error FROM "
                        + layout.ownSchema() + ".job_runs ORDER BY job, started_at DESC")) {
                    while (rs.next()) {
                        runs.add(new StatusReport.LastRun(rs.getString(1), rs.getString(2), rs.getObject(3, OffsetDateTime.class),
                                (Long) rs.getObject(4), (Long) rs.getObject(5), rs.getString(6)));
                    }
                }
            }
        } else {
            notes.add(migrator.notReadyReason());
        }
        return new StatusReport(database.describe(), migrator.currentVersion(), migrator.pendingCount(), groups, runs, notes);
    }
}
