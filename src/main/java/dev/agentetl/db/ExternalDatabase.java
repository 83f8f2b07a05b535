package dev.agentetl.db;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/** A PostgreSQL server given by URL; checked for reachability up front so failures are one clear line. */
final class ExternalDatabase implements Database {

    private final String url;
    private final String user;
    private final String password;

    private ExternalDatabase(String url, String user, String password) {
        this.url = url;
        this.user = user;
        this.password = password;
    }

    /** The server of this URL, not yet connected to; a URL that is not PostgreSQL's is refused here. */
    static ExternalDatabase of(String url, String user, String password) {
        if (!url.startsWith("jdbc:postgresql:")) {
            throw new DatabaseUnavailableException("agent-etl.db.url must be a jdbc:postgresql: URL, got '" + redact(url) + "'");
        }
        return new ExternalDatabase(url, user, password);
    }

    @Override
    public void probe() {
        Properties props = new Properties();
        if (!user.isEmpty()) props.setProperty("user", user);
        if (!password.isEmpty()) props.setProperty("password", password);
        props.setProperty("connectTimeout", "10");
        try (Connection ignored = DriverManager.getConnection(url, props)) {
            // reachable, and the user may log in
        } catch (SQLException e) {
            throw new DatabaseUnavailableException("cannot connect to " + redact(url) + ": " + firstLine(e.getMessage()), e);
        }
    }

    /** Removes a password given inside the URL itself. */
    static String redact(String url) {
        return dev.agentetl.runtime.Secrets.maskUrl(url);
    }

    private static String firstLine(String message) {
        if (message == null) return "unknown error";
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }

    @Override public String jdbcUrl() { return url; }
    @Override public String user() { return user; }
    @Override public String password() { return password; }
    @Override public String describe() { return "external PostgreSQL " + redact(url); }
    @Override public void close() { }
}
