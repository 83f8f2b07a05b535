package dev.agentetl.schedule;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code agent-etl run} in a JVM of its own, as an operator starts it, with settings as -D options. */
final class RunProcess implements AutoCloseable {

    final Process process;
    final Path log;

    private RunProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    static RunProcess start(Map<String, String> settings, Path log) throws IOException {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx256m");
        settings.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        cmd.add("-cp");
        cmd.add(classpath);
        cmd.add("dev.agentetl.cli.AgentEtl");
        cmd.add("run");
        Files.createDirectories(log.getParent());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new RunProcess(p, log);
    }

    /** The node name this process writes into job_runs.node. */
    String node() throws IOException {
        return process.pid() + "@" + java.net.InetAddress.getLocalHost().getHostName();
    }

    /** SIGTERM, then waits for the exit; returns the exit status. */
    int terminate() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
            Path dump = log.resolveSibling(log.getFileName() + ".threads.txt");
            threadDump(dump); // what the process was waiting for, before it is killed
            process.destroyForcibly();
            throw new AssertionError("run did not stop within 60 s of SIGTERM; log " + log + ", threads " + dump);
        }
        return process.exitValue();
    }

    private void threadDump(Path file) {
        try {
            Path jstack = Path.of(System.getProperty("java.home"), "bin", "jstack");
            new ProcessBuilder(jstack.toString(), String.valueOf(process.pid())).redirectErrorStream(true)
                    .redirectOutput(file.toFile()).start().waitFor(20, java.util.concurrent.TimeUnit.SECONDS);
        } catch (IOException | InterruptedException e) {
            // the assertion still names the log
        }
    }

    String output() throws IOException {
        return Files.readString(log);
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }
}
