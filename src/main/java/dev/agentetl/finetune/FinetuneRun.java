package dev.agentetl.finetune;

import java.nio.file.Path;
import java.sql.Connection;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

/**
 * One fine-tuning export as it goes through the steps of routes/finetune.camel.yaml: the checked request, then the
 * connection, the exports row, the folder being written and what the pipeline made. It travels in the exchange
 * (variable {@code finetune}); the {@link FinetuneExporter} bean keeps nothing between steps. A new one is made for
 * every attempt (a transient error does the steps again from the snapshot).
 */
public final class FinetuneRun {

    /** What {@link FinetuneExporter#validate} found in the request: the redaction profile, encoding and token limit. */
    public record Plan(FinetuneRequest request, Redactor redactor, String encoding, int maxTokens, long startedNanos) {
    }

    final Plan plan;
    final FinetuneRequest request;
    final OffsetDateTime startedAt = OffsetDateTime.now(java.time.ZoneOffset.UTC);

    Connection c;
    SourceQueries queries;
    Map<String, Object> filters;
    Map<String, com.fasterxml.jackson.databind.node.ArrayNode> registry;
    Long exportId;
    Path temp;
    Path folder;

    ExamplePipeline pipeline;
    List<SplitFiles.FileFacts> facts;
    TrainingEstimate training;
    Map<String, Object> manifest;
    FinetuneReport report;

    FinetuneRun(Plan plan) {
        this.plan = plan;
        this.request = plan.request();
    }

    /** The finished export's report (after the record step). */
    public FinetuneReport report() {
        return report;
    }

    @Override
    public String toString() {
        return "finetune export" + (exportId == null ? "" : " " + exportId);
    }
}
