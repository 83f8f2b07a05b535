package dev.agentetl.observe;

import dev.agentetl.db.Database;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A connection of its own with short timeouts, not one from the job pool: health and metrics must answer within
 * seconds when the database is gone or every pooled connection is busy with a long job.
 */
final class DatabaseProbe {

    private final Database database;
    private final String ownSchema;

    DatabaseProbe(Database database, String ownSchema) {
        this.database = database;
        this.ownSchema = ownSchema;
    }

    String ownSchema() {
        return ownSchema;
    }

    Connection connect() throws SQLException {
        java.util.Properties p = new java.util.Properties();
        p.setProperty("user", database.user());
        p.setProperty("password", database.password());
        p.setProperty("connectTimeout", "3");
        p.setProperty("socketTimeout", "10");
        p.setProperty("ApplicationName", "agent-etl health");
        Connection c = DriverManager.getConnection(database.jdbcUrl(), p);
        try (Statement st = c.createStatement()) {
            st.execute("SET statement_timeout = '5s'");
        } catch (SQLException e) {
            c.close();
            throw e;
        }
        return c;
    }
}
