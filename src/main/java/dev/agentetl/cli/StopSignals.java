package dev.agentetl.cli;

import dev.agentetl.runtime.Cancellation;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * SIGTERM and Ctrl-C (SIGINT) while a command runs one job: instead of the JVM's default (run the shutdown
 * hooks and exit at once, under a job that is still writing), the job is asked to stop ({@link Cancellation}).
 * The command then returns normally, with the records of its run written, and exits with the status of what
 * happened: 0 when the job had already finished, 128 + the signal's number when it stopped part-way.
 * {@code run} keeps the JVM's default: its shutdown sequence lets a running job finish.
 */
final class StopSignals implements AutoCloseable {

    private record Installed(sun.misc.Signal signal, sun.misc.SignalHandler previous) {
    }

    private final List<Installed> installed = new ArrayList<>();
    private volatile int received;

    private StopSignals() {
    }

    /** Handles TERM and INT until closed; a JVM that does not allow it (-Xrs) keeps its default. */
    static StopSignals install(String job, PrintStream err) {
        StopSignals s = new StopSignals();
        for (String name : new String[]{"TERM", "INT"}) {
            try {
                sun.misc.Signal signal = new sun.misc.Signal(name);
                sun.misc.SignalHandler previous = sun.misc.Signal.handle(signal, sig -> {
                    if (s.received == 0) {
                        s.received = 128 + sig.getNumber();
                        err.println("agent-etl: SIG" + sig.getName() + " received: stopping " + job);
                    }
                    Cancellation.request("SIG" + sig.getName());
                });
                s.installed.add(new Installed(signal, previous));
            } catch (IllegalArgumentException | UnsupportedOperationException e) {
                // this signal keeps the JVM's handling
            }
        }
        return s;
    }

    /** For commands run in a process that is not agent-etl's own (the tests): nothing is installed. */
    static StopSignals none() {
        return new StopSignals();
    }

    /** 128 + the number of the first signal received (143 for SIGTERM, 130 for SIGINT), or 0. */
    int exitStatus() {
        return received;
    }

    @Override
    public void close() {
        for (Installed i : installed) {
            sun.misc.Signal.handle(i.signal(), i.previous());
        }
        installed.clear();
    }
}
