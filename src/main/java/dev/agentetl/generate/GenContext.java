package dev.agentetl.generate;

import dev.agentetl.db.CopyBuffer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/** State shared by the table writers of one generator run: random source, ids, COPY buffers. */
final class GenContext {

    private static final ObjectMapper JSON = new ObjectMapper();

    final SplittableRandom random;
    final Timeline timeline;
    final boolean patterns;
    final Map<String, CopyBuffer> buffers = new LinkedHashMap<>();
    private final Map<String, IdAllocator> ids = new LinkedHashMap<>();
    private final Connection connection;

    /**
     * @param existingSessions sessions already in the database: an empty database gives the seed's
     *                         data exactly; a later run continues with a different stream, so its
     *                         ids and thread ids never collide with earlier runs'
     */
    GenContext(Connection connection, GenerateOptions options, long existingSessions) {
        this.connection = connection;
        // a non-linear mix: SplittableRandom seeds that differ by a multiple of its gamma overlap
        this.random = new SplittableRandom(existingSessions == 0 ? options.seed()
                : options.seed() ^ new SplittableRandom(existingSessions).nextLong());
        this.timeline = new Timeline(options);
        this.patterns = options.patterns();
    }

    /** The buffer of a table; tables are flushed in the order they were first declared (parents first). */
    CopyBuffer table(String table, String columns) {
        return buffers.computeIfAbsent(table, t -> new CopyBuffer(t, columns));
    }

    long nextId(String table) {
        return ids.computeIfAbsent(table, t -> {
            try {
                return new IdAllocator(connection, t);
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }).next();
    }

    static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    boolean chance(double p) {
        return random.nextDouble() < p;
    }
}
