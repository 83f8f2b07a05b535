package dev.agentetl.runtime;

import dev.agentetl.support.CliRun;
import dev.agentetl.support.Sql;
import dev.agentetl.support.TestDatabases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Passwords, also those inside JDBC URLs, are never stored or printed; settings that are not secrets are shown as they are. */
class SecretsTest {

    private static final String URL_SECRET = "UrlPw-7f3a9c";
    private static final String GROUP_URL_SECRET = "GroupUrlPw-51be2d";
    private static final String GROUP_PASSWORD = "GroupPw-0c94e1";

    @Test
    void should_store_and_print_no_password_of_the_home_or_a_groups_database(@TempDir Path out) throws Exception {
        // the test server trusts local connections: the passwords are only there to be kept secret
        AppConfig base = TestDatabases.freshConfig();
        String groupUrl = TestDatabases.freshDatabaseUrl();
        AppConfig config = base.with(Map.of(
                "agent-etl.db.url", base.get("agent-etl.db.url") + "?password=" + URL_SECRET + "&connectTimeout=10",
                "agent-etl.telemetry.db.url", groupUrl + "?user=postgres&password=" + GROUP_URL_SECRET,
                "agent-etl.telemetry.db.password", GROUP_PASSWORD));

        List<CliRun> runs = new ArrayList<>();
        runs.add(CliRun.of(config, "migrate"));
        assertEquals(0, runs.get(0).exit(), runs.get(0).out() + runs.get(0).err());
        runs.add(CliRun.of(config, "status"));
        runs.add(CliRun.of(config, "check"));
        runs.add(CliRun.of(config, "export", "agent_telemetry", "--format", "csv", "--out", out.toString()));
        assertEquals(0, runs.get(3).exit(), runs.get(3).err());
        runs.add(CliRun.of(config, "export", "no_such_table", "--format", "csv", "--out", out.toString()));
        assertEquals(1, runs.get(4).exit(), "a failed job is recorded too");
        AppConfig unreachable = config.with(Map.of("agent-etl.telemetry.db.url",
                "jdbc:postgresql://127.0.0.1:notaport/nowhere?password=" + GROUP_URL_SECRET));
        runs.add(CliRun.of(unreachable, "export", "agent_telemetry", "--format", "csv", "--out", out.toString()));
        assertEquals(1, runs.get(5).exit());
        assertTrue(runs.get(5).err().contains("nowhere?password=********"), "the URL is named, masked: " + runs.get(5).err());

        for (CliRun run : runs) {
            for (String secret : List.of(URL_SECRET, GROUP_URL_SECRET, GROUP_PASSWORD)) {
                assertFalse(run.out().contains(secret) || run.err().contains(secret), "printed: " + run.out() + run.err());
            }
        }
        try (Connection c = TestDatabases.connect(config)) {
            for (String table : List.of("system_events", "job_runs", "exports")) {
                for (String secret : List.of(URL_SECRET, GROUP_URL_SECRET, GROUP_PASSWORD)) {
                    assertEquals(0, Sql.count(c, "SELECT count(*) FROM " + table + " t WHERE t::text LIKE '%" + secret + "%'"),
                            secret + " is stored in " + table);
                }
            }
            assertTrue(Sql.count(c, "SELECT count(*) FROM job_runs WHERE status = 'failed'") >= 1);
            String stored = (String) Sql.value(c, "SELECT details->'configuration'->>'agent-etl.db.url' FROM system_events "
                    + "WHERE event_type = 'startup' ORDER BY id LIMIT 1");
            assertTrue(stored.endsWith("?password=********&connectTimeout=10"), "the URL is shown, its password masked: " + stored);
            assertEquals("********", Sql.value(c, "SELECT details->'configuration'->>'agent-etl.telemetry.db.password' "
                    + "FROM system_events WHERE event_type = 'startup' ORDER BY id LIMIT 1"));
            assertEquals("65536", Sql.value(c, "SELECT details->'configuration'->>'agent-etl.finetune.max-tokens' "
                    + "FROM system_events WHERE event_type = 'startup' ORDER BY id LIMIT 1"), "a token count is no secret");
        }
    }

    @Test
    void should_tell_secret_keys_from_settings_that_only_mention_tokens() {
        for (String key : List.of("agent-etl.db.password", "agent-etl.learning.db.password", "agent-etl.api-token",
                "agent-etl.webhook.secret", "agent-etl.openai.api-key")) {
            assertTrue(Secrets.isSecretKey(key), key);
        }
        for (String key : List.of("agent-etl.finetune.max-tokens", "agent-etl.db.url", "agent-etl.db.user",
                "agent-etl.finetune.redaction.rule.bearer_token", "agent-etl.finetune.redaction.rule.api_key")) {
            assertFalse(Secrets.isSecretKey(key), key);
        }
        assertEquals("jdbc:postgresql://h/db?user=u&password=********&ssl=true",
                Secrets.maskUrl("jdbc:postgresql://h/db?user=u&password=p%40ss&ssl=true"));
        assertEquals("jdbc:postgresql://u:********@h/db?sslpassword=********",
                Secrets.maskUrl("jdbc:postgresql://u:pw@h/db?sslpassword=k"));
    }
}
