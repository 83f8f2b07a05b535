package dev.agentetl.inbox;

import dev.agentetl.importing.ImportReport;
import dev.agentetl.runtime.AgentEtlRuntime;
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
    }

    private void assertSorted(AppConfig config) throws Exception {
        assertTrue(Files.exists(inbox.resolve(".done/negate_keys.csv")));
        assertTrue(Files.exists(inbox.resolve(".done/greet.prompt")));
        assertTrue(Files.exists(inbox.resolve(".error/broken.csv")));
        String report = Files.readString(inbox.resolve(".error/broken.csv.error.txt"));
        assertTrue(report.contains("broken.csv:2: unknown operator '~~'"), report);
        assertTrue(Files.exists(inbox.resolve("notes.txt")), "other files are left alone");
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
