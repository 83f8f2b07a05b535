package dev.agentetl.insights;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.agentetl.db.Transactions;
import dev.agentetl.runtime.JobReport;

import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * {@code insights}: runs the rules over the current and baseline windows and stores each finding as an
 * insight row keyed by a fingerprint (rule, scope, window), so a re-run in the same window updates
 * it; open insights a run no longer finds are resolved.
 */
public final class InsightsGenerator {

    private static final ObjectMapper JSON = new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);
    static final List<String> RULES = List.of("tool_failure_rate", "latency_degradation", "turns_cut_off",
            "success_rate_change", "successful_pairing", "low_performer");

    private final DataSource dataSource;
    private final InsightSettings settings;

    public InsightsGenerator(DataSource dataSource, InsightSettings settings) {
        this.dataSource = dataSource;
        this.settings = settings;
    }

    /** {@code asOf}: the end of the current window (default now). */
    public record Options(OffsetDateTime asOf) {
    }

    public JobReport generate(Options options) throws Exception {
        OffsetDateTime asOf = options != null && options.asOf() != null ? options.asOf() : OffsetDateTime.now(ZoneOffset.UTC);
        // whole UTC days, so every run on the same day uses the same windows and fingerprints
        Windows w = Windows.of(asOf.withOffsetSameInstant(ZoneOffset.UTC).truncatedTo(ChronoUnit.DAYS).plusDays(1),
                settings.currentDays(), settings.baselineDays());
        try (Connection c = dataSource.getConnection()) {
            List<Finding> findings = new ArrayList<>();
            findings.addAll(InsightRules.toolFailureRate(c, w, settings));
            findings.addAll(InsightRules.latencyDegradation(c, w, settings));
            findings.addAll(InsightRules.turnsCutOff(c, w, settings));
            findings.addAll(MoreRules.successRateChange(c, w, settings));
            findings.addAll(MoreRules.successfulPairings(c, w, settings));
            findings.addAll(MoreRules.lowPerformers(c, w, settings));
            c.setAutoCommit(false);
            try {
                long created = 0, updated = 0;
                List<Finding> opened = new ArrayList<>();
                List<String> fired = new ArrayList<>();
                StringBuilder lines = new StringBuilder();
                List<java.util.Map<String, Object>> found = new ArrayList<>();
                for (Finding f : findings) {
                    String fp = fingerprint(f, w);
                    fired.add(fp);
                    boolean isNew = upsert(c, f, w, fp);
                    if (isNew) {
                        created++;
                        opened.add(f);
                    } else {
                        updated++;
                    }
                    lines.append(String.format("  %-8s %-20s %s%n", f.severity(), f.rule(), f.title()));
                    java.util.Map<String, Object> one = new java.util.LinkedHashMap<>();
                    one.put("severity", f.severity());
                    one.put("rule", f.rule());
                    one.put("title", f.title());
                    one.put("scope", f.scope());
                    one.put("new", isNew);
                    found.add(one);
                }
                long resolved = resolveCleared(c, fired);
                c.commit();
                long n = findings.size(), cr = created, up = updated;
                String text = String.format("insights for %s .. %s (baseline from %s): %d found, %d new, %d updated, %d resolved%n",
                        w.currentFrom().toLocalDate(), w.currentTo().toLocalDate(), w.baselineFrom().toLocalDate(), n, cr, up, resolved) + lines;
                java.util.Map<String, Object> data = new java.util.LinkedHashMap<>();
                data.put("current_from", w.currentFrom().toLocalDate());
                data.put("current_to", w.currentTo().toLocalDate());
                data.put("baseline_from", w.baselineFrom().toLocalDate());
                data.put("found", n);
                data.put("new", cr);
                data.put("updated", up);
                data.put("resolved", resolved);
                data.put("findings", found);
                return new InsightsReport(cr + up + resolved, text, data, opened.stream().map(Finding::asNew).toList());
            } catch (SQLException | RuntimeException e) {
                Transactions.rollbackQuietly(c, e);
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    static String fingerprint(Finding f, Windows w) throws Exception {
        String key = f.rule() + "|" + JSON.writeValueAsString(f.scope()) + "|" + w.currentFrom().toLocalDate() + "|" + w.currentTo().toLocalDate();
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
    }

    /** Returns true when the insight is new. A resolved insight that fires again is reopened. */
    private static boolean upsert(Connection c, Finding f, Windows w, String fp) throws Exception {
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO insights (insight_type, title, description, severity, data, rule, fingerprint, scope, status,
                       current_from, current_to, baseline_from, baseline_to, sample_size, baseline_sample, interval_low, interval_high)
                VALUES (?, ?, ?, ?, ?::jsonb, ?, ?, ?::jsonb, 'open', ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (fingerprint) DO UPDATE SET title = EXCLUDED.title, description = EXCLUDED.description,
                       severity = EXCLUDED.severity, data = EXCLUDED.data, sample_size = EXCLUDED.sample_size,
                       baseline_sample = EXCLUDED.baseline_sample, interval_low = EXCLUDED.interval_low,
                       interval_high = EXCLUDED.interval_high, updated_at = now(),
                       status = CASE WHEN insights.status = 'resolved' THEN 'open' ELSE insights.status END,
                       resolved_at = NULL
                RETURNING (xmax = 0)""")) {
            int i = 1;
            ps.setString(i++, f.type());
            ps.setString(i++, f.title());
            ps.setString(i++, f.description());
            ps.setString(i++, f.severity());
            ps.setString(i++, JSON.writeValueAsString(f.figures()));
            ps.setString(i++, f.rule());
            ps.setString(i++, fp);
            ps.setString(i++, JSON.writeValueAsString(f.scope()));
            ps.setObject(i++, w.currentFrom());
            ps.setObject(i++, w.currentTo());
            ps.setObject(i++, w.baselineFrom());
            ps.setObject(i++, w.baselineTo());
            ps.setLong(i++, f.sample());
            ps.setObject(i++, f.baselineSample());
            ps.setDouble(i++, f.low());
            ps.setDouble(i, f.high());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    private static long resolveCleared(Connection c, List<String> fired) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                UPDATE insights SET status = 'resolved', resolved_at = now(), updated_at = now()
                WHERE status IN ('open', 'acknowledged') AND rule = ANY (?) AND NOT (fingerprint = ANY (?))""")) {
            Array rules = c.createArrayOf("text", RULES.toArray());
            Array fps = c.createArrayOf("text", fired.toArray());
            ps.setArray(1, rules);
            ps.setArray(2, fps);
            return ps.executeUpdate();
        }
    }
}
