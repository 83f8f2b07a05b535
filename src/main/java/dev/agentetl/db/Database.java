package dev.agentetl.db;

import dev.agentetl.runtime.AppConfig;

import javax.sql.DataSource;

/** The PostgreSQL server agent-etl works on: embedded (the default) or external (configured). */
public interface Database extends AutoCloseable {

    /** Opens the configured database: external when {@code agent-etl.db.url} is set, embedded otherwise. */
    static Database open(AppConfig config) {
        String url = config.get("agent-etl.db.url", "");
        if (url.isEmpty()) {
            return EmbeddedDatabase.start(config.path("agent-etl.embedded.data-dir"),
                    config.getInt("agent-etl.embedded.port"));
        }
        return ExternalDatabase.connect(url, config.get("agent-etl.db.user", ""), config.get("agent-etl.db.password", ""));
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
