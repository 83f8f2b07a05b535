package dev.agentetl.db;

/** The database cannot be used: unreachable, misconfigured, or its data folder is in use. */
public class DatabaseUnavailableException extends RuntimeException {
    public DatabaseUnavailableException(String message) {
        super(message);
    }

    public DatabaseUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
