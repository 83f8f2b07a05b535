package dev.agentetl.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationConfig;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.BeanSerializerModifier;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import dev.agentetl.runtime.JobReport;
import dev.agentetl.runtime.Secrets;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one JSON document a command prints on stdout with {@code --json}: the command, how it ended (status and
 * exit code), its run in job_runs, its times, the counts and problems every report has, and the report itself
 * as data ({@link JobReport#data()}), serialized generically: a report record by its components, in snake_case.
 * A command that fails still prints one document, with {@code status} and {@code error}, so a script can always
 * parse stdout.
 */
final class JsonDocument {

    static final ObjectMapper JSON = mapper();

    /** How a command ended, as {@code status} says it. */
    enum Status { succeeded, failed, cancelled, usage_error, running }

    private final Map<String, Object> doc = new LinkedHashMap<>();

    JsonDocument(String command, String job) {
        doc.put("command", command);
        doc.put("job", job);
        doc.put("status", null);
        doc.put("exit_code", null);
        doc.put("problems", List.of());
    }

    JsonDocument run(Long runId, OffsetDateTime started, long millis) {
        doc.put("run_id", runId);
        doc.put("started_at", started);
        doc.put("finished_at", started == null ? null : started.plusNanos(millis * 1_000_000L));
        doc.put("duration_ms", millis);
        return this;
    }

    JsonDocument report(JobReport report) {
        Map<String, Long> rows = new LinkedHashMap<>();
        rows.put("read", report.rowsRead());
        rows.put("written", report.rowsWritten());
        rows.put("rejected", report.rowsRejected());
        rows.put("skipped", report.rowsSkipped());
        doc.put("rows", rows);
        doc.put("problems", report.problems());
        doc.put("report", report);
        return this;
    }

    JsonDocument error(String message) {
        doc.put("error", message);
        return this;
    }

    /** Prints the document as one line (a scheduler's log keeps it whole) and returns the exit code. */
    int print(PrintStream out, Status status, int exitCode) {
        doc.put("status", status.name());
        doc.put("exit_code", status == Status.running ? null : exitCode);
        doc.putIfAbsent("error", null);
        String text;
        try {
            text = JSON.writeValueAsString(doc);
        } catch (IOException e) {
            // the report could not be written as data: still one document, saying so
            Map<String, Object> fallback = new LinkedHashMap<>();
            fallback.put("command", doc.get("command"));
            fallback.put("job", doc.get("job"));
            fallback.put("status", Status.failed.name());
            fallback.put("exit_code", 1);
            fallback.put("error", "the report could not be written as JSON: " + e.getMessage());
            try {
                text = JSON.writeValueAsString(fallback);
            } catch (IOException impossible) {
                throw new IllegalStateException(impossible);
            }
            exitCode = 1;
        }
        out.println(Secrets.scrub(text));
        out.flush();
        return exitCode;
    }

    static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC);
    }

    private static ObjectMapper mapper() {
        SimpleModule reports = new SimpleModule("agent-etl-reports");
        reports.addSerializer(Path.class, ToStringSerializer.instance);
        // ISO-8601 text, as the text reports print times (OffsetDateTime, LocalDate, Instant ...)
        reports.addSerializer(java.time.temporal.TemporalAccessor.class, ToStringSerializer.instance);
        reports.addSerializer(java.time.temporal.TemporalAmount.class, ToStringSerializer.instance);
        reports.setSerializerModifier(new BeanSerializerModifier() {
            @Override
            @SuppressWarnings("unchecked")
            public JsonSerializer<?> modifySerializer(SerializationConfig config, BeanDescription bean, JsonSerializer<?> serializer) {
                if (JobReport.class.isAssignableFrom(bean.getBeanClass())) {
                    return new ReportData((JsonSerializer<Object>) serializer);
                }
                return serializer;
            }
        });
        return new ObjectMapper()
                .registerModule(reports)
                .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
    }

    /** A report (also one nested in another, as the demo's steps are) written as its {@link JobReport#data()}. */
    private static final class ReportData extends JsonSerializer<Object> {
        private final JsonSerializer<Object> asBean;

        ReportData(JsonSerializer<Object> asBean) {
            this.asBean = asBean;
        }

        @Override
        public void serialize(Object value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            Object data = ((JobReport) value).data();
            if (data == value) asBean.serialize(value, gen, provider);
            else if (data == null) gen.writeNull();
            else provider.defaultSerializeValue(data, gen);
        }
    }
}
