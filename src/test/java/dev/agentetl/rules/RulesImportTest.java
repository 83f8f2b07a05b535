package dev.agentetl.rules;

import dev.agentetl.importing.ImportReport;
import dev.agentetl.app.AgentEtlRuntime;
import dev.agentetl.runtime.AppConfig;
import dev.agentetl.support.CliRun;
import dev.agentetl.support.Sql;
import dev.agentetl.support.TestDatabases;
import dev.agentetl.support.TestRuntime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Rules CSV imports: the CSV quirks of real files, validation by line, desired-state sync, dry run. */
class RulesImportTest {

    @TempDir
    Path dir;
    TestRuntime rt;
    AppConfig config;
    AgentEtlRuntime runtime;
    Connection db;

    @BeforeEach
    void start() throws Exception {
        rt = TestRuntime.start();
        config = rt.config;
        runtime = rt.runtime;
        db = rt.db;
    }

    @AfterEach
    void stop() throws Exception {
        rt.close();
    }

    /** A comma-separated field as the trimmed array a consumer reads (the table stores only the text). */
    private static final String ITEMS = "CASE WHEN %1$s IS NULL OR btrim(%1$s) = '' THEN '{}'::text[] "
            + "ELSE regexp_split_to_array(btrim(%1$s), '\\s*,\\s*') END";

    private Path write(String name, byte[] bytes) throws Exception {
        Path file = dir.resolve(name);
        Files.write(file, bytes);
        return file;
    }

    private Path write(String name, String text) throws Exception {
        return write(name, text.getBytes(StandardCharsets.UTF_8));
    }

    private ImportReport importRules(boolean dryRun, Path... files) {
        return (ImportReport) runtime.run("import-rules", new ImportRulesRequest(List.of(files), dryRun, "alice"));
    }

    private long count(String sql) throws Exception {
        return Sql.count(db, sql);
    }

    @Test
    void should_read_bom_crlf_quoted_commas_quotes_newlines_and_non_ascii() throws Exception {
        String csv = "id,context,important,ignore,description\r\n"
                + "1,mfs,\"processPayment, transferMoney ,balanceInquiry\",\"HEARTBEAT,HEALTH_CHECK\",MFS payments \u2013 ignore health checks\r\n"
                + "2,bkash,\"checkBkashInfo\",,\"Says \"\"hello\"\"; spans\r\ntwo lines, with commas\"\r\n";
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        byte[] body = csv.getBytes(StandardCharsets.UTF_8);
        byte[] bytes = new byte[bom.length + body.length];
        System.arraycopy(bom, 0, bytes, 0, bom.length);
        System.arraycopy(body, 0, bytes, bom.length, body.length);

        ImportReport report = importRules(false, write("context_rules.csv", bytes));

        assertEquals(2, report.files().get(0).created(), report.render());
        assertEquals("MFS payments \u2013 ignore health checks", Sql.value(db, "SELECT description FROM context_rules WHERE context = 'mfs'"));
        assertEquals("processPayment, transferMoney ,balanceInquiry", Sql.value(db, "SELECT important FROM context_rules WHERE context = 'mfs'"),
                "important stays text as in the file");
        assertEquals("{processPayment,transferMoney,balanceInquiry}",
                Sql.value(db, "SELECT " + ITEMS.formatted("important") + "::text FROM context_rules WHERE context = 'mfs'"),
                "and splits, trimmed, in the query");
        assertEquals("Says \"hello\"; spans\r\ntwo lines, with commas",
                Sql.value(db, "SELECT description FROM context_rules WHERE context = 'bkash'"));
        assertEquals("{}", Sql.value(db, "SELECT " + ITEMS.formatted("ignore") + "::text FROM context_rules WHERE context = 'bkash'"));
        assertEquals(2, count("SELECT count(*) FROM registry_facts f JOIN context_rules r ON r.id = f.config_id "
                + "WHERE f.config_type = 'context_rule' AND f.config_name = r.context AND f.source_file LIKE '%context_rules.csv'"),
                "each new row's source file, by its real id");
    }

    @Test
    void should_list_every_problem_with_its_line_and_change_nothing() throws Exception {
        Path file = write("context_rules.csv", "context,important,ignore,description\n"
                + "ok,a,b,fine\n"
                + ",a,b,no context\n"
                + "\"multi\nline\",a,b,starts on line 4\n"
                + "ok,a,b,duplicate\n"
                + "short,a\n"
                + "x".repeat(101) + ",a,b,too long\n");
        Path keys = write("negate_keys.csv", "label,operator,value\n"
                + "event,!=,heartbeat\n"
                + "event,<>,x\n"
                + "event,=~,([unclosed\n"
                + "event,!=,heartbeat\n");

        CliRun run = CliRun.of(config, "import", "rules", file.toString(), keys.toString());

        assertEquals(1, run.exit());
        String err = run.err();
        assertTrue(err.contains(file + ":3: context is required"), err);
        assertTrue(err.contains(file + ":6: duplicate context 'ok' (first on line 2)"), err);
        assertTrue(err.contains(file + ":7: expected 4 fields, found 2"), err);
        assertTrue(err.contains(file + ":8: context is 101 characters, the limit is 100"), err);
        assertTrue(err.contains(keys + ":3: unknown operator '<>'"), err);
        assertTrue(err.contains(keys + ":4: value is not a valid regular expression"), err);
        assertTrue(err.contains(keys + ":5: duplicate negate key 'event != heartbeat' (first on line 2)"), err);
        assertEquals(0, count("SELECT count(*) FROM context_rules"));
        assertEquals(0, count("SELECT count(*) FROM negate_keys"));
        assertEquals(0, count("SELECT count(*) FROM config_changelog"));
        assertEquals(0, count("SELECT count(*) FROM registry_facts"));
    }

    @Test
    void should_import_the_bundled_samples_when_given_no_file_and_nothing_on_a_rerun() throws Exception {
        CliRun run = CliRun.of(config, "import", "rules");
        assertEquals(0, run.exit(), run.err());
        assertTrue(run.out().contains("classpath:rules/context_rules.csv") && run.out().contains("classpath:rules/negate_keys.csv"), run.out());
        assertEquals(5, count("SELECT count(*) FROM context_rules WHERE is_active"));
        assertEquals(3, count("SELECT count(*) FROM negate_keys WHERE is_active"));
        assertEquals(1, count("SELECT count(*) FROM negate_keys WHERE label = 'logger' AND operator = '!~' AND value = '.*HealthCheck.*'"));
        assertEquals(1, count("SELECT count(*) FROM context_rules WHERE context = 'payments' AND important LIKE 'processPayment,%'"));
        long changes = count("SELECT count(*) FROM config_changelog");
        assertEquals(8, changes, "one changelog row per rule created");
        assertEquals(2, count("SELECT count(*) FROM agent_etl.system_events WHERE event_type = 'config_change' "
                + "AND details->>'source' LIKE 'classpath:rules/%'"), "a config_change event per file that changed the registry");
        CliRun again = CliRun.of(config, "import", "rules");
        assertEquals(0, again.exit(), again.err());
        assertEquals(changes, count("SELECT count(*) FROM config_changelog"), "a re-run changes nothing");
        assertEquals(2, count("SELECT count(*) FROM agent_etl.system_events WHERE event_type = 'config_change'"), "and records no event");
    }

    @Test
    void should_give_a_negate_key_with_a_blank_label_or_operator_seed_003s_defaults() throws Exception {
        Path keys = write("negate_keys.csv", ("label,operator,value\n"
                + ",!=,heartbeat\n"
                + "event,,cache_refresh\n"
                + " , ,both_blank\n").getBytes(StandardCharsets.UTF_8));
        CliRun run = CliRun.of(config, "import", "rules", keys.toString());
        assertEquals(0, run.exit(), run.err());
        assertEquals(1, count("SELECT count(*) FROM negate_keys WHERE label = 'default' AND operator = '!=' AND value = 'heartbeat'"));
        assertEquals(1, count("SELECT count(*) FROM negate_keys WHERE label = 'event' AND operator = '!=' AND value = 'cache_refresh'"));
        assertEquals(1, count("SELECT count(*) FROM negate_keys WHERE label = 'default' AND operator = '!=' AND value = 'both_blank'"));
        Path noValue = write("negate_keys_2.csv", "label,operator,value\nevent,!=,\n".getBytes(StandardCharsets.UTF_8));
        CliRun refused = CliRun.of(config, "import", "rules", noValue.toString());
        assertEquals(1, refused.exit());
        assertTrue(refused.err().contains(noValue + ":2: value is required"), refused.err());
    }

    @Test
    void should_reject_an_unknown_header_and_import_the_good_file_beside_it() throws Exception {
        Path bad = write("other.csv", "name,body\nx,y\n");
        Path good = write("negate_keys.csv", "label,operator,value\nevent,!=,heartbeat\njob,=~,cleanup_.*\n");

        ImportReport report = importRules(false, bad, good);

        assertTrue(report.problems().get(0).startsWith(bad + ":1: unknown header 'name,body'"), report.problems().toString());
        assertEquals(2, count("SELECT count(*) FROM negate_keys WHERE is_active"));
    }

    @Test
    void should_treat_the_file_as_the_desired_state() throws Exception {
        Path file = write("context_rules.csv", "context,important,ignore,description\nmfs,a,b,one\nbkash,c,d,two\nupay,e,f,three\n");
        importRules(false, file);
        long changelog = count("SELECT count(*) FROM config_changelog");
        String rows = (String) Sql.value(db, "SELECT string_agg(concat_ws(',', id, version, is_active, updated_at), ';' ORDER BY id) FROM context_rules");

        ImportReport again = importRules(false, file);
        assertEquals(3, again.rowsSkipped());
        assertEquals(changelog, count("SELECT count(*) FROM config_changelog"), "a re-run writes nothing");
        assertEquals(rows, Sql.value(db, "SELECT string_agg(concat_ws(',', id, version, is_active, updated_at), ';' ORDER BY id) FROM context_rules"),
                "not a row touched");

        write("context_rules.csv", "context,important,ignore,description\nmfs,a,b,one\nbkash,c,\"d,z\",two\nnew,g,h,four\n");
        ImportReport changed = importRules(false, file);

        var f = changed.files().get(0);
        assertEquals(List.of(1L, 1L, 1L, 1L), List.of(f.created(), f.updated(), f.unchanged(), f.deactivated()), changed.render());
        assertEquals(2, count("SELECT version FROM context_rules WHERE context = 'bkash' AND is_active"));
        assertEquals(1, count("SELECT count(*) FROM context_rules WHERE context = 'bkash' AND version = 1 AND NOT is_active"));
        assertEquals(0, count("SELECT count(*) FROM context_rules WHERE context = 'upay' AND is_active"));
        assertEquals(1, count("SELECT count(*) FROM config_changelog WHERE change_type = 'update' AND config_name = 'bkash' "
                + "AND previous_version = 1 AND new_version = 2 AND previous_data->>'ignore' = 'd' AND new_data->>'ignore' = 'd,z'"));
        assertEquals(1, count("SELECT count(*) FROM config_changelog WHERE change_type = 'deactivate' AND config_name = 'upay'"));
        assertEquals(0, count("SELECT count(*) FROM config_changelog c WHERE config_type = 'context_rule' "
                + "AND NOT EXISTS (SELECT 1 FROM context_rules r WHERE r.id = c.config_id)"), "changelog ids are real");
        assertEquals(1, count("SELECT (details->'files'->0->>'deactivated')::int FROM job_runs WHERE job = 'import-rules' "
                + "ORDER BY id DESC LIMIT 1"), "the per-file report is stored with the run");
    }

    @Test
    void should_refuse_a_header_only_file_unless_an_empty_table_is_asked_for() throws Exception {
        importRules(false, write("context_rules.csv", "context,important,ignore,description\nmfs,a,b,one\nbkash,c,d,two\nupay,e,f,three\n"));
        long changelog = count("SELECT count(*) FROM config_changelog");
        Path empty = write("empty_rules.csv", "context,important,ignore,description\r\n");
        Path keys = write("negate_keys.csv", "label,operator,value\nevent,!=,heartbeat\n");

        CliRun run = CliRun.of(config, "import", "rules", empty.toString(), keys.toString());

        assertEquals(1, run.exit(), run.err());
        assertTrue(run.err().contains(empty + ": no rows, only a header: importing it would deactivate all 3 active context_rules; "
                + "nothing changed (pass --allow-empty to empty the table)"), run.err());
        assertEquals(3, count("SELECT count(*) FROM context_rules WHERE is_active"), "no rule deactivated");
        assertEquals(1, count("SELECT count(*) FROM negate_keys WHERE is_active"), "the other file is imported");
        assertEquals(changelog + 1, count("SELECT count(*) FROM config_changelog"), "only the other file's change");

        CliRun allowed = CliRun.of(config, "import", "rules", "--allow-empty", empty.toString());

        assertEquals(0, allowed.exit(), allowed.err());
        assertEquals(0, count("SELECT count(*) FROM context_rules WHERE is_active"), "emptied on request");
        assertEquals(3, count("SELECT count(*) FROM config_changelog WHERE change_type = 'deactivate'"));
    }

    @Test
    void should_write_nothing_in_a_dry_run() throws Exception {
        Path file = write("negate_keys.csv", "label,operator,value\nevent,!=,heartbeat\n");

        ImportReport report = importRules(true, file);

        assertEquals(1, report.files().get(0).created());
        assertEquals(0, count("SELECT count(*) FROM negate_keys"));
        assertEquals(0, count("SELECT count(*) FROM config_changelog"));
        assertEquals(0, count("SELECT count(*) FROM registry_facts"));
    }

    @Test
    void should_keep_one_active_version_per_context_when_imports_of_one_table_race() throws Exception {
        List<Path> files = new ArrayList<>();
        for (int f = 0; f < 4; f++) {
            StringBuilder csv = new StringBuilder("context,important,ignore,description\n");
            for (int r = 0; r < 50; r++) {
                csv.append("ctx").append(r).append(",a").append(f).append(",b,file ").append(f).append('\n');
            }
            files.add(write("context_rules_" + f + ".csv", csv.toString()));
        }
        RulesImporter importer = new RulesImporter(runtime.dataSource());
        ExecutorService pool = Executors.newFixedThreadPool(files.size());
        try {
            List<Future<?>> work = new ArrayList<>();
            for (Path f : files) {
                work.add(pool.submit(() -> {
                    for (int i = 0; i < 5; i++) {
                        importer.importFile(f, new ImportRulesRequest(List.of(f), false, "racer"));
                    }
                    return null;
                }));
            }
            for (Future<?> w : work) {
                w.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(50, count("SELECT count(*) FROM context_rules WHERE is_active"), "one active version of each context");
        assertEquals(1, count("SELECT count(DISTINCT important) FROM context_rules WHERE is_active"), "all from the file imported last");
        assertEquals(0, count("SELECT count(*) FROM (SELECT context, version FROM context_rules GROUP BY 1, 2 HAVING count(*) > 1) d"));
        assertEquals(count("SELECT count(*) FROM context_rules"),
                count("SELECT count(*) FROM config_changelog WHERE config_type = 'context_rule' AND change_type IN ('create', 'update')"),
                "every version audited");
    }
}
