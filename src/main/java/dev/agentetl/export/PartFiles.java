package dev.agentetl.export;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The part files of one export: each is written under a hidden temporary name (readers skip names
 * starting with '.') and renamed when complete, with its row count, size and SHA-256.
 */
final class PartFiles {

    record Part(String file, long rows, long bytes, String sha256) {
    }

    private final Path folder;
    private final String prefix;
    private final String extension;
    private final List<Part> done = new ArrayList<>();
    private Path temp;
    private Path target;
    private HashingFileStream stream;

    PartFiles(Path folder, String prefix, String extension) throws IOException {
        this.folder = Files.createDirectories(folder);
        this.prefix = prefix;
        this.extension = extension;
    }

    /**
     * Removes what a killed export left behind (the caller holds the export's lock, so no export of this
     * folder is running): temporary files, and part files of an export that never wrote its manifest,
     * which a reader of the folder would otherwise take for data.
     */
    static void cleanDebris(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) return;
        List<Path> files;
        try (Stream<Path> list = Files.list(folder)) {
            files = list.toList();
        }
        for (Path p : files) {
            String name = p.getFileName().toString();
            java.util.regex.Matcher part = PART.matcher(name);
            if (name.endsWith(".inprogress") || (part.matches() && !Files.exists(folder.resolve("_manifest-" + part.group(1) + ".json")))) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static final java.util.regex.Pattern PART = java.util.regex.Pattern.compile("part-(\\d{6,})-.*");

    OutputStream next() throws IOException {
        String name = String.format("%s-%05d.%s", prefix, done.size(), extension);
        target = folder.resolve(name);
        temp = folder.resolve("." + name + ".inprogress");
        stream = new HashingFileStream(temp);
        return new BufferedOutputStream(stream, 1 << 16);
    }

    /** Called after the writer closed the stream: the file gets its final name. */
    void complete(long rows) throws IOException {
        stream.close(); // normally already closed by the writer; waits for the last bytes to reach the file
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        done.add(new Part(folder.getFileName() + "/" + target.getFileName(), rows, stream.count(), stream.sha256()));
        temp = null;
    }

    /** The export failed: deletes the file being written and the ones already completed. */
    void abandon() {
        for (Part p : done) {
            try {
                Files.deleteIfExists(path(p));
            } catch (IOException ignored) {
                // a part without its manifest is removed by the next export of this dataset
            }
        }
        try {
            if (stream != null) stream.close();
        } catch (IOException ignored) {
            // the file is deleted below anyway
        }
        try {
            if (temp != null) Files.deleteIfExists(temp);
        } catch (IOException ignored) {
            // best effort: a later export of the same dataset cleans it up
        }
    }

    String prefix() {
        return prefix;
    }

    List<Part> parts() {
        return done;
    }

    Path path(Part part) {
        return folder.resolveSibling(part.file());
    }
}
