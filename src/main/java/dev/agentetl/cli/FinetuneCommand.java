package dev.agentetl.cli;

import dev.agentetl.finetune.FinetuneRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;

@Command(name = "finetune", mixinStandardHelpOptions = true,
        description = "Write a fine-tuning dataset in OpenAI's chat format from recorded LLM calls (agent_telemetry) and "
                + "session conversations: validated, redacted, deduplicated, split into train and validation by conversation, "
                + "under <out>/finetune/<format>/dt=<day>/finetune-<id>/ with a manifest and a dataset card README.md.")
final class FinetuneCommand extends JobCommand {

    @Option(names = "--since", paramLabel = "T", description = "Calls (sessions: sessions started) at or after T (ISO date or timestamp, UTC if no offset).")
    String since;

    @Option(names = "--until", paramLabel = "T", description = "... before T.")
    String until;

    @Option(names = "--model", paramLabel = "M", description = "Only this model.")
    String model;

    @Option(names = "--project", paramLabel = "P", description = "Only this project (agent_telemetry.project_id; sessions.metadata.project).")
    String project;

    @Option(names = "--stop-reason", paramLabel = "R", description = "Only turns that ended this way, e.g. completed (a session's "
            + "final status counts as: success = completed, max_iterations = round_cap, error = tool_failure).")
    String stopReason;

    @Option(names = "--prompt", paramLabel = "NAME", description = "Only calls whose system prompt is a version of this registered prompt.")
    String prompt;

    @Option(names = "--prompt-version", paramLabel = "N", description = "... this version of it.")
    Integer promptVersion;

    @Option(names = "--prompt-label", paramLabel = "L", description = "... the version this label points at (latest: the newest).")
    String promptLabel;

    @Option(names = "--min-rating", paramLabel = "R", description = "Only conversations rated at least R on 1-5 (execution feedback "
            + "ratings and judge verdicts, passed = 5, failed = 1, averaged); unrated conversations are left out.")
    Double minRating;

    @Option(names = "--validation-ratio", paramLabel = "F", defaultValue = "0.1", description = "Share of conversations in validation (default: ${DEFAULT-VALUE}).")
    double validationRatio;

    @Option(names = "--format", paramLabel = "openai|parquet|dpo", defaultValue = "openai", description = "JSON Lines in OpenAI's chat format, Parquet (the same conversations), or dpo: preference pairs in OpenAI's preference format from judged test runs and rated sessions (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--redaction", paramLabel = "PROFILE", defaultValue = "default", description = "Redaction profile: default, none, or one from the configuration (default: ${DEFAULT-VALUE}).")
    String redaction;

    @Option(names = "--max-tokens", paramLabel = "N", description = "Reject examples over N tokens (default: agent-etl.finetune.max-tokens).")
    Integer maxTokens;

    @Option(names = "--source", paramLabel = "telemetry|sessions|all", defaultValue = "all", description = "Which recordings to read (default: ${DEFAULT-VALUE}).")
    String source;

    @Option(names = "--out", paramLabel = "DIR", description = "Output folder (default: agent-etl.exports-dir).")
    Path out;

    @Override
    String job() {
        return "finetune";
    }

    @Override
    Object body() {
        return new FinetuneRequest(ExportCommand.time("--since", since), ExportCommand.time("--until", until), model, project,
                stopReason, prompt, promptVersion, promptLabel, minRating, validationRatio, format, redaction, maxTokens, source,
                out, System.getProperty("user.name", "unknown"));
    }
}
