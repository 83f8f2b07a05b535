package dev.agentetl.consolidate;

import dev.agentetl.support.Sql;
import dev.agentetl.support.TestRuntime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Big inserts done as bulk loads (indexes and foreign keys set aside, then rebuilt) write the same rows as
 * plain inserts, leave the schema exactly as it was, and a bulk load that fails leaves nothing changed.
 */
class BulkLoadTest {

    private static final List<String> TARGETS = List.of("rl_outcome", "rl_transition", "rl_metric", "agent_team_run",
            "agent_policy_snapshot", "rl_q_value", "rl_param", "rl_task_stat", "agent_team_config", "ui_failed_call", "ui_session");

    @Test
    void bulkLoadsWriteTheSameRowsAsPlainInsertsAndPutEveryIndexAndKeyBack(@TempDir Path dir) throws Exception {
        LegacyFiles.write(dir, 20_000, 11);
        Map<String, String> plain;
        Map<String, String> plainSchema;
        try (TestRuntime t = TestRuntime.start(Map.of("agent-etl.consolidate.bulk-min-rows", "0"))) {
            ConsolidationReport r = (ConsolidationReport) ConsolidateTest.run(t, dir, "UTC");
            assertTrue(r.problems().isEmpty(), r.render());
            plain = contents(t.db);
            plainSchema = schema(t.db);
        }
        // 50 rows: every big first load sets indexes and keys aside, later ones into a bigger rl_transition only
        // its foreign key, and the keyed tables' inserts with ON CONFLICT keep their unique indexes
        try (TestRuntime t = TestRuntime.start(Map.of("agent-etl.consolidate.bulk-min-rows", "50"))) {
            long indexBefore = Sql.count(t.db, "SELECT 'idx_rl_outcome_learner'::regclass::oid::bigint");
            ConsolidationReport r = (ConsolidationReport) ConsolidateTest.run(t, dir, "UTC");
            assertTrue(r.problems().isEmpty(), r.render());
            assertTrue(r.tables().stream().allMatch(Reconciliation.Result::reconciled), r.render());
            assertNotEquals(indexBefore, Sql.count(t.db, "SELECT 'idx_rl_outcome_learner'::regclass::oid::bigint"),
                    "rl_outcome's rows went in as a bulk load (its index was built again)");
            assertEquals(plain, contents(t.db), "the same rows in every target");
            ConsolidationReport dry = (ConsolidationReport) t.runtime.run("consolidate",
                    new ConsolidateRequest("sqlite:" + dir, "UTC", true, false, false, null));
            assertEquals(dry.plan().stream().map(p -> p.file() + ":" + p.table()).toList(),
                    r.tables().stream().map(x -> x.file() + ":" + x.table()).toList(),
                    "the report lists tables as the source holds them, though tables sharing a target were done together");
            assertEquals(plainSchema, schema(t.db), "the same indexes and foreign keys, all validated");

            ConsolidationReport again = (ConsolidationReport) ConsolidateTest.run(t, dir, "UTC");
            assertEquals(0, again.rowsWritten(), "a re-run after bulk loads writes nothing: " + again.render());
        }
    }

    @Test
    void aTableThatFailsAmongTablesSharingATargetLeavesNothingAndTheOthersAreKept(@TempDir Path dir) throws Exception {
        LegacyFiles.Written files = LegacyFiles.write(dir, 5_000, 3);
        try (TestRuntime t = TestRuntime.start(Map.of("agent-etl.consolidate.bulk-min-rows", "100"))) {
            Map<String, String> before = schema(t.db);
            // the target refuses one history table's rows (as a constraint of the user's own would)
            Sql.exec(t.db, "ALTER TABLE rl_transition ADD CONSTRAINT refuses_prompts CHECK (source_table NOT LIKE '%prompt_template_history')");
            ConsolidationReport r = (ConsolidationReport) ConsolidateTest.run(t, dir, "UTC");
            assertEquals(1, r.problems().size(), r.problems().toString());
            assertTrue(r.problems().get(0).contains("graph/graph.db:prompt_template_history")
                    && r.problems().get(0).contains("nothing written for this table"), r.problems().toString());
            assertEquals(0, Sql.count(t.db, "SELECT count(*) FROM rl_transition WHERE source_table LIKE '%prompt_template_history'"));
            assertEquals(files.rowsPerTable().get("mode_transition_history"),
                    Sql.count(t.db, "SELECT count(*) FROM rl_transition WHERE source_table LIKE '%mode_transition_history'"),
                    "the other tables into the same target are kept");
            assertEquals(33, r.tables().size(), r.render());
            Sql.exec(t.db, "ALTER TABLE rl_transition DROP CONSTRAINT refuses_prompts");
            assertEquals(before, schema(t.db), "indexes and keys put back after the group");

            ConsolidationReport again = (ConsolidationReport) ConsolidateTest.run(t, dir, "UTC");
            assertTrue(again.problems().isEmpty(), again.render());
            assertEquals(files.rowsPerTable().get("prompt_template_history"), again.rowsWritten(), "the next run writes only the failed table");
        }
    }

    @Test
    void aBulkLoadThatFailsLeavesTheTargetAsItWas() throws Exception {
        try (TestRuntime t = TestRuntime.start()) {
            Map<String, String> before = schema(t.db);
            try (Connection c = t.runtime.dataSource().getConnection()) {
                c.setAutoCommit(false);
                BulkLoad bulk = BulkLoad.setAside(c, "rl_outcome", BulkLoad.Plan.KEYS_AND_INDEXES, false);
                assertEquals(0, Sql.count(c, "SELECT count(*) FROM pg_constraint WHERE conrelid = 'rl_outcome'::regclass AND contype = 'f'"));
                // a row whose learner does not exist: nothing checks it until the foreign key comes back
                Sql.exec(c, "INSERT INTO rl_outcome (learner_id, source_table, source_key) VALUES ('nobody', 'x', '1')");
                SQLException e = assertThrows(SQLException.class, () -> bulk.putBack(c));
                assertEquals("23503", e.getSQLState(), "a foreign key violation: " + e.getMessage());
                c.rollback();
            }
            assertEquals(before, schema(t.db), "indexes and foreign keys are back after the rollback");

            // for an insert with ON CONFLICT the unique indexes stay: they are its arbiters
            try (Connection c = t.runtime.dataSource().getConnection()) {
                c.setAutoCommit(false);
                BulkLoad.setAside(c, "rl_outcome", BulkLoad.Plan.KEYS_AND_INDEXES, true);
                assertEquals(List.of("rl_outcome_pkey", "uq_rl_outcome_source"), names(c,
                        "SELECT indexrelid::regclass::text FROM pg_index WHERE indrelid = 'rl_outcome'::regclass ORDER BY 1"));
                c.rollback();
            }
            assertEquals(0, Sql.count(t.db, "SELECT count(*) FROM rl_outcome"));

            // and one that succeeds leaves them as they were, too
            try (Connection c = t.runtime.dataSource().getConnection()) {
                c.setAutoCommit(false);
                Sql.exec(c, "INSERT INTO rl_learner (id, name, type) VALUES ('tool_selector', 'tool_selector', 'q_learning')");
                BulkLoad bulk = BulkLoad.setAside(c, "rl_outcome", BulkLoad.Plan.KEYS_AND_INDEXES, false);
                Sql.exec(c, "INSERT INTO rl_outcome (learner_id, source_table, source_key) VALUES ('tool_selector', 'x', '1')");
                bulk.putBack(c);
                c.commit();
            }
            assertEquals(before, schema(t.db));
            assertEquals(1, Sql.count(t.db, "SELECT count(*) FROM rl_outcome WHERE source_table = 'x'"), "found through the rebuilt index");
        }
    }

    private static List<String> names(Connection c, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) out.add(rs.getString(1));
        }
        return out;
    }

    /** A digest of each target's rows, without the generated id and the run. */
    private static Map<String, String> contents(Connection db) throws SQLException {
        Map<String, String> out = new LinkedHashMap<>();
        for (String table : TARGETS) {
            out.put(table, Sql.count(db, "SELECT count(*) FROM " + table) + " rows, " + Sql.value(db,
                    "SELECT md5(string_agg(j, '|' ORDER BY j)) FROM (SELECT (to_jsonb(r) - 'id' - 'run_id')::text j FROM " + table + " r) x"));
        }
        return out;
    }

    /** Every index definition and constraint (with whether it is validated) of the targets. */
    private static Map<String, String> schema(Connection db) throws SQLException {
        Map<String, String> out = new LinkedHashMap<>();
        for (String table : TARGETS) {
            List<String> parts = new ArrayList<>();
            try (PreparedStatement ps = db.prepareStatement("""
                    SELECT indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename = ?
                    UNION ALL
                    SELECT conname || ' ' || pg_get_constraintdef(oid) || ' validated=' || convalidated FROM pg_constraint
                    WHERE conrelid = ?::regclass
                    ORDER BY 1""")) {
                ps.setString(1, table);
                ps.setString(2, table);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) parts.add(rs.getString(1));
                }
            }
            out.put(table, String.join("\n", parts));
        }
        return out;
    }
}
