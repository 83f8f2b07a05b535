package dev.agentetl.support;

import dev.agentetl.runtime.AppConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** One agent-etl command in a JVM of its own, as a user starts it, with a test's settings as -D options. */
public final class CliProcess implements AutoCloseable {

    public final Process process;
    public final Path log;

    private CliProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** The settings of a test configuration that point a process at the same database and folders. */
    public static Map<String, String> settingsOf(AppConfig config) {
        Map<String, String> s = new java.util.LinkedHashMap<>();
        for (String key : List.of("agent-etl.db.url", "agent-etl.db.user", "agent-etl.db.password", "agent-etl.home",
                "agent-etl.exports-dir", "agent-etl.legacy-dir", "agent-etl.inbox-dir")) {
            s.put(key, config.get(key, ""));
        }
        return s;
    }

    public static CliProcess start(Map<String, String> settings, Path log, String... args) throws IOException {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx256m");
        settings.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        cmd.add("-cp");
        cmd.add(classpath);
        cmd.add("dev.agentetl.cli.AgentEtl");
        cmd.addAll(List.of(args));
        Files.createDirectories(log.getParent());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new CliProcess(p, log);
    }

    /** The node name this process writes into job_runs.node. */
    public String node() throws IOException {
        return process.pid() + "@" + java.net.InetAddress.getLocalHost().getHostName();
    }

    /** kill -9: the process gets no chance to record anything. */
    public void kill() throws InterruptedException {
        process.destroyForcibly(); // SIGKILL
        process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS);
    }

    public String output() throws IOException {
        return Files.readString(log);
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }
}
