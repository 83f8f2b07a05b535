package dev.agentetl.ingest;

import java.util.Arrays;

/**
 * Part of one table's key map held in memory during a run, so that the rows referencing it are written
 * with their parents' target ids straight away instead of being joined with ingest_keys in PostgreSQL.
 * Pairs are added in increasing source id; consecutive source ids with consecutive target ids (the usual
 * case: AUTOINCREMENT keys, target ids drawn from the sequence in blocks) make one run of three longs, so a
 * table of a million rows takes a few hundred bytes. The memory is bounded: past {@link #MAX_RUNS} runs the
 * map stops growing and says it does not know the later keys (their rows take the path through PostgreSQL).
 * Only keys whose target row is certain to exist when the run commits are added (rows mapped in an earlier
 * run, or written in this run by the direct path): a miss never means "orphan", only "ask PostgreSQL".
 */
final class KeyRuns {

    /** 3 longs a run: 24 MB at most per table. */
    static final int MAX_RUNS = 1 << 20;

    private long[] sourceStart = new long[16];
    private long[] targetStart = new long[16];
    private long[] length = new long[16];
    private int runs;
    private long last = Long.MIN_VALUE;
    private boolean full;

    /** Adds source -> target; sources must come in increasing order (a smaller or repeated one is ignored). */
    void add(long source, long target) {
        if (full || source <= last) return;
        if (runs > 0) {
            int r = runs - 1;
            if (source == sourceStart[r] + length[r] && target == targetStart[r] + length[r]) {
                length[r]++;
                last = source;
                return;
            }
        }
        if (runs == MAX_RUNS) {
            full = true; // keys past this point are not known here: their rows are mapped in PostgreSQL
            return;
        }
        if (runs == sourceStart.length) {
            int n = Math.min(MAX_RUNS, runs * 2);
            sourceStart = Arrays.copyOf(sourceStart, n);
            targetStart = Arrays.copyOf(targetStart, n);
            length = Arrays.copyOf(length, n);
        }
        sourceStart[runs] = source;
        targetStart[runs] = target;
        length[runs] = 1;
        runs++;
        last = source;
    }

    /** The target id of a source id, or -1 when this map does not hold it. */
    long target(long source) {
        int lo = 0, hi = runs - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (sourceStart[mid] > source) {
                hi = mid - 1;
            } else if (source >= sourceStart[mid] + length[mid]) {
                lo = mid + 1;
            } else {
                return targetStart[mid] + (source - sourceStart[mid]);
            }
        }
        return -1;
    }

    int runs() {
        return runs;
    }
}
