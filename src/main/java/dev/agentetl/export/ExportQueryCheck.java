package dev.agentetl.export;

import java.sql.Connection;
import java.sql.SQLException;

/** For tools outside this package that must only name datasets the catalog knows. */
public final class ExportQueryCheck {

    private ExportQueryCheck() {
    }

    /** Throws unless the name is a table or view of the public schema. */
    public static void requireDataset(Connection c, String name) throws SQLException {
        Dataset.lookup(c, name);
    }
}
