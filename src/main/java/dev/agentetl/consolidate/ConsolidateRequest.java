package dev.agentetl.consolidate;

/**
 * {@code consolidate}: the legacy source (sqlite:PATH or postgres:SCHEMA), the time zone its local
 * timestamps were written in, and whether to only plan (dry run) or to drop the legacy tables after a
 * verified run. {@code verifyOnly}: recompute the reconciliation of run {@code runId} (or the latest).
 */
public record ConsolidateRequest(String from, String sourceTimeZone, boolean dryRun, boolean dropLegacy,
                                 boolean verifyOnly, Long runId) {
}
