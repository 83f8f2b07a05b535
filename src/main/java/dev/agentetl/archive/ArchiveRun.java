package dev.agentetl.archive;

import dev.agentetl.export.ParquetParts;

import java.nio.file.Path;
import java.sql.Connection;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * The archive job as it goes through the steps of routes/archive.camel.yaml: the datasets it archives (one asked
 * for, or every configured one), what each brought and what failed. It travels in the exchange (variable
 * {@code archive}); the {@link Archiver} bean keeps nothing between steps. {@link Dataset} is the state of the
 * dataset in hand (variable {@code dataset}).
 */
public final class ArchiveRun {

    final List<ArchiveRequest> requests;
    /** Asked for one dataset (its failure is the job's), not a schedule's run of the configured ones. */
    final boolean asked;
    final List<ArchiveReport.Run> runs = new ArrayList<>();
    final List<String> problems = new ArrayList<>();

    ArchiveRun(List<ArchiveRequest> requests, boolean asked) {
        this.requests = requests;
        this.asked = asked;
    }

    /** How many datasets the job archives (the loop of its steps). */
    public int datasetCount() {
        return requests.size();
    }

    /** One dataset's archive, from its lock to its last delete. */
    public static final class Dataset {
        final ArchiveRequest request;
        final long started = System.nanoTime();
        Path folder;
        OffsetDateTime cutoff;
        Connection c;
        boolean locked;
        ArchiveScope scope;
        List<String> finished;
        String id;
        ArchiveManifest manifest;
        final List<ParquetParts> written = new ArrayList<>();
        long selected;
        /** The dataset's result; set early by a dry run or when no row is old enough (nothing to write or delete). */
        ArchiveReport.Run result;

        Dataset(ArchiveRequest request) {
            this.request = request;
        }

        /** Whether rows were written that are still to be published, read back and deleted. */
        public boolean hasRows() {
            return result == null;
        }

        @Override
        public String toString() {
            return "archive of " + request.dataset();
        }
    }
}
