package dev.agentetl.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Jobs name a group's tables without a schema; the search path finds them. A table of the same name earlier
 * on the path (left in agent-etl's schema by an older release, or an app's own in another group's schema)
 * would be read or written instead: each name must find the group's configured table. Checked by migrate and
 * before every job, on a connection with the jobs' search path; reported, never guessed around.
 */
public final class Shadows {

    private Shadows() {
    }

    public static List<GroupInspector.Problem> of(Connection c, Layout.Place place) throws SQLException {
        List<GroupInspector.Problem> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT t, n.nspname FROM unnest(?::text[]) AS t
                LEFT JOIN pg_class r ON r.oid = to_regclass(quote_ident(t)) LEFT JOIN pg_namespace n ON n.oid = r.relnamespace
                WHERE n.nspname IS DISTINCT FROM ? ORDER BY t""")) {
            ps.setArray(1, c.createArrayOf("text", GroupContract.of(place.group()).tables().toArray()));
            ps.setString(2, place.schema());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String t = rs.getString(1);
                    out.add(new GroupInspector.Problem(t, null, null, rs.getString(2) == null ? "not found on the search path"
                            : "the name finds " + rs.getString(2) + "." + t + ", not the " + place.group().key() + " group's "
                            + place.schema() + "." + t + "; move or rename the other table"));
                }
            }
        }
        return out;
    }
}
