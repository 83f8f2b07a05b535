package dev.agentetl.db;

import dev.agentetl.runtime.AppConfig;
import dev.agentetl.support.TestDatabases;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The migrations apply on an empty database, a second run changes nothing, and validation guards them. */
class MigrationsTest {

    private static final Path MIGRATIONS = Path.of("migrations").toAbsolutePath();

    private static PGSimpleDataSource freshDataSource() {
        AppConfig config = TestDatabases.freshConfig();
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(config.get("agent-etl.db.url"));
        ds.setUser("postgres");
        return ds;
    }

    @Test
    void should_apply_every_migration_once_then_do_nothing() throws IOException {
        PGSimpleDataSource ds = freshDataSource();
        SchemaMigrator migrator = new SchemaMigrator(ds, MIGRATIONS);

        MigrateReport first = migrator.migrate();
        long files;
        try (Stream<Path> list = Files.list(MIGRATIONS)) {
            files = list.filter(p -> p.getFileName().toString().matches("V\\d+__.*\\.sql")).count();
        }
        assertEquals(files, first.applied(), "every versioned migration applies on an empty database");

        MigrateReport second = migrator.migrate();
        assertEquals(0, second.applied(), "a second run applies nothing");
        assertEquals(first.toVersion(), second.toVersion());
        assertEquals(0, migrator.pendingCount());
        assertDoesNotThrow(() -> Flyway.configure().dataSource(ds).locations("filesystem:" + MIGRATIONS).load().validate());
    }

    @Test
    void should_refuse_to_run_when_a_landed_migration_was_edited(@TempDir Path copy) throws IOException {
        try (Stream<Path> list = Files.list(MIGRATIONS)) {
            for (Path p : (Iterable<Path>) list::iterator) {
                Files.copy(p, copy.resolve(p.getFileName()));
            }
        }
        PGSimpleDataSource ds = freshDataSource();
        new SchemaMigrator(ds, copy).migrate();
        Path first = copy.resolve("V1__agent_interaction_store.sql");
        Files.writeString(first, Files.readString(first) + "\n-- edited after landing\n");

        RuntimeException e = assertThrows(RuntimeException.class, () -> new SchemaMigrator(ds, copy).migrate());
        assertTrue(e.getMessage().toLowerCase().contains("checksum"), "the reason names the checksum mismatch: " + e.getMessage());
    }
}
