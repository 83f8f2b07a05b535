package dev.agentetl.runtime;


import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.spi.ContextAwareBase;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import net.logstash.logback.encoder.LogstashEncoder;
import org.slf4j.LoggerFactory;

import java.util.Locale;
import java.util.Map;

/**
 * Applies the logging settings of a configuration to Logback: every line on stderr, as text
 * ({@code agent-etl.log.format=text}: ISO-8601 date-time with offset, level, job and run id, logger, message) or
 * as one JSON object per line ({@code json}: logstash-logback-encoder's layout, the job and run id as fields),
 * and the level of each logger named by an {@code agent-etl.log.level.<logger>} key ({@code root} for the rest).
 * The job and run id come from the MDC, which {@link dev.agentetl.app.JobRunPolicy} sets while a job runs.
 */
public final class LogSetup extends ContextAwareBase implements Configurator {

    /** MDC keys: the job (route id) and its job_runs id. */
    public static final String JOB = "job";
    public static final String RUN = "run";

    static final String TEXT_PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level job=%X{job:--} run=%X{run:--} %logger{0} - %msg%n";

    /**
     * Logback's configuration at start, before agent-etl's configuration is read (and in the tests): text lines on
     * stderr, {@code warn} but {@code info} for agent-etl. Logback finds this class through the service loader,
     * which costs far less start-up time than parsing a logback.xml; a {@code -Dlogback.configurationFile} still wins.
     */
    public LogSetup() {
    }

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty("logback.configurationFile") != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        install(context, text(context));
        context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(Level.WARN);
        context.getLogger("dev.agentetl").setLevel(Level.INFO);
        // its rollback line names the process strategy, not why; the inbox logs a file it sets aside in one line
        context.getLogger("org.apache.camel.component.file.GenericFileOnCompletion").setLevel(Level.ERROR);
        // its message for a platform without binaries tells to add a Maven dependency; agent-etl says what to do
        context.getLogger("io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver").setLevel(Level.OFF);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /**
     * Configures logging from {@code config}; an unknown format or level is refused with the key, before anything
     * is logged with it.
     */
    public static void apply(AppConfig config) {
        String format = config.get("agent-etl.log.format", "text").toLowerCase(Locale.ROOT);
        if (!format.equals("text") && !format.equals("json")) {
            throw new IllegalArgumentException("agent-etl.log.format must be text or json, got '" + format + "'");
        }
        Map<String, String> levels = config.under("agent-etl.log.level.");
        Map<String, Level> parsed = new java.util.LinkedHashMap<>();
        levels.forEach((logger, value) -> {
            Level level = Level.toLevel(value, null);
            if (level == null) {
                throw new IllegalArgumentException("agent-etl.log.level." + logger
                        + " must be one of trace, debug, info, warn, error, off; got '" + value + "'");
            }
            parsed.put(logger, level);
        });
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)
                || System.getProperty("logback.configurationFile") != null) {
            return; // another SLF4J backend (an embedding application's), or a Logback configuration of the user's own
        }
        install(context, format.equals("json") ? json(context) : text(context));
        parsed.forEach((logger, level) ->
                context.getLogger(logger.equalsIgnoreCase("root") ? org.slf4j.Logger.ROOT_LOGGER_NAME : logger).setLevel(level));
    }

    /** One appender, on stderr, for every logger. */
    private static void install(LoggerContext context, Encoder<ILoggingEvent> encoder) {
        ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
        appender.setContext(context);
        appender.setName("stderr");
        appender.setTarget("System.err");
        appender.setEncoder(encoder);
        appender.start();
        ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.detachAndStopAllAppenders();
        root.addAppender(appender);
    }

    /**
     * {@code task} run with the job and run id of the thread that calls this, for a job's worker threads (a thread
     * factory is called by the thread that submits the work), so their log lines name the run too.
     */
    public static Runnable carryingContext(Runnable task) {
        Map<String, String> context = org.slf4j.MDC.getCopyOfContextMap();
        return () -> {
            if (context != null) org.slf4j.MDC.setContextMap(context);
            task.run();
        };
    }

    private static Encoder<ILoggingEvent> text(LoggerContext context) {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(TEXT_PATTERN);
        encoder.start();
        return encoder;
    }

    private static Encoder<ILoggingEvent> json(LoggerContext context) {
        LogstashEncoder encoder = new LogstashEncoder();
        encoder.setContext(context);
        encoder.setIncludeContext(false); // the context's name and birth time on every line say nothing
        encoder.setTimestampPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX"); // as the text lines, in milliseconds
        encoder.start();
        return encoder;
    }
}
