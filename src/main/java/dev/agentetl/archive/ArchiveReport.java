package dev.agentetl.archive;

import dev.agentetl.runtime.JobReport;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What an archive run selected, wrote, verified and deleted, per table; and the earlier runs it finished. */
public record ArchiveReport(List<Run> runs, List<String> problems) implements JobReport {

    /** One dataset's archive: {@code archiveId} null when nothing was old enough (or a dry run). */
    public record Run(String dataset, String cutoff, boolean dryRun, String archiveId, String manifest,
                      List<ArchiveManifest.TablePart> tables, List<String> finished, long millis, Map<String, Long> phaseMillis) {
        long selected() {
            return tables.stream().mapToLong(t -> t.rows).sum();
        }

        long deleted() {
            return tables.stream().mapToLong(t -> t.deleted).sum();
        }
    }

    @Override
    public long rowsRead() {
        return runs.stream().mapToLong(Run::selected).sum();
    }

    @Override
    public long rowsWritten() {
        return runs.stream().filter(r -> !r.dryRun() && r.archiveId() != null).mapToLong(Run::selected).sum();
    }

    @Override
    public Object details() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Run r : runs) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("dataset", r.dataset());
            m.put("cutoff", r.cutoff());
            m.put("dry_run", r.dryRun());
            m.put("archive_id", r.archiveId());
            m.put("manifest", r.manifest());
            m.put("finished_earlier_runs", r.finished());
            m.put("phase_millis", r.phaseMillis());
            List<Map<String, Object>> tables = new ArrayList<>();
            for (ArchiveManifest.TablePart t : r.tables()) {
                tables.add(Map.of("table", t.table, "rows", t.rows, "deleted", t.deleted, "kept", t.kept,
                        "key_checksum", t.key_checksum == null ? "" : t.key_checksum, "files", t.files.size()));
            }
            m.put("tables", tables);
            out.add(m);
        }
        return Map.of("archives", out, "problems", problems);
    }

    @Override
    public String render() {
        StringBuilder sb = new StringBuilder();
        for (Run r : runs) {
            for (String f : r.finished()) sb.append("finished archive ").append(f).append(" left by an earlier run\n");
            if (r.dryRun()) {
                sb.append(String.format("archive %s (dry run): rows older than %s; nothing written or deleted%n", r.dataset(), r.cutoff()));
            } else if (r.archiveId() == null) {
                sb.append(String.format("archive %s: no rows older than %s; nothing written%n", r.dataset(), r.cutoff()));
                continue;
            } else {
                sb.append(String.format("archive %s %s: rows older than %s, in %.1f s%n", r.dataset(), r.archiveId(), r.cutoff(),
                        r.millis() / 1000.0));
            }
            for (ArchiveManifest.TablePart t : r.tables()) {
                if (r.dryRun()) {
                    sb.append(String.format("  %-22s %,12d rows would go%n", t.table, t.rows));
                } else {
                    sb.append(String.format("  %-22s %,12d rows archived (key checksum %s, %d file%s), %,d deleted%s%n", t.table,
                            t.rows, t.key_checksum, t.files.size(), t.files.size() == 1 ? "" : "s", t.deleted,
                            t.kept == 0 ? "" : String.format(", %,d kept (rows referring to them arrived after the selection)", t.kept)));
                }
            }
            if (!r.phaseMillis().isEmpty()) {
                sb.append(String.format("  %,d rows/s; select and write %.1f s, read back %.1f s, delete %.1f s%n",
                        r.millis() == 0 ? r.selected() : r.selected() * 1000 / r.millis(), r.phaseMillis().getOrDefault("select_and_write", 0L) / 1000.0,
                        r.phaseMillis().getOrDefault("read_back", 0L) / 1000.0, r.phaseMillis().getOrDefault("delete", 0L) / 1000.0));
            }
            if (r.manifest() != null) sb.append("  manifest ").append(r.manifest()).append('\n');
        }
        problems.forEach(p -> sb.append("failed: ").append(p).append('\n'));
        return sb.toString();
    }
}
