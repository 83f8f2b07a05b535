package dev.agentetl.archive;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentetl.export.ParquetParts;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One archive run's record beside its files, {@code <dataset>/_manifest-<id>.json}: the cutoff, and per table
 * the rows selected with their key checksum (the database's figures), the files, and what was deleted. Its
 * state says how far the run got: {@code written} (files complete, not yet read back), {@code verified} (read
 * back and equal to the selection: its rows may now be deleted), {@code deleted}. A run that stopped before
 * {@code deleted} is finished by the next run of the dataset, which reads the keys from the files.
 */
final class ArchiveManifest {

    static final ObjectMapper JSON = new ObjectMapper();

    /** A table's part of the archive. */
    static final class TablePart {
        public String table;
        public String schema;
        public String key;
        public String key_type;
        public long rows;
        public String key_checksum;
        public List<ParquetParts.File> files = new ArrayList<>();
        public long deleted;
        public long kept;
    }

    public String archive_id;
    public String dataset;
    public String older_than;
    public String cutoff;
    public String created_at;
    public String state;
    public String verified_at;
    public String deleted_at;
    public List<TablePart> tables = new ArrayList<>();
    /** Time per phase of the run that wrote the archive (select and write, read back, delete), ms. */
    public java.util.Map<String, Long> phase_millis = new java.util.LinkedHashMap<>();

    static String fileName(String id) {
        return "_manifest-" + id + ".json";
    }

    static ArchiveManifest read(Path file) throws IOException {
        return JSON.readValue(file.toFile(), ArchiveManifest.class);
    }

    void write(Path folder) throws IOException {
        ParquetParts.writeManifest(folder.resolve(fileName(archive_id)), this);
    }

    /** The manifests in a dataset's folder, oldest first (ids are UTC times). */
    static List<Path> all(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) return List.of();
        try (var s = Files.list(folder)) {
            return s.filter(p -> p.getFileName().toString().matches("_manifest-.*\\.json")).sorted().toList();
        }
    }
}
