package dev.agentetl.export;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The SELECT of an export. Identifiers come from the dataset's catalog entry (quoted); every value a
 * user gives (times, filter values) is a bound parameter, so no user text ever becomes SQL.
 * <p>
 * {@code copySql} is the same SELECT for COPY, which takes no bound parameters: there each value is read
 * with {@code current_setting('agent_etl.export_p<N>')}, set beforehand by a bound {@code set_config}
 * ({@link #bindSettings}), so user text still never becomes SQL.
 */
record ExportQuery(String sql, String copySql, List<Object> parameters, Map<String, Object> filters, boolean hasWhere) {

    /** The setting that carries parameter {@code i} (from 1) of {@link #copySql}. */
    static String setting(int i) {
        return "agent_etl.export_p" + i;
    }

    static ExportQuery of(Dataset dataset, OffsetDateTime since, OffsetDateTime until, Map<String, String> where) {
        return of(dataset, since, until, where, false);
    }

    /** @param withoutTime whether rows whose time is NULL are kept along with those before {@code until} */
    static ExportQuery of(Dataset dataset, OffsetDateTime since, OffsetDateTime until, Map<String, String> where,
                          boolean withoutTime) {
        String from = "SELECT * FROM " + dataset.qualifiedName();
        List<String> conditions = new ArrayList<>();
        List<String> copyConditions = new ArrayList<>();
        List<Object> params = new ArrayList<>();
        Map<String, Object> filters = new LinkedHashMap<>();
        if (since != null || until != null) {
            String time = dataset.timeColumn().orElseThrow(() -> new IllegalArgumentException(
                    "dataset " + dataset.name() + " has no time column; --since, --until and --incremental need one"));
            String type = dataset.column(time).orElseThrow().type();
            if (since != null) {
                params.add(since);
                conditions.add(Dataset.quote(time) + " >= ?");
                copyConditions.add(Dataset.quote(time) + " >= " + fromSetting(params.size(), type));
                filters.put("since", since.toString());
            }
            if (until != null) {
                params.add(until);
                String orNull = withoutTime ? " OR " + Dataset.quote(time) + " IS NULL)" : "";
                conditions.add((withoutTime ? "(" : "") + Dataset.quote(time) + " < ?" + orNull);
                copyConditions.add((withoutTime ? "(" : "") + Dataset.quote(time) + " < " + fromSetting(params.size(), type) + orNull);
                filters.put("until", until.toString());
            }
        }
        for (Map.Entry<String, String> w : where.entrySet()) {
            Column column = dataset.column(w.getKey()).orElseThrow(() -> new IllegalArgumentException(
                    "--where: dataset " + dataset.name() + " has no column '" + w.getKey() + "'"));
            params.add(w.getValue());
            conditions.add(Dataset.quote(column.name()) + " = CAST(? AS " + Dataset.quote(column.type()) + ")");
            copyConditions.add(Dataset.quote(column.name()) + " = " + fromSetting(params.size(), column.type()));
            filters.put(column.name(), w.getValue());
        }
        return new ExportQuery(where(from, conditions), where(from, copyConditions), params, filters, !conditions.isEmpty());
    }

    private static String fromSetting(int i, String type) {
        return "CAST(current_setting('" + setting(i) + "') AS " + Dataset.quote(type) + ")";
    }

    private static String where(String from, List<String> conditions) {
        return conditions.isEmpty() ? from : from + " WHERE " + String.join(" AND ", conditions);
    }

    /** The same query restricted by a condition of our own making (a block range), in both forms. */
    ExportQuery restrictedTo(String condition) {
        String glue = hasWhere ? " AND " : " WHERE ";
        return new ExportQuery(sql + glue + condition, copySql + glue + condition, parameters, filters, true);
    }

    /** Sets the values {@link #copySql} reads, for the current transaction only, as bound parameters. */
    void bindSettings(java.sql.Connection c) throws java.sql.SQLException {
        if (parameters.isEmpty()) return;
        try (java.sql.PreparedStatement ps = c.prepareStatement("SELECT set_config(?, ?, true)")) {
            for (int i = 0; i < parameters.size(); i++) {
                ps.setString(1, setting(i + 1));
                ps.setString(2, String.valueOf(parameters.get(i)));
                ps.execute();
            }
        }
    }
}
