package dev.agentetl.prompts;

import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import dev.agentetl.runtime.JobReport;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;

/**
 * {@code prompts list | show | label | diff}: reading the registry and moving labels by hand. Labels are
 * read from the versions' {@code labels} arrays (the app's own); {@code latest} is computed.
 */
public final class PromptRegistry {

    static final String PROJECT = "default";
    private final DataSource dataSource;

    private dev.agentetl.importing.ConfigChangeEvents events = dev.agentetl.importing.ConfigChangeEvents.NONE;

    /** Label moves are also recorded as config_change system events. */
    public PromptRegistry withEvents(dev.agentetl.importing.ConfigChangeEvents events) {
        this.events = events;
        return this;
    }

    public PromptRegistry(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** What a prompts command asks: name, version or label, and for diff a second version. */
    public record Query(String name, Integer version, String label, Integer otherVersion, String actor) {
    }

    public JobReport list() throws SQLException {
        StringBuilder sb = new StringBuilder(String.format("%-28s %-8s %7s %-36s %s%n", "name", "type", "latest", "labels", "created"));
        List<java.util.Map<String, Object>> prompts = new java.util.ArrayList<>();
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery("""
                SELECT p.name, p.type, p.version, p.created_at,
                       (SELECT string_agg(l.label || '=v' || lp.version, ', ' ORDER BY l.label, lp.version)
                        FROM prompts lp CROSS JOIN LATERAL unnest(lp.labels) AS l (label)
                        WHERE lp.project = p.project AND lp.name = p.name)
                FROM prompts p WHERE p.project = 'default'
                  AND p.version = (SELECT max(version) FROM prompts x WHERE x.project = p.project AND x.name = p.name)
                ORDER BY p.name""")) {
            while (rs.next()) {
                sb.append(String.format("%-28s %-8s %7d %-36s %s%n", rs.getString(1), rs.getString(2), rs.getInt(3),
                        rs.getString(5) == null ? "" : rs.getString(5), rs.getObject(4)));
                java.util.Map<String, Object> p = new java.util.LinkedHashMap<>();
                p.put("name", rs.getString(1));
                p.put("type", rs.getString(2));
                p.put("latest", rs.getInt(3));
                p.put("labels", rs.getString(5) == null ? List.of() : Arrays.asList(rs.getString(5).split(", ")));
                p.put("created", String.valueOf(rs.getObject(4)));
                prompts.add(p);
            }
        }
        return dev.agentetl.runtime.TextReport.read(sb.toString(), java.util.Map.of("prompts", prompts), prompts.size());
    }

    /** The version asked for, else the {@code production} label, else the latest. */
    public JobReport show(Query q) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            PromptVersions.Version v = q.version() != null ? PromptVersions.byVersion(c, PROJECT, q.name(), q.version())
                    : q.label() != null ? PromptVersions.byLabel(c, PROJECT, q.name(), q.label())
                    : orElse(PromptVersions.byLabel(c, PROJECT, q.name(), "production"), PromptVersions.newest(c, PROJECT, q.name()));
            if (v == null) {
                throw new IllegalArgumentException("no prompt " + q.name()
                        + (q.version() != null ? " version " + q.version() : q.label() != null ? " with label " + q.label() : ""));
            }
            String text = "# " + q.name() + " v" + v.version() + " (sha256 " + v.contentHash().substring(0, 12) + ")\n" + v.template() + "\n";
            java.util.Map<String, Object> data = new java.util.LinkedHashMap<>();
            data.put("name", q.name());
            data.put("version", v.version());
            data.put("sha256", v.contentHash());
            data.put("active", v.active());
            data.put("template", v.template());
            return dev.agentetl.runtime.TextReport.read(text, data, 1);
        }
    }

    public JobReport label(Query q) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                PromptVersions.Version v = PromptVersions.byVersion(c, PROJECT, q.name(), q.version());
                if (v == null) {
                    throw new IllegalArgumentException("no prompt " + q.name() + " version " + q.version());
                }
                if ("latest".equals(q.label())) {
                    throw new IllegalArgumentException("'latest' is computed and cannot be set");
                }
                if (q.label() == null || q.label().isBlank() || q.label().length() > 100) {
                    throw new IllegalArgumentException("a label is a name of 1-100 characters");
                }
                boolean moved = RegistryLabels.move(c, RegistryLabels.Owner.prompt(PROJECT, q.name()), q.label(), v.id(),
                        v.version(), q.actor(), null);
                c.commit();
                if (moved) events.labelMoved(q.name(), q.label(), v.version(), q.actor());
                String text = (moved ? "label " + q.label() + " of " + q.name() + " now on v" + v.version() + "\n"
                        : "label " + q.label() + " of " + q.name() + " already on v" + v.version() + ": nothing changed\n")
                        + (v.active() ? "" : "note: v" + v.version() + " is not active (is_active), so the app's query does not find it\n");
                java.util.Map<String, Object> data = new java.util.LinkedHashMap<>();
                data.put("name", q.name());
                data.put("label", q.label());
                data.put("version", v.version());
                data.put("moved", moved);
                data.put("active", v.active());
                return dev.agentetl.runtime.TextReport.wrote(text, data, moved ? 1 : 0);
            } catch (SQLException | RuntimeException e) {
                dev.agentetl.db.Transactions.rollbackQuietly(c, e);
                throw e;
            }
        }
    }

    public JobReport diff(Query q) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            PromptVersions.Version a = PromptVersions.byVersion(c, PROJECT, q.name(), q.version());
            PromptVersions.Version b = PromptVersions.byVersion(c, PROJECT, q.name(), q.otherVersion());
            if (a == null || b == null) {
                throw new IllegalArgumentException("no prompt " + q.name() + " version " + (a == null ? q.version() : q.otherVersion()));
            }
            List<String> left = Arrays.asList(a.template().split("\n", -1));
            List<String> right = Arrays.asList(b.template().split("\n", -1));
            List<String> diff = UnifiedDiffUtils.generateUnifiedDiff(q.name() + " v" + a.version(), q.name() + " v" + b.version(),
                    left, DiffUtils.diff(left, right), 3);
            String text = diff.isEmpty() ? "templates of v" + a.version() + " and v" + b.version() + " are identical\n"
                    : String.join("\n", diff) + "\n";
            java.util.Map<String, Object> data = new java.util.LinkedHashMap<>();
            data.put("name", q.name());
            data.put("from_version", a.version());
            data.put("to_version", b.version());
            data.put("identical", diff.isEmpty());
            data.put("diff", diff.isEmpty() ? "" : String.join("\n", diff) + "\n");
            return dev.agentetl.runtime.TextReport.read(text, data, 2);
        }
    }

    private static PromptVersions.Version orElse(PromptVersions.Version a, PromptVersions.Version b) {
        return a != null ? a : b;
    }
}
