package dev.agentetl.prompts;

import dev.agentetl.importing.Utf8;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * One catalog file's name (as recorded in the audit trail) and its text; or, for a file that cannot be
 * imported as it is (over the size limit, not UTF-8, a NUL byte), the problem instead of the text.
 */
public record CatalogFile(String source, String text, String problem) {

    /** Bytes a prompt or configuration file may have when nothing else is configured (agent-etl.import.max-prompt-bytes). */
    public static final long DEFAULT_MAX_BYTES = 1L << 20;

    public CatalogFile(String source, String text) {
        this(source, text, null);
    }

    /** The bundled catalog inside the jar, listed in catalog/index.txt. */
    public static List<CatalogFile> bundled() {
        List<CatalogFile> files = new ArrayList<>();
        for (String name : resource("catalog/index.txt").split("\n")) {
            if (!name.isBlank() && !name.startsWith("#")) {
                files.add(new CatalogFile("classpath:catalog/" + name.strip(), resource("catalog/" + name.strip())));
            }
        }
        return files;
    }

    /**
     * The files with one of the suffixes among the given files and folders (folders are searched recursively);
     * a file over {@code maxBytes} is not read.
     */
    public static List<CatalogFile> fromPaths(List<Path> paths, long maxBytes, String... suffixes) {
        List<CatalogFile> files = new ArrayList<>();
        for (Path p : paths) {
            if (!Files.exists(p)) {
                throw new IllegalArgumentException(p + ": no such file or folder");
            }
            if (Files.isDirectory(p)) {
                try (Stream<Path> walk = Files.walk(p)) {
                    walk.filter(f -> Files.isRegularFile(f) && java.util.Arrays.stream(suffixes).anyMatch(f.getFileName().toString()::endsWith))
                            .sorted().forEach(f -> files.add(read(f, maxBytes)));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            } else {
                files.add(read(p, maxBytes));
            }
        }
        return files;
    }

    /**
     * A file's text, strictly UTF-8; at most {@code maxBytes} are read (a template is held several times over
     * while it is parsed, hashed and written, so its size bounds the import's memory).
     */
    static CatalogFile read(Path file, long maxBytes) {
        String source = file.toString();
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
            if (bytes.length > maxBytes) {
                return new CatalogFile(source, null, source + ": " + Math.max(bytes.length, Files.size(file))
                        + " bytes, more than agent-etl.import.max-prompt-bytes (" + maxBytes + ")");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(source + ": " + e.getMessage(), e);
        }
        String text;
        try {
            text = Utf8.decode(bytes, source);
        } catch (CatalogException e) {
            return new CatalogFile(source, null, e.getMessage());
        }
        int nul = text.indexOf('\0');
        if (nul >= 0) {
            long line = 1 + text.substring(0, nul).chars().filter(ch -> ch == '\n').count();
            return new CatalogFile(source, null, source + ":" + line
                    + ": the file contains a NUL byte (0x00), which PostgreSQL text cannot hold");
        }
        return new CatalogFile(source, text);
    }

    private static String resource(String name) {
        try (InputStream in = CatalogFile.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("bundled catalog entry missing: " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
