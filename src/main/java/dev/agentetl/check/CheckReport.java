package dev.agentetl.check;

import dev.agentetl.runtime.JobReport;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** What {@code check} found: each group, agent-etl's schema, and which jobs can run. */
public record CheckReport(String ownSchema, String ownSchemaState, List<GroupState> groups, Map<String, List<String>> jobs,
                          List<String> configuredJobs) implements JobReport {

    /** One group: where, what (created, adopted, present, absent, partial), problems, rows, unlisted values. */
    public record GroupState(String group, String origin, String where, String state, List<String> problems,
                             Map<String, Long> rows, List<String> unlistedValues) {
    }

    /** Shape problems, a partial group, and every configured job that cannot run: check exits non-zero. */
    @Override
    public List<String> problems() {
        List<String> out = new ArrayList<>();
        for (GroupState g : groups) {
            for (String p : g.problems()) out.add(g.group() + ": " + p);
        }
        for (String job : configuredJobs) {
            List<String> missing = jobs.get(job);
            if (missing != null && !missing.isEmpty()) out.add("configured job " + job + " cannot run: " + String.join("; ", missing));
        }
        return out;
    }

    @Override
    public long rowsRead() {
        return groups.stream().flatMap(g -> g.rows().values().stream()).mapToLong(Long::longValue).sum();
    }

    @Override
    public Object details() {
        return Map.of("groups", groups, "jobs", jobs);
    }

    @Override
    public String render() {
        StringBuilder sb = new StringBuilder();
        sb.append("agent-etl schema  ").append(ownSchema).append(": ").append(ownSchemaState).append("\n\n");
        for (GroupState g : groups) {
            sb.append(String.format("%-13s %-9s %s  [%s]%n", g.group(), g.state(), g.where(), g.origin()));
            for (String p : g.problems()) sb.append("    problem: ").append(p).append('\n');
            long total = g.rows().values().stream().mapToLong(Long::longValue).sum();
            if (!g.rows().isEmpty()) sb.append(String.format("    %d table%s, %,d rows%n", g.rows().size(), g.rows().size() == 1 ? "" : "s", total));
            g.rows().forEach((t, n) -> {
                if (n > 0) sb.append(String.format("    %-28s %,14d rows%n", t, n));
            });
            for (String v : g.unlistedValues()) sb.append("    value outside the seed's list: ").append(v).append('\n');
        }
        sb.append('\n');
        jobs.forEach((job, missing) -> {
            String mark = configuredJobs.contains(job) ? "*" : " ";
            sb.append(String.format("%s %-18s %s%n", mark, job, missing.isEmpty() ? "can run" : "cannot run: " + String.join("; ", missing)));
        });
        sb.append("(* scheduled by the configuration)\n");
        return sb.toString();
    }
}
