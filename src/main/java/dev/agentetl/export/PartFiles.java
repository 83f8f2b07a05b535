package dev.agentetl.export;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The part files of one export: each is written under a hidden temporary name (readers skip names
 * starting with '.'), with its row count, size and SHA-256, and stays hidden until the whole export is
 * complete: {@link #publish()} then gives every file its final name, so a reader of the folder never sees
 * part of an export. What a killed export leaves (hidden files, parts without their manifest) is removed
 * by {@link ExportFolder#cleanUp} before the next export of the dataset writes.
 */
final class PartFiles {

    record Part(String file, long rows, long bytes, String sha256) {
    }

    private final Path folder;
    private final String prefix;
    private final String extension;
    private final List<Part> done = new ArrayList<>();
    private final List<Path> hidden = new ArrayList<>();
    private boolean published;
    private Path temp;
    private HashingFileStream stream;

    PartFiles(Path folder, String prefix, String extension) throws IOException {
        this.folder = Files.createDirectories(folder);
        this.prefix = prefix;
        this.extension = extension;
    }

    OutputStream next() throws IOException {
        String name = String.format("%s-%05d.%s", prefix, done.size(), extension);
        temp = folder.resolve("." + name + ".inprogress");
        stream = new HashingFileStream(temp);
        // HashingFileStream gathers the bytes into chunks itself: a BufferedOutputStream in front only copied
        // them once more and took a lock on each of the writers' several writes per row
        return stream;
    }

    /** Called after the writer closed the stream: the file is complete (and stays hidden until {@link #publish}). */
    void complete(long rows) throws IOException {
        stream.close(); // normally already closed by the writer; waits for the last bytes to reach the file
        String name = temp.getFileName().toString();
        String target = name.substring(1, name.length() - ".inprogress".length());
        done.add(new Part(folder.getFileName() + "/" + target, rows, stream.count(), stream.sha256()));
        hidden.add(temp);
        temp = null;
    }

    /** The export is complete: every file gets its final name, each rename atomic. */
    void publish() throws IOException {
        for (int i = 0; i < done.size(); i++) {
            Files.move(hidden.get(i), path(done.get(i)), StandardCopyOption.ATOMIC_MOVE);
        }
        published = true;
    }

    /** The export could not be recorded after all: its published files go again. */
    void unpublish() {
        if (!published) return;
        for (Part p : done) {
            try {
                Files.deleteIfExists(path(p));
            } catch (IOException ignored) {
                // a part without its manifest is removed by the next export of this dataset
            }
        }
        published = false;
    }

    /** The export failed: deletes the file being written and the ones already completed. */
    void abandon() {
        unpublish();
        for (Path h : hidden) {
            try {
                Files.deleteIfExists(h);
            } catch (IOException ignored) {
                // hidden debris is removed by the next export of this dataset
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
