package dev.agentetl.cli;

import dev.agentetl.runtime.AppConfig;
import dev.agentetl.support.CliRun;
import dev.agentetl.support.TestDatabases;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** --config on the command line: a file of settings over the defaults, under what the command line itself says. */
class ConfigFileTest {

    private static AppConfig config;

    @BeforeAll
    static void database() {
        config = TestDatabases.migratedConfig();
    }

    @Test
    void a_config_file_overrides_a_default_before_or_after_the_command(@TempDir Path tmp) throws Exception {
        Path file = Files.writeString(tmp.resolve("site.properties"), "agent-etl.generate.seed = 7\n");

        CliRun defaults = CliRun.of(config, "generate", "--rows", "60");
        assertEquals(0, defaults.exit(), defaults.err());
        assertTrue(defaults.out().contains("seed 42"), "the documented default: " + defaults.out());

        CliRun before = CliRun.of(config, "--config", file.toString(), "generate", "--rows", "60");
        assertEquals(0, before.exit(), before.err());
        assertTrue(before.out().contains("seed 7"), before.out());

        CliRun after = CliRun.of(config, "generate", "--rows", "60", "--config", file.toString());
        assertEquals(0, after.exit(), after.err());
        assertTrue(after.out().contains("seed 7"), after.out());

        // the command line is above the file: an option, and a setting given as -D
        CliRun option = CliRun.of(config, "generate", "--rows", "60", "--seed", "9", "--config", file.toString());
        assertTrue(option.out().contains("seed 9"), option.out());
        CliRun system = CliRun.of(config.with(Map.of("agent-etl.generate.seed", "11")), "--config", file.toString(),
                "generate", "--rows", "60");
        assertTrue(system.out().contains("seed 11"), system.out());
    }

    @Test
    void a_config_file_that_is_not_there_is_a_usage_error(@TempDir Path tmp) {
        Path missing = tmp.resolve("missing.properties");
        CliRun run = CliRun.of(config, "status", "--config", missing.toString());
        assertEquals(2, run.exit(), run.err());
        assertTrue(run.err().contains("--config") && run.err().contains("no such file: " + missing), run.err());
        assertEquals("", run.out());
    }

    @Test
    void a_config_file_that_cannot_be_read_is_named_in_one_line(@TempDir Path tmp) throws Exception {
        Path broken = Files.writeString(tmp.resolve("broken.properties"), "agent-etl.db.url = \\uZZZZ\n");
        CliRun run = CliRun.of(config, "--config", broken.toString(), "status");
        assertEquals(1, run.exit(), run.err());
        assertEquals(1, run.err().strip().lines().count(), run.err());
        assertTrue(run.err().startsWith("agent-etl: cannot read configuration file " + broken + ": Malformed"), run.err());
        assertEquals("", run.out());
    }
}
