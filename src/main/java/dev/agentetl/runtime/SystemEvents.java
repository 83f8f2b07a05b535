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

    public SystemEvents(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public void record(String type, String level, String message, Map<String, ?> details) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "INSERT INTO system_events (event_type, event_level, message, details) VALUES (?, ?, ?, ?::jsonb)")) {
            ps.setString(1, type);
            ps.setString(2, level);
            ps.setString(3, message);
            ps.setString(4, JSON.writeValueAsString(details));
            ps.executeUpdate();
        } catch (Exception e) {
            // the event log must never be the reason a job fails
            LOG.warn("could not record system event '{}': {}", message, e.getMessage());
        }
    }
}
