package dev.agentetl.consolidate;

import dev.agentetl.progress.Progress;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * One consolidation as it goes through the steps of routes/consolidate.camel.yaml: the checked request, the legacy
 * tables the probe found, the run (new or resumed) and what each table brought. It travels in the exchange
 * (variable {@code consolidate}); the {@link Consolidator} bean keeps nothing between steps.
 */
public final class ConsolidateRun {

    final ConsolidateRequest request;
    final String zone;

    LegacySource source;
    LegacySource.Probe probe;

    Connection lock;
    long runId;
    final List<String> notes = new ArrayList<>();
    List<String> problems;
    final Set<String> done = new TreeSet<>();
    final List<Reconciliation.Result> results = new ArrayList<>();
    TableConsolidation job;
    List<TargetGroups.Unit> units;
    Progress progress;
    ConsolidationReport report;

    ConsolidateRun(ConsolidateRequest request, String zone) {
        this.request = request;
        this.zone = zone;
    }

    public ConsolidateRequest request() {
        return request;
    }

    /** How many units (a table, or the tables sharing one target) the run consolidates, each in one transaction. */
    public int unitCount() {
        return units == null ? 0 : units.size();
    }

    /** The report, once a step made it. */
    public ConsolidationReport report() {
        return report;
    }

    @Override
    public String toString() {
        return "consolidation of " + (source == null ? request.from() : source.describe());
    }
}
