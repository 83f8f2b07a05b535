package dev.agentetl.cli;

import dev.agentetl.runtime.AgentEtlRuntime;
import dev.agentetl.runtime.JobReport;
import picocli.CommandLine.ParentCommand;

import java.util.concurrent.Callable;

/** A command that starts agent-etl, runs one job through {@code direct:<job>} and prints its report. */
abstract class JobCommand implements Callable<Integer> {

    @ParentCommand
    AgentEtl cli;

    /** The job (route id) this command runs. */
    abstract String job();

    /** The message body the job receives. */
    Object body() {
        return null;
    }

    @Override
    public Integer call() {
        Object body = body();
        AgentEtlRuntime runtime = AgentEtlRuntime.start(cli.config, job());
        boolean ok = false;
        try {
            JobReport report = runtime.run(job(), body);
            cli.out.print(report.render());
            cli.out.flush();
            ok = true;
            return 0;
        } finally {
            runtime.close(ok);
        }
    }
}
