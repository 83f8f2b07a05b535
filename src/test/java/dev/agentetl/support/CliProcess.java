package dev.agentetl.support;

import dev.agentetl.runtime.AppConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One agent-etl command line in a JVM of its own, as an operator (or a scheduler) starts it, with a test's settings
 * as -D options. Its output goes either to stdout.txt and stderr.txt in a folder ({@link #start(AppConfig, Path,
 * String...)}) or to one log file, both streams together ({@link #start(Map, Path, String...)}).
 */
public final class CliProcess implements AutoCloseable {

    public final Process process;
    /** Both streams, when the process writes them to one file; otherwise null. */
    public final Path log;
    private final Path out;
    private final Path err;

    private CliProcess(Process process, Path log, Path out, Path err) {
        this.process = process;
        this.log = log;
        this.out = out;
        this.err = err;
    }

    /** The settings of a test configuration that point a process at the same database and folders. */
    public static Map<String, String> settingsOf(AppConfig config) {
        Map<String, String> s = new LinkedHashMap<>();
        for (String key : List.of("agent-etl.db.url", "agent-etl.db.user", "agent-etl.db.password", "agent-etl.home",
                "agent-etl.exports-dir", "agent-etl.legacy-dir", "agent-etl.inbox-dir")) {
            s.put(key, config.get(key, ""));
        }
        return s;
    }

    /**
     * Starts {@code agent-etl <args>} with the database, home and folders of {@code config}; its standard output and
     * error go to {@code stdout.txt} and {@code stderr.txt} in {@code logs}.
     */
    public static CliProcess start(AppConfig config, Path logs, String... args) throws IOException {
        return start(config, Map.of(), logs, args);
    }

    /** As {@link #start(AppConfig, Path, String...)}, with more settings (-D) for this process. */
    public static CliProcess start(AppConfig config, Map<String, String> more, Path logs, String... args) throws IOException {
        Files.createDirectories(logs);
        Path out = logs.resolve("stdout.txt");
        Path err = logs.resolve("stderr.txt");
        Map<String, String> settings = settingsOf(config);
        settings.putAll(more);
        ProcessBuilder pb = new ProcessBuilder(command(settings, args))
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        return new CliProcess(pb.start(), null, out, err);
    }

    /** Starts {@code agent-etl <args>} with {@code settings}; both its output streams go to {@code log}. */
    public static CliProcess start(Map<String, String> settings, Path log, String... args) throws IOException {
        Files.createDirectories(log.toAbsolutePath().getParent());
        ProcessBuilder pb = new ProcessBuilder(command(settings, args)).redirectErrorStream(true).redirectOutput(log.toFile());
        return new CliProcess(pb.start(), log, null, null);
    }

    /** The command line that starts {@code agent-etl <args>} in a JVM of its own with {@code settings} as -D options. */
    public static List<String> commandLine(Map<String, String> settings, String... args) {
        return command(settings, args);
    }

    private static List<String> command(Map<String, String> settings, String... args) {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx256m");
        settings.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        cmd.add("-cp");
        cmd.add(classpath);
        cmd.add("dev.agentetl.cli.AgentEtl");
        cmd.addAll(List.of(args));
        return cmd;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The node name this process writes into job_runs.node. */
    public String node() throws IOException {
        return process.pid() + "@" + java.net.InetAddress.getLocalHost().getHostName();
    }

    /** SIGTERM (what systemd, Kubernetes and kill send), then the exit status once the process is gone. */
    public int terminate(long timeoutSeconds) throws InterruptedException, IOException {
        process.destroy();
        return waitFor(timeoutSeconds);
    }

    /** kill -9: the process gets no chance to record anything. */
    public void kill() throws InterruptedException {
        process.destroyForcibly(); // SIGKILL
        process.waitFor(30, TimeUnit.SECONDS);
    }

    public int waitFor(long timeoutSeconds) throws InterruptedException, IOException {
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("agent-etl did not stop within " + timeoutSeconds + " s; output:\n" + output());
        }
        return process.exitValue();
    }

    /** Standard output, when it has a file of its own (otherwise everything, as {@link #output()}). */
    public String out() throws IOException {
        return out != null ? read(out) : output();
    }

    /** Standard error, when it has a file of its own (otherwise everything, as {@link #output()}). */
    public String err() throws IOException {
        return err != null ? read(err) : output();
    }

    /** Everything the process wrote: the one log, or standard output followed by standard error. */
    public String output() throws IOException {
        return log != null ? read(log) : read(out) + read(err);
    }

    private static String read(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file) : "";
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }
}
