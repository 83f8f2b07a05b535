package dev.agentetl.export;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The SELECT of an export. Identifiers come from the dataset's catalog entry (quoted); every value a
 * user gives (times, filter values) is a bound parameter, so no user text ever becomes SQL.
 */
record ExportQuery(String sql, List<Object> parameters, Map<String, Object> filters) {

    static ExportQuery of(Dataset dataset, OffsetDateTime since, OffsetDateTime until, Map<String, String> where) {
        StringBuilder sql = new StringBuilder("SELECT * FROM public.").append(Dataset.quote(dataset.name()));
        List<String> conditions = new ArrayList<>();
        List<Object> params = new ArrayList<>();
        Map<String, Object> filters = new LinkedHashMap<>();
        if (since != null || until != null) {
            String time = dataset.timeColumn().orElseThrow(() -> new IllegalArgumentException(
                    "dataset " + dataset.name() + " has no time column; --since, --until and --incremental need one"));
            if (since != null) {
                conditions.add(Dataset.quote(time) + " >= ?");
                params.add(since);
                filters.put("since", since.toString());
            }
            if (until != null) {
                conditions.add(Dataset.quote(time) + " < ?");
                params.add(until);
                filters.put("until", until.toString());
            }
        }
        for (Map.Entry<String, String> w : where.entrySet()) {
            Column column = dataset.column(w.getKey()).orElseThrow(() -> new IllegalArgumentException(
                    "--where: dataset " + dataset.name() + " has no column '" + w.getKey() + "'"));
            conditions.add(Dataset.quote(column.name()) + " = CAST(? AS " + Dataset.quote(column.type()) + ")");
            params.add(w.getValue());
            filters.put(column.name(), w.getValue());
        }
        if (!conditions.isEmpty()) {
            sql.append(" WHERE ").append(String.join(" AND ", conditions));
        }
        return new ExportQuery(sql.toString(), params, filters);
    }
}
