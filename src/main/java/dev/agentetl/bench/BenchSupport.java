package dev.agentetl.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.stream.Stream;

/** What every benchmark needs: a count, elapsed milliseconds, and its temporary folder removed. */
final class BenchSupport {

    private BenchSupport() {
    }

    /** The single number a query returns. */
    static long count(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Milliseconds since {@code t0} (from System.nanoTime()). */
    static long ms(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }

    /** Deletes a folder and everything in it (benchmark output nobody keeps). */
    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
