package dev.agentetl.progress;

import dev.agentetl.runtime.AppConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * How progress is shown in this process ({@code agent-etl.progress}): {@code auto} (the default) draws a bar when
 * stderr is a terminal and writes log lines otherwise (a pipe, a file, a scheduler's log); {@code bar},
 * {@code log} and {@code off} force one way. Log lines come every {@code agent-etl.progress.log-seconds}.
 */
public final class ProgressReporter {

    public enum Mode { AUTO, BAR, LOG, OFF }

    private static volatile ProgressReporter current = new ProgressReporter(Mode.AUTO, 3);

    private final Mode mode;
    private final long logEveryNanos;

    ProgressReporter(Mode mode, long logSeconds) {
        this.mode = mode == Mode.AUTO ? (stderrIsTerminal() ? Mode.BAR : Mode.LOG) : mode;
        this.logEveryNanos = Math.max(1, logSeconds) * 1_000_000_000L;
    }

    /** Sets how this process shows progress, from its configuration. */
    public static void configure(AppConfig config) {
        String value = config.get("agent-etl.progress", "auto").trim().toUpperCase(Locale.ROOT);
        Mode mode;
        try {
            mode = Mode.valueOf(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("agent-etl.progress must be auto, bar, log or off, got '"
                    + config.get("agent-etl.progress", "") + "'");
        }
        current = new ProgressReporter(mode, config.getInt("agent-etl.progress.log-seconds"));
    }

    static ProgressReporter current() {
        return current;
    }

    /** The way progress is shown: BAR, LOG or OFF. */
    public static Mode mode() {
        return current.mode;
    }

    Progress start(String task, String unit, long total) {
        return switch (mode) {
            case BAR -> new TerminalBar(task, unit, total);
            case LOG -> new LoggedProgress(task, unit, total, logEveryNanos);
            default -> Progress.NONE;
        };
    }

    /**
     * Whether standard error is a terminal a person looks at: on Linux the device behind file descriptor 2 is a
     * terminal ({@code /dev/pts/N}, {@code /dev/ttyN}); elsewhere, where that cannot be read, whether the JVM has
     * a console. TERM=dumb (an editor's shell, some CI logs) never gets a bar.
     */
    static boolean stderrIsTerminal() {
        if ("dumb".equals(System.getenv("TERM"))) return false;
        Path fd2 = Path.of("/proc/self/fd/2");
        if (Files.exists(Path.of("/proc/self/fd"))) {
            try {
                String target = Files.readSymbolicLink(fd2).toString();
                return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
            } catch (IOException | UnsupportedOperationException e) {
                return false;
            }
        }
        return System.console() != null;
    }
}
