package dev.agentetl.app;

import dev.agentetl.db.DataSources;
import dev.agentetl.db.Group;
import dev.agentetl.db.GroupInspector;
import dev.agentetl.db.GroupInstaller;
import dev.agentetl.db.Shadows;
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
            "bench-import", "bench-stats", "bench-export", "bench-consolidate", "bench-finetune", "bench-ingest", "report-list");

    private static final Set<Group> ANALYSIS = EnumSet.of(Group.INTERACTIONS, Group.EXECUTIONS, Group.TELEMETRY);

    /** The groups a job reads or writes; all of them must be in the home database. */
    static final Map<String, Set<Group>> NEEDS = Map.ofEntries(
            Map.entry("generate", ANALYSIS),
            Map.entry("import-prompts", EnumSet.of(Group.REGISTRY)),
            Map.entry("import-rules", EnumSet.of(Group.REGISTRY)),
            Map.entry("import-inbox", EnumSet.of(Group.REGISTRY)),
            Map.entry("inbox-files", EnumSet.of(Group.REGISTRY)),
            Map.entry("prompts-list", EnumSet.of(Group.REGISTRY)),
            Map.entry("prompts-show", EnumSet.of(Group.REGISTRY)),
            Map.entry("prompts-label", EnumSet.of(Group.REGISTRY)),
            Map.entry("prompts-diff", EnumSet.of(Group.REGISTRY)),
            Map.entry("refresh-stats", ANALYSIS),
            Map.entry("insights", ANALYSIS),
            Map.entry("report", EnumSet.of(Group.INTERACTIONS, Group.EXECUTIONS, Group.TELEMETRY, Group.REGISTRY)),
            Map.entry("finetune", EnumSet.of(Group.INTERACTIONS, Group.EXECUTIONS, Group.TELEMETRY, Group.REGISTRY)),
            Map.entry("consolidate", EnumSet.of(Group.LEARNING)),
            Map.entry("ingest", EnumSet.of(Group.INTERACTIONS)),
            Map.entry("demo", EnumSet.allOf(Group.class)));

    /**
     * Jobs that write made-up rows (generate) or a sample catalog and data set (demo): only into groups
     * agent-etl created, never into an application's tables.
     */
    private static final Set<String> WRITES_GENERATED = Set.of("generate", "demo");

    private final DataSources sources;
    private final Supplier<String> notReady;

    public JobRequirements(DataSources sources, Supplier<String> notReady) {
        this.sources = sources;
        this.notReady = notReady;
    }

    /**
     * Checks the job the exchange is entering: the intercepted {@code direct:} endpoint names it (a job
     * called from another, as demo and the scheduled triggers do, is checked as itself).
     */
    public void check(Exchange exchange) throws SQLException {
        String endpoint = exchange.getProperty(Exchange.INTERCEPTED_ENDPOINT, String.class);
        String job = endpoint == null ? exchange.getFromRouteId() : endpoint.replaceFirst("^direct:(//)?", "").replaceFirst("\\?.*$", "");
        if (job == null || UNCONDITIONAL.contains(job)) return;
        require(job);
    }

    /** Fails with everything the job lacks (also for the jobs that skip the check at their start, e.g. demo after its migrate). */
    public void require(String job) throws SQLException {
        List<String> missing = missing(job);
        if (!missing.isEmpty()) {
            throw new JobCannotRunException(job + " cannot run: " + String.join("; ", missing));
        }
    }

    /** Everything the job lacks, empty when it can run. */
    public List<String> missing(String job) throws SQLException {
        List<String> out = new ArrayList<>();
        if (job == null) return out;
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
                    continue;
                }
                for (GroupInspector.Problem p : f.problems()) out.add(g.key() + " group in " + place.describe() + ": " + p);
                if (f.presence() != GroupInspector.Presence.PRESENT) continue;
                String recorded = GroupInstaller.recordedAction(c, sources.layout().ownSchema(), place);
                if (recorded == null) {
                    out.add("the " + g.key() + " group in " + place.describe() + " is not adopted yet; run `agent-etl migrate`");
                } else if (WRITES_GENERATED.contains(job) && !recorded.equals("created")) {
                    out.add(job + " writes made-up rows and only into groups agent-etl created; the " + g.key()
                            + " group in " + place.describe() + " belongs to an application");
                }
                for (GroupInspector.Problem p : Shadows.of(c, place)) out.add(g.key() + " group: " + p);
            }
        }
        return out;
    }

    /**
     * Whether agent-etl created the group where it is configured now (so it may drop and rebuild its indexes
     * for a bulk load, or fill it with made-up rows). A group recorded at another place does not count.
     */
    public boolean createdByAgentEtl(Group g) {
        Layout.Place place = sources.layout().place(g);
        if (!place.db().isHome() || notReady.get() != null) return false;
        try (Connection c = sources.home().getConnection()) {
            return "created".equals(GroupInstaller.recordedAction(c, sources.layout().ownSchema(), place));
        } catch (SQLException e) {
            return false;
        }
    }

    /** A job's prerequisites are not met; the message says what and where. */
    public static final class JobCannotRunException extends RuntimeException {
        public JobCannotRunException(String message) {
            super(message);
        }
    }
}
