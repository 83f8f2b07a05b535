package dev.agentetl.runtime;

/** What a job returns: figures recorded in job_runs and a text report printed to stdout. */
public interface JobReport {

    default long rowsRead() {
        return 0;
    }

    default long rowsWritten() {
        return 0;
    }

    default long rowsRejected() {
        return 0;
    }

    default long rowsSkipped() {
        return 0;
    }

    /** The report as printed to stdout, ending with a newline. */
    String render();
}
