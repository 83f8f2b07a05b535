package dev.agentetl.db;

import dev.agentetl.support.Sql;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The embedded server keeps its data across restarts and lets only one owner use a data folder. */
class EmbeddedDatabaseTest {

    @Test
    void should_keep_data_across_restarts(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("pg");
        try (EmbeddedDatabase db = EmbeddedDatabase.start(dir, 0);
             Connection c = DriverManager.getConnection(db.jdbcUrl(), "postgres", "")) {
            Sql.exec(c, "CREATE TABLE kept (n int); INSERT INTO kept VALUES (42)");
        }
        try (EmbeddedDatabase db = EmbeddedDatabase.start(dir, 0);
             Connection c = DriverManager.getConnection(db.jdbcUrl(), "postgres", "")) {
            assertEquals(42, Sql.count(c, "SELECT n FROM kept"));
        }
    }

    @Test
    void should_refuse_a_second_owner_of_the_same_folder(@TempDir Path tmp) {
        Path dir = tmp.resolve("pg");
        try (EmbeddedDatabase ignored = EmbeddedDatabase.start(dir, 0)) {
            DatabaseUnavailableException e = assertThrows(DatabaseUnavailableException.class,
                    () -> EmbeddedDatabase.start(dir, 0));
            assertTrue(e.getMessage().contains("is in use by another agent-etl process"), e.getMessage());
        }
    }
}
