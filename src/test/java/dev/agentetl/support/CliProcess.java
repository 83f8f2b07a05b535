package dev.agentetl.support;

import dev.agentetl.runtime.AppConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** One command line in a JVM of its own, as an operator (or a scheduler) starts it; settings as -D options. */
public final class CliProcess implements AutoCloseable {

    private final Process process;
    private final Path out;
    private final Path err;

    private CliProcess(Process process, Path out, Path err) {
        this.process = process;
        this.out = out;
        this.err = err;
    }

    /** Starts {@code agent-etl <args>} with the database, home and folders of {@code config}. */
    public static CliProcess start(AppConfig config, Path logs, String... args) throws IOException {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx256m");
        for (String key : List.of("agent-etl.db.url", "agent-etl.db.user", "agent-etl.db.password", "agent-etl.home",
                "agent-etl.exports-dir", "agent-etl.inbox-dir", "agent-etl.legacy-dir")) {
            cmd.add("-D" + key + "=" + config.get(key));
        }
        cmd.add("-cp");
        cmd.add(classpath);
        cmd.add("dev.agentetl.cli.AgentEtl");
        cmd.addAll(List.of(args));
        Files.createDirectories(logs);
        Path out = logs.resolve("stdout.txt");
        Path err = logs.resolve("stderr.txt");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        return new CliProcess(p, out, err);
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** SIGTERM (what systemd, Kubernetes and kill send), then the exit status once the process is gone. */
    public int terminate(long timeoutSeconds) throws InterruptedException, IOException {
        process.destroy();
        return waitFor(timeoutSeconds);
    }

    public int waitFor(long timeoutSeconds) throws InterruptedException, IOException {
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("agent-etl did not stop within " + timeoutSeconds + " s; stderr:\n" + err());
        }
        return process.exitValue();
    }

    public String out() throws IOException {
        return Files.readString(out);
    }

    public String err() throws IOException {
        return Files.readString(err);
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }
}
