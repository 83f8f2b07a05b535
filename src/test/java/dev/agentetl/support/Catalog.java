package dev.agentetl.support;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** The catalog's own account of what a table is, and of everything a database holds, for before/after comparisons. */
public final class Catalog {

    private Catalog() {
    }

    /** Columns (type, nullability, default), constraints, indexes, triggers (foreign keys' included) and storage of one table. */
    public static String definition(Connection c, String table) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT string_agg(x, E'\\n' ORDER BY x) FROM (
                  SELECT 'column ' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod) || ' notnull=' || a.attnotnull
                         || ' default=' || coalesce(pg_get_expr(d.adbin, d.adrelid), '') || ' generated=' || a.attgenerated::text AS x
                  FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
                  WHERE a.attrelid = ?::regclass AND a.attnum > 0 AND NOT a.attisdropped
                  UNION ALL SELECT 'constraint ' || conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = ?::regclass
                  UNION ALL SELECT 'index ' || pg_get_indexdef(indexrelid) FROM pg_index WHERE indrelid = ?::regclass
                  UNION ALL SELECT 'trigger ' || tgname || ' ' || tgenabled::text FROM pg_trigger WHERE tgrelid = ?::regclass
                  UNION ALL SELECT 'referenced by ' || conname || ' of ' || conrelid::regclass FROM pg_constraint WHERE confrelid = ?::regclass
                  UNION ALL SELECT 'relation ' || relkind::text || relpersistence::text || ' ' || coalesce(array_to_string(reloptions, ','), '')
                            || ' owner=' || relowner::regrole FROM pg_class WHERE oid = ?::regclass
                ) s""")) {
            for (int i = 1; i <= 6; i++) ps.setString(i, table);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    /** Every schema, relation and function outside the system catalogs: what "creates nothing" compares. */
    public static String everything(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("""
                SELECT string_agg(x, E'\\n' ORDER BY x) FROM (
                  SELECT 'schema ' || nspname AS x FROM pg_namespace WHERE nspname NOT LIKE 'pg\\_%' AND nspname <> 'information_schema'
                  UNION ALL SELECT 'relation ' || n.nspname || '.' || c.relname || ' ' || c.relkind::text FROM pg_class c
                    JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname NOT LIKE 'pg\\_%' AND n.nspname <> 'information_schema'
                  UNION ALL SELECT 'function ' || p.oid::regprocedure FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                    WHERE n.nspname NOT LIKE 'pg\\_%' AND n.nspname <> 'information_schema'
                ) s""")) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** Runs a fixture from src/test/resources as one batch of statements, as the app's own script would run. */
    public static void apply(Connection c, String resource) throws SQLException {
        try (InputStream in = Catalog.class.getResourceAsStream(resource); Statement st = c.createStatement()) {
            if (in == null) throw new IllegalStateException("missing fixture " + resource);
            st.execute(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
