package dev.agentetl.ingest;

import dev.agentetl.runtime.AppConfig;
import dev.agentetl.support.TestDatabases;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The key map read on its own thread: in key order across blocks, a failure thrown to the reader, never a hang. */
@org.junit.jupiter.api.Timeout(120) // a reader that never stops would hang the close: fail instead
class MappedKeysTest {

    @Test
    void should_hand_over_the_map_in_key_order_across_blocks_and_stop_early_when_closed() throws Exception {
        AppConfig config = TestDatabases.migratedConfig();
        try (Connection c = TestDatabases.connect(config)) {
            c.setAutoCommit(false);
            long keys = MappedKeys.BLOCK * (MappedKeys.BLOCKS + 2L) + 7; // more than the reader may run ahead
            try (Statement st = c.createStatement()) {
                st.execute("SET search_path TO agent_etl, public");
                st.execute("INSERT INTO ingest_stores (id, path) VALUES (990001, '/tmp/mapped-keys-test.db')");
                st.execute("INSERT INTO ingest_runs (id, store, status) VALUES (990001, '/tmp/mapped-keys-test.db', 'running')");
                st.execute("INSERT INTO ingest_keys (store_id, source_table, source_id, target_id, row_hash, first_run, last_run) "
                        + "SELECT 990001, 'sessions', g * 2, g + 100, ('00000000-0000-0000-0000-' || lpad(to_hex(g), 12, '0'))::uuid, 990001, 990001 "
                        + "FROM generate_series(" + keys + ", 1, -1) g");
                st.execute("SELECT set_config('agent_etl.ingest_store', '990001', true)");
            }
            long n = 0;
            try (MappedKeys m = new MappedKeys(c, "sessions")) {
                for (boolean more = m.more(); more; more = m.next()) {
                    n++;
                    assertEquals(n * 2, m.source());
                    assertEquals(n + 100, m.target());
                    assertTrue(m.sameHash(new long[]{0, n}));
                }
            }
            assertEquals(keys, n);
            try (MappedKeys m = new MappedKeys(c, "sessions")) {
                assertTrue(m.more()); // closed with most of the map unread: the reader stops and the connection is free again
            }
            try (Statement st = c.createStatement()) {
                assertTrue(st.execute("SELECT 1"));
            }
            c.rollback();
        }
    }

    @Test
    void should_throw_a_failure_reading_the_map_to_the_reader() throws Exception {
        AppConfig config = TestDatabases.migratedConfig();
        try (Connection c = TestDatabases.connect(config)) {
            c.setAutoCommit(false); // agent_etl.ingest_store not set: the map's query fails on the reader's thread
            SQLException e = assertThrows(SQLException.class, () -> new MappedKeys(c, "sessions"));
            assertTrue(e.getMessage().contains("agent_etl.ingest_store"), e.getMessage());
            c.rollback();
        }
    }
}
