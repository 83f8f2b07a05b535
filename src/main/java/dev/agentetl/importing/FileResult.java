package dev.agentetl.importing;

import java.util.List;

/** What importing one file did (or, in a dry run, would do). */
public record FileResult(String file, String kind, long read, long created, long updated, long unchanged,
                         long deactivated, long rejected, long millis, List<String> problems) {

    public static FileResult rejected(String file, String kind, long read, long millis, List<String> problems) {
        return new FileResult(file, kind, read, 0, 0, 0, 0, Math.max(read, 1), millis, problems);
    }
}
