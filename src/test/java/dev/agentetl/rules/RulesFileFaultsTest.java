package dev.agentetl.rules;

import dev.agentetl.runtime.AppConfig;
import dev.agentetl.support.CliRun;
import dev.agentetl.support.Sql;
import dev.agentetl.support.TestDatabases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bytes a rules file cannot hold: each file is its own unit, rejected by line, and the files beside it are imported. */
class RulesFileFaultsTest {

    @TempDir
    Path dir;

    private Path write(String name, byte[]... parts) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (byte[] p : parts) bytes.write(p);
        Path file = dir.resolve(name);
        Files.write(file, bytes.toByteArray());
        return file;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String lastLine(String text) {
        String[] lines = text.strip().split("\n");
        return lines[lines.length - 1];
    }

    @Test
    void should_reject_a_file_with_a_nul_byte_by_line_and_import_the_files_before_and_after_it() throws Exception {
        AppConfig config = TestDatabases.migratedConfig();
        Path first = write("a_context_rules.csv", utf8("context,important,ignore,description\nmfs,a,b,one\nbkash,c,d,two\n"));
        Path bad = write("b_context_rules.csv", utf8("context,important,ignore,description\nupay,e,f,three\nnagad,g,"),
                new byte[]{'h', 0, 'i'}, utf8(",four\n"));
        Path third = write("c_negate_keys.csv", utf8("label,operator,value\nevent,!=,heartbeat\njob,=~,cleanup_.*\n"));

        CliRun run = CliRun.of(config, "import", "rules", first.toString(), bad.toString(), third.toString());

        assertEquals(1, run.exit(), run.out() + run.err());
        assertTrue(run.out().contains("a_context_rules.csv") && run.out().contains("b_context_rules.csv")
                && run.out().contains("c_negate_keys.csv") && run.out().contains("total (3 files)"), "the report is printed: " + run.out());
        assertTrue(run.err().contains(bad + ":3: ignore contains a NUL byte (0x00), which PostgreSQL text cannot hold"), run.err());
        assertEquals("agent-etl: import-rules rejected input with 1 problem(s); the rest was kept", lastLine(run.err()));
        try (Connection c = TestDatabases.connect(config)) {
            assertEquals("bkash,mfs", Sql.value(c, "SELECT string_agg(context, ',' ORDER BY context) FROM context_rules WHERE is_active"),
                    "the first file is imported, the bad one changed nothing");
            assertEquals(2, Sql.count(c, "SELECT count(*) FROM negate_keys WHERE is_active"), "the file after it is imported");
            assertEquals("failed", Sql.value(c, "SELECT status FROM job_runs WHERE job = 'import-rules'"));
        }
    }

    @Test
    void should_reject_a_file_the_database_refuses_with_the_servers_reason_and_import_the_others() throws Exception {
        AppConfig config = TestDatabases.migratedConfig();
        try (Connection c = TestDatabases.connect(config)) {
            // the app's table may carry checks of its own that a file can break
            Sql.exec(c, "ALTER TABLE negate_keys ADD CONSTRAINT no_wildcards CHECK (value <> '.*')");
        }
        Path refused = write("a_negate_keys.csv", utf8("label,operator,value\nevent,!=,heartbeat\njob,=~,.*\n"));
        Path good = write("b_context_rules.csv", utf8("context,important,ignore,description\nmfs,a,b,one\n"));

        CliRun run = CliRun.of(config, "import", "rules", refused.toString(), good.toString());

        assertEquals(1, run.exit(), run.out() + run.err());
        assertTrue(run.err().contains(refused + ": not imported, the database refused it: new row for relation \"negate_keys\" "
                + "violates check constraint \"no_wildcards\""), run.err());
        assertTrue(!run.err().contains("INSERT INTO"), "no statement in the reason: " + run.err());
        try (Connection c = TestDatabases.connect(config)) {
            assertEquals(0, Sql.count(c, "SELECT count(*) FROM negate_keys"));
            assertEquals(1, Sql.count(c, "SELECT count(*) FROM context_rules WHERE is_active"));
        }
    }

    @Test
    void should_report_invalid_utf8_with_its_line() throws Exception {
        AppConfig config = TestDatabases.migratedConfig();
        Path bad = write("latin1.csv", utf8("context,important,ignore,description\nmfs,a,b,one\nbkash,c,d,two\nupay,e,f,caf"),
                new byte[]{(byte) 0xE9}, utf8("\nnagad,g,h,four\n"));
        Path good = write("negate_keys.csv", utf8("label,operator,value\nevent,!=,heartbeat\n"));

        CliRun run = CliRun.of(config, "import", "rules", bad.toString(), good.toString());

        assertEquals(1, run.exit(), run.out() + run.err());
        assertTrue(run.err().contains(bad + ":4: not valid UTF-8 (byte 0xe9)"), run.err());
        try (Connection c = TestDatabases.connect(config)) {
            assertEquals(0, Sql.count(c, "SELECT count(*) FROM context_rules"));
            assertEquals(1, Sql.count(c, "SELECT count(*) FROM negate_keys WHERE is_active"));
        }
    }
}
