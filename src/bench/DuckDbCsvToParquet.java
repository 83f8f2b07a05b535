import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

/**
 * The second step of the Parquet anchor of whole-process.sh: DuckDB (its JDBC jar, the tests' dependency)
 * reads a CSV file and writes it as snappy Parquet, as {@code duckdb -c "COPY ..."} would. Prints the
 * milliseconds of the COPY alone, so the anchor is not charged for this JVM's start (the DuckDB command
 * line has none), and the row count read back.
 * Usage: java -cp duckdb_jdbc.jar:DIR DuckDbCsvToParquet IN.csv OUT.parquet
 */
public final class DuckDbCsvToParquet {
    public static void main(String[] args) throws Exception {
        String csv = args[0].replace("'", "''");
        String parquet = args[1].replace("'", "''");
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement()) {
            long t0 = System.nanoTime();
            st.execute("COPY (SELECT * FROM read_csv('" + csv + "', header = true, max_line_size = 100000000)) TO '"
                    + parquet + "' (FORMAT parquet, COMPRESSION snappy)");
            long ms = (System.nanoTime() - t0) / 1_000_000;
            try (ResultSet rs = st.executeQuery("SELECT count(*) FROM read_parquet('" + parquet + "')")) {
                rs.next();
                System.out.println(ms + " " + rs.getLong(1));
            }
        }
    }
}
