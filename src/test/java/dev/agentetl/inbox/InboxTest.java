package dev.agentetl.inbox;

import dev.agentetl.importing.ImportReport;
import dev.agentetl.app.AgentEtlRuntime;
import dev.agentetl.runtime.AppConfig;
import dev.agentetl.support.Sql;
import dev.agentetl.support.TestDatabases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Files dropped into the inbox: good ones imported and moved to .done/, bad ones to .error/ with a report. */
class InboxTest {

    @TempDir
    Path inbox;

    private void dropFiles() throws Exception {
        Files.writeString(inbox.resolve("negate_keys.csv"), "label,operator,value\nevent,!=,heartbeat\n");
        Files.writeString(inbox.resolve("broken.csv"), "label,operator,value\nevent,~~,x\n");
        Files.writeString(inbox.resolve("greet.prompt"), "---\nname: greet\ntype: system\n---\nHello\n");
        Files.writeString(inbox.resolve("notes.txt"), "not for import");
        Files.writeString(inbox.resolve(".half-written.csv"), "label,operator\n"); // a writer's name until it renames
    }

    private void assertSorted(AppConfig config) throws Exception {
        assertTrue(Files.exists(inbox.resolve(".done/negate_keys.csv")));
        assertTrue(Files.exists(inbox.resolve(".done/greet.prompt")));
        assertTrue(Files.exists(inbox.resolve(".error/broken.csv")));
        String report = Files.readString(inbox.resolve(".error/broken.csv.error.txt"));
        assertTrue(report.contains("broken.csv:2: unknown operator '~~'"), report);
        assertTrue(Files.exists(inbox.resolve("notes.txt")), "other files are left alone");
        assertTrue(Files.exists(inbox.resolve(".half-written.csv")), "names starting with '.' are skipped");
        try (Connection c = TestDatabases.connect(config)) {
            assertEquals(1, Sql.count(c, "SELECT count(*) FROM negate_keys WHERE value = 'heartbeat'"));
            assertEquals(1, Sql.count(c, "SELECT count(*) FROM prompts WHERE name = 'greet'"));
            assertEquals("inbox", Sql.value(c, "SELECT DISTINCT changed_by FROM config_changelog"));
        }
    }

    @Test
    void should_import_good_files_and_set_aside_a_bad_one_with_its_report() throws Exception {
        AppConfig config = TestDatabases.freshConfig().with(Map.of("agent-etl.inbox-dir", inbox.toString()));
        dropFiles();
        try (AgentEtlRuntime runtime = AgentEtlRuntime.startMigrated(config, "test")) {
            ImportReport report = (ImportReport) runtime.run("import-inbox", null);
            assertEquals(3, report.files().size());
            assertEquals(1, report.problems().size());
        }
        assertSorted(config);
        assertFalse(Files.exists(inbox.resolve("negate_keys.csv")));
    }

    @Test
    void should_leave_a_file_still_being_written_for_the_next_run() throws Exception {
        AppConfig config = TestDatabases.freshConfig().with(Map.of("agent-etl.inbox-dir", inbox.toString(),
                "agent-etl.inbox.settle-ms", "1500"));
        StringBuilder head = new StringBuilder("context,important,ignore,description\n");
        StringBuilder rest = new StringBuilder();
        for (int r = 0; r < 50; r++) {
            (r < 5 ? head : rest).append("ctx").append(r).append(",a,b,rule ").append(r).append('\n');
        }
        Path all = inbox.resolveSibling(inbox.getFileName() + "-all.csv");
        Files.writeString(all, head.toString() + rest);
        try (AgentEtlRuntime runtime = AgentEtlRuntime.startMigrated(config, "test");
             Connection c = TestDatabases.connect(config)) {
            runtime.run("import-rules", new dev.agentetl.rules.ImportRulesRequest(java.util.List.of(all), false, "test"));
            assertEquals(50, Sql.count(c, "SELECT count(*) FROM context_rules WHERE is_active"));

            // a writer puts the header and 5 of the 50 rows into the inbox, pauses, then finishes the file
            Path file = inbox.resolve("context_rules.csv");
            Files.writeString(file, head.toString());
            java.util.concurrent.CompletableFuture<ImportReport> first = java.util.concurrent.CompletableFuture.supplyAsync(
                    () -> (ImportReport) runtime.run("import-inbox", null));
            Thread.sleep(700);
            Files.writeString(file, rest.toString(), java.nio.file.StandardOpenOption.APPEND);
            ImportReport report = first.get(60, java.util.concurrent.TimeUnit.SECONDS);

            assertEquals(0, report.files().size(), report.render());
            assertTrue(report.render().contains("left for the next run: context_rules.csv (still being written"), report.render());
            assertTrue(Files.exists(file), "left in the inbox");
            assertEquals(50, Sql.count(c, "SELECT count(*) FROM context_rules WHERE is_active"), "no rule deactivated");

            ImportReport next = (ImportReport) runtime.run("import-inbox", null);

            assertEquals(1, next.files().size(), next.render());
            assertEquals(50, next.files().get(0).unchanged(), next.render());
            assertTrue(Files.exists(inbox.resolve(".done/context_rules.csv")));
            assertEquals(50, Sql.count(c, "SELECT count(*) FROM context_rules WHERE is_active"));
        }
    }

    @Test
    void should_import_files_as_they_arrive_when_the_inbox_is_watched() throws Exception {
        AppConfig config = TestDatabases.freshConfig().with(Map.of("agent-etl.inbox-dir", inbox.toString(),
                "agent-etl.inbox.watch", "true"));
        try (AgentEtlRuntime ignored = AgentEtlRuntime.startMigrated(config, "test")) {
            dropFiles();
            long deadline = System.currentTimeMillis() + 30_000;
            while (System.currentTimeMillis() < deadline && !(Files.exists(inbox.resolve(".done/greet.prompt"))
                    && Files.exists(inbox.resolve(".done/negate_keys.csv")) && Files.exists(inbox.resolve(".error/broken.csv")))) {
                Thread.sleep(200);
            }
        }
        assertSorted(config);
    }
}
