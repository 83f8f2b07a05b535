package dev.agentetl.dashboard;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** The dashboard as one HTML page: styles inline, charts as inline SVG, no script, nothing fetched. */
final class DashboardPage {

    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT);

    private DashboardPage() {
    }

    static String render(DashboardData d, String database, OffsetDateTime generatedAt) {
        StringBuilder sb = new StringBuilder(64 * 1024);
        sb.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .append("<title>agent-etl dashboard ").append(d.from()).append(" to ").append(d.to()).append("</title>")
                .append("<style>").append(STYLE).append("</style></head><body>\n");
        sb.append("<header><h1>agent-etl dashboard</h1><p class=\"sub\">")
                .append(d.from()).append(" to ").append(d.to()).append(" (UTC days) &middot; ")
                .append(Html.escape(database)).append(" &middot; generated ").append(WHEN.format(generatedAt.withOffsetSameInstant(ZoneOffset.UTC)))
                .append("</p></header>\n<main>\n");
        tiles(sb, d);
        successRate(sb, d);
        toolFailures(sb, d);
        latency(sb, d);
        turns(sb, d);
        insights(sb, d);
        exports(sb, d);
        runs(sb, d);
        sb.append("</main>\n<footer>Statistics come from the daily rollups of <code>agent-etl refresh-stats</code>; ")
                .append("run it (and <code>agent-etl insights</code>) before this page to see the latest days.</footer>\n</body></html>\n");
        return sb.toString();
    }

    private static void tiles(StringBuilder sb, DashboardData d) {
        double sessions = 0, successes = 0, calls = 0, failures = 0;
        for (Map<LocalDate, double[]> m : d.sessionsByModel().values()) for (double[] v : m.values()) { successes += v[0]; sessions += v[1]; }
        for (Map<LocalDate, double[]> m : d.toolCallsByTool().values()) for (double[] v : m.values()) { failures += v[0]; calls += v[1]; }
        long turns = d.turnEndings().stream().mapToLong(DashboardData.TurnEnding::turns).sum();
        long cut = d.turnEndings().stream().mapToLong(DashboardData.TurnEnding::cutOff).sum();
        long critical = d.insights().stream().filter(i -> i.severity().equals("critical")).count();
        long failedRuns = d.runs().stream().filter(r -> r.status().equals("failed")).count();
        sb.append("<section class=\"tiles\">");
        tile(sb, "sessions", String.format(Locale.ROOT, "%,.0f", sessions), sessions == 0 ? "" : Svg.percent(successes / sessions) + " succeeded");
        tile(sb, "tool calls", String.format(Locale.ROOT, "%,.0f", calls), calls == 0 ? "" : Svg.percent(failures / calls) + " failed");
        tile(sb, "turns", String.format(Locale.ROOT, "%,d", turns), turns == 0 ? "" : Svg.percent((double) cut / turns) + " cut off early");
        tile(sb, "open insights", String.valueOf(d.insights().size()), critical + " critical");
        tile(sb, "recent job runs", String.valueOf(d.runs().size()), failedRuns + " failed");
        sb.append("</section>\n");
    }

    private static void tile(StringBuilder sb, String label, String value, String note) {
        sb.append("<div class=\"tile\"><div class=\"label\">").append(Html.escape(label)).append("</div><div class=\"value\">")
                .append(Html.escape(value)).append("</div><div class=\"note\">").append(Html.escape(note)).append("</div></div>");
    }

    private static void successRate(StringBuilder sb, DashboardData d) {
        section(sb, "success-rate", "Session success rate per model, per day",
                "Share of each model's sessions that ended successfully (model_session_daily).");
        List<String> names = new ArrayList<>(d.sessionsByModel().keySet());
        List<Map<LocalDate, Double>> series = new ArrayList<>();
        for (String m : names) series.add(ratio(d.sessionsByModel().get(m)));
        if (names.isEmpty()) empty(sb, "No sessions in the rollups for these days.");
        else sb.append(Svg.lines("success-rate", "sessions succeeded (%)", d.days(), names, series, 1.0, Svg::percent)).append(legend(names));
        sb.append("</section>\n");
    }

    private static void latency(StringBuilder sb, DashboardData d) {
        section(sb, "latency", "LLM response time per model",
                "Median (p50) and 95th percentile (p95) of llm_responses.response_time_ms over the whole window.");
        if (d.latencies().isEmpty()) {
            empty(sb, "No LLM responses with a response time in these days.");
        } else {
            List<String> models = new ArrayList<>();
            List<double[]> values = new ArrayList<>();
            for (DashboardData.Latency l : d.latencies()) {
                models.add(l.model());
                values.add(new double[]{l.p50(), l.p95()});
            }
            sb.append(Svg.groupedBars("latency-percentiles", "response time (ms)", models, List.of("p50", "p95"), values, Svg::millis))
                    .append(legend(List.of("p50", "p95")));
        }
        sb.append("</section>\n");
        section(sb, "latency-daily", "p95 LLM response time per model, per day",
                "95th percentile of llm_responses.response_time_ms of each model's responses, per day.");
        if (d.p95ByModel().isEmpty()) {
            empty(sb, "No LLM responses with a response time in these days.");
        } else {
            List<String> names = new ArrayList<>(d.p95ByModel().keySet());
            List<Map<LocalDate, Double>> series = new ArrayList<>();
            for (String m : names) {
                Map<LocalDate, Double> s = new LinkedHashMap<>();
                d.p95ByModel().get(m).forEach((day, v) -> s.put(day, v[0]));
                series.add(s);
            }
            sb.append(Svg.lines("latency-p95-daily", "p95 response time (ms)", d.days(), names, series, 0, Svg::ms)).append(legend(names));
        }
        sb.append("</section>\n");
    }

    private static void toolFailures(StringBuilder sb, DashboardData d) {
        section(sb, "tool-failures", "Tool call failure rate per tool, per day",
                "Share of each tool's calls that failed, all models together (tool_call_daily).");
        List<String> names = new ArrayList<>(d.toolCallsByTool().keySet());
        List<Map<LocalDate, Double>> series = new ArrayList<>();
        for (String t : names) series.add(ratio(d.toolCallsByTool().get(t)));
        if (names.isEmpty()) {
            empty(sb, "No tool calls in the rollups for these days.");
        } else {
            double max = 0;
            for (Map<LocalDate, Double> s : series) for (double v : s.values()) max = Math.max(max, v);
            sb.append(Svg.lines("tool-failures", "calls failed (%)", d.days(), names, series, Math.min(1.0, Math.max(0.05, max)), Svg::percent))
                    .append(legend(names));
        }
        sb.append("</section>\n");
    }

    private static void turns(StringBuilder sb, DashboardData d) {
        section(sb, "turns", "How turns end, per chat mode",
                "Share of each chat mode's turns by stop reason (agent_telemetry turn summaries). Cut off early: not completed, "
                        + "fewer than 3 rounds, tools running.");
        Map<String, Map<String, Long>> byMode = new LinkedHashMap<>();
        Map<String, long[]> totals = new LinkedHashMap<>();
        Set<String> reasons = new LinkedHashSet<>();
        reasons.add("completed");
        for (DashboardData.TurnEnding t : d.turnEndings()) {
            byMode.computeIfAbsent(t.chatMode(), k -> new LinkedHashMap<>()).merge(t.stopReason(), t.turns(), Long::sum);
            long[] tot = totals.computeIfAbsent(t.chatMode(), k -> new long[2]);
            tot[0] += t.turns();
            tot[1] += t.cutOff();
            reasons.add(t.stopReason());
        }
        if (byMode.isEmpty()) {
            empty(sb, "No turn summaries in these days.");
        } else {
            List<String> modes = new ArrayList<>(byMode.keySet());
            List<Map<String, Long>> counts = new ArrayList<>();
            List<String> notes = new ArrayList<>();
            for (String m : modes) {
                counts.add(byMode.get(m));
                long[] t = totals.get(m);
                notes.add(String.format(Locale.ROOT, "%,d turns, %s cut off early", t[0], Svg.percent((double) t[1] / t[0])));
            }
            List<String> keys = new ArrayList<>(reasons);
            sb.append(Svg.stackedShares("turn-endings", modes, keys, counts, notes)).append(legend(keys));
        }
        sb.append("</section>\n");
    }

    private static void insights(StringBuilder sb, DashboardData d) {
        section(sb, "insights", "Open insights", "What the insight rules found and have not been acknowledged, most severe first, with their evidence.");
        if (d.insights().isEmpty()) {
            empty(sb, "No open insights.");
        } else {
            sb.append("<div class=\"insights\">");
            for (DashboardData.Insight i : d.insights()) {
                sb.append("<article class=\"insight ").append(Html.escape(i.severity())).append("\"><h3><span class=\"badge ")
                        .append(Html.escape(i.severity())).append("\">").append(Html.escape(i.severity())).append("</span> ")
                        .append(Html.escape(i.title())).append("</h3>");
                if (i.description() != null) sb.append("<p>").append(Html.escape(i.description())).append("</p>");
                sb.append("<dl>");
                dl(sb, "rule", i.rule());
                dl(sb, "scope", i.scope());
                if (i.currentFrom() != null) dl(sb, "window", i.currentFrom().toLocalDate() + " to " + i.currentTo().toLocalDate());
                if (i.sample() != null) dl(sb, "sample", String.format(Locale.ROOT, "%,d (baseline %s)", i.sample(),
                        i.baselineSample() == null ? "-" : String.format(Locale.ROOT, "%,d", i.baselineSample())));
                if (i.low() != null) dl(sb, "95 % interval", String.format(Locale.ROOT, "%.3f to %.3f", i.low(), i.high()));
                if (i.evidence() != null) dl(sb, "evidence", evidence(i.evidence()));
                sb.append("</dl></article>");
            }
            sb.append("</div>");
        }
        sb.append("</section>\n");
    }

    private static void exports(StringBuilder sb, DashboardData d) {
        section(sb, "exports", "Export history", "The latest exports (export and finetune), newest first.");
        if (d.exports().isEmpty()) {
            empty(sb, "No exports yet.");
        } else {
            sb.append("<table><thead><tr><th>id</th><th>dataset</th><th>format</th><th>status</th><th class=\"num\">rows</th>")
                    .append("<th class=\"num\">bytes</th><th>started</th><th class=\"num\">duration</th><th>path</th></tr></thead><tbody>");
            for (DashboardData.ExportRun e : d.exports()) {
                sb.append("<tr><td>").append(e.id()).append("</td><td>").append(Html.escape(e.dataset())).append("</td><td>")
                        .append(Html.escape(e.format())).append("</td><td>").append(status(e.status())).append("</td><td class=\"num\">")
                        .append(number(e.rows())).append("</td><td class=\"num\">").append(number(e.bytes())).append("</td><td>")
                        .append(when(e.started())).append("</td><td class=\"num\">").append(e.millis() == null ? "-" : Svg.millis(e.millis()))
                        .append("</td><td class=\"path\">").append(Html.escape(e.path())).append("</td></tr>");
            }
            sb.append("</tbody></table>");
        }
        sb.append("</section>\n");
    }

    private static void runs(StringBuilder sb, DashboardData d) {
        section(sb, "runs", "Job runs", "The latest runs recorded in job_runs, newest first.");
        if (d.runs().isEmpty()) {
            empty(sb, "No job has run yet.");
        } else {
            sb.append("<table><thead><tr><th>id</th><th>job</th><th>status</th><th>trigger</th><th>started</th>")
                    .append("<th class=\"num\">duration</th><th class=\"num\">read</th><th class=\"num\">written</th>")
                    .append("<th class=\"num\">rejected</th><th>error</th></tr></thead><tbody>");
            for (DashboardData.JobRun r : d.runs()) {
                sb.append("<tr><td>").append(r.id()).append("</td><td>").append(Html.escape(r.job())).append("</td><td>")
                        .append(status(r.status())).append("</td><td>").append(Html.escape(r.trigger())).append("</td><td>")
                        .append(when(r.started())).append("</td><td class=\"num\">").append(r.millis() == null ? "-" : Svg.millis(r.millis()))
                        .append("</td><td class=\"num\">").append(number(r.read())).append("</td><td class=\"num\">").append(number(r.written()))
                        .append("</td><td class=\"num\">").append(number(r.rejected())).append("</td><td class=\"error\">")
                        .append(Html.escape(r.error())).append("</td></tr>");
            }
            sb.append("</tbody></table>");
        }
        sb.append("</section>\n");
    }

    /** The insight's figures as {@code name: value} lines, fractions to 4 significant digits. */
    static String evidence(String json) {
        try {
            com.fasterxml.jackson.databind.JsonNode node = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json);
            if (!node.isObject()) return json;
            StringBuilder sb = new StringBuilder();
            node.fields().forEachRemaining(e -> {
                com.fasterxml.jackson.databind.JsonNode v = e.getValue();
                String text = v.isFloatingPointNumber() ? new java.math.BigDecimal(v.asDouble())
                        .round(new java.math.MathContext(4)).stripTrailingZeros().toPlainString() : v.isTextual() ? v.asText() : v.toString();
                sb.append(sb.length() == 0 ? "" : ", ").append(e.getKey()).append(": ").append(text);
            });
            return sb.toString();
        } catch (java.io.IOException e) {
            return json;
        }
    }

    private static Map<LocalDate, Double> ratio(Map<LocalDate, double[]> daily) {
        Map<LocalDate, Double> out = new LinkedHashMap<>();
        daily.forEach((day, v) -> {
            if (v[1] > 0) out.put(day, v[0] / v[1]);
        });
        return out;
    }

    private static void section(StringBuilder sb, String id, String title, String explanation) {
        sb.append("<section class=\"panel\" id=\"").append(id).append("\"><h2>").append(Html.escape(title)).append("</h2><p class=\"explain\">")
                .append(Html.escape(explanation)).append("</p>");
    }

    private static void empty(StringBuilder sb, String text) {
        sb.append("<p class=\"empty\">").append(Html.escape(text)).append("</p>");
    }

    private static String legend(List<String> names) {
        StringBuilder sb = new StringBuilder("<ul class=\"legend\">");
        for (int i = 0; i < names.size(); i++) {
            sb.append("<li><span class=\"swatch\" style=\"background:").append(Svg.color(i)).append("\"></span>")
                    .append(Html.escape(names.get(i))).append("</li>");
        }
        return sb.append("</ul>").toString();
    }

    private static void dl(StringBuilder sb, String term, String value) {
        sb.append("<dt>").append(Html.escape(term)).append("</dt><dd>").append(Html.escape(value)).append("</dd>");
    }

    private static String status(String s) {
        return "<span class=\"status " + Html.escape(s) + "\">" + Html.escape(s) + "</span>";
    }

    private static String number(Long n) {
        return n == null ? "-" : String.format(Locale.ROOT, "%,d", n);
    }

    private static String when(OffsetDateTime t) {
        return t == null ? "-" : WHEN.format(t.withOffsetSameInstant(ZoneOffset.UTC));
    }

    private static final String STYLE = """
            :root{--fg:#1f2933;--muted:#616e7c;--line:#e4e7eb;--bg:#f5f7fa;--panel:#fff}
            *{box-sizing:border-box}
            body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;color:var(--fg);background:var(--bg)}
            header{padding:20px 32px 8px}
            h1{margin:0;font-size:22px}
            .sub{margin:4px 0 0;color:var(--muted)}
            main{padding:8px 32px 24px;display:grid;grid-template-columns:repeat(auto-fit,minmax(560px,1fr));gap:16px}
            .tiles{grid-column:1/-1;display:grid;grid-template-columns:repeat(auto-fit,minmax(160px,1fr));gap:12px}
            .tile{background:var(--panel);border:1px solid var(--line);border-radius:8px;padding:12px 16px}
            .tile .label{color:var(--muted);font-size:12px;text-transform:uppercase;letter-spacing:.04em}
            .tile .value{font-size:26px;font-weight:600}
            .tile .note{color:var(--muted)}
            .panel{background:var(--panel);border:1px solid var(--line);border-radius:8px;padding:14px 18px;min-width:0}
            #insights,#exports,#runs,#turns{grid-column:1/-1}
            #turns svg.chart{max-width:880px}
            h2{margin:0 0 2px;font-size:16px}
            .explain{margin:0 0 8px;color:var(--muted);font-size:13px}
            .empty{color:var(--muted);font-style:italic}
            svg.chart{width:100%;height:auto;display:block}
            svg .grid{stroke:var(--line);stroke-width:1}
            svg .axis{stroke:#9aa5b1;stroke-width:1}
            svg .tick,svg .note,svg .row-label{font-size:11px;fill:var(--muted)}
            svg .row-label{font-size:12px;fill:var(--fg)}
            svg .value{font-size:10px;fill:var(--fg)}
            svg .in-bar{font-size:10px;fill:#fff}
            svg .axis-title{font-size:11px;fill:var(--muted)}
            .legend{list-style:none;margin:6px 0 0;padding:0;display:flex;flex-wrap:wrap;gap:6px 16px;font-size:12px}
            .swatch{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:6px;vertical-align:middle}
            table{border-collapse:collapse;width:100%;font-size:12.5px}
            th,td{text-align:left;padding:5px 8px;border-bottom:1px solid var(--line);vertical-align:top}
            th{color:var(--muted);font-weight:600}
            .num{text-align:right;font-variant-numeric:tabular-nums}
            .path,.error{word-break:break-all;max-width:380px}
            .status{padding:1px 7px;border-radius:10px;font-size:11.5px;background:#e4e7eb}
            .status.succeeded{background:#d9f2e1;color:#1d6b3a}
            .status.failed{background:#fde2e1;color:#9b1c1c}
            .status.running{background:#fff3c4;color:#7c5e10}
            .insights{display:grid;grid-template-columns:repeat(auto-fit,minmax(340px,1fr));gap:12px}
            .insight{border:1px solid var(--line);border-left:4px solid #9aa5b1;border-radius:6px;padding:10px 14px}
            .insight.critical{border-left-color:#e15759}
            .insight.warning{border-left-color:#f28e2b}
            .insight h3{margin:0 0 4px;font-size:14px}
            .insight p{margin:0 0 6px}
            .insight dl{display:grid;grid-template-columns:max-content 1fr;gap:2px 10px;margin:0;font-size:12px}
            .insight dt{color:var(--muted)}
            .insight dd{margin:0;word-break:break-word;font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:11.5px}
            .badge{font-size:11px;text-transform:uppercase;padding:1px 6px;border-radius:4px;background:#e4e7eb;margin-right:4px}
            .badge.critical{background:#e15759;color:#fff}
            .badge.warning{background:#f28e2b;color:#fff}
            footer{padding:0 32px 24px;color:var(--muted);font-size:12px}
            code{font-family:ui-monospace,SFMono-Regular,Menlo,monospace}
            """;
}
