package dev.agentetl.status;

import dev.agentetl.db.Database;
import dev.agentetl.db.SchemaMigrator;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds the {@code status} report: database in use, schema version, rows per table group, last runs. */
public final class StatusReporter {

    private final DataSource dataSource;
    private final Database database;
    private final SchemaMigrator migrator;

    public StatusReporter(DataSource dataSource, Database database, SchemaMigrator migrator) {
        this.dataSource = dataSource;
        this.database = database;
        this.migrator = migrator;
    }

    public StatusReport report() throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            Map<String, Map<String, Long>> groups = new LinkedHashMap<>();
            for (Map.Entry<String, List<String>> g : TableGroups.GROUPS.entrySet()) {
                Map<String, Long> counts = new LinkedHashMap<>();
                for (String table : g.getValue()) {
                    try (ResultSet rs = st.executeQuery("SELECT count(*) FROM " + table)) {
                        rs.next();
                        counts.put(table, rs.getLong(1));
                    }
                }
                groups.put(g.getKey(), counts);
            }
            List<StatusReport.LastRun> runs = new ArrayList<>();
            try (ResultSet rs = st.executeQuery("""
                    SELECT DISTINCT ON (job) job, status, started_at, duration_ms, rows_written, error
                    FROM job_runs ORDER BY job, started_at DESC""")) {
                while (rs.next()) {
                    runs.add(new StatusReport.LastRun(rs.getString(1), rs.getString(2), rs.getObject(3, OffsetDateTime.class),
                            (Long) rs.getObject(4), (Long) rs.getObject(5), rs.getString(6)));
                }
            }
            return new StatusReport(database.describe(), migrator.currentVersion(), migrator.pendingCount(), groups, runs);
        }
    }
}
