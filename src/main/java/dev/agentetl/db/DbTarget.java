package dev.agentetl.db;

/**
 * A PostgreSQL database agent-etl connects to: the home database ({@code agent-etl.db.*}, embedded when
 * unset) or one a group is configured to live in. Equal targets share one pool.
 */
public record DbTarget(String url, String user, String password) {

    /** The home database is written as an empty URL in a group's place. */
    public static final DbTarget HOME = new DbTarget("", "", "");

    public boolean isHome() {
        return url.isEmpty();
    }

    /** For reports and logs: never the password. */
    public String describe() {
        return isHome() ? "home database" : ExternalDatabase.redact(url);
    }

    @Override
    public String toString() {
        return describe();
    }
}
