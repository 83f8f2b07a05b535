package dev.agentetl.archive;

import dev.agentetl.db.Transactions;
import dev.agentetl.export.ParquetParts;
import dev.agentetl.progress.Progress;
import dev.agentetl.runtime.Cancellation;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Deletes the archived rows by the keys read from the verified files, children before parents, each batch
 * its own transaction (a stop between batches leaves rows that are archived and verified, deleted by the next
 * run). A row that something not archived refers to by now (a message added to an old session) is kept, so
 * nothing is left pointing at a deleted row and no cascade removes a row that is not in the archive: the parent
 * rows of a batch are locked first, so nothing new can refer to them between the check and the delete.
 */
final class BatchDelete {

    private final Connection c;
    private final ArchiveScope scope;
    private final int batchSize;

    BatchDelete(Connection c, ArchiveScope scope, int batchSize) {
        this.c = c;
        this.scope = scope;
        this.batchSize = batchSize;
    }

    void deleteArchived(Path folder, ArchiveManifest m) throws IOException, SQLException {
        List<ArchiveScope.Table> tables = scope.tables();
        for (int i = tables.size() - 1; i >= 0; i--) {
            ArchiveScope.Table t = tables.get(i);
            ArchiveManifest.TablePart part = m.tables.stream().filter(p -> p.table.equals(t.name) && p.schema.equals(t.schema))
                    .findFirst().orElse(null);
            if (part == null) {
                throw new IllegalStateException("archive " + m.archive_id + " has no part for " + t.name
                        + ", which now refers to " + m.dataset + ": archive it again after the tables changed");
            }
            part.deleted = 0;
            part.kept = 0;
            List<String> batch = new ArrayList<>(batchSize);
            try (Progress shown = Progress.start("archive: delete " + t.name, "rows", part.rows)) {
                for (ParquetParts.File f : part.files) {
                    ReadBack.keys(folder.resolve(f.file()), t.key, k -> {
                        batch.add(k);
                        if (batch.size() == batchSize) {
                            delete(t, part, batch);
                            shown.step(batch.size());
                            batch.clear();
                        }
                    });
                }
                if (!batch.isEmpty()) {
                    delete(t, part, batch);
                    shown.step(batch.size());
                }
            }
        }
        // the parts the dataset's tables no longer have are left as archived (their rows may be gone already)
    }

    private void delete(ArchiveScope.Table t, ArchiveManifest.TablePart part, List<String> keys) throws SQLException {
        Cancellation.throwIfRequested();
        String any = t.quotedKey() + " = ANY(?::" + t.keyType + "[])";
        List<ArchiveScope.Table> children = scope.children(t);
        c.setAutoCommit(false);
        try {
            java.sql.Array array = c.createArrayOf("text", keys.toArray());
            if (!children.isEmpty()) {
                try (PreparedStatement lock = c.prepareStatement("SELECT 1 FROM " + t.qualified() + " WHERE " + any + " FOR UPDATE")) {
                    lock.setArray(1, array);
                    lock.execute();
                }
            }
            StringBuilder sql = new StringBuilder("DELETE FROM " + t.qualified() + " t WHERE t." + any);
            for (ArchiveScope.Table child : children) {
                for (ArchiveScope.Edge e : child.parents) {
                    if (e.parent() != t) continue;
                    sql.append(" AND NOT EXISTS (SELECT 1 FROM ").append(child.qualified()).append(" c WHERE c.")
                            .append(ArchiveScope.quote(e.column())).append(" = t.").append(ArchiveScope.quote(e.parentColumn())).append(')');
                }
                child.tagged.forEach((type, tagged) -> {
                    if (tagged == t) {
                        sql.append(" AND NOT EXISTS (SELECT 1 FROM ").append(child.qualified()).append(" c WHERE c.entity_type = '")
                                .append(type.replace("'", "''")).append("' AND c.entity_id = t.").append(t.quotedKey()).append(')');
                    }
                });
            }
            try (PreparedStatement del = c.prepareStatement(sql.toString())) {
                del.setArray(1, array);
                part.deleted += del.executeUpdate();
            }
            try (PreparedStatement left = c.prepareStatement("SELECT count(*) FROM " + t.qualified() + " WHERE " + any)) {
                left.setArray(1, array);
                try (ResultSet rs = left.executeQuery()) {
                    rs.next();
                    part.kept += rs.getLong(1);
                }
            }
            c.commit();
        } catch (SQLException | RuntimeException e) {
            Transactions.rollbackQuietly(c, e);
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }
}
