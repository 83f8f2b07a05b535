package dev.agentetl.dashboard;

import java.nio.file.Path;
import java.time.LocalDate;

/** What to draw: the file to (re)write, the days shown and the last of them (null: today, UTC). */
public record DashboardRequest(Path out, Integer days, LocalDate to) {
}
