package dev.agentetl.db;

import dev.agentetl.runtime.AppConfig;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Where everything lives: agent-etl's own schema (in the home database) and, per group, a schema and a
 * database ({@code agent-etl.<group>.schema}, {@code agent-etl.<group>.db.*}; defaults: agent-etl's schema
 * in the home database). Jobs name tables without a schema; each connection's search path lists agent-etl's
 * schema first, then the schemas of the groups living in that database, so a name finds the table where it
 * is configured.
 */
public final class Layout {

    private static final Pattern IDENT = Pattern.compile("[a-z_][a-z0-9_$]{0,62}");

    /** One group's place. */
    public record Place(Group group, String schema, DbTarget db) {
        public String describe() {
            return "schema " + schema + (db.isHome() ? " of the home database" : " of " + db.describe());
        }
    }

    private final String ownSchema;
    private final Map<Group, Place> places;

    public Layout(String ownSchema, Map<Group, Place> places) {
        this.ownSchema = ownSchema;
        this.places = new EnumMap<>(places);
    }

    public static Layout of(AppConfig config) {
        String own = schemaName("agent-etl.schema", config.get("agent-etl.schema", "agent_etl"));
        if (own.equals("public")) {
            // public is where applications put their tables (seed 004's web app does): agent-etl's own
            // objects never go there
            throw new IllegalStateException("agent-etl.schema must be a schema of agent-etl's own, not public");
        }
        Map<Group, Place> places = new EnumMap<>(Group.class);
        for (Group g : Group.values()) {
            String prefix = "agent-etl." + g.key() + ".";
            String schema = config.get(prefix + "schema", "");
            schema = schema.isEmpty() ? own : schemaName(prefix + "schema", schema);
            String url = config.get(prefix + "db.url", "");
            DbTarget db = url.isEmpty() ? DbTarget.HOME
                    : new DbTarget(url, config.get(prefix + "db.user", ""), config.get(prefix + "db.password", ""));
            places.put(g, new Place(g, schema, db));
        }
        return new Layout(own, places);
    }

    /** The default layout: every group in agent-etl's schema of the home database. */
    public static Layout defaults() {
        Map<Group, Place> places = new EnumMap<>(Group.class);
        for (Group g : Group.values()) places.put(g, new Place(g, "agent_etl", DbTarget.HOME));
        return new Layout("agent_etl", places);
    }

    /** Schema names are plain lower-case identifiers: they go into SQL and search paths unquoted. */
    private static String schemaName(String key, String value) {
        if (!IDENT.matcher(value).matches() || value.startsWith("pg_") || value.equals("information_schema")) {
            throw new IllegalStateException(key + " must be a lower-case PostgreSQL identifier (letters, digits, _), got '" + value + "'");
        }
        return value;
    }

    public String ownSchema() {
        return ownSchema;
    }

    public Place place(Group g) {
        return places.get(g);
    }

    public List<Place> places() {
        return new ArrayList<>(places.values());
    }

    /** The distinct databases groups live in other than the home database. */
    public Set<DbTarget> otherDatabases() {
        Set<DbTarget> out = new LinkedHashSet<>();
        for (Place p : places.values()) if (!p.db().isHome()) out.add(p.db());
        return out;
    }

    /**
     * The search path of connections to {@code db}: agent-etl's schema first (home only), then the groups'
     * schemas, {@code public} last (where apps keep tables of all kinds, some with common names).
     */
    public String searchPath(DbTarget db) {
        Set<String> path = new LinkedHashSet<>();
        if (db.isHome()) path.add(ownSchema);
        for (Place p : places.values()) {
            if (p.db().equals(db) && !p.schema().equals("public")) path.add(p.schema());
        }
        for (Place p : places.values()) {
            if (p.db().equals(db) && p.schema().equals("public")) path.add(p.schema());
        }
        return String.join(",", path);
    }

    /** True when the groups all live in the home database (jobs joining them can run there). */
    public boolean allHome(Group... groups) {
        for (Group g : groups) if (!places.get(g).db().isHome()) return false;
        return true;
    }
}
