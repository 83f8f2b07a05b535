package dev.agentetl.importing;

import java.sql.BatchUpdateException;
import java.sql.SQLException;

/** The server's own reason when it refuses a file's rows, in one line, without the statement or its values. */
public final class DatabaseRefusal {

    private DatabaseRefusal() {
    }

    public static String reason(SQLException e) {
        SQLException cause = e;
        // a batch reports "Batch entry N <statement> was aborted"; the server's reason is the next exception
        if (e instanceof BatchUpdateException && e.getNextException() != null) {
            cause = e.getNextException();
        }
        String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage().strip();
        int nl = message.indexOf('\n');
        if (nl >= 0) message = message.substring(0, nl).strip();
        if (message.startsWith("ERROR: ")) message = message.substring("ERROR: ".length());
        String state = cause.getSQLState();
        return state == null ? message : message + " (SQLSTATE " + state + ")";
    }
}
