package dev.agentetl.runtime;

import dev.agentetl.db.GroupContract;
import dev.agentetl.db.Layout;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Jobs name a group's tables without a schema; the search path finds them. A table of the same name
 * earlier on the path (left in agent-etl's schema by an older release, or an app's own in another
 * group's schema) would be read or written instead: a job does not start when a name finds anything but
 * the group's configured table.
 */
final class Shadowed {

    private Shadowed() {
    }

    static List<String> names(Connection c, Layout.Place place) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT t, n.nspname FROM unnest(?::text[]) AS t
                LEFT JOIN pg_class r ON r.oid = to_regclass(quote_ident(t)) LEFT JOIN pg_namespace n ON n.oid = r.relnamespace
                WHERE n.nspname IS DISTINCT FROM ? ORDER BY t""")) {
            ps.setArray(1, c.createArrayOf("text", GroupContract.of(place.group()).tables().toArray()));
            ps.setString(2, place.schema());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(2) == null ? rs.getString(1) + " is not found on the search path"
                            : rs.getString(1) + " finds " + rs.getString(2) + "." + rs.getString(1) + ", not the " + place.group().key()
                            + " group's " + place.schema() + "." + rs.getString(1) + "; move or rename the other table");
                }
            }
        }
        return out;
    }
}
