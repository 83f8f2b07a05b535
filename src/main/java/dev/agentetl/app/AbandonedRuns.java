package dev.agentetl.app;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Marks {@code abandoned} the running job_runs and exports rows no live session holds (see {@link RunLiveness}):
 * their process was killed or stopped, or lost its connection, before it could record how the run ended. Each
 * gets when it was found ({@code abandoned_at}) and why ({@code error}). Every command does this at its start and
 * every {@code run} node at each check-in, so a dead run is never shown or counted as running.
 * <p>
 * A process still alive whose session was cut (its run marked abandoned meanwhile) records the run's real end
 * when it finishes; {@code abandoned_at} stays as the trace of the gap.
 */
public final class AbandonedRuns {

    private AbandonedRuns() {
    }

    /** What was marked: one line per run. */
    public record Marked(List<String> runs) {
        public boolean isEmpty() {
            return runs.isEmpty();
        }
    }

    /**
     * @param ownSchema agent-etl's schema (job_runs and exports are named with it)
     * @param foundBy   who looked, for the reason: e.g. "status on 123@host"
     */
    public static Marked mark(Connection c, String ownSchema, String foundBy) throws SQLException {
        List<String> marked = new ArrayList<>();
        String host = hostOf(JobRunPolicy.NODE);
        List<Object[]> jobs = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id, job, node FROM " + ownSchema + ".job_runs r "
                + "WHERE r.status = 'running' AND NOT " + RunLiveness.held(RunLiveness.JOB_RUN_LOCK, "r.id") + " ORDER BY id");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) jobs.add(new Object[]{rs.getLong(1), rs.getString(2), rs.getString(3)});
        }
        for (Object[] j : jobs) {
            String why = "abandoned: " + gone((String) j[2], host) + "; found by " + foundBy;
            // the lock is looked at again in the UPDATE: a run recorded as finished meanwhile keeps its status
            try (PreparedStatement ps = c.prepareStatement("UPDATE " + ownSchema + ".job_runs r SET status = 'abandoned', "
                    + "abandoned_at = clock_timestamp(), error = ? WHERE r.id = ? AND r.status = 'running' AND NOT "
                    + RunLiveness.held(RunLiveness.JOB_RUN_LOCK, "r.id"))) {
                ps.setString(1, why);
                ps.setLong(2, (Long) j[0]);
                if (ps.executeUpdate() == 1) marked.add("job run " + j[0] + " (" + j[1] + "): " + why);
            }
        }
        List<Object[]> exports = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id, dataset, export_type FROM " + ownSchema + ".exports e "
                + "WHERE e.status = 'running' AND NOT " + RunLiveness.held(RunLiveness.EXPORT_LOCK, "e.id") + " ORDER BY id");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) exports.add(new Object[]{rs.getLong(1), rs.getString(2), rs.getString(3)});
        }
        for (Object[] e : exports) {
            String why = "abandoned: the database session exporting it is gone (its process was killed or stopped, or lost "
                    + "its connection); found by " + foundBy;
            try (PreparedStatement ps = c.prepareStatement("UPDATE " + ownSchema + ".exports e SET status = 'abandoned', "
                    + "abandoned_at = clock_timestamp(), error = ? WHERE e.id = ? AND e.status = 'running' AND NOT "
                    + RunLiveness.held(RunLiveness.EXPORT_LOCK, "e.id"))) {
                ps.setString(1, why);
                ps.setLong(2, (Long) e[0]);
                if (ps.executeUpdate() == 1) marked.add("export " + e[0] + " (" + e[1] + " as " + e[2] + "): " + why);
            }
        }
        return new Marked(marked);
    }

    /** Why the run's process no longer holds it, as far as this process can tell. */
    static String gone(String node, String host) {
        if (node == null || !node.contains("@")) {
            return "no database session holds it (recorded by a process that is gone)";
        }
        String pid = node.substring(0, node.indexOf('@'));
        if (host.equals(hostOf(node))) {
            boolean alive;
            try {
                alive = ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false);
            } catch (NumberFormatException e) {
                alive = false;
            }
            return alive ? "process " + node + " lost its database session (a cut connection) before recording the end"
                    : "process " + node + " is gone (killed or stopped before recording the end)";
        }
        return "process " + node + " holds no database session for it (killed, stopped or cut off)";
    }

    private static String hostOf(String node) {
        return node.substring(node.indexOf('@') + 1);
    }
}
