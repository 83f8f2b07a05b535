package dev.agentetl.db;

import com.zaxxer.hikari.HikariDataSource;

import javax.sql.DataSource;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The pools of one running agent-etl: the home database's, and one per other database a group lives in
 * (opened on first use, so a group's unreachable database fails the jobs that need it, not every command).
 * Each pool's connections have the search path of {@link Layout#searchPath}.
 */
public final class DataSources implements AutoCloseable {

    private final Layout layout;
    private final HikariDataSource home;
    private final int otherPoolSize;
    private final Map<DbTarget, HikariDataSource> others = new LinkedHashMap<>();
    /** A Micrometer registry the pools report to (the management server's), or null. */
    private Object meterRegistry;

    public DataSources(Layout layout, Database homeDb, int homePoolSize, int otherPoolSize) {
        this.layout = layout;
        this.home = Pools.unstarted("jobs", homeDb.jdbcUrl(), homeDb.user(), homeDb.password(), homePoolSize,
                layout.searchPath(DbTarget.HOME));
        this.otherPoolSize = otherPoolSize;
    }

    /**
     * Starts the home database's pool (its first connection); until then the pools exist but have not reached the
     * server, so they can be handed out while the server is still being reached.
     */
    public DataSources open() {
        Pools.start(home);
        return this;
    }

    public Layout layout() {
        return layout;
    }

    public HikariDataSource home() {
        return home;
    }

    /** The pool of the database a group lives in. */
    public DataSource of(Group g) {
        return of(layout.place(g).db());
    }

    public synchronized DataSource of(DbTarget db) {
        if (db.isHome()) return home;
        HikariDataSource ds = others.get(db);
        if (ds == null) {
            if (!db.url().startsWith("jdbc:postgresql:")) {
                throw new DatabaseUnavailableException("a group's db.url must be a jdbc:postgresql: URL, got '" + db.describe() + "'");
            }
            try {
                ds = Pools.create("group-" + (others.size() + 1), db.url(), db.user(), db.password(), otherPoolSize,
                        layout.searchPath(db));
            } catch (RuntimeException e) {
                throw new DatabaseUnavailableException("cannot connect to " + db.describe() + ": " + e.getMessage(), e);
            }
            if (meterRegistry != null) ds.setMetricRegistry(meterRegistry);
            others.put(db, ds);
        }
        return ds;
    }

    /**
     * Where a table of this name is read from: the database of the group that has it, when that group lives
     * in a database of its own; else the home database (agent-etl's tables, groups at home, anything else).
     */
    public DataSource forTable(String table) {
        if (table != null) {
            for (Layout.Place p : layout.places()) {
                if (!p.db().isHome() && GroupContract.of(p.group()).tables().contains(table)) return of(p.db());
            }
        }
        return home;
    }

    /** Every pool, and those opened later, reports its figures (hikaricp_*) to this Micrometer registry. */
    public synchronized void reportMetricsTo(Object registry) {
        meterRegistry = registry;
        home.setMetricRegistry(registry);
        others.values().forEach(ds -> ds.setMetricRegistry(registry));
    }

    @Override
    public synchronized void close() {
        others.values().forEach(HikariDataSource::close);
        others.clear();
        home.close();
    }
}
