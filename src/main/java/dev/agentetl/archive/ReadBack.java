package dev.agentetl.archive;

import dev.agentetl.export.ParquetParts;
import org.apache.avro.generic.GenericRecord;
import org.apache.commons.codec.digest.DigestUtils;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.io.LocalInputFile;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The archive's files read back: each file's SHA-256 against the manifest, then per table the rows and the
 * checksum of their keys against what the database counted for the selection.
 */
final class ReadBack {

    /** The files are not what was selected: nothing may be deleted on their strength. */
    static final class Mismatch extends IOException {
        Mismatch(String message) {
            super(message);
        }
    }

    private ReadBack() {
    }

    static void verify(Path folder, ArchiveManifest m) throws IOException {
        for (ArchiveManifest.TablePart t : m.tables) {
            KeyChecksum sum = new KeyChecksum();
            for (ParquetParts.File f : t.files) {
                Path file = folder.resolve(f.file());
                if (!Files.isRegularFile(file)) throw new Mismatch(file + " is missing");
                String sha;
                try (InputStream in = Files.newInputStream(file)) {
                    sha = DigestUtils.sha256Hex(in);
                }
                if (!sha.equals(f.sha256())) throw new Mismatch(file + ": SHA-256 " + sha + ", manifest " + f.sha256());
                try {
                    keys(file, t.key, sum::add);
                } catch (Mismatch e) {
                    throw e;
                } catch (IOException | RuntimeException | java.sql.SQLException e) {
                    // a file Parquet cannot read is as good as a wrong one: nothing is deleted on its strength
                    throw new Mismatch(file + ": cannot be read back: " + e);
                }
            }
            String checksum = KeyChecksum.hex(sum.value());
            if (sum.count() != t.rows || !checksum.equals(t.key_checksum)) {
                throw new Mismatch(t.table + ": " + sum.count() + " rows with key checksum " + checksum + " read back, "
                        + t.rows + " with " + t.key_checksum + " selected");
            }
        }
    }

    /** Takes the keys of a file one by one (deleting as it goes, so no file's keys are held at once). */
    interface KeySink {
        void accept(String key) throws IOException, java.sql.SQLException;
    }

    /** The keys in one file, as text the way PostgreSQL prints them (integers, uuids, text). */
    static void keys(Path file, String key, KeySink out) throws IOException, java.sql.SQLException {
        try (ParquetReader<GenericRecord> reader = AvroParquetReader.<GenericRecord>builder(new LocalInputFile(file),
                new PlainParquetConfiguration()).build()) {
            GenericRecord r;
            while ((r = reader.read()) != null) {
                Object k = r.get(key.replaceAll("[^A-Za-z0-9_]", "_")); // the Avro name the writer gave the column
                if (k == null) throw new Mismatch(file + ": a row without its key " + key);
                out.accept(k.toString());
            }
        }
    }

    /**
     * Removes what a stopped run left that no manifest names: hidden files being written, and parts of runs
     * whose manifest was never written (their rows were not deleted).
     */
    static void removeDebris(Path folder, List<String> live) throws IOException {
        if (!Files.isDirectory(folder)) return;
        try (Stream<Path> s = Files.walk(folder)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                String name = p.getFileName().toString();
                boolean hidden = name.startsWith(".") && name.endsWith(".inprogress");
                boolean orphan = name.startsWith("part-") && live.stream().noneMatch(id -> name.startsWith("part-" + id + "-"));
                if (hidden || orphan) Files.deleteIfExists(p);
            }
        }
    }
}
