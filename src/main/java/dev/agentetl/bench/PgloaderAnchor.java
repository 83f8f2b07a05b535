package dev.agentetl.bench;

import dev.agentetl.db.Database;
import dev.agentetl.runtime.AppConfig;

import javax.sql.DataSource;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.agentetl.bench.BenchSupport.ms;

/**
 * The anchor of the SQLite benchmarks: pgloader (Debian's package) loading the same files into a scratch
 * database of its own, timed as a whole, and counted: a run that loaded fewer rows is reported, not timed
 * (pgloader exits 0 after some errors).
 */
final class PgloaderAnchor {

    /** pgloader's line of the report, and its time (0 when it did not run or did not load every row). */
    record Run(String line, long millis) {
        static Run notTimed(String line) {
            return new Run(line, 0);
        }
    }

    private final DataSource admin;
    private final Database server;
    private final AppConfig config;
    private final String command;

    PgloaderAnchor(DataSource admin, Database server, AppConfig config, String command) {
        this.admin = admin;
        this.server = server;
        this.config = config;
        this.command = command == null || command.isBlank() ? "pgloader" : command;
    }

    /** Loads every file with the given CAST clause (ending with ';'); {@code rows}: what a complete load holds. */
    Run load(List<Path> dbs, Path workDir, long rows, String castClause) throws Exception {
        try (ScratchDatabase target = new ScratchDatabase(admin, server, config, "_pgloader")) {
            URI jdbc = URI.create(server.jdbcUrl().substring("jdbc:".length()));
            String url = "postgresql://" + URLEncoder.encode(server.user(), StandardCharsets.UTF_8)
                    + (server.password() == null || server.password().isEmpty() ? "" : ":" + URLEncoder.encode(server.password(), StandardCharsets.UTF_8))
                    + "@" + jdbc.getHost() + ":" + jdbc.getPort() + "/" + target.name();
            long t0 = System.nanoTime();
            for (Path db : dbs) {
                Path load = workDir.resolve(db.getFileName() + ".load");
                Files.writeString(load, "LOAD DATABASE\n  FROM sqlite://" + db.toAbsolutePath() + "\n  INTO " + url + "\n"
                        + "  WITH include drop, create tables, create indexes, reset sequences\n" + castClause);
                Process p;
                try {
                    p = new ProcessBuilder(command, "--quiet", load.toString()).redirectErrorStream(true).start();
                } catch (IOException e) {
                    return Run.notTimed(String.format("%-44s %10s %12s%n", "anchor: pgloader", "not run", "(" + command + " not found)"));
                }
                String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                String error = output.lines().filter(l -> l.contains(" ERROR ") || l.contains(" FATAL ")).findFirst().orElse(null);
                if (!p.waitFor(30, TimeUnit.MINUTES) || p.exitValue() != 0 || error != null) {
                    return Run.notTimed(String.format("%-44s %10s   %s%n", "anchor: pgloader", "failed", db.getFileName() + ": "
                            + (error != null ? error.strip() : output.strip().lines().reduce((a, b) -> b).orElse(""))));
                }
            }
            long millis = ms(t0);
            long loaded = 0;
            try (Connection c = java.sql.DriverManager.getConnection(
                    ScratchDatabase.withDatabase(server.jdbcUrl(), target.name()), server.user(), server.password());
                 Statement st = c.createStatement()) {
                List<String> tables = new ArrayList<>();
                try (ResultSet rs = st.executeQuery("SELECT quote_ident(table_name) FROM information_schema.tables "
                        + "WHERE table_schema = 'public' AND table_type = 'BASE TABLE'")) {
                    while (rs.next()) tables.add(rs.getString(1));
                }
                for (String table : tables) {
                    try (ResultSet rs = st.executeQuery("SELECT count(*) FROM public." + table)) {
                        rs.next();
                        loaded += rs.getLong(1);
                    }
                }
            }
            if (loaded != rows) {
                return Run.notTimed(String.format("%-44s %10s   loaded %,d of %,d rows%n", "anchor: pgloader", "failed", loaded, rows));
            }
            return new Run(String.format("%-44s %10.2f %,12d%n", "anchor: pgloader (load only, same files)", millis / 1000.0,
                    rows * 1000 / Math.max(1, millis)), millis);
        }
    }
}
