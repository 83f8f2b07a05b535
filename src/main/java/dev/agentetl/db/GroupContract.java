package dev.agentetl.db;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A group's contract: the tables and columns its seed's DDL declares, each column with a type family.
 * An adopted table must have these columns in a compatible type; extra columns are the app's business.
 * Read from {@code /groups/contract/<group>.tsv} (table, column, family per line).
 */
public final class GroupContract {

    public enum Family { TEXT, INTEGER, DECIMAL, BOOLEAN, TIMESTAMP, JSON, UUID, ARRAY }

    public record Column(String table, String name, Family family) {
    }

    private static final Map<Group, GroupContract> CACHE = new EnumMap<>(Group.class);

    private final Map<String, List<Column>> tables;

    private GroupContract(Map<String, List<Column>> tables) {
        this.tables = tables;
    }

    public static synchronized GroupContract of(Group g) {
        return CACHE.computeIfAbsent(g, GroupContract::load);
    }

    private static GroupContract load(Group g) {
        String resource = "/groups/contract/" + g.key() + ".tsv";
        Map<String, List<Column>> tables = new LinkedHashMap<>();
        try (InputStream in = GroupContract.class.getResourceAsStream(resource)) {
            if (in == null) throw new IllegalStateException("missing resource " + resource);
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            int n = 0;
            while ((line = r.readLine()) != null) {
                n++;
                if (line.isBlank() || line.startsWith("#")) continue;
                String[] f = line.trim().split("\t");
                if (f.length != 3) throw new IllegalStateException(resource + ":" + n + ": expected table, column, family");
                tables.computeIfAbsent(f[0], t -> new ArrayList<>())
                        .add(new Column(f[0], f[1], Family.valueOf(f[2].toUpperCase(java.util.Locale.ROOT))));
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + resource + ": " + e.getMessage(), e);
        }
        return new GroupContract(tables);
    }

    public List<String> tables() {
        return new ArrayList<>(tables.keySet());
    }

    public List<Column> columns(String table) {
        return tables.getOrDefault(table, List.of());
    }

    /**
     * Whether a column of the catalog type (pg_type.typname; {@code _x} for arrays, {@code typcategory} 'A')
     * holds what the contract's family means without loss.
     */
    public static boolean compatible(Family family, String typname, boolean array) {
        if (array) return family == Family.ARRAY;
        return switch (family) {
            case TEXT -> List.of("text", "varchar", "bpchar", "name", "citext").contains(typname);
            case INTEGER -> List.of("int2", "int4", "int8").contains(typname);
            case DECIMAL -> List.of("float4", "float8", "numeric").contains(typname);
            case BOOLEAN -> typname.equals("bool");
            case TIMESTAMP -> List.of("timestamp", "timestamptz").contains(typname);
            case JSON -> List.of("json", "jsonb").contains(typname);
            case UUID -> typname.equals("uuid");
            // pgvector's vector is an array of floats to every reader here
            case ARRAY -> typname.equals("vector");
        };
    }
}
