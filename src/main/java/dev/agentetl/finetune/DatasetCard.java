package dev.agentetl.finetune;

import java.util.List;
import java.util.Map;

/**
 * The README.md beside the files: where the examples come from, how they were filtered, split, redacted
 * and validated, and what was dropped. It holds no times or ids, so the same data and options give the
 * same card; the manifest carries those.
 */
final class DatasetCard {

    private DatasetCard() {
    }

    static String render(String format, Map<String, Object> filters, double validationRatio, String redaction,
                         String encoding, int maxTokens, ExamplePipeline run, List<SplitFiles.FileFacts> files) {
        StringBuilder sb = new StringBuilder("# Fine-tuning dataset\n\n");
        sb.append("Chat examples in OpenAI's fine-tuning format (`messages` with system, user, assistant and tool roles; ")
                .append("`tools` where the tools are known), one per line").append(format.equals("parquet")
                        ? ", stored here as Parquet with the example as JSON columns" : "").append(".\n\n");
        sb.append("## Source\n\n")
                .append("- `agent_telemetry` llm_call rows: the system prompt and chat history the model saw, and the response ")
                .append("text and tool calls it produced (the trained message, `weight: 1`).\n")
                .append("- Session conversations (`sessions`, `messages`, `tool_calls`, `tool_results`, `llm_responses`): one ")
                .append("example per assistant message, with everything before it as context.\n")
                .append("- Earlier assistant turns carry `weight: 0`. Tool definitions come from the prompt registry when the ")
                .append("system prompt is a registered version with tools, else they are inferred from the calls.\n\n");
        sb.append("## Filters\n\n");
        filters.forEach((k, v) -> sb.append("- ").append(k).append(": `").append(v).append("`\n"));
        sb.append("\n## Files\n\n| file | examples | bytes | sha256 |\n|---|---:|---:|---|\n");
        for (SplitFiles.FileFacts f : files) {
            sb.append(String.format("| %s | %,d | %,d | `%s` |%n", f.file(), f.examples(), f.bytes(), f.sha256()));
        }
        sb.append(String.format("%nSplit: by a hash of the conversation (session) id, %.0f %% to validation, so no ",
                        validationRatio * 100))
                .append("conversation is in both files.\n\n");
        sb.append("## Counts\n\n")
                .append(String.format("- candidate examples: %,d%n- written: %,d train, %,d validation%n", run.candidates, run.train, run.validation))
                .append(String.format("- duplicates dropped (same normalised messages): %,d%n", run.duplicates));
        long rejected = run.rejected.values().stream().mapToLong(Long::longValue).sum();
        sb.append(String.format("- rejected: %,d%n", rejected));
        sb.append("\n## Tokens\n\n").append("Counted with the `").append(encoding).append("` tokenizer; examples over ")
                .append(String.format("%,d", maxTokens)).append(" tokens are rejected, never truncated.\n\n");
        run.tokens.describe().forEach((k, v) -> sb.append("- ").append(k).append(": ").append(v).append('\n'));
        sb.append("\n## Redaction\n\nProfile `").append(redaction).append("`; matches replaced by typed placeholders ")
                .append("in the exported copy only.\n\n| rule | replacements |\n|---|---:|\n");
        run.replacements().forEach((k, v) -> sb.append(String.format("| %s | %,d |%n", k, v)));
        sb.append("\n## Rejections\n\n");
        if (run.rejected.isEmpty()) sb.append("None.\n");
        else {
            sb.append("| reason | examples |\n|---|---:|\n");
            run.rejected.forEach((k, v) -> sb.append(String.format("| %s | %,d |%n", k, v)));
            sb.append("\nFirst cases of each reason:\n\n");
            run.samples.forEach(s -> sb.append("- ").append(s.replace("|", "\\|")).append('\n'));
        }
        return sb.toString();
    }
}
