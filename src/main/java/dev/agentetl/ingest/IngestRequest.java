package dev.agentetl.ingest;

/**
 * {@code ingest}: the VibeAgent store ({@code sqlite:PATH}), the time zone its Python-written local times are
 * in (null: the configured default), whether to only report (dry run), and whether rows deleted at the source
 * are deleted here too; {@code full}: every row of every table compared with what was ingested.
 */
public record IngestRequest(String from, String sourceTimeZone, boolean dryRun, boolean syncDeletes, boolean full) {

    public IngestRequest(String from, String sourceTimeZone, boolean dryRun, boolean syncDeletes) {
        this(from, sourceTimeZone, dryRun, syncDeletes, false);
    }
}
