package dev.agentetl.reports;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentetl.runtime.JobReport;
import org.apache.camel.Exchange;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code report list} and {@code report NAME}: the seeds' analysis queries as named reports
 * (src/main/resources/reports/*.sql), run read-only with bound parameters and printed as an aligned
 * table, CSV or JSON. The route (routes/reports.camel.yaml) runs the query on its jdbc endpoint and marshals
 * the CSV with camel-csv; this bean prepares the statement and renders the rest.
 */
public final class ReportRunner {

    private static final Pattern PARAM = Pattern.compile(":(since|session|min_executions|limit)\\b");
    /** Seed 002's defaults: get_top_tools(limit=20, min_executions=3), get_recent_executions(limit=50). */
    static final int DEFAULT_MIN_EXECUTIONS = 3;

    public ReportRunner() {
    }

    /**
     * A report run: name, rows since, the conversation for session_replay, output format, the fewest
     * executions a tool needs to be ranked (top_tools; null: 3) and the most rows (null: 20 for top_tools,
     * 50 for recent_executions).
     */
    public record Request(String name, OffsetDateTime since, String session, String format,
                          Integer minExecutions, Integer limit) {
        public Request(String name, OffsetDateTime since, String session, String format) {
            this(name, since, session, format, null, null);
        }

        int minExecutionsOrDefault() {
            return minExecutions != null ? minExecutions : DEFAULT_MIN_EXECUTIONS;
        }

        int limitOrDefault() {
            return limit != null ? limit : "top_tools".equals(name) ? 20 : 50;
        }
    }

    public JobReport list() throws IOException {
        StringBuilder sb = new StringBuilder();
        List<Map<String, Object>> reports = new ArrayList<>();
        for (String name : names()) {
            sb.append(String.format("%-30s %s%n", name, description(name)));
            reports.add(Map.of("name", name, "description", description(name)));
        }
        return dev.agentetl.runtime.TextReport.read(sb.toString(), Map.of("reports", reports), reports.size());
    }

    /** The report's columns (in the query's order) and rows, values as the report prints them. */
    public record Rows(List<String> columns, List<List<Object>> rows) {
    }

    /**
     * The report's statement for the route's jdbc endpoint: its parameters as {@code :?name}, their values
     * as headers of the same name (useHeadersAsParameters). The request's format goes to the variable
     * {@code format} for the route's choice.
     */
    public String statement(Request r, Exchange exchange) throws IOException {
        if (!names().contains(r.name())) {
            throw new IllegalArgumentException("unknown report '" + r.name() + "'; see 'agent-etl report list'");
        }
        String format = r.format() == null ? "table" : r.format();
        if (!List.of("table", "csv", "json").contains(format)) {
            throw new IllegalArgumentException("unknown format '" + r.format() + "'; use table, csv or json");
        }
        String sql = resource(r.name() + ".sql");
        Matcher m = PARAM.matcher(sql);
        while (m.find()) {
            Object value = switch (m.group(1)) {
                case "since" -> r.since();
                case "min_executions" -> r.minExecutionsOrDefault();
                case "limit" -> r.limitOrDefault();
                default -> {
                    if (r.session() == null) throw new IllegalArgumentException("report " + r.name() + " needs --session THREAD_ID");
                    yield r.session();
                }
            };
            exchange.getMessage().setHeader(m.group(1), value);
        }
        exchange.setVariable("format", format);
        return PARAM.matcher(sql).replaceAll(":?$1");
    }

    /** The jdbc endpoint's rows (one map per row, in column order) as lists; PostgreSQL objects as their text. */
    public Rows rows(List<Map<String, Object>> result, Collection<String> columnNames) {
        List<String> columns = new ArrayList<>(columnNames);
        List<List<Object>> rows = new ArrayList<>(result.size());
        for (Map<String, Object> map : result) {
            List<Object> row = new ArrayList<>(columns.size());
            for (Object v : map.values()) row.add(v instanceof org.postgresql.util.PGobject o ? o.getValue() : v);
            rows.add(row);
        }
        return new Rows(columns, rows);
    }

    /**
     * The CSV's records for the route's {@code marshal: csv}: the header, then the rows, each a map in column
     * order (camel-csv prints a map's values as they come; a map needs no conversion per row, a list does).
     */
    public List<Map<String, Object>> records(Rows rows) {
        List<Map<String, Object>> records = new ArrayList<>(rows.rows().size() + 1);
        Map<String, Object> header = new LinkedHashMap<>();
        for (String c : rows.columns()) header.put(c, c);
        records.add(header);
        for (List<Object> row : rows.rows()) {
            Map<String, Object> record = new LinkedHashMap<>();
            for (int i = 0; i < row.size(); i++) record.put(rows.columns().get(i), row.get(i));
            records.add(record);
        }
        return records;
    }

    /** The report as printed: the table or JSON rendered here, the CSV as the route marshalled it. */
    public JobReport report(Request r, Rows rows, String csv) throws IOException {
        String text = switch (r.format() == null ? "table" : r.format()) {
            case "csv" -> csv;
            case "json" -> json(rows.columns(), rows.rows());
            default -> table(rows.columns(), rows.rows());
        };
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("name", r.name());
        data.put("since", r.since());
        if (r.session() != null) data.put("session", r.session());
        data.put("columns", rows.columns());
        data.put("rows", objects(rows.columns(), rows.rows()));
        return dev.agentetl.runtime.TextReport.read(text, data, rows.rows().size());
    }

    static String table(List<String> columns, List<List<Object>> rows) {
        int[] width = new int[columns.size()];
        for (int i = 0; i < width.length; i++) width[i] = columns.get(i).length();
        List<String[]> cells = new ArrayList<>();
        for (List<Object> row : rows) {
            String[] cell = new String[row.size()];
            for (int i = 0; i < cell.length; i++) {
                String s = row.get(i) == null ? "" : row.get(i).toString().replace('\n', ' ');
                cell[i] = s.length() > 80 ? s.substring(0, 77) + "..." : s;
                width[i] = Math.max(width[i], cell[i].length());
            }
            cells.add(cell);
        }
        StringBuilder sb = new StringBuilder();
        appendLine(sb, columns.toArray(String[]::new), width);
        String[] rule = new String[width.length];
        for (int i = 0; i < width.length; i++) rule[i] = "-".repeat(width[i]);
        appendLine(sb, rule, width);
        for (String[] cell : cells) appendLine(sb, cell, width);
        sb.append("(").append(rows.size()).append(rows.size() == 1 ? " row)\n" : " rows)\n");
        return sb.toString();
    }

    private static void appendLine(StringBuilder sb, String[] cells, int[] width) {
        for (int i = 0; i < cells.length; i++) {
            if (i > 0) sb.append("  ");
            sb.append(String.format("%-" + width[i] + "s", cells[i]));
        }
        sb.append('\n');
    }

    /** The rows as objects keyed by column, times as text: the JSON format's rows and the data of --json. */
    private static List<Map<String, Object>> objects(List<String> columns, List<List<Object>> rows) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (List<Object> row : rows) {
            Map<String, Object> m = new LinkedHashMap<>();
            for (int i = 0; i < columns.size(); i++) {
                Object v = row.get(i);
                m.put(columns.get(i), v instanceof java.sql.Timestamp || v instanceof java.sql.Date ? v.toString() : v);
            }
            out.add(m);
        }
        return out;
    }

    private static String json(List<String> columns, List<List<Object>> rows) throws IOException {
        return new ObjectMapper().disable(com.fasterxml.jackson.databind.SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .writerWithDefaultPrettyPrinter().writeValueAsString(objects(columns, rows)) + "\n";
    }

    static List<String> names() throws IOException {
        List<String> names = new ArrayList<>();
        for (String line : resource("index.txt").split("\n")) {
            if (!line.isBlank() && !line.startsWith("#")) names.add(line.strip());
        }
        return names;
    }

    private static String description(String name) throws IOException {
        String first = resource(name + ".sql").lines().findFirst().orElse("");
        return first.startsWith("--") ? first.substring(2).strip() : "";
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = ReportRunner.class.getClassLoader().getResourceAsStream("reports/" + name)) {
            if (in == null) throw new IllegalStateException("missing report resource " + name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
