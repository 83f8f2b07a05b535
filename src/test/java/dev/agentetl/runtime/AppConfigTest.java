package dev.agentetl.runtime;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Where a setting comes from: defaults < conf/ < the home folder's file < --config < environment < -D < options. */
class AppConfigTest {

    @TempDir
    Path tmp;
    Path install;
    Path home;
    Properties system;
    Map<String, String> env;

    @BeforeEach
    void folders() throws IOException {
        install = Files.createDirectories(tmp.resolve("install/conf"));
        install = install.getParent();
        home = Files.createDirectories(tmp.resolve("home"));
        system = new Properties();
        system.setProperty("agent-etl.install-dir", install.toString());
        env = new HashMap<>();
        env.put("AGENT_ETL_HOME", home.toString());
    }

    private Path write(Path file, String... lines) throws IOException {
        Files.createDirectories(file.getParent());
        return Files.writeString(file, String.join("\n", lines) + "\n");
    }

    @Test
    void eachLayerOverridesTheOnesBefore() throws IOException {
        String key = "agent-etl.insights.min-sample";
        assertEquals("30", AppConfig.load(env, system).get(key), "the documented default");

        write(install.resolve("conf/agent-etl.properties"), key + " = 31");
        assertEquals("31", AppConfig.load(env, system).get(key), "the install's conf/ over the default");

        write(home.resolve("agent-etl.properties"), key + " = 32");
        assertEquals("32", AppConfig.load(env, system).get(key), "the home folder's file over conf/");

        Path given = write(tmp.resolve("given.properties"), key + " = 33");
        Path later = write(tmp.resolve("later.properties"), key + " = 34");
        assertEquals("33", AppConfig.load(env, system).withConfigFiles(List.of(given)).get(key), "--config over the home file");
        assertEquals("34", AppConfig.load(env, system).withConfigFiles(List.of(given, later)).get(key), "a later --config wins");

        env.put("AGENT_ETL_INSIGHTS_MIN_SAMPLE", "35");
        assertEquals("35", AppConfig.load(env, system).withConfigFiles(List.of(given)).get(key), "the environment over the files");

        system.setProperty(key, "36");
        assertEquals("36", AppConfig.load(env, system).withConfigFiles(List.of(given)).get(key), "-D over the environment");

        assertEquals("37", AppConfig.load(env, system).withConfigFiles(List.of(given)).with(Map.of(key, "37")).get(key),
                "what a command sets over everything");
        // the files a configuration read, lowest first, for the start-up record
        assertEquals(List.of(install.resolve("conf/agent-etl.properties"), home.resolve("agent-etl.properties"), given),
                AppConfig.load(env, system).withConfigFiles(List.of(given)).files());
    }

    @Test
    void aConfigFileOverridesADefaultAndKeepsTheRest() throws IOException {
        Path file = write(tmp.resolve("prod.properties"), "# a comment", "agent-etl.export.rows-per-file = 5000",
                "agent-etl.finetune.redaction.rule.employee_id = E\\\\d{6}");
        AppConfig config = AppConfig.load(env, system).withConfigFiles(List.of(file));
        assertEquals("5000", config.get("agent-etl.export.rows-per-file"));
        assertEquals("E\\d{6}", config.get("agent-etl.finetune.redaction.rule.employee_id"));
        assertEquals("2", config.get("agent-etl.export.connections"), "a key the file leaves alone keeps its default");
    }

    @Test
    void theHomeFolderComesFromTheEnvironmentOrTheCurrentDirectory() throws IOException {
        write(home.resolve("agent-etl.properties"), "agent-etl.exports-dir = out", "agent-etl.home = /elsewhere");
        AppConfig config = AppConfig.load(env, system);
        assertEquals(home, config.home());
        assertEquals(home.resolve("out"), config.path("agent-etl.exports-dir"), "relative paths resolve against the home folder");
        assertEquals(install.resolve("routes"), config.installedPath("agent-etl.routes-dir"), "routes come with the install");

        env.remove("AGENT_ETL_HOME");
        AppConfig unset = AppConfig.load(env, system);
        assertEquals(Path.of("").toAbsolutePath(), unset.home(), "no AGENT_ETL_HOME: the current directory");

        // a home given in a --config file is where that file's paths and the data go
        Path file = write(tmp.resolve("site.properties"), "agent-etl.home = " + tmp.resolve("site"));
        assertEquals(tmp.resolve("site"), AppConfig.load(env, system).withConfigFiles(List.of(file)).home());
    }

    @Test
    void aMissingOrBrokenConfigFileIsRefusedWithItsName() throws IOException {
        Path missing = tmp.resolve("nope.properties");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AppConfig.load(env, system).withConfigFiles(List.of(missing)));
        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());

        Path broken = write(tmp.resolve("broken.properties"), "agent-etl.db.url = \\uZZZZ");
        IllegalStateException b = assertThrows(IllegalStateException.class,
                () -> AppConfig.load(env, system).withConfigFiles(List.of(broken)));
        assertTrue(b.getMessage().contains(broken.toString()), b.getMessage());
    }

    @Test
    void environmentVariablesSetAnyKeyIncludingTheOnesUsersName() throws IOException {
        env.put("AGENT_ETL_SCHEDULE_REFRESH_STATS_CRON", "0 0 * * * ?");          // a known key with '-'
        env.put("AGENT_ETL_DB_POOL_SIZE", "9");                                   // a known key with '-'
        env.put("AGENT_ETL_SCHEDULE_FINETUNE_CRON", "0 0 3 * * ?");              // a schedule of a job not in the defaults
        env.put("AGENT_ETL_SCHEDULE_NIGHTLY_ARCHIVE_ENABLED", "true");            // a job name with '-'
        env.put("AGENT_ETL_FINETUNE_REDACTION_RULE_EMPLOYEE_ID", "E\\d{6}");      // rule names keep '_'
        env.put("AGENT_ETL_FINETUNE_REDACTION_PROFILE_STRICT", "email, employee_id");
        env.put("AGENT_ETL_LOG_LEVEL_ORG_APACHE_CAMEL", "info");                  // logger names use '.'
        env.put("agent-etl.export.split-min-mb", "8");                            // a name that is the key itself
        env.put("AGENT_ETL_JAVA_OPTS", "-Xmx2g");                                 // the launcher's, not a setting
        env.put("PATH", "/usr/bin");
        AppConfig config = AppConfig.load(env, system);
        assertEquals("0 0 * * * ?", config.get("agent-etl.schedule.refresh-stats.cron"));
        assertEquals(9, config.getInt("agent-etl.db.pool-size"));
        assertEquals("0 0 3 * * ?", config.get("agent-etl.schedule.finetune.cron"));
        assertEquals("true", config.get("agent-etl.schedule.nightly-archive.enabled"));
        assertEquals("E\\d{6}", config.get("agent-etl.finetune.redaction.rule.employee_id"));
        assertEquals("email, employee_id", config.get("agent-etl.finetune.redaction.profile.strict"));
        assertEquals("info", config.get("agent-etl.log.level.org.apache.camel"));
        assertEquals("8", config.get("agent-etl.export.split-min-mb"));
        assertFalse(config.describe().keySet().stream().anyMatch(k -> k.contains("java")), config.describe().toString());
        assertFalse(config.describe().keySet().stream().anyMatch(k -> k.contains("path")), config.describe().toString());
    }

    @Test
    void anEnvironmentVariableFindsAKeyAFileIntroduced() throws IOException {
        // a file names a rule with '-': the variable of that spelling overrides it, not a key of its own
        write(home.resolve("agent-etl.properties"), "agent-etl.finetune.redaction.rule.badge-no = B\\\\d+");
        env.put("AGENT_ETL_FINETUNE_REDACTION_RULE_BADGE_NO", "BADGE-\\d+");
        AppConfig config = AppConfig.load(env, system);
        assertEquals(Map.of("badge-no", "BADGE-\\d+"), config.under("agent-etl.finetune.redaction.rule."));
    }

    @Test
    void envNamesMapBackByTheDocumentedRules() {
        Map<String, String> known = Map.of("AGENT_ETL_DB_URL", "agent-etl.db.url");
        assertEquals("agent-etl.db.url", EnvKeys.keyOf("AGENT_ETL_DB_URL", known).orElseThrow());
        assertEquals("agent-etl.some.new.key", EnvKeys.keyOf("AGENT_ETL_SOME_NEW_KEY", known).orElseThrow());
        assertEquals("agent-etl.log.level.root", EnvKeys.keyOf("AGENT_ETL_LOG_LEVEL_ROOT", known).orElseThrow());
        assertTrue(EnvKeys.keyOf("AGENT_ETL_JAVA_OPTS", known).isEmpty());
        assertTrue(EnvKeys.keyOf("HOME", known).isEmpty());
        assertEquals("AGENT_ETL_SCHEDULE_REFRESH_STATS_CRON", EnvKeys.envName("agent-etl.schedule.refresh-stats.cron"));
    }
}
