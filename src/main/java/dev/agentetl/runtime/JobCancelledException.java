package dev.agentetl.runtime;

/** The job stopped part-way because it was asked to (SIGTERM, Ctrl-C); what it had begun was undone. */
public final class JobCancelledException extends RuntimeException {

    public JobCancelledException(String reason) {
        super("cancelled: " + reason + " received");
    }
}
