package dev.agentetl.cli;

import dev.agentetl.app.AgentEtlRuntime;
import dev.agentetl.runtime.Cancellation;
import dev.agentetl.runtime.Errors;
import dev.agentetl.runtime.JobReport;
import dev.agentetl.runtime.Secrets;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.time.OffsetDateTime;
import java.util.concurrent.Callable;

/**
 * A command that starts agent-etl, runs one job through {@code direct:<job>} and prints its report: as text, or
 * with {@code --json} as one JSON document ({@link JsonDocument}), also when the job fails or is stopped.
 */
abstract class JobCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    /** The top-level command: configuration and output streams, however deep this command is nested. */
    AgentEtl cli;

    /** The job (route id) this command runs. */
    abstract String job();

    /**
     * The message body the job receives, built from the options; an {@link IllegalArgumentException} here is a
     * usage error (exit 2).
     */
    Object body() {
        return null;
    }

    @Override
    public Integer call() {
        cli = (AgentEtl) spec.root().userObject();
        Object body;
        try {
            body = body();
        } catch (IllegalArgumentException | java.time.DateTimeException e) {
            // an option value that cannot be right: a usage error (exit 2), found before anything starts
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        boolean json = AgentEtl.jsonAsked(spec.root().commandLine().getParseResult());
        JsonDocument doc = new JsonDocument(AgentEtl.command(spec), job());
        OffsetDateTime started = JsonDocument.now();
        long t0 = System.nanoTime();
        Cancellation.reset();
        try (StopSignals signals = cli.ownProcess ? StopSignals.install(job(), cli.err) : StopSignals.none()) {
            AgentEtlRuntime runtime;
            try {
                runtime = AgentEtlRuntime.startForJob(cli.config(), job());
            } catch (RuntimeException e) {
                if (!json) throw e;
                return failed(doc.run(null, started, millisSince(t0)), e);
            }
            boolean ok = false;
            try {
                if (Cancellation.requested()) {
                    cli.err.println("agent-etl: " + job() + " not started: " + Cancellation.reason() + " received while starting");
                    return json ? doc.error(job() + " not started: " + Cancellation.reason()).print(cli.out, JsonDocument.Status.cancelled,
                            stopped(signals)) : stopped(signals);
                }
                JobReport report;
                try {
                    report = runtime.run(job(), body);
                } catch (RuntimeException e) {
                    doc.run(runtime.lastRunId(), started, millisSince(t0));
                    if (!Cancellation.isCancellation(e)) {
                        if (!json) throw e;
                        return failed(doc, e);
                    }
                    cli.err.println("agent-etl: " + job() + " cancelled by " + Cancellation.reason()
                            + ": stopped part-way, what it had begun is undone, and its run is recorded as cancelled");
                    return json ? doc.error(job() + " cancelled by " + Cancellation.reason()).print(cli.out, JsonDocument.Status.cancelled,
                            stopped(signals)) : stopped(signals);
                }
                doc.run(runtime.lastRunId(), started, millisSince(t0)).report(report);
                if (!json) {
                    cli.out.print(report.render());
                    cli.out.flush();
                }
                if (!report.problems().isEmpty()) {
                    report.problems().forEach(cli.err::println);
                    String summary = job().equals("check") || job().equals("migrate")
                            ? job() + " found " + report.problems().size() + " problem(s)"
                            : job() + " rejected input with " + report.problems().size() + " problem(s); the rest was kept";
                    cli.err.println("agent-etl: " + summary);
                    return json ? doc.error(summary).print(cli.out, JsonDocument.Status.failed, 1) : 1;
                }
                // a stop asked for after the job had finished changes nothing: it succeeded, and says so
                ok = true;
                return json ? doc.print(cli.out, JsonDocument.Status.succeeded, 0) : 0;
            } finally {
                runtime.close(ok);
            }
        }
    }

    /** A failed command with --json: the one-line reason on stderr as always, and the document on stdout. */
    private int failed(JsonDocument doc, RuntimeException e) {
        String reason = Errors.oneLine(e);
        cli.err.println("agent-etl: " + Secrets.scrub(reason));
        return doc.error(reason).print(cli.out, JsonDocument.Status.failed, 1);
    }

    private static long millisSince(long t0) {
        return (System.nanoTime() - t0) / 1_000_000L;
    }

    /** The exit status of a job stopped by a signal: 128 + its number (143 for SIGTERM, 130 for Ctrl-C). */
    private static int stopped(StopSignals signals) {
        return signals.exitStatus() != 0 ? signals.exitStatus() : 1;
    }
}
