package dev.agentetl.app;

import dev.agentetl.runtime.AppConfig;
import dev.agentetl.support.TestDatabases;
import org.apache.camel.Route;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RouteFilesTest {

    private static final Path ROUTES = Path.of("routes");

    private static List<String> names(List<Path> files) {
        return files.stream().map(f -> f.getFileName().toString()).toList();
    }

    @Test
    void aJobGetsItsOwnFileWhatItCallsAndTheRouteConfigurations() {
        assertEquals(List.of("error-handling.camel.yaml", "export.camel.yaml", "job-steps.camel.yaml"), names(RouteFiles.forJob(ROUTES, "export")));
        // job-steps.camel.yaml holds a route configuration (no direct: route): every job gets it, as error handling
        // insights sends its findings to direct:notify, a route of another file
        assertEquals(List.of("error-handling.camel.yaml", "insights.camel.yaml", "job-steps.camel.yaml", "notify.camel.yaml"),
                names(RouteFiles.forJob(ROUTES, "insights")));
        // demo runs the other jobs one after another: their files too
        assertTrue(names(RouteFiles.forJob(ROUTES, "demo")).containsAll(List.of("foundation.camel.yaml", "export.camel.yaml",
                "finetune.camel.yaml", "ingest.camel.yaml", "dashboard.camel.yaml", "stats.camel.yaml")));
    }

    @Test
    void aJobFoundNowhereGetsEveryFile() {
        assertEquals(RouteFiles.all(ROUTES), RouteFiles.forJob(ROUTES, "no-such-job"));
        assertTrue(RouteFiles.all(ROUTES).size() > 5);
    }

    @Test
    void aComputedDirectNameOrACommentDecideNothingWrongly(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("a.camel.yaml"), """
                # this job calls direct:b
                - route:
                    from:
                      uri: direct:a
                      steps:
                        - to: direct:b
                """);
        Files.writeString(dir.resolve("b.camel.yaml"), """
                - route:
                    from: {uri: "direct:b"}
                """);
        Files.writeString(dir.resolve("c.camel.yaml"), """
                # mentions direct:a in a comment only
                - route:
                    from:
                      uri: direct:c
                      steps:
                        - to: direct:a
                """);
        Files.writeString(dir.resolve("config.camel.yaml"), "- routeConfiguration:\n    id: x\n");
        assertEquals(List.of("a.camel.yaml", "b.camel.yaml", "config.camel.yaml"), names(RouteFiles.forJob(dir, "a")));
        assertEquals(List.of("b.camel.yaml", "config.camel.yaml"), names(RouteFiles.forJob(dir, "b")));
        assertEquals(List.of("a.camel.yaml", "b.camel.yaml", "c.camel.yaml", "config.camel.yaml"), names(RouteFiles.forJob(dir, "c")));

        Files.writeString(dir.resolve("d.camel.yaml"), """
                - route:
                    from:
                      uri: direct:d
                      steps:
                        - toD: "direct:${header.next}"
                """);
        assertEquals(5, RouteFiles.forJob(dir, "a").size());
    }

    @Test
    void aOneJobRuntimeHasThatJobsRoutesAndRunsIt() {
        AppConfig config = TestDatabases.migratedConfig();
        try (AgentEtlRuntime runtime = AgentEtlRuntime.startForJob(config, "report-list")) {
            List<String> ids = runtime.camelContext().getRoutes().stream().map(Route::getRouteId).toList();
            assertTrue(ids.containsAll(List.of("report-list", "report")), ids.toString());
            for (String other : List.of("export", "finetune", "ingest", "status")) assertFalse(ids.contains(other), ids.toString());
            assertTrue(runtime.run("report-list", null).render().contains("tool_duration"));
        }
        try (AgentEtlRuntime runtime = AgentEtlRuntime.start(config, "test")) {
            List<String> ids = runtime.camelContext().getRoutes().stream().map(Route::getRouteId).toList();
            assertTrue(ids.containsAll(List.of("report-list", "status", "export", "finetune", "ingest")), ids.toString());
        }
    }
}
