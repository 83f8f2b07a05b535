package dev.agentetl.demo;

import dev.agentetl.generate.GenerateOptions;
import dev.agentetl.generate.GenerateReport;
import dev.agentetl.generate.TelemetryGenerator;
import dev.agentetl.runtime.JobReport;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.ZoneOffset;

/** The demo's first step: a modest generated data set, only when the database holds no telemetry yet. */
public final class DemoSeeder {

    private final DataSource dataSource;
    private final TelemetryGenerator generator;
    private final long rows;
    private final long seed;

    public DemoSeeder(DataSource dataSource, TelemetryGenerator generator, long rows, long seed) {
        this.dataSource = dataSource;
        this.generator = generator;
        this.rows = rows;
        this.seed = seed;
    }

    public JobReport seedIfEmpty() throws Exception {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT (SELECT count(*) FROM sessions) + (SELECT count(*) FROM agent_telemetry)")) {
            rs.next();
            if (rs.getLong(1) > 0) {
                return () -> "database already holds telemetry: nothing generated\n";
            }
        }
        GenerateReport report = generator.generate(new GenerateOptions(rows, seed, LocalDate.now(ZoneOffset.UTC), 30, true));
        return report;
    }
}
