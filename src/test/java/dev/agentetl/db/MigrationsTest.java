package dev.agentetl.db;

import dev.agentetl.runtime.AppConfig;
import dev.agentetl.support.Sql;
import dev.agentetl.support.TestDatabases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * agent-etl's schema: a new database gets it from V14 on (V1-V13 are the layout of older releases), a second
 * run changes nothing, and Flyway's validation guards landed migrations.
 */
class MigrationsTest {

    private static final Path MIGRATIONS = Path.of("migrations").toAbsolutePath();

    private static SchemaMigrator migrator(AppConfig config, Path migrations) {
        return new SchemaMigrator(Database.open(config), "agent_etl", migrations);
    }

    @Test
    void should_apply_every_migration_of_the_own_schema_once_then_do_nothing() throws Exception {
        AppConfig config = TestDatabases.freshConfig();
        SchemaMigrator migrator = migrator(config, MIGRATIONS);
        assertTrue(migrator.notReadyReason().contains("agent-etl migrate"), migrator.notReadyReason());

        MigrateReport first = migrator.migrate();
        long files;
        try (Stream<Path> list = Files.list(MIGRATIONS)) {
            files = list.map(p -> p.getFileName().toString()).filter(n -> n.matches("V\\d+__.*\\.sql"))
                    .filter(n -> Integer.parseInt(n.substring(1, n.indexOf("__"))) > 13).count();
        }
        assertEquals(files, first.applied(), "every migration after the old layout applies on an empty database");

        MigrateReport second = migrator.migrate();
        assertEquals(0, second.applied(), "a second run applies nothing");
        assertEquals(first.toVersion(), second.toVersion());
        assertEquals(0, migrator.pendingCount());
        assertEquals(null, migrator.notReadyReason());
        try (Connection c = TestDatabases.connectPlain(config.get("agent-etl.db.url"))) {
            assertEquals(0, Sql.count(c, "SELECT count(*) FROM pg_class WHERE relnamespace = 'public'::regnamespace"),
                    "nothing of agent-etl's lands in public");
            assertTrue(Sql.count(c, "SELECT count(*) FROM pg_class WHERE relnamespace = 'agent_etl'::regnamespace AND relname = 'job_runs'") == 1);
        }
    }

    @Test
    void should_refuse_to_run_when_a_landed_migration_was_edited(@TempDir Path copy) throws IOException {
        try (Stream<Path> list = Files.list(MIGRATIONS)) {
            for (Path p : (Iterable<Path>) list::iterator) {
                Files.copy(p, copy.resolve(p.getFileName()));
            }
        }
        AppConfig config = TestDatabases.freshConfig();
        migrator(config, copy).migrate();
        Path landed = copy.resolve("V14__agent_etl_schema.sql");
        Files.writeString(landed, Files.readString(landed) + "\n-- edited after landing\n");

        RuntimeException e = assertThrows(RuntimeException.class, () -> migrator(config, copy).migrate());
        assertTrue(e.getMessage().toLowerCase().contains("checksum"), "the reason names the checksum mismatch: " + e.getMessage());
    }

    /**
     * The start-up check that skips Flyway agrees with Flyway: after a migrate every landed file's checksum is
     * the one Flyway recorded, and an edited or a new file sends the decision back to Flyway.
     */
    @Test
    void should_skip_flyway_only_while_the_files_are_the_applied_ones(@TempDir Path copy) throws Exception {
        try (Stream<Path> list = Files.list(MIGRATIONS)) {
            for (Path p : (Iterable<Path>) list::iterator) {
                Files.copy(p, copy.resolve(p.getFileName()));
            }
        }
        AppConfig config = TestDatabases.freshConfig();
        migrator(config, copy).migrate();
        try (Connection c = TestDatabases.connectPlain(config.get("agent-etl.db.url"))) {
            AppliedMigrations state = AppliedMigrations.read(c, "agent_etl", copy);
            assertTrue(state.allApplied());
            assertTrue(state.unchanged(), "every file's checksum is the one Flyway recorded");

            Path landed = copy.resolve("V15__registry_facts.sql");
            String original = Files.readString(landed);
            Files.writeString(landed, original + "\n-- edited after landing\n");
            assertTrue(AppliedMigrations.read(c, "agent_etl", copy).allApplied(), "an edit leaves nothing pending");
            assertTrue(!AppliedMigrations.read(c, "agent_etl", copy).unchanged(), "an edited file goes to Flyway's validation");
            Files.writeString(landed, original);

            Files.writeString(copy.resolve("V900__later.sql"), "CREATE TABLE later (id int);\n");
            assertTrue(!AppliedMigrations.read(c, "agent_etl", copy).allApplied(), "a new file is pending");
            assertTrue(migrator(config, copy).notReadyReason().contains("1 migration(s)"), "Flyway counts the pending file");
            assertEquals(1, migrator(config, copy).migrate().applied());
            assertTrue(AppliedMigrations.read(c, "agent_etl", copy).unchanged());
        }
    }
}
