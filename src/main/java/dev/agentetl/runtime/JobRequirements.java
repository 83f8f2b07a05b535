package dev.agentetl.runtime;

import dev.agentetl.db.DataSources;
import dev.agentetl.db.Group;
import dev.agentetl.db.GroupInspector;
import dev.agentetl.db.Layout;
import org.apache.camel.Exchange;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * What each job needs before it starts: agent-etl's schema migrated, and the groups it reads or writes
 * present where they are configured, in the seed's shape, and in the home database when the job joins
 * them with agent-etl's own tables. A job that lacks something fails at once, saying what and where,
 * before it reads or writes anything. Checked for every {@code direct:} job (routes/error-handling).
 */
public final class JobRequirements {

    /** Jobs that run on a database agent-etl has not migrated (they create nothing or migrate first). */
    private static final Set<String> UNCONDITIONAL = Set.of("migrate", "status", "check", "demo", "generate-legacy",
            "bench-import", "bench-stats", "bench-export", "bench-consolidate", "bench-finetune", "report-list");

    private static final Set<Group> ANALYSIS = EnumSet.of(Group.INTERACTIONS, Group.EXECUTIONS, Group.TELEMETRY);

    /** The groups a job reads or writes; all of them must be in the home database. */
    static final Map<String, Set<Group>> NEEDS = Map.ofEntries(
            Map.entry("generate", ANALYSIS),
            Map.entry("import-prompts", EnumSet.of(Group.REGISTRY)),
            Map.entry("import-rules", EnumSet.of(Group.REGISTRY)),
            Map.entry("import-inbox", EnumSet.of(Group.REGISTRY)),
            Map.entry("inbox-watch", EnumSet.of(Group.REGISTRY)),
            Map.entry("prompts-list", EnumSet.of(Group.REGISTRY)),
            Map.entry("prompts-show", EnumSet.of(Group.REGISTRY)),
            Map.entry("prompts-label", EnumSet.of(Group.REGISTRY)),
            Map.entry("prompts-diff", EnumSet.of(Group.REGISTRY)),
            Map.entry("refresh-stats", ANALYSIS),
            Map.entry("insights", ANALYSIS),
            Map.entry("report", EnumSet.of(Group.INTERACTIONS, Group.EXECUTIONS, Group.TELEMETRY, Group.REGISTRY)),
            Map.entry("finetune", EnumSet.of(Group.INTERACTIONS, Group.EXECUTIONS, Group.TELEMETRY, Group.REGISTRY)),
            Map.entry("consolidate", EnumSet.of(Group.LEARNING)),
            Map.entry("consolidate-verify", EnumSet.of(Group.LEARNING)));

    /** Jobs that write made-up rows: only into groups agent-etl created, never into an application's tables. */
    private static final Set<String> WRITES_GENERATED = Set.of("generate");

    private final DataSources sources;
    private final Supplier<String> notReady;

    public JobRequirements(DataSources sources, Supplier<String> notReady) {
        this.sources = sources;
        this.notReady = notReady;
    }

    public void check(Exchange exchange) throws SQLException {
        String job = exchange.getFromRouteId();
        List<String> missing = missing(job);
        if (!missing.isEmpty()) {
            throw new JobCannotRunException(job + " cannot run: " + String.join("; ", missing));
        }
    }

    /** Everything the job lacks, empty when it can run. */
    public List<String> missing(String job) throws SQLException {
        List<String> out = new ArrayList<>();
        if (job == null || UNCONDITIONAL.contains(job)) return out;
        String reason = notReady.get();
        if (reason != null) {
            out.add(reason);
            return out;
        }
        for (Group g : NEEDS.getOrDefault(job, Set.of())) {
            Layout.Place place = sources.layout().place(g);
            if (!place.db().isHome()) {
                out.add("the " + g.key() + " group lives in another database (" + place.db().describe()
                        + ") and " + job + " reads it together with agent-etl's own tables; it needs the group in the home database");
                continue;
            }
            try (Connection c = sources.home().getConnection()) {
                GroupInspector.Findings f = GroupInspector.inspect(c, place, false);
                if (f.presence() == GroupInspector.Presence.ABSENT) {
                    out.add("the " + g.key() + " group (" + g.marker() + " ...) is not in " + place.describe()
                            + "; run `agent-etl migrate` to create it, or set agent-etl." + g.key() + ".schema to where it is");
                } else {
                    for (GroupInspector.Problem p : f.problems()) out.add(g.key() + " group in " + place.describe() + ": " + p);
                }
                if (WRITES_GENERATED.contains(job) && f.presence() == GroupInspector.Presence.PRESENT && !createdByAgentEtl(c, g)) {
                    out.add(job + " writes made-up rows and only into groups agent-etl created; the " + g.key()
                            + " group in " + place.describe() + " belongs to an application");
                }
            }
        }
        return out;
    }

    private boolean createdByAgentEtl(Connection c, Group g) throws SQLException {
        try (var ps = c.prepareStatement("SELECT action FROM " + sources.layout().ownSchema()
                + ".group_installs WHERE group_name = ?")) {
            ps.setString(1, g.key());
            try (var rs = ps.executeQuery()) {
                return rs.next() && "created".equals(rs.getString(1));
            }
        }
    }

    /** A job's prerequisites are not met; the message says what and where. */
    public static final class JobCannotRunException extends RuntimeException {
        public JobCannotRunException(String message) {
            super(message);
        }
    }
}
