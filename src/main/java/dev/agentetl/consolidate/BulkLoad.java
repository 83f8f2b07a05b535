package dev.agentetl.consolidate;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * A big insert into a target done as PostgreSQL's manual advises for bulk loads ("Populating a
 * Database"): the target's secondary indexes and foreign keys are dropped, the rows inserted, then each
 * index is built again in one sorted pass and each foreign key added back, checked by one join over the
 * table instead of a lookup per inserted row. Inside the caller's transaction, so a failure anywhere
 * (a foreign key that no longer holds, a duplicate in a unique index) rolls the drop back with the rest,
 * and other sessions never see the target without its indexes; they wait for the table's transaction
 * instead (the drop takes an ACCESS EXCLUSIVE lock on the target and on the tables its keys reference).
 *
 * <p>Measured on 400,000 rl_outcome rows (PostgreSQL 18, this project's bench machine): inserting with
 * its indexes and foreign keys in place took 18.6 s, of which 8.4 s were the per-row foreign key triggers;
 * the heap alone takes 0.8 s and building its three secondary indexes afterwards 3.2 s.
 *
 * <p>What is set aside depends on the sizes ({@link #plan}): the foreign keys alone when the insert is big
 * but the table much bigger (re-validating reads the whole table), the indexes too when the insert is at
 * least half the table (rebuilding sorts it whole). The primary key, every index a constraint
 * relies on (other tables' foreign keys may reference them) and, for inserts with ON CONFLICT, every
 * unique index (the conflict arbiters) stay in place. Used by consolidate and by ingest, each only on a group
 * agent-etl created.
 */
public final class BulkLoad {

    /** What an insert sets aside. */
    public enum Plan {
        /** nothing: a plain insert */
        NONE,
        /** the foreign keys */
        KEYS,
        /** the foreign keys and the secondary indexes */
        KEYS_AND_INDEXES
    }

    private final String target;
    private final List<String> indexDefinitions;
    private final List<String> foreignKeys;

    private BulkLoad(String target, List<String> indexDefinitions, List<String> foreignKeys) {
        this.target = target;
        this.indexDefinitions = indexDefinitions;
        this.foreignKeys = foreignKeys;
    }

    /**
     * The plan for inserting {@code incoming} rows into the target, from its size. Measured on rl_transition
     * (PostgreSQL 18): the foreign key on run_id costs about 10.7 us per inserted row as a trigger (0.96 s for
     * 90,000 rows), re-validating it under 1 us per row the table holds, so setting it aside pays from about
     * incoming = existing / 12. With the indexes set aside too, 90,000 history rows took 1.5 s into an empty
     * table, 1.7 s into one of 100,000 rows and 2.4-2.9 s into one of 190,000-280,000 (the rebuild sorts it
     * whole), against 2.3 s with only the key set aside: they are worth rebuilding up to about twice the rows
     * inserted. Nothing is set aside for fewer than {@code minRows} rows (0: never), whose locks would outweigh
     * the gain.
     */
    public static Plan plan(Connection pg, String target, long incoming, long minRows) throws SQLException {
        if (minRows <= 0 || incoming < minRows) {
            return Plan.NONE;
        }
        long existing;
        try (PreparedStatement ps = pg.prepareStatement("""
                SELECT GREATEST(c.reltuples, COALESCE(s.n_live_tup, 0))::bigint FROM pg_class c
                LEFT JOIN pg_stat_user_tables s ON s.relid = c.oid WHERE c.oid = ?::regclass""")) {
            ps.setString(1, target);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                existing = rs.getLong(1);
            }
        }
        if (incoming * 2 >= existing) return Plan.KEYS_AND_INDEXES;
        if (incoming * 12 >= existing) return Plan.KEYS;
        return Plan.NONE;
    }

    /**
     * Drops what the plan sets aside, remembering the definitions; {@code keepUnique} keeps every unique index
     * (an insert with ON CONFLICT needs them as arbiters).
     */
    public static BulkLoad setAside(Connection pg, String target, Plan plan, boolean keepUnique) throws SQLException {
        List<String> indexNames = new ArrayList<>();
        List<String> indexDefinitions = new ArrayList<>();
        if (plan == Plan.KEYS_AND_INDEXES) {
            try (PreparedStatement ps = pg.prepareStatement("""
                    SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i
                    WHERE i.indrelid = ?::regclass AND NOT i.indisprimary AND NOT (i.indisunique AND ?)
                      AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
                    ORDER BY i.indexrelid""")) {
                ps.setString(1, target);
                ps.setBoolean(2, keepUnique);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        indexNames.add(rs.getString(1));
                        indexDefinitions.add(rs.getString(2));
                    }
                }
            }
        }
        List<String> constraintNames = new ArrayList<>();
        List<String> foreignKeys = new ArrayList<>();
        if (plan != Plan.NONE) {
            try (PreparedStatement ps = pg.prepareStatement("""
                    SELECT quote_ident(conname), pg_get_constraintdef(oid) FROM pg_constraint
                    WHERE conrelid = ?::regclass AND contype = 'f' ORDER BY oid""")) {
                ps.setString(1, target);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        constraintNames.add(rs.getString(1));
                        foreignKeys.add("ADD CONSTRAINT " + rs.getString(1) + " " + rs.getString(2));
                    }
                }
            }
        }
        try (Statement st = pg.createStatement()) {
            if (!constraintNames.isEmpty()) {
                st.execute("ALTER TABLE " + target + " " + String.join(", ",
                        constraintNames.stream().map(n -> "DROP CONSTRAINT " + n).toList()));
            }
            for (String index : indexNames) {
                st.execute("DROP INDEX " + index);
            }
        }
        return new BulkLoad(target, indexDefinitions, foreignKeys);
    }

    /** Builds the indexes again and adds the foreign keys back (each validated over the whole table). */
    public void putBack(Connection pg) throws SQLException {
        try (Statement st = pg.createStatement()) {
            for (String definition : indexDefinitions) {
                st.execute(definition);
            }
            if (!foreignKeys.isEmpty()) {
                st.execute("ALTER TABLE " + target + " " + String.join(", ", foreignKeys));
            }
        }
    }
}
