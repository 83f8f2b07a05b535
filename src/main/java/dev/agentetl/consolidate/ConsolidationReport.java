package dev.agentetl.consolidate;

import dev.agentetl.runtime.JobReport;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The reconciliation table of a run (or the plan of a dry run), and the problems that fail it. */
public record ConsolidationReport(String title, List<Reconciliation.Result> tables, List<PlanRow> plan, List<String> notes,
                                  List<String> problems, Map<String, Long> phaseMillis) implements JobReport {

    /** A dry run's line: a table found, its layout, rows, and the target rows it would give. */
    public record PlanRow(String file, String table, String layout, long rows, Map<String, Long> targets) {
    }

    @Override public long rowsRead() { return tables.stream().mapToLong(Reconciliation.Result::read).sum(); }
    @Override public long rowsWritten() { return tables.stream().mapToLong(Reconciliation.Result::written).sum(); }
    @Override public long rowsRejected() { return tables.stream().mapToLong(Reconciliation.Result::rejected).sum(); }
    @Override public long rowsSkipped() { return tables.stream().mapToLong(Reconciliation.Result::skipped).sum(); }

    @Override
    public Object details() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("title", title);
        m.put("tables", tables.size());
        m.put("problems", problems);
        if (!phaseMillis.isEmpty()) m.put("phase_ms", phaseMillis);
        return m;
    }

    @Override
    public String render() {
        StringBuilder sb = new StringBuilder(title).append('\n');
        if (!phaseMillis.isEmpty()) {
            sb.append("time per phase:");
            phaseMillis.forEach((phase, ms) -> sb.append(String.format(" %s %.1f s", phase, ms / 1000.0)));
            sb.append('\n');
        }
        if (!plan.isEmpty()) {
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[]{"source table", "layout", "rows", "target rows"});
            long total = 0;
            for (PlanRow p : plan) {
                rows.add(new String[]{p.file() + ":" + p.table(), p.layout(), Long.toString(p.rows()), targets(p.targets())});
                total += p.rows();
            }
            rows.add(new String[]{"total", "", Long.toString(total), Long.toString(plan.stream()
                    .flatMap(p -> p.targets().values().stream()).mapToLong(Long::longValue).sum())});
            sb.append(align(rows));
        }
        if (!tables.isEmpty()) {
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[]{"source table", "layout", "read", "rejected", "skipped", "written", "expected", "targets (present/expected)", "status"});
            for (Reconciliation.Result r : tables) {
                StringBuilder t = new StringBuilder();
                for (Reconciliation.Target x : r.targets()) {
                    if (t.length() > 0) t.append(", ");
                    t.append(x.table()).append(' ').append(x.present()).append('/').append(x.expected());
                    if (x.perRow() > 1) t.append(" (x").append(x.perRow()).append(')');
                }
                rows.add(new String[]{r.file() + ":" + r.table(), r.layout(), Long.toString(r.read()), Long.toString(r.rejected()),
                        Long.toString(r.skipped()), Long.toString(r.written()), Long.toString(r.expected()), t.toString(),
                        r.reconciled() ? "reconciled" : "NOT RECONCILED"});
            }
            sb.append(align(rows));
            for (Reconciliation.Result r : tables) {
                if (!r.rejectedByReason().isEmpty()) {
                    sb.append("rejected in ").append(r.table()).append(": ").append(r.rejectedByReason()).append('\n');
                }
            }
        }
        notes.forEach(n -> sb.append(n).append('\n'));
        return sb.toString();
    }

    private static String targets(Map<String, Long> t) {
        StringBuilder sb = new StringBuilder();
        t.forEach((k, v) -> sb.append(sb.length() > 0 ? ", " : "").append(k).append(' ').append(v));
        return sb.toString();
    }

    static String align(List<String[]> rows) {
        int[] w = new int[rows.get(0).length];
        for (String[] r : rows) for (int i = 0; i < r.length; i++) w[i] = Math.max(w[i], r[i].length());
        StringBuilder sb = new StringBuilder();
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                boolean number = i > 0 && r[i].matches("\\d+");
                String cell = number ? " ".repeat(w[i] - r[i].length()) + r[i] : r[i] + " ".repeat(w[i] - r[i].length());
                sb.append(cell).append(i < r.length - 1 ? "  " : "");
            }
            sb.append('\n');
        }
        return sb.toString().replaceAll(" +\n", "\n");
    }
}
