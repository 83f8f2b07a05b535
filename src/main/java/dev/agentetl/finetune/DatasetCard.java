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
                         String encoding, int maxTokens, ExamplePipeline run, List<SplitFiles.FileFacts> files,
                         TrainingEstimate training, String license) {
        StringBuilder sb = new StringBuilder(huggingFaceHeader(format, files, license));
        sb.append("# Fine-tuning dataset\n\n");
        boolean pairs = format.equals("dpo");
        if (pairs) {
            sb.append("Preference pairs in OpenAI's preference fine-tuning (DPO) format, one per line: `input` (`messages`, and ")
                    .append("`tools` where the tools are known), `preferred_output` and `non_preferred_output` (one assistant ")
                    .append("message each, with its tool calls).\n\n");
            sb.append("## How pairs were chosen\n\n")
                    .append("- `judged_test_run`: two runs of the same test case, one that every judge passed and one that every ")
                    .append("judge failed (runs with split verdicts or no judge are left out), paired in run order, each run in ")
                    .append("at most one pair. The input is the test case's messages and tools; each output is the first ")
                    .append("assistant message of the run's session.\n")
                    .append("- `feedback_rating`: sessions rated through execution feedback (the mean rating of the executions ")
                    .append("that name the session) with the same input, the messages before the first assistant message ")
                    .append("(whitespace collapsed); the best rated is paired with the worst rated, the second best with the ")
                    .append("second worst, and so on, only where the ratings differ. Each output is the session's first ")
                    .append("assistant message.\n")
                    .append("- A pair whose two answers are the same (once call ids and whitespace are set aside) is no ")
                    .append("preference and is dropped (`no_preference`). Tool definitions come from the test case, else the ")
                    .append("prompt registry, else they are inferred from the calls.\n\n");
            sb.append("Pairs written: ");
            if (run.pairs.isEmpty()) sb.append("none");
            else {
                StringBuilder kinds = new StringBuilder();
                run.pairs.forEach((k, v) -> kinds.append(kinds.length() > 0 ? ", " : "").append(String.format("%s %,d", k, v)));
                sb.append(kinds);
            }
            sb.append(".\n\n");
        } else {
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
        }
        sb.append("## Filters\n\n");
        filters.forEach((k, v) -> sb.append("- ").append(k).append(": `").append(v).append("`\n"));
        sb.append("\n## Files\n\n| file | examples | bytes | sha256 |\n|---|---:|---:|---|\n");
        for (SplitFiles.FileFacts f : files) {
            sb.append(String.format("| %s | %,d | %,d | `%s` |%n", f.file(), f.examples(), f.bytes(), f.sha256()));
        }
        sb.append(pairs
                ? String.format("%nSplit: by a hash of the input (the test case, or the input messages), %.0f %% to validation, "
                        + "so no input is in both files.%n%n", validationRatio * 100)
                : String.format("%nSplit: by a hash of the conversation (session) id, %.0f %% to validation, so no "
                        + "conversation is in both files.%n%n", validationRatio * 100));
        sb.append("## Counts\n\n")
                .append(String.format("- candidate %s: %,d%n- written: %,d train, %,d validation%n", pairs ? "pairs" : "examples",
                        run.candidates, run.train, run.validation))
                .append(String.format("- duplicates dropped (same normalised messages%s): %,d%n", pairs ? " and answers" : "",
                        run.duplicates));
        long rejected = run.rejected.values().stream().mapToLong(Long::longValue).sum();
        sb.append(String.format("- rejected: %,d%n", rejected));
        sb.append("\n## Tokens\n\n").append("Counted with the `").append(encoding).append("` tokenizer; examples over ")
                .append(String.format("%,d", maxTokens)).append(" tokens are rejected, never truncated.\n\n");
        run.tokens.describe().forEach((k, v) -> sb.append("- ").append(k).append(": ").append(v).append('\n'));
        sb.append(String.format("%nTraining on the train file for %d epochs%s bills about %,d tokens (%,d training tokens x %d).%n",
                training.epochs(), training.auto() ? " (OpenAI's auto setting for this many examples)" : "",
                training.billedTokens(), training.trainTokens(), training.epochs()));
        if (!training.warnings().isEmpty()) {
            sb.append("\n**Warnings**\n\n");
            training.warnings().forEach(w -> sb.append("- ").append(w).append('\n'));
        }
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

    /**
     * The YAML header Hugging Face reads from a dataset's README.md: license, task, and a config naming the
     * train and validation files, so {@code load_dataset} on the folder finds both splits; for Parquet also the
     * features (the nested columns {@link ConversationParquet} writes) and the split sizes.
     */
    static String huggingFaceHeader(String format, List<SplitFiles.FileFacts> files, String license) {
        StringBuilder y = new StringBuilder("---\n");
        y.append("license: ").append(license).append('\n');
        y.append("task_categories:\n- text-generation\n");
        y.append("tags:\n- conversational\n- tool-calling\n").append(format.equals("dpo") ? "- dpo\n- preference\n" : "");
        y.append("configs:\n- config_name: default\n  data_files:\n");
        for (SplitFiles.FileFacts f : files) {
            y.append("  - split: ").append(f.file().substring(0, f.file().indexOf('.'))).append('\n')
                    .append("    path: ").append(f.file()).append('\n');
        }
        if (format.equals("parquet")) {
            y.append("""
                    dataset_info:
                      features:
                      - name: messages
                        list:
                        - name: role
                          dtype: string
                        - name: content
                          dtype: string
                        - name: tool_calls
                          list:
                          - name: id
                            dtype: string
                          - name: type
                            dtype: string
                          - name: function
                            struct:
                            - name: name
                              dtype: string
                            - name: arguments
                              dtype: string
                        - name: tool_call_id
                          dtype: string
                        - name: weight
                          dtype: int32
                      - name: tools
                        list:
                        - name: type
                          dtype: string
                        - name: function
                          struct:
                          - name: name
                            dtype: string
                          - name: description
                            dtype: string
                          - name: parameters
                            dtype: string
                      - name: conversation_id
                        dtype: string
                      - name: source
                        dtype: string
                      - name: source_id
                        dtype: string
                      - name: model
                        dtype: string
                      - name: tokens
                        dtype: int32
                      splits:
                    """);
            for (SplitFiles.FileFacts f : files) {
                y.append("  - name: ").append(f.file().substring(0, f.file().indexOf('.'))).append('\n')
                        .append("    num_examples: ").append(f.examples()).append('\n');
            }
        }
        return y.append("---\n\n").toString();
    }
}
