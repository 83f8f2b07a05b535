package dev.agentetl.bench;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.Statement;
import java.util.Comparator;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * The "CSV, then DuckDB to Parquet" path users take today, as a benchmark anchor. DuckDB is not a
 * runtime dependency (its jar carries native libraries for every platform), so its JDBC jar is loaded
 * from a path, by default the one Maven downloaded for the tests into the local repository.
 */
final class DuckDbAnchor {

    private final Driver driver;
    private final String missing;

    private DuckDbAnchor(Driver driver, String missing) {
        this.driver = driver;
        this.missing = missing;
    }

    /**
     * The jar at {@code path}; else the driver already on the class path (the tests'); else the newest duckdb_jdbc
     * in the local Maven repository ({@code -Dmaven.repo.local}, or ~/.m2); an anchor that says why when there is none.
     */
    static DuckDbAnchor find(String path) {
        if (path == null || path.isBlank()) {
            try {
                Driver d = (Driver) Class.forName("org.duckdb.DuckDBDriver", true, DuckDbAnchor.class.getClassLoader())
                        .getDeclaredConstructor().newInstance();
                return new DuckDbAnchor(d, null);
            } catch (ReflectiveOperationException | LinkageError notOnClassPath) {
                // looked for in the local Maven repository below
            }
        }
        Path jar = path != null && !path.isBlank() ? Path.of(path) : newestInMavenRepository();
        if (jar == null || !Files.isRegularFile(jar)) {
            return new DuckDbAnchor(null, path != null && !path.isBlank() ? path + " not found"
                    : "no duckdb_jdbc jar on the class path or in the local Maven repository (run the tests once, or pass --duckdb JAR)");
        }
        try {
            URLClassLoader loader = new URLClassLoader(new URL[]{jar.toUri().toURL()}, DuckDbAnchor.class.getClassLoader());
            Driver d = (Driver) Class.forName("org.duckdb.DuckDBDriver", true, loader).getDeclaredConstructor().newInstance();
            return new DuckDbAnchor(d, null);
        } catch (ReflectiveOperationException | java.io.IOException | LinkageError e) {
            return new DuckDbAnchor(null, jar + ": " + e);
        }
    }

    private static Path newestInMavenRepository() {
        String local = System.getProperty("maven.repo.local");
        Path repository = local != null && !local.isBlank() ? Path.of(local) : Path.of(System.getProperty("user.home"), ".m2", "repository");
        Path base = repository.resolve("org").resolve("duckdb").resolve("duckdb_jdbc");
        if (!Files.isDirectory(base)) return null;
        try (Stream<Path> versions = Files.list(base)) {
            return versions.sorted(Comparator.comparing((Path p) -> p.getFileName().toString()).reversed())
                    .map(v -> v.resolve("duckdb_jdbc-" + v.getFileName() + ".jar"))
                    .filter(Files::isRegularFile).findFirst().orElse(null);
        } catch (java.io.IOException e) {
            return null;
        }
    }

    boolean available() {
        return driver != null;
    }

    String missing() {
        return missing;
    }

    /** DuckDB reading the CSV COPY wrote and writing Parquet; its time includes the COPY's (the two steps). */
    ExportBenchmark.Result csvToParquet(Path csv, Path parquet, ExportBenchmark.Result copy) throws Exception {
        long t0 = System.nanoTime();
        long rows;
        try (Connection c = driver.connect("jdbc:duckdb:", new Properties()); Statement st = c.createStatement()) {
            st.execute("COPY (SELECT * FROM read_csv('" + csv.toAbsolutePath().toString().replace("'", "''")
                    + "', header = true, max_line_size = 100000000)) TO '" + parquet.toAbsolutePath().toString().replace("'", "''")
                    + "' (FORMAT parquet, COMPRESSION snappy)");
            try (var rs = st.executeQuery("SELECT count(*) FROM read_parquet('" + parquet.toAbsolutePath().toString().replace("'", "''") + "')")) {
                rs.next();
                rows = rs.getLong(1);
            }
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        return new ExportBenchmark.Result("anchor: CSV then DuckDB parquet", rows, Files.size(parquet), copy.millis() + ms);
    }
}
