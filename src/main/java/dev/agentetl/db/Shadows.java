package dev.agentetl.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Jobs find a group's tables through the search path, agent-etl's schema first. A table of the same name
 * left in agent-etl's schema (a group created there before it was configured elsewhere) would be found
 * instead of the configured one: that is reported, never guessed around.
 */
final class Shadows {

    private Shadows() {
    }

    static List<GroupInspector.Problem> of(Connection home, Layout layout, Layout.Place place) throws SQLException {
        List<GroupInspector.Problem> out = new ArrayList<>();
        if (place.schema().equals(layout.ownSchema())) return out;
        try (PreparedStatement ps = home.prepareStatement("""
                SELECT relname FROM pg_class WHERE relnamespace = to_regnamespace(?) AND relname = ANY (?)
                AND relkind IN ('r', 'v', 'm', 'p', 'f') ORDER BY relname""")) {
            ps.setString(1, layout.ownSchema());
            ps.setArray(2, home.createArrayOf("text", GroupContract.of(place.group()).tables().toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new GroupInspector.Problem(rs.getString(1), null, null, layout.ownSchema() + "." + rs.getString(1)
                            + " hides " + place.schema() + "." + rs.getString(1)
                            + " from the jobs (a group created in agent-etl's schema earlier); move or drop it"));
                }
            }
        }
        return out;
    }
}
