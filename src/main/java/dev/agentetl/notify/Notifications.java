package dev.agentetl.notify;

import dev.agentetl.insights.InsightsReport;
import dev.agentetl.runtime.Errors;
import dev.agentetl.runtime.JobReport;
import dev.agentetl.app.JobRunPolicy;
import dev.agentetl.runtime.Secrets;
import org.apache.camel.Exchange;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What is worth telling someone, as the messages the {@code notify} route sends (as JSON) to
 * {@code agent-etl.notify.uri}: the insights a run of the rules opened, at the configured severities, whatever
 * started the run; and a scheduled run that failed. Nothing when the URI is empty.
 */
public final class Notifications {

    private final boolean on;
    private final Set<String> severities;

    public Notifications(String uri, String severities) {
        this.on = uri != null && !uri.isBlank();
        this.severities = Arrays.stream(severities.split("[\\s,]+")).map(s -> s.trim().toLowerCase(Locale.ROOT))
                .filter(s -> !s.isEmpty()).collect(Collectors.toUnmodifiableSet());
    }

    /** One message per new insight of a notified severity, from an insights run's report. */
    public List<Map<String, Object>> newInsights(Object report) {
        if (!on || !(report instanceof InsightsReport r)) return List.of();
        return r.opened().stream().filter(i -> severities.contains(i.severity())).map(i -> {
            Map<String, Object> m = message("insight");
            m.put("severity", i.severity());
            m.put("rule", i.rule());
            m.put("insight_type", i.type());
            m.put("title", i.title());
            m.put("description", i.description());
            m.put("scope", i.scope());
            m.put("figures", i.figures());
            return m;
        }).toList();
    }

    /**
     * A message when the scheduled run of {@code job} failed: it threw (the error is the exchange's, or the one a
     * doCatch caught), or its report names problems; none when it succeeded.
     */
    public List<Map<String, Object>> failedRun(Exchange exchange, String job) {
        if (!on) return List.of();
        // the job threw (the exchange's error, or the one the trigger's doCatch caught), or its report names problems
        Object body = exchange.getMessage().getBody();
        Throwable error = exchange.getException();
        String reason;
        if (error == null && body instanceof JobReport report) {
            if (report.problems().isEmpty()) return List.of();
            reason = report.problems().size() + " problem(s), first: " + report.problems().get(0);
        } else {
            if (error == null) error = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
            if (error == null) return List.of();
            reason = Errors.oneLine(error);
        }
        Map<String, Object> m = message("job_failed");
        m.put("severity", "critical");
        m.put("job", job);
        m.put("trigger", exchange.getMessage().getHeader(JobRunPolicy.TRIGGER, "schedule", String.class));
        java.util.Date firing = exchange.getMessage().getHeader(JobRunPolicy.SCHEDULED_FOR, java.util.Date.class);
        m.put("scheduled_for", firing == null ? null : firing.toInstant().toString());
        m.put("error", Secrets.scrub(reason));
        return List.of(m);
    }

    private static Map<String, Object> message(String type) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("source", "agent-etl");
        m.put("type", type);
        m.put("node", JobRunPolicy.NODE);
        m.put("at", OffsetDateTime.now(ZoneOffset.UTC).toString());
        return m;
    }
}
