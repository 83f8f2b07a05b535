package dev.agentetl.finetune;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentetl.export.HashingFileStream;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The train and validation files of one export, in the folder being written. JSON Lines holds exactly
 * OpenAI's format ({@code messages}, {@code tools}); Parquet holds the same example as nested columns (lists
 * of structs, {@link ConversationParquet}) next to its source, conversation and token count, for Hugging Face
 * {@code datasets}, Spark, Trino or DuckDB.
 */
final class SplitFiles implements AutoCloseable {

    /** One finished file: name, examples, bytes and SHA-256. */
    record FileFacts(String file, long examples, long bytes, String sha256) {
    }

    private final Map<String, Target> targets = new LinkedHashMap<>();
    private boolean closed;

    private static final class Target {
        final String file;
        final HashingFileStream hashing;
        final OutputStream out;
        final ConversationParquet parquet;
        long examples;

        Target(Path folder, String file, boolean parquet) throws IOException {
            this.file = file;
            this.hashing = new HashingFileStream(folder.resolve(file));
            this.out = new BufferedOutputStream(hashing, 1 << 16);
            this.parquet = parquet ? new ConversationParquet(out) : null;
        }
    }

    SplitFiles(Path folder, boolean parquet) throws IOException {
        String ext = parquet ? "parquet" : "jsonl";
        for (String split : List.of("train", "validation")) targets.put(split, new Target(folder, split + "." + ext, parquet));
    }

    /**
     * One example as a line of OpenAI's format (exactly messages and tools), ending with a newline: the bytes
     * Jackson writes for {@code {"messages": [...], "tools": [...]}}, with what repeats serialised once per thread
     * ({@link RenderedJson}).
     */
    static byte[] jsonLine(Example example) {
        return RenderedJson.get().chatLine(example);
    }

    /** A line made by {@link #jsonLine} (JSON Lines files). */
    void writeLine(String split, byte[] line) throws IOException {
        Target t = targets.get(split);
        t.out.write(line);
        t.examples++;
    }

    /** An example as a Parquet row. */
    void write(String split, Example example, int tokens) throws IOException {
        Target t = targets.get(split);
        t.parquet.write(example, tokens);
        t.examples++;
    }

    /** Closes both files and returns their facts. */
    List<FileFacts> finish() throws IOException {
        closed = true; // even when a close below fails: close() must not close the streams a second time
        for (Target t : targets.values()) {
            if (t.parquet != null) t.parquet.close();
            else t.out.close();
        }
        return targets.values().stream().map(t -> new FileFacts(t.file, t.examples, t.hashing.count(), t.hashing.sha256())).toList();
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        for (Target t : targets.values()) {
            try {
                if (t.parquet != null) t.parquet.close();
                else t.out.close();
            } catch (IOException | RuntimeException ignored) {
                // the folder is deleted by the caller
            }
        }
    }
}
