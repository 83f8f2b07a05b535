package dev.agentetl.runtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.Map;

/** Writes the application's own lifecycle (start, stop, job failures) into system_events. */
public final class SystemEvents {

    private static final Logger LOG = LoggerFactory.getLogger(SystemEvents.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final DataSource dataSource;
    private final String table;
    private final java.util.function.BooleanSupplier ready;

    /**
     * Events go to agent-etl's own schema, named explicitly: an app may have a system_events table of its
     * own (seed 000) on the search path. Before agent-etl's schema exists (a read-only command on a database
     * never migrated) nothing is recorded.
     */
    public SystemEvents(DataSource dataSource, String ownSchema, java.util.function.BooleanSupplier ready) {
        this.dataSource = dataSource;
        this.table = ownSchema + ".system_events";
        this.ready = ready;
    }

    public void record(String type, String level, String message, Map<String, ?> details) {
        if (!ready.getAsBoolean()) {
            return;
        }
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "INSERT INTO " + table + " (event_type, event_level, message, details) VALUES (?, ?, ?, ?::jsonb)")) {
            ps.setString(1, type);
            ps.setString(2, level);
            ps.setString(3, Secrets.scrub(message));
            ps.setString(4, Secrets.scrub(JSON.writeValueAsString(details)));
            ps.executeUpdate();
        } catch (Exception e) {
            // the event log must never be the reason a job fails
            LOG.warn("could not record system event '{}': {}", Secrets.scrub(message), Secrets.scrub(e.getMessage()));
        }
    }
}
