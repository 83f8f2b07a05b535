package dev.agentetl.reports;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentetl.runtime.JobReport;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code report list} and {@code report NAME}: the seeds' analysis queries as named reports
 * (src/main/resources/reports/*.sql), run read-only with bound parameters and printed as an aligned
 * table, CSV or JSON.
 */
public final class ReportRunner {

    private static final Pattern PARAM = Pattern.compile(":(since|session|min_executions|limit)\\b");
    /** Seed 002's defaults: get_top_tools(limit=20, min_executions=3), get_recent_executions(limit=50). */
    static final int DEFAULT_MIN_EXECUTIONS = 3;
    private final DataSource dataSource;

    public ReportRunner(DataSource dataSource) {
        this.dataSource = dataSource;
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

    public JobReport run(Request r) throws Exception {
        if (!names().contains(r.name())) {
            throw new IllegalArgumentException("unknown report '" + r.name() + "'; see 'agent-etl report list'");
        }
        String sql = resource(r.name() + ".sql");
        List<String> order = new ArrayList<>();
        Matcher m = PARAM.matcher(sql);
        while (m.find()) order.add(m.group(1));
        if (order.contains("session") && r.session() == null) {
            throw new IllegalArgumentException("report " + r.name() + " needs --session THREAD_ID");
        }
        List<String> columns = new ArrayList<>();
        List<List<Object>> rows = new ArrayList<>();
        try (Connection c = dataSource.getConnection()) {
            c.setReadOnly(true);
            try (PreparedStatement ps = c.prepareStatement(PARAM.matcher(sql).replaceAll("?"))) {
                for (int i = 0; i < order.size(); i++) {
                    switch (order.get(i)) {
                        case "since" -> ps.setObject(i + 1, r.since());
                        case "min_executions" -> ps.setInt(i + 1, r.minExecutionsOrDefault());
                        case "limit" -> ps.setInt(i + 1, r.limitOrDefault());
                        default -> ps.setString(i + 1, r.session());
                    }
                }
                try (ResultSet rs = ps.executeQuery()) {
                    ResultSetMetaData md = rs.getMetaData();
                    for (int i = 1; i <= md.getColumnCount(); i++) columns.add(md.getColumnLabel(i));
                    while (rs.next()) {
                        List<Object> row = new ArrayList<>();
                        for (int i = 1; i <= columns.size(); i++) {
                            Object v = rs.getObject(i);
                            row.add(v instanceof org.postgresql.util.PGobject o ? o.getValue() : v);
                        }
                        rows.add(row);
                    }
                }
            } finally {
                c.setReadOnly(false);
            }
        }
        String text = switch (r.format() == null ? "table" : r.format()) {
            case "table" -> table(columns, rows);
            case "csv" -> csv(columns, rows);
            case "json" -> json(columns, rows);
            default -> throw new IllegalArgumentException("unknown format '" + r.format() + "'; use table, csv or json");
        };
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("name", r.name());
        data.put("since", r.since());
        if (r.session() != null) data.put("session", r.session());
        data.put("columns", columns);
        data.put("rows", objects(columns, rows));
        return dev.agentetl.runtime.TextReport.read(text, data, rows.size());
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

    private static String csv(List<String> columns, List<List<Object>> rows) throws IOException {
        StringWriter out = new StringWriter();
        try (CSVPrinter p = new CSVPrinter(out, CSVFormat.RFC4180.builder().setHeader(columns.toArray(String[]::new)).get())) {
            for (List<Object> row : rows) p.printRecord(row);
        }
        return out.toString();
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
