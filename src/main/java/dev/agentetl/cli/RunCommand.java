package dev.agentetl.cli;

import dev.agentetl.app.AgentEtlRuntime;
import dev.agentetl.schedule.Schedules;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Run the scheduled jobs until stopped (SIGTERM or Ctrl-C): refresh-stats, insights, export-snapshots "
                + "and import-inbox on the cron schedules of agent-etl.schedule.<job>.*.",
                "Several run processes on one database form a cluster: each firing runs on exactly one of them, and when one "
                        + "stops the others carry on. A failing job is recorded in job_runs and tried again at its next firing.",
                "With agent-etl.management.enabled=true, Camel's management server answers on agent-etl.management.host:port: "
                        + "/observe/health/live, /observe/health/ready and /observe/metrics (Prometheus)."})
final class RunCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        AgentEtl cli = (AgentEtl) spec.root().userObject();
        AgentEtlRuntime runtime = AgentEtlRuntime.start(cli.config(), "run", true);
        Schedules schedules = runtime.schedules();
        if (AgentEtl.jsonAsked(spec.root().commandLine().getParseResult())) {
            // a daemon's one document: what it runs, printed once it is up (stdout stays quiet after it)
            java.util.Map<String, Object> started = new java.util.LinkedHashMap<>();
            started.put("node", schedules.nodeId());
            started.put("database", runtime.database().describe());
            started.put("schedules", schedules.describe());
            started.put("management", runtime.management() == null ? null : runtime.management().url());
            new JsonDocument("run", null).report(dev.agentetl.runtime.TextReport.read("", started, 0))
                    .print(cli.out, JsonDocument.Status.running, 0);
            new CountDownLatch(1).await();
            return 0;
        }
        cli.out.println("agent-etl run: node " + schedules.nodeId() + " on " + runtime.database().describe());
        for (Schedules.JobSchedule j : schedules.describe()) {
            cli.out.println("  " + j.job() + ": " + (j.enabled() ? "'" + j.cron() + "', next " + j.nextFire() : "off"));
        }
        if (runtime.management() != null) {
            cli.out.println("  management: " + runtime.management().url());
        }
        cli.out.flush();
        // SIGTERM and Ctrl-C run the shutdown sequence: Quartz lets a running job
        // finish, Camel and the pool stop, then the embedded server if there is one; then the JVM exits
        new CountDownLatch(1).await();
        return 0;
    }
}
