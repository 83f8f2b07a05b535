package dev.agentetl.db;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The groups' part of {@code migrate}: each group is looked for where it is configured. Tables that are
 * there are adopted as they are (checked against the seed's DDL, recorded, never changed); a group that is
 * absent is created there from its seed's DDL; a group that is only partly there is refused, naming the
 * tables it lacks, with nothing created. What was done is recorded in agent-etl's {@code group_installs}.
 */
public final class GroupInstaller {

    /** What migrate found or did for one group. */
    public record Outcome(Group group, String action, String detail, List<GroupInspector.Problem> problems) {
    }

    private final Layout layout;
    private final DataSources sources;

    public GroupInstaller(Layout layout, DataSources sources) {
        this.layout = layout;
        this.sources = sources;
    }

    public List<Outcome> installAll() {
        return installAll(false);
    }

    /** With {@code homeOnly}, the groups configured in other databases are left for {@code migrate}. */
    public List<Outcome> installAll(boolean homeOnly) {
        List<Outcome> out = new ArrayList<>();
        try (Connection home = sources.home().getConnection()) {
            // two migrates at once: the second waits, then finds every group in place
            try (Statement st = home.createStatement()) {
                st.execute("SELECT pg_advisory_lock(hashtext('agent-etl:install-groups'))");
            }
            try {
                for (Layout.Place place : layout.places()) {
                    if (homeOnly && !place.db().isHome()) continue;
                    out.add(install(home, place));
                }
            } finally {
                try (Statement st = home.createStatement()) {
                    st.execute("SELECT pg_advisory_unlock(hashtext('agent-etl:install-groups'))");
                }
            }
        } catch (SQLException e) {
            throw new DatabaseUnavailableException("cannot install the groups: " + e.getMessage(), e);
        }
        return out;
    }

    private Outcome install(Connection home, Layout.Place place) throws SQLException {
        Group g = place.group();
        if (g == Group.LEARNING && !place.db().isHome()) {
            throw new IllegalStateException("the learning group must live in the home database: its rows name the "
                    + "consolidation run that wrote them (agent-etl.learning.db.url is set)");
        }
        try (Connection c = place.db().isHome() ? null : sources.of(place.db()).getConnection()) {
            Connection target = c == null ? home : c;
            GroupInspector.Findings found = GroupInspector.inspect(target, place, false);
            List<GroupInspector.Problem> problems = new ArrayList<>(found.problems());
            switch (found.presence()) {
                case PARTIAL -> {
                    return new Outcome(g, "refused", place.describe() + " has only part of the group; missing: "
                            + String.join(", ", found.missingTables()) + " (nothing was created)", problems);
                }
                case ABSENT -> {
                    create(target, place);
                    if (place.db().isHome()) problems.addAll(Shadows.of(home, place));
                    record(home, place, "created", problems);
                    return new Outcome(g, "created", "in " + place.describe(), problems);
                }
                default -> {
                    if (place.db().isHome()) problems.addAll(Shadows.of(home, place));
                    String previous = recordedAction(home, layout.ownSchema(), place);
                    String action = previous != null ? previous : "adopted";
                    record(home, place, action, problems);
                    return new Outcome(g, action, place.describe() + (previous != null ? ""
                            : " (" + g.tables().size() + (g.tables().size() == 1 ? " table" : " tables") + " checked against " + g.origin() + ", left unchanged)"), problems);
                }
            }
        }
    }

    private void create(Connection c, Layout.Place place) throws SQLException {
        String ddl = ddl(place.group());
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try (Statement st = c.createStatement()) {
            st.execute("CREATE SCHEMA IF NOT EXISTS " + place.schema());
            // the DDL names tables without a schema: they land in the group's schema; agent-etl's own
            // (consolidation_runs, referenced by the learning tables) are found after it
            st.execute("SET LOCAL search_path TO " + place.schema()
                    + (place.db().isHome() ? ", " + layout.ownSchema() : ""));
            st.execute(ddl);
            c.commit();
        } catch (SQLException e) {
            c.rollback();
            throw new SQLException("cannot create the " + place.group().key() + " group in " + place.describe() + ": " + e.getMessage(), e);
        } finally {
            c.setAutoCommit(auto);
        }
    }

    static String ddl(Group g) {
        try (InputStream in = GroupInstaller.class.getResourceAsStream(g.ddlResource())) {
            if (in == null) throw new IllegalStateException("missing resource " + g.ddlResource());
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * What migrate recorded for the group at this place ({@code created} or {@code adopted}), or null: not
     * migrated yet, or recorded at another place (the configuration changed since).
     */
    public static String recordedAction(Connection home, String ownSchema, Layout.Place place) throws SQLException {
        try (PreparedStatement ps = home.prepareStatement(
                "SELECT action FROM " + ownSchema + ".group_installs WHERE group_name = ? AND schema_name = ? AND database = ?")) {
            ps.setString(1, place.group().key());
            ps.setString(2, place.schema());
            ps.setString(3, place.db().describe());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    private void record(Connection home, Layout.Place place, String action, List<GroupInspector.Problem> problems) throws SQLException {
        try (PreparedStatement ps = home.prepareStatement("INSERT INTO " + layout.ownSchema() + ".group_installs "
                + "(group_name, schema_name, database, action, problems) VALUES (?, ?, ?, ?, ?) "
                + "ON CONFLICT (group_name) DO UPDATE SET schema_name = EXCLUDED.schema_name, database = EXCLUDED.database, "
                + "action = EXCLUDED.action, problems = EXCLUDED.problems, checked_at = now()")) {
            ps.setString(1, place.group().key());
            ps.setString(2, place.schema());
            ps.setString(3, place.db().describe());
            ps.setString(4, action);
            ps.setString(5, problems.isEmpty() ? null
                    : problems.stream().map(GroupInspector.Problem::toString).collect(Collectors.joining("\n")));
            ps.executeUpdate();
        }
    }
}
