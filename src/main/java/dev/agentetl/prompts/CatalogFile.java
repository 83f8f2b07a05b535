package dev.agentetl.prompts;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** One catalog file's name (as recorded in the audit trail) and its text. */
public record CatalogFile(String source, String text) {

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

    /** The files with one of the suffixes among the given files and folders (folders are searched recursively). */
    public static List<CatalogFile> fromPaths(List<Path> paths, String... suffixes) {
        List<CatalogFile> files = new ArrayList<>();
        for (Path p : paths) {
            if (!Files.exists(p)) {
                throw new IllegalArgumentException(p + ": no such file or folder");
            }
            if (Files.isDirectory(p)) {
                try (Stream<Path> walk = Files.walk(p)) {
                    walk.filter(f -> Files.isRegularFile(f) && java.util.Arrays.stream(suffixes).anyMatch(f.getFileName().toString()::endsWith))
                            .sorted().forEach(f -> files.add(read(f)));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            } else {
                files.add(read(p));
            }
        }
        return files;
    }

    static CatalogFile read(Path file) {
        try {
            return new CatalogFile(file.toString(), Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": " + e.getMessage(), e);
        }
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
