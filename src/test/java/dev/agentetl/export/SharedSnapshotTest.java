package dev.agentetl.export;

import dev.agentetl.support.Sql;
import dev.agentetl.support.TestRuntime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Slices on their own connections see the owner's snapshot, and one failing slice stops the others. */
class SharedSnapshotTest {

    TestRuntime rt;

    @BeforeEach
    void start() throws Exception {
        rt = TestRuntime.start();
        Sql.exec(rt.db, "CREATE TABLE events (id serial PRIMARY KEY); INSERT INTO events SELECT FROM generate_series(1, 100)");
    }

    @AfterEach
    void stop() throws Exception {
        rt.close();
    }

    @Test
    void should_show_every_slice_the_snapshot_of_the_owner_not_rows_committed_since() throws Exception {
        Map<Integer, Long> seen = new ConcurrentHashMap<>();
        try (Connection owner = rt.runtime.dataSource().getConnection()) {
            owner.setAutoCommit(false);
            SharedSnapshot.runAll(rt.runtime.dataSource(), owner, 3, (c, slice) -> {
                if (slice == 0) Sql.exec(rt.db, "INSERT INTO events SELECT FROM generate_series(1, 50)"); // committed now
                Thread.sleep(200);
                try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM events")) {
                    rs.next();
                    seen.put(slice, rs.getLong(1));
                }
                return 0;
            });
            owner.rollback();
        }
        assertEquals(Map.of(0, 100L, 1, 100L, 2, 100L), seen, "rows committed after the snapshot are in no slice");
        assertEquals(150, Sql.count(rt.db, "SELECT count(*) FROM events"));
    }

    @Test
    void should_cancel_the_other_slices_when_one_fails_and_throw_its_failure() throws Exception {
        IllegalStateException boom = new IllegalStateException("slice 1 failed");
        long t0 = System.nanoTime();
        try (Connection owner = rt.runtime.dataSource().getConnection()) {
            owner.setAutoCommit(false);
            Exception thrown = assertThrows(Exception.class, () -> SharedSnapshot.runAll(rt.runtime.dataSource(), owner, 3, (c, slice) -> {
                if (slice == 1) {
                    Thread.sleep(300); // the others are inside their query by now
                    throw boom;
                }
                try (Statement st = c.createStatement()) {
                    st.execute("SELECT pg_sleep(60)");
                }
                return 0;
            }));
            owner.rollback();
            assertSame(boom, thrown);
        }
        assertTrue(System.nanoTime() - t0 < 20_000_000_000L, "the sleeping slices were cancelled, not waited for");
        assertEquals(0, Sql.count(rt.db, "SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep(60)%' AND state = 'active'"));
    }
}
