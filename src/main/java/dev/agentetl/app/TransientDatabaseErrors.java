package dev.agentetl.app;

import dev.agentetl.runtime.Cancellation;
import dev.agentetl.runtime.Errors;
import dev.agentetl.runtime.SystemEvents;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The database errors a job may outlive by trying the same step again: the connection was lost (SQLSTATE class
 * 08), the transaction lost a serialization or deadlock race (class 40), or the server terminated the session
 * (57P: admin or crash shutdown, cannot connect now, idle session timeout). Used by the {@code repeatable-job}
 * route configuration ({@code routes/error-handling.camel.yaml}) as its {@code onWhen}, and as the redelivery
 * hook that says, in the log and in system_events, that a step is being tried again. Anything else (bad input,
 * a constraint, a query cancelled by a stop: 57014) fails at once.
 */
public final class TransientDatabaseErrors implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(TransientDatabaseErrors.class);

    private final SystemEvents events;

    public TransientDatabaseErrors(SystemEvents events) {
        this.events = events;
    }

    /** Whether the exchange failed with a transient database error, and no stop was asked for. */
    public boolean matches(Exchange exchange) {
        Throwable error = exchange.getException();
        if (error == null) error = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        return !Cancellation.requested() && sqlState(error) != null;
    }

    /** The SQLSTATE of the first transient database error in the cause chain, or null. */
    public static String sqlState(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql) {
                for (SQLException e = sql; e != null; e = e.getNextException()) {
                    if (isTransient(e.getSQLState())) return e.getSQLState();
                }
            }
            for (Throwable s : t.getSuppressed()) {
                if (s instanceof SQLException sql && isTransient(sql.getSQLState())) return sql.getSQLState();
            }
        }
        return null;
    }

    static boolean isTransient(String state) {
        return state != null && (state.startsWith("08") || state.startsWith("40") || state.startsWith("57P"));
    }

    /** Called before each new attempt: logs it and records it in system_events. */
    @Override
    public void process(Exchange exchange) {
        Throwable error = exchange.getException();
        if (error == null) error = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        int attempt = exchange.getMessage().getHeader(Exchange.REDELIVERY_COUNTER, 0, Integer.class);
        int max = exchange.getMessage().getHeader(Exchange.REDELIVERY_MAX_COUNTER, 0, Integer.class);
        // the route whose step failed (a job called by another, as the demo calls export, is named itself)
        String job = exchange.getUnitOfWork() != null && exchange.getUnitOfWork().getRoute() != null
                ? exchange.getUnitOfWork().getRoute().getRouteId() : exchange.getFromRouteId();
        String reason = error == null ? "?" : Errors.oneLine(error);
        LOG.warn("job {}: transient database error ({}: {}), trying the step again ({} of {})",
                job, sqlState(error), reason, attempt, max);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("job", job);
        details.put("sqlstate", sqlState(error));
        details.put("attempt", attempt);
        details.put("max_attempts", max);
        events.record("error", "warning", "job " + job + ": transient database error, retrying (" + attempt + " of " + max
                + "): " + reason, details);
    }
}
