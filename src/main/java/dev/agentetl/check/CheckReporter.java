package dev.agentetl.check;

import dev.agentetl.db.DataSources;
import dev.agentetl.db.GroupInspector;
import dev.agentetl.db.Layout;
import dev.agentetl.db.SchemaMigrator;
import dev.agentetl.runtime.AppConfig;
import dev.agentetl.app.JobRequirements;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code check} job: for every group, where it is, whether agent-etl adopted or created it (or it is
 * absent or partial), shape problems against the seed's DDL, row counts, values outside the seeds' lists;
 * and which jobs can run. Reads only, in every database.
 */
public final class CheckReporter {

    /** Jobs listed by check, in the order a user meets them. */
    private static final List<String> JOBS = List.of("import-prompts", "import-rules", "prompts-list", "refresh-stats",
            "insights", "report", "finetune", "consolidate", "generate", "ingest", "export-snapshots", "import-inbox");

    private final DataSources sources;
    private final SchemaMigrator migrator;
    private final JobRequirements requirements;
    private final AppConfig config;

    public CheckReporter(DataSources sources, SchemaMigrator migrator, JobRequirements requirements, AppConfig config) {
        this.sources = sources;
        this.migrator = migrator;
        this.requirements = requirements;
        this.config = config;
    }

    public CheckReport check() throws SQLException {
        Layout layout = sources.layout();
        String notReady = migrator.notReadyReason();
        List<CheckReport.GroupState> groups = new ArrayList<>();
        for (Layout.Place place : layout.places()) {
            groups.add(inspect(place, notReady == null ? recorded(layout, place) : null));
        }
        Map<String, List<String>> jobs = new LinkedHashMap<>();
        for (String job : JOBS) {
            jobs.put(job, requirements.missing(job));
        }
        return new CheckReport(layout.ownSchema(), notReady == null ? "migrated, version " + migrator.currentVersion() : notReady,
                groups, jobs, configuredJobs());
    }

    /** {@code recorded}: what migrate recorded for the group at its configured place, or null. */
    private CheckReport.GroupState inspect(Layout.Place place, String recorded) {
        String key = place.group().key();
        List<String> problems = new ArrayList<>();
        List<String> unlisted = new ArrayList<>();
        try (Connection c = sources.of(place.db()).getConnection()) {
            GroupInspector.Findings f = GroupInspector.inspect(c, place, true);
            f.problems().forEach(p -> problems.add(p.toString()));
            String state = switch (f.presence()) {
                case ABSENT -> "absent";
                case PARTIAL -> "partial";
                case PRESENT -> recorded == null ? "present (not adopted yet: run migrate)" : recorded;
            };
            if (f.presence() == GroupInspector.Presence.PRESENT) {
                for (ValueLists.ValueList list : ValueLists.ALL) {
                    if (list.group() == place.group()) unlisted.addAll(unlisted(c, place, list));
                }
            }
            return new CheckReport.GroupState(key, place.group().origin(), place.describe(), state, problems, f.rows(), unlisted);
        } catch (SQLException | RuntimeException e) {
            problems.add("cannot read: " + e.getMessage());
            return new CheckReport.GroupState(key, place.group().origin(), place.describe(), "unreachable", problems, Map.of(), unlisted);
        }
    }

    private static List<String> unlisted(Connection c, Layout.Place place, ValueLists.ValueList list) throws SQLException {
        List<String> out = new ArrayList<>();
        String sql = list.sql().replace(" FROM " + list.table(), " FROM " + place.schema() + "." + list.table());
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            List<String> params = list.parameters();
            for (int i = 0; i < params.size(); i++) ps.setString(i + 1, params.get(i));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(list.table() + "." + list.column() + " = '" + rs.getString(1) + "' (" + rs.getLong(2) + " rows)");
                }
            }
        } catch (SQLException e) {
            // a column of another type than the seed's is already a shape problem
        }
        return out;
    }

    private String recorded(Layout layout, Layout.Place place) throws SQLException {
        try (Connection c = sources.home().getConnection()) {
            return dev.agentetl.db.GroupInstaller.recordedAction(c, layout.ownSchema(), place);
        }
    }

    /** The jobs the configuration schedules for {@code run}. */
    private List<String> configuredJobs() {
        return new ArrayList<>(dev.agentetl.schedule.ScheduledJob.enabledJobs(config));
    }
}
