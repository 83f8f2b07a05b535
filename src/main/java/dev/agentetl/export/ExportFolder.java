package dev.agentetl.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentetl.app.RunLiveness;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The folder of one dataset in one format, {@code <out>/<dataset>/<format>/}, with its {@code dt=<day>}
 * partitions: what a folder-level reader (DuckDB, Spark, Trino) reads as the dataset. Every change to it is made
 * by an export holding the dataset's lock, so exports of one dataset change it one at a time.
 * <p>
 * Exports without filters form the dataset's chain, and the folder holds each of the chain's rows once:
 * <ul>
 * <li>a snapshot (a full export, or the first incremental one) holds the rows stamped before its watermark
 * and those with no time, plus a tail: the rows already stamped at or after it; once complete it replaces the
 * files of every older export of the chain (snapshots and incrementals alike, in every partition);</li>
 * <li>an incremental export holds the rows from the last watermark to its own, plus its tail; once complete
 * it replaces the tails of the older exports (those rows are now in its own files).</li>
 * </ul>
 * An export with --where, --since or --until is an extract: it replaces nothing and nothing replaces it.
 * <p>
 * The new files are published (renamed from hidden names) and the manifest written before the exports row is
 * committed as succeeded; the older files are removed after. A process killed in between leaves the folder for
 * the next export to finish ({@link #cleanUp}): the files of an export whose row did not succeed are removed,
 * the replacements of one that did are completed.
 */
final class ExportFolder {

    private static final Logger LOG = LoggerFactory.getLogger(ExportFolder.class);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    enum Kind {
        SNAPSHOT, INCREMENTAL, EXTRACT;

        String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    static final Pattern PART = Pattern.compile("part-(\\d{6,})-.*");
    static final Pattern TAIL = Pattern.compile("part-(\\d{6,})-tail-\\d{5}\\..*");
    static final Pattern MANIFEST = Pattern.compile("_manifest-(\\d{6,})\\.json");

    private final Path root;

    ExportFolder(Path root) {
        this.root = root;
    }

    static String manifestName(long id) {
        return String.format("_manifest-%06d.json", id);
    }

    static String tailPrefix(long id) {
        return String.format("part-%06d-tail", id);
    }

    /**
     * Before an export writes (the caller holds the dataset's lock, so no export of it is running): removes
     * what a killed export left (hidden files, parts without their manifest, tails already replaced) and
     * finishes or undoes the last export's publication according to its exports row.
     */
    void cleanUp(Connection c, String dataset, String type) throws IOException, SQLException {
        if (!Files.isDirectory(root)) return;
        for (Path partition : partitions()) {
            for (Path p : files(partition)) {
                String name = p.getFileName().toString();
                Matcher part = PART.matcher(name);
                if (name.startsWith(".") && name.endsWith(".inprogress")
                        || part.matches() && !Files.exists(partition.resolve(manifestName(Long.parseLong(part.group(1)))))) {
                    Files.deleteIfExists(p);
                }
            }
        }
        Map.Entry<Long, Path> newest = manifests().lastEntry();
        if (newest != null) {
            String state = state(c, newest.getKey(), dataset, type);
            if ("undo".equals(state)) {
                LOG.warn("export {} of {} was published but never recorded as succeeded: its files are removed",
                        newest.getKey(), dataset);
                remove(newest.getKey(), newest.getValue());
            } else if ("succeeded".equals(state)) {
                JsonNode m = read(newest.getValue());
                if (m != null && m.has("kind")) {
                    replace(newest.getKey(), Kind.valueOf(m.get("kind").asText().toUpperCase(java.util.Locale.ROOT)));
                }
            }
        }
        // a tail whose manifest says it was replaced (the process stopped between the two)
        for (Map.Entry<Long, List<Path>> t : tails().entrySet()) {
            Path manifest = t.getValue().get(0).resolveSibling(manifestName(t.getKey()));
            JsonNode m = read(manifest);
            if (m != null && m.path("tail").has("replaced_by")) {
                for (Path f : t.getValue()) Files.deleteIfExists(f);
            }
        }
    }

    /** succeeded, undo (failed, cancelled, abandoned, or running with no session holding it), or other (not ours, or still live). */
    private static String state(Connection c, long id, String dataset, String type) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT status, " + RunLiveness.held(RunLiveness.EXPORT_LOCK, "id")
                + " FROM exports WHERE id = ? AND dataset = ? AND export_type = ?")) {
            ps.setLong(1, id);
            ps.setString(2, dataset);
            ps.setString(3, type);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) return "other";
                String status = rs.getString(1);
                if (status.equals("succeeded")) return "succeeded";
                if (status.equals("failed") || status.equals("cancelled") || status.equals("abandoned")
                        || (status.equals("running") && !rs.getBoolean(2))) {
                    return "undo";
                }
                return "other";
            }
        }
    }

    /** The exports whose files (a snapshot) or tails (an incremental export) export {@code self} replaces. */
    List<Long> replaced(long self, Kind kind) throws IOException {
        List<Long> ids = new ArrayList<>();
        if (kind == Kind.SNAPSHOT) {
            for (Map.Entry<Long, Path> m : manifests().entrySet()) {
                if (m.getKey() != self && chainMember(read(m.getValue()))) ids.add(m.getKey());
            }
        } else if (kind == Kind.INCREMENTAL) {
            for (Long id : tails().keySet()) {
                if (id != self) ids.add(id);
            }
        }
        return ids;
    }

    /**
     * After export {@code self} is recorded as succeeded: a snapshot removes every older export of the chain
     * (manifest first, then its parts), an incremental export the older tails (the manifest rewritten first).
     */
    List<Long> replace(long self, Kind kind) throws IOException {
        List<Long> done = new ArrayList<>();
        if (kind == Kind.SNAPSHOT) {
            for (Map.Entry<Long, Path> m : manifests().entrySet()) {
                if (m.getKey() != self && chainMember(read(m.getValue()))) {
                    remove(m.getKey(), m.getValue());
                    done.add(m.getKey());
                }
            }
            for (Path partition : partitions()) {
                try (Stream<Path> s = Files.list(partition)) {
                    if (s.findAny().isEmpty()) Files.deleteIfExists(partition);
                }
            }
        } else if (kind == Kind.INCREMENTAL) {
            for (Map.Entry<Long, List<Path>> t : tails().entrySet()) {
                if (t.getKey() == self) continue;
                Path manifest = t.getValue().get(0).resolveSibling(manifestName(t.getKey()));
                JsonNode m = read(manifest);
                if (m instanceof ObjectNode o && o.get("tail") instanceof ObjectNode tail) {
                    tail.putArray("files");
                    tail.put("replaced_by", self);
                    write(manifest, o);
                }
                for (Path f : t.getValue()) Files.deleteIfExists(f);
                done.add(t.getKey());
            }
        }
        return done;
    }

    /** An export's manifest, then its part files (a reader may meet parts without a manifest, never the reverse). */
    private static void remove(long id, Path manifest) throws IOException {
        Files.deleteIfExists(manifest);
        String prefix = String.format("part-%06d-", id);
        for (Path p : files(manifest.getParent())) {
            if (p.getFileName().toString().startsWith(prefix)) Files.deleteIfExists(p);
        }
    }

    /** Whether an export belongs to the chain; manifests of older releases have no kind: filters tell. */
    static boolean chainMember(JsonNode m) {
        if (m == null) return false;
        if (m.has("kind")) return !m.get("kind").asText().equals(Kind.EXTRACT.label());
        if (m.path("incremental").asBoolean(false)) return true;
        JsonNode filters = m.get("filters");
        return filters == null || filters.isEmpty() || filters.has("query_file");
    }

    /** Writes a manifest under a hidden name, then renames it into place. */
    static void write(Path manifest, Object content) throws IOException {
        Path tmp = manifest.resolveSibling("." + manifest.getFileName() + ".inprogress");
        Files.writeString(tmp, JSON.writeValueAsString(content));
        Files.move(tmp, manifest, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static JsonNode read(Path manifest) {
        try {
            return Files.exists(manifest) ? JSON.readTree(manifest.toFile()) : null;
        } catch (IOException e) {
            LOG.warn("cannot read {}: {}", manifest, e.getMessage());
            return null;
        }
    }

    private List<Path> partitions() throws IOException {
        if (!Files.isDirectory(root)) return List.of();
        try (Stream<Path> s = Files.list(root)) {
            return s.filter(p -> Files.isDirectory(p) && p.getFileName().toString().startsWith("dt=")).sorted().toList();
        }
    }

    private static List<Path> files(Path folder) throws IOException {
        try (Stream<Path> s = Files.list(folder)) {
            return s.filter(Files::isRegularFile).sorted().toList();
        }
    }

    /** Every manifest of the folder by export id. */
    private TreeMap<Long, Path> manifests() throws IOException {
        TreeMap<Long, Path> out = new TreeMap<>();
        for (Path partition : partitions()) {
            for (Path p : files(partition)) {
                Matcher m = MANIFEST.matcher(p.getFileName().toString());
                if (m.matches()) out.put(Long.parseLong(m.group(1)), p);
            }
        }
        return out;
    }

    /** Every tail file of the folder, by export id. */
    private TreeMap<Long, List<Path>> tails() throws IOException {
        TreeMap<Long, List<Path>> out = new TreeMap<>();
        for (Path partition : partitions()) {
            for (Path p : files(partition)) {
                Matcher m = TAIL.matcher(p.getFileName().toString());
                if (m.matches()) out.computeIfAbsent(Long.parseLong(m.group(1)), k -> new ArrayList<>()).add(p);
            }
        }
        return out;
    }
}
