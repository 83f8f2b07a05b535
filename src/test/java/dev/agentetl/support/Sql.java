package dev.agentetl.support;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** Small query helpers for assertions. */
public final class Sql {

    private Sql() {
    }

    public static long count(Connection c, String sql) throws SQLException {
        return number(c, sql).longValue();
    }

    public static Number number(Connection c, String sql) throws SQLException {
        Object v = value(c, sql);
        return v == null ? 0 : (Number) v;
    }

    public static Object value(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            return rs.next() ? rs.getObject(1) : null;
        }
    }

    public static void exec(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }
}
