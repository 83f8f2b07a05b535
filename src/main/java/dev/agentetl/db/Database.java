package dev.agentetl.db;

import dev.agentetl.runtime.AppConfig;

import javax.sql.DataSource;

/** The PostgreSQL server agent-etl works on: embedded (the default) or external (configured). */
public interface Database extends AutoCloseable {

    /** Opens the configured database: external when {@code agent-etl.db.url} is set, embedded otherwise. */
    static Database open(AppConfig config) {
        if (!isExternal(config)) {
            return EmbeddedDatabase.start(config.path("agent-etl.embedded.data-dir"),
                    config.getInt("agent-etl.embedded.port"));
        }
        Database external = unconnected(config);
        external.probe();
        return external;
    }

    /** Whether the configuration names an external server ({@code agent-etl.db.url} set). */
    static boolean isExternal(AppConfig config) {
        return !config.get("agent-etl.db.url", "").isEmpty();
    }

    /**
     * The configured external server, its URL's form checked but not yet connected to: {@link #probe()} says
     * whether it can be reached.
     */
    static Database unconnected(AppConfig config) {
        return ExternalDatabase.of(config.get("agent-etl.db.url", ""), config.get("agent-etl.db.user", ""),
                config.get("agent-etl.db.password", ""));
    }

    /**
     * Connects once and fails with one clear line ({@link DatabaseUnavailableException}) when the server cannot be
     * reached; an embedded server is running once opened.
     */
    default void probe() {
    }

    String jdbcUrl();

    String user();

    String password();

    /** The embedded server agent-etl started and owns entirely (migrated at every start). */
    default boolean isEmbedded() {
        return false;
    }

    /** One line for reports and logs, never with a password. */
    String describe();

    @Override
    void close();

}
