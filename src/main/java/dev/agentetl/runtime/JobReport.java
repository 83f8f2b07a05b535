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

    /**
     * Input the job rejected, one {@code file:line: reason} per entry. Good input in the same run is
     * kept; any problem makes the run count as failed (non-zero exit, status failed in job_runs).
     */
    default java.util.List<String> problems() {
        return java.util.List.of();
    }

    /** Structured details stored with the run in job_runs.details (JSON), or null. */
    default Object details() {
        return null;
    }

    /**
     * The report as data, for {@code --json}: what {@link #render()} shows, as named fields. A report that is a
     * record is its own data (its components); others say what they hold.
     */
    default Object data() {
        if (this instanceof Record) return this;
        Object details = details();
        return details != null ? details : java.util.Map.of("text", render());
    }

    /** The report as printed to stdout, ending with a newline. */
    String render();
}
