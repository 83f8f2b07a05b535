package dev.agentetl.dashboard;

import dev.agentetl.app.AgentEtlRuntime;
import dev.agentetl.runtime.AppConfig;
import dev.agentetl.support.CliRun;
import dev.agentetl.support.Sql;
import dev.agentetl.support.TestDatabases;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dashboard: one self-contained page (no network, no script) with its charts drawn from the rollups and
 * insights, replaced atomically, run from the command line or with no options as a schedule runs it, and rendered
 * by a real headless Chromium without console errors.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashboardTest {

    private static final List<String> CHARTS = List.of("success-rate", "tool-failures", "latency-percentiles", "latency-p95-daily",
            "turn-endings");

    private AppConfig config;

    @BeforeAll
    void data() {
        config = TestDatabases.migratedConfig();
        for (String[] args : new String[][]{{"generate", "--rows", "6000", "--seed", "11"}, {"refresh-stats"}, {"insights"}}) {
            CliRun run = CliRun.of(config, args);
            assertEquals(0, run.exit(), run.err());
        }
    }

    @Test
    void writes_one_self_contained_page_with_every_chart_and_replaces_it_atomically(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("site/dashboard.html");
        CliRun run = CliRun.of(config, "dashboard", "--out", out.toString());
        assertEquals(0, run.exit(), run.err());
        assertTrue(run.out().startsWith("dashboard " + out), run.out());
        String html = Files.readString(out);
        for (String chart : CHARTS) {
            assertTrue(html.contains("data-chart=\"" + chart + "\""), "chart " + chart);
        }
        assertFalse(html.contains("<script"), "no script");
        assertFalse(Pattern.compile("(src|href)=\"(https?:)?//").matcher(html).find(), "nothing fetched from the network");
        // every model of the rollups has a line, every tool too, and the planted web_search failures are an open insight
        try (Connection c = TestDatabases.connect(config)) {
            long models = Sql.count(c, "SELECT count(DISTINCT model) FROM model_session_daily");
            long tools = Sql.count(c, "SELECT count(DISTINCT tool_name) FROM tool_call_daily");
            String successChart = chart(html, "success-rate");
            assertEquals(models, count(successChart, "<path class=\"series\""));
            assertEquals(tools, count(chart(html, "tool-failures"), "<path class=\"series\""));
            assertEquals(Sql.count(c, "SELECT count(*) FROM insights WHERE status = 'open'"), count(html, "<article class=\"insight "));
            assertEquals("dashboard", Sql.value(c, "SELECT job FROM job_runs ORDER BY id DESC LIMIT 1"));
            assertEquals("succeeded", Sql.value(c, "SELECT status FROM job_runs ORDER BY id DESC LIMIT 1"));
        }
        assertTrue(html.contains("sessions succeeded (%)") && html.contains(">100 %<"), "the success axis is in percent up to 100");
        assertTrue(html.contains("response time (ms)"), "latency axes say their unit");

        // a second run replaces the file and leaves no temporary file beside it
        CliRun again = CliRun.of(config, "dashboard", "--out", out.toString(), "--days", "14");
        assertEquals(0, again.exit(), again.err());
        try (Stream<Path> files = Files.list(out.getParent())) {
            assertEquals(List.of(out), files.toList());
        }
        assertTrue(Files.readString(out).contains("(UTC days)"));
        assertEquals("rw-r--r--", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(out)));
    }

    @Test
    void a_run_without_options_writes_the_configured_file(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("scheduled.html");
        AppConfig scheduled = config.with(Map.of("agent-etl.dashboard.out", out.toString(), "agent-etl.dashboard.days", "10"));
        try (AgentEtlRuntime rt = AgentEtlRuntime.start(scheduled, "test")) {
            DashboardReport report = (DashboardReport) rt.run("dashboard", null);
            assertEquals(out.toString(), report.file());
            assertEquals(java.time.LocalDate.parse(report.to()).minusDays(9).toString(), report.from());
        }
        assertTrue(Files.readString(out).contains("data-chart=\"success-rate\""));

        // nothing configured: dashboard.html in the exports folder
        try (AgentEtlRuntime rt = AgentEtlRuntime.start(config, "test")) {
            DashboardReport report = (DashboardReport) rt.run("dashboard", null);
            assertEquals(config.path("agent-etl.exports-dir").resolve("dashboard.html").toAbsolutePath().normalize().toString(), report.file());
            assertTrue(Files.exists(Path.of(report.file())));
        }
    }

    @Test
    void renders_in_headless_chromium_with_its_charts_and_no_console_errors(@TempDir Path dir) throws Exception {
        Optional<Path> chromium = chromium();
        Assumptions.assumeTrue(chromium.isPresent(),
                "no chromium binary on the PATH (chromium, chromium-browser, google-chrome): the rendering check is skipped");
        Path page = dir.resolve("dashboard.html");
        assertEquals(0, CliRun.of(config, "dashboard", "--out", page.toString()).exit());
        // a marker written by the page itself if any script error happens while it renders
        String html = Files.readString(page).replace("<head>", "<head><script>window.onerror=function(m){document.documentElement"
                + ".setAttribute('data-script-error',String(m));};</script>");
        Path probe = Files.writeString(dir.resolve("probe.html"), html);

        Rendered page1 = render(chromium.get(), probe, dir.resolve("run1"));
        String rendered = page1.dom();
        for (String chart : CHARTS) {
            assertTrue(rendered.contains("data-chart=\"" + chart + "\""), "chart " + chart + " in the rendered page");
        }
        assertTrue(count(rendered, "<path class=\"series\"") >= 4, "lines are drawn");
        assertTrue(count(rendered, "<rect class=\"bar\"") >= 4, "bars are drawn");
        assertFalse(SCRIPT_ERROR.matcher(rendered).find(), "no script error");
        assertTrue(page1.consoleErrors().isEmpty(), "console: " + page1.consoleErrors());

        // the same probe on a page with a broken script: both the marker and the console see it, so the checks above can fail
        Path broken = Files.writeString(dir.resolve("broken.html"), html.replace("</body>", "<script>notDefined();</script></body>"));
        Rendered page2 = render(chromium.get(), broken, dir.resolve("run2"));
        assertTrue(SCRIPT_ERROR.matcher(page2.dom()).find(), "the marker of a script error");
        assertFalse(page2.consoleErrors().isEmpty(), "the console line of a script error");

        Path png = dir.resolve("dashboard.png");
        Process shot = new ProcessBuilder(chromium.get().toString(), "--headless", "--disable-gpu", "--no-sandbox", "--no-first-run",
                "--hide-scrollbars", "--user-data-dir=" + dir.resolve("profile2"), "--window-size=1400,2200",
                "--virtual-time-budget=3000", "--screenshot=" + png, page.toUri().toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("shot.log").toFile()).start();
        assertTrue(shot.waitFor(2, TimeUnit.MINUTES));
        assertTrue(Files.size(png) > 50_000, "a screenshot with content: " + Files.size(png) + " bytes");
    }

    private static final Pattern SCRIPT_ERROR = Pattern.compile("<html[^>]*data-script-error=");

    record Rendered(String dom, List<String> consoleErrors) {
    }

    /** The page as headless Chromium leaves it after running it, and the console's errors (and uncaught exceptions). */
    private static Rendered render(Path chromium, Path page, Path dir) throws Exception {
        Files.createDirectories(dir);
        Path dom = dir.resolve("dom.html");
        Path log = dir.resolve("chromium.log");
        Process p = new ProcessBuilder(chromium.toString(), "--headless", "--disable-gpu", "--no-sandbox", "--no-first-run",
                "--user-data-dir=" + dir.resolve("profile"), "--enable-logging=stderr", "--v=0", "--virtual-time-budget=3000",
                "--dump-dom", page.toUri().toString()).redirectOutput(dom.toFile()).redirectError(log.toFile()).start();
        assertTrue(p.waitFor(2, TimeUnit.MINUTES), "chromium finished");
        String console = Files.readString(log);
        assertEquals(0, p.exitValue(), console);
        return new Rendered(Files.readString(dom), console.lines().filter(l -> l.contains("CONSOLE") || l.contains("Uncaught")).toList());
    }

    private static Optional<Path> chromium() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            for (String name : List.of("chromium", "chromium-browser", "google-chrome")) {
                Path p = Path.of(dir, name);
                if (Files.isExecutable(p)) return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    private static String chart(String html, String id) {
        int start = html.indexOf("data-chart=\"" + id + "\"");
        return html.substring(start, html.indexOf("</svg>", start));
    }

    private static long count(String text, String what) {
        Matcher m = Pattern.compile(Pattern.quote(what)).matcher(text);
        long n = 0;
        while (m.find()) n++;
        return n;
    }
}
