package dev.agentetl.db;

import dev.agentetl.runtime.JobReport;

import java.util.List;

/** What {@code migrate} did: agent-etl's schema (moved from an older layout, migrations applied) and each group. */
public record MigrateReport(int applied, String fromVersion, String toVersion, long millis, boolean upgraded,
                            List<GroupInstaller.Outcome> groups) implements JobReport {

    public MigrateReport(int applied, String fromVersion, String toVersion, long millis, boolean upgraded) {
        this(applied, fromVersion, toVersion, millis, upgraded, List.of());
    }

    public MigrateReport withGroups(List<GroupInstaller.Outcome> outcomes) {
        return new MigrateReport(applied, fromVersion, toVersion, millis, upgraded, outcomes);
    }

    @Override
    public long rowsWritten() {
        return applied;
    }

    /** A group refused (only partly there) or adopted with tables that differ from the seed's DDL. */
    @Override
    public List<String> problems() {
        List<String> out = new java.util.ArrayList<>();
        for (GroupInstaller.Outcome o : groups) {
            if (o.action().equals("refused")) out.add(o.group().key() + ": " + o.detail());
            for (GroupInspector.Problem p : o.problems()) out.add(o.group().key() + ": " + p);
        }
        return out;
    }

    @Override
    public String render() {
        StringBuilder sb = new StringBuilder();
        if (upgraded) {
            sb.append("moved the tables of an older release from public into agent-etl's schema\n");
        }
        if (applied == 0) {
            sb.append("schema is up to date at version ").append(toVersion).append(" (").append(millis).append(" ms)\n");
        } else {
            sb.append("applied ").append(applied).append(" migration(s): version ")
                    .append(fromVersion == null ? "none" : fromVersion).append(" -> ").append(toVersion)
                    .append(" (").append(millis).append(" ms)\n");
        }
        for (GroupInstaller.Outcome o : groups) {
            sb.append(String.format("%-13s %-9s %s%n", o.group().key(), o.action(), o.detail()));
            for (GroupInspector.Problem p : o.problems()) sb.append("              problem: ").append(p).append('\n');
        }
        return sb.toString();
    }
}
