package dev.agentetl.cli;

import dev.agentetl.runtime.AgentEtlRuntime;
import dev.agentetl.runtime.Cancellation;
import dev.agentetl.runtime.JobReport;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** A command that starts agent-etl, runs one job through {@code direct:<job>} and prints its report. */
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
        Cancellation.reset();
        try (StopSignals signals = cli.ownProcess ? StopSignals.install(job(), cli.err) : StopSignals.none()) {
            AgentEtlRuntime runtime = AgentEtlRuntime.start(cli.config(), job());
            boolean ok = false;
            try {
                if (Cancellation.requested()) {
                    cli.err.println("agent-etl: " + job() + " not started: " + Cancellation.reason() + " received while starting");
                    return stopped(signals);
                }
                JobReport report;
                try {
                    report = runtime.run(job(), body);
                } catch (RuntimeException e) {
                    if (!Cancellation.isCancellation(e)) throw e;
                    cli.err.println("agent-etl: " + job() + " cancelled by " + Cancellation.reason()
                            + ": stopped part-way, what it had begun is undone, and its run is recorded as cancelled");
                    return stopped(signals);
                }
                cli.out.print(report.render());
                cli.out.flush();
                if (!report.problems().isEmpty()) {
                    report.problems().forEach(cli.err::println);
                    cli.err.println(job().equals("check") || job().equals("migrate")
                            ? "agent-etl: " + job() + " found " + report.problems().size() + " problem(s)"
                            : "agent-etl: " + job() + " rejected input with " + report.problems().size() + " problem(s); the rest was kept");
                    return 1;
                }
                // a stop asked for after the job had finished changes nothing: it succeeded, and says so
                ok = true;
                return 0;
            } finally {
                runtime.close(ok);
            }
        }
    }

    /** The exit status of a job stopped by a signal: 128 + its number (143 for SIGTERM, 130 for Ctrl-C). */
    private static int stopped(StopSignals signals) {
        return signals.exitStatus() != 0 ? signals.exitStatus() : 1;
    }
}
