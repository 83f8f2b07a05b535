package dev.agentetl.inbox;

import dev.agentetl.importing.FileResult;
import dev.agentetl.importing.ImportReport;
import dev.agentetl.prompts.ImportPromptsRequest;
import dev.agentetl.prompts.PromptImporter;
import dev.agentetl.rules.ImportRulesRequest;
import dev.agentetl.rules.RulesImporter;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Imports the files dropped into the inbox folder: {@code *.prompt} into the prompt registry and
 * {@code *.csv} into the rules tables. A file that imports moves to {@code .done/}; a file with
 * problems moves to {@code .error/} with {@code <file>.error.txt} beside it. One bad file never
 * blocks the others.
 * <p>
 * Only settled files are imported: a file whose size or modification time changed in the last
 * {@code settleMs} (looked at twice, that long apart) may still be being written, and a rules file read
 * half-written is a desired state that deactivates the rest. Such a file is left where it is, named in the
 * report, for the next run. Names starting with '.' are never picked up, so a writer that needs longer
 * pauses can write under one and rename the file when it is complete.
 */
public final class InboxImporter {

    private final PromptImporter prompts;
    private final RulesImporter rules;
    private final Path inbox;
    private final long settleMs;

    public InboxImporter(PromptImporter prompts, RulesImporter rules, Path inbox, long settleMs) {
        this.prompts = prompts;
        this.rules = rules;
        this.inbox = inbox;
        this.settleMs = settleMs;
    }

    /** {@code import inbox}: every file waiting in the inbox, moved to .done or .error. */
    public ImportReport drain() throws IOException, SQLException {
        long started = System.nanoTime();
        List<FileResult> results = new ArrayList<>();
        List<String> left = new ArrayList<>();
        if (Files.isDirectory(inbox)) {
            List<Path> files;
            try (Stream<Path> list = Files.list(inbox)) {
                files = list.filter(InboxImporter::accepted).sorted().toList();
            }
            for (Path file : settled(files, left)) {
                FileResult result = importOne(file);
                move(file, result.problems().isEmpty() ? ".done" : ".error");
                results.add(result);
            }
        }
        return new ImportReport("inbox " + inbox, false, results, (System.nanoTime() - started) / 1_000_000, left);
    }

    /** What a look at a file saw: its size and modification time. */
    private record Look(long size, long modified) {
        static Look of(Path p) {
            try {
                java.nio.file.attribute.BasicFileAttributes a = Files.readAttributes(p, java.nio.file.attribute.BasicFileAttributes.class);
                return new Look(a.size(), a.lastModifiedTime().toMillis());
            } catch (IOException e) {
                return null; // gone (moved away by its writer) or unreadable: not settled
            }
        }
    }

    /**
     * The files whose size and modification time did not change over settleMs and whose last change is at least
     * that old; the others are added to {@code left} with the reason.
     */
    private List<Path> settled(List<Path> files, List<String> left) {
        if (files.isEmpty() || settleMs <= 0) return files;
        List<Look> first = files.stream().map(Look::of).toList();
        try {
            Thread.sleep(settleMs);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for inbox files to settle", e);
        }
        List<Path> settled = new ArrayList<>();
        long now = System.currentTimeMillis();
        for (int i = 0; i < files.size(); i++) {
            Look second = Look.of(files.get(i));
            if (second == null) {
                continue; // no longer there: nothing to import or report
            }
            if (second.equals(first.get(i)) && now - second.modified() >= settleMs) {
                settled.add(files.get(i));
            } else {
                left.add(files.get(i).getFileName() + " (still being written: its size or modification time changed within the last "
                        + settleMs + " ms, agent-etl.inbox.settle-ms)");
            }
        }
        return settled;
    }

    /**
     * The file route's step: imports one file; on problems writes the error report and throws, so the
     * file consumer moves the file to .error (and to .done otherwise).
     */
    public FileResult importFile(File file) throws IOException, SQLException {
        FileResult result = importOne(file.toPath());
        if (!result.problems().isEmpty()) {
            throw new IllegalArgumentException(file.getName() + " rejected: " + result.problems().get(0));
        }
        return result;
    }

    static boolean accepted(Path p) {
        String name = p.getFileName().toString();
        return Files.isRegularFile(p) && !name.startsWith(".") && (name.endsWith(".prompt") || name.endsWith(".csv"));
    }

    private FileResult importOne(Path file) throws IOException, SQLException {
        String actor = "inbox";
        FileResult result;
        if (file.getFileName().toString().endsWith(".prompt")) {
            ImportReport report = prompts.importPrompts(new ImportPromptsRequest(List.of(file), false, actor));
            result = report.files().get(0);
        } else {
            result = rules.importFile(file, new ImportRulesRequest(List.of(file), false, actor));
        }
        Path report = inbox.resolve(".error").resolve(file.getFileName() + ".error.txt");
        if (!result.problems().isEmpty()) {
            Files.createDirectories(report.getParent());
            Files.writeString(report, String.join("\n", result.problems()) + "\n", StandardCharsets.UTF_8);
        } else {
            // a fixed file that imports clears the report of an earlier failure
            Files.deleteIfExists(report);
        }
        return result;
    }

    private void move(Path file, String folder) throws IOException {
        Path target = inbox.resolve(folder);
        Files.createDirectories(target);
        Files.move(file, target.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
    }
}
