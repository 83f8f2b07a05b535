package dev.agentetl.generate;

import dev.agentetl.db.CopyBuffer;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Seed 000's interaction store for one session: messages, LLM responses, tool calls and their results. */
final class InteractionWriter {

    private final GenContext ctx;
    private final Behaviour behaviour;
    private final List<Long> testCaseIds;
    private final ExperimentWriter experiments;
    private final CopyBuffer sessions, messages, responses, calls, results, recoveries, steps, metrics, testRuns, judges;

    InteractionWriter(GenContext ctx, Behaviour behaviour, List<Long> testCaseIds, ExperimentWriter experiments) {
        this.ctx = ctx;
        this.experiments = experiments;
        this.behaviour = behaviour;
        this.testCaseIds = testCaseIds;
        sessions = ctx.table("sessions", "id, session_id, created_at, updated_at, session_type, orchestrator_type, model, "
                + "total_iterations, total_tool_calls, total_duration_ms, final_status, error_message, metadata");
        messages = ctx.table("messages", "id, session_id, message_index, role, content, tokens_input, tokens_output, model, "
                + "temperature, max_tokens, created_at, metadata");
        calls = ctx.table("tool_calls", "id, session_id, call_index, tool_name, tool_version, parameters, execution_time_ms, "
                + "success, error_message, error_type, retry_count, is_parallel, parallel_batch_id, created_at");
        responses = ctx.table("llm_responses", "session_id, message_id, request_id, model, prompt_tokens, completion_tokens, "
                + "total_tokens, response_time_ms, finish_reason, raw_response, tool_calls_count, created_at");
        results = ctx.table("tool_results", "tool_call_id, success, data, error, result_size_bytes, created_at");
        recoveries = ctx.table("error_recovery", "session_id, tool_call_id, error_type, recovery_strategy, attempt_number, "
                + "success, original_error, created_at");
        steps = ctx.table("reasoning_steps", "session_id, iteration, step_type, content, created_at");
        metrics = ctx.table("performance_metrics", "session_id, metric_name, metric_value, metric_unit, \"timestamp\"");
        testRuns = ctx.table("test_runs", "id, test_case_id, session_id, run_number, started_at, completed_at, duration_ms, "
                + "status, total_iterations, total_tool_calls, passed");
        judges = ctx.table("judge_evaluations", "test_run_id, judge_model, passed, confidence, reasoning, evaluation_type, "
                + "evaluation_time_ms, created_at");
    }

    /** Writes one session; returns its text id (the thread id turn telemetry refers to). */
    String write(long sessionNumber, OffsetDateTime start, String model, String task, int promptVariant) {
        long sessionId = ctx.nextId("sessions");
        String threadId = "sess-" + new UUID(ctx.random.nextLong(), ctx.random.nextLong());
        double typeDraw = ctx.random.nextDouble();
        String type = typeDraw < 0.85 ? "production" : typeDraw < 0.95 ? "test" : "development";
        String orchestrator = Vocabulary.pick(ctx.random, Vocabulary.ORCHESTRATORS);
        OffsetDateTime t = start;
        int index = 0;
        int totalTokens = 0;
        messages.row(ctx.nextId("messages"), sessionId, index++, "system", Vocabulary.systemPrompt(promptVariant),
                null, null, null, null, null, t, null);
        messages.row(ctx.nextId("messages"), sessionId, index++, "user", task, null, null, null, null, null, t, null);
        int rounds = 1 + ctx.random.nextInt(4);
        int callIndex = 0;
        boolean unrecoveredFailure = false;
        for (int round = 1; round <= rounds && index < 11; round++) {
            boolean last = round == rounds;
            int toolCount = last ? 0 : 1 + (ctx.chance(0.3) ? 1 : 0);
            int latency = behaviour.modelLatency(model, t);
            t = t.plusNanos(latency * 1_000_000L);
            long messageId = ctx.nextId("messages");
            int promptTokens = 400 + 150 * index + ctx.random.nextInt(200);
            int completionTokens = 40 + ctx.random.nextInt(400);
            totalTokens += promptTokens + completionTokens;
            String content = last ? Vocabulary.assistantText(ctx.random, task) : null;
            messages.row(messageId, sessionId, index++, "assistant", content, promptTokens, completionTokens, model,
                    0.2, 2048, t, null);
            Map<String, Object> raw = new LinkedHashMap<>();
            raw.put("id", "chatcmpl-" + Long.toHexString(ctx.random.nextLong()));
            raw.put("finish_reason", toolCount > 0 ? "tool_calls" : "stop");
            responses.row(sessionId, messageId, "req-" + new UUID(ctx.random.nextLong(), ctx.random.nextLong()), model,
                    promptTokens, completionTokens, promptTokens + completionTokens, latency,
                    toolCount > 0 ? "tool_calls" : "stop", GenContext.json(raw), toolCount, t);
            if ("react".equals(orchestrator)) {
                steps.row(sessionId, round, "thought", "I should " + (toolCount > 0 ? "use a tool for this step." : "answer now."), t);
            }
            for (int k = 0; k < toolCount && index < 12; k++) {
                String tool = behaviour.pickTool(model);
                boolean ok = !ctx.chance(behaviour.toolFailure(tool, model, t));
                int duration = behaviour.toolDuration(tool);
                long callId = ctx.nextId("tool_calls");
                String errorType = ok ? null : Vocabulary.pick(ctx.random, Vocabulary.ERROR_TYPES);
                String error = ok ? null : tool + " failed: " + errorType + " error";
                calls.row(callId, sessionId, callIndex++, tool, "1." + (Vocabulary.TOOLS.indexOf(tool) % 3),
                        GenContext.json(behaviour.arguments(tool, task)), duration, ok, error, errorType,
                        ok ? 0 : ctx.random.nextInt(3), toolCount > 1, toolCount > 1 ? round : null, t);
                String data = ok ? GenContext.json(Map.of("status", "ok", "items", ctx.random.nextInt(20))) : null;
                results.row(callId, ok, data, error, data == null ? 0 : data.length(), t.plusNanos(duration * 1_000_000L));
                messages.row(ctx.nextId("messages"), sessionId, index++, "tool", ok ? data : error, null, null, null,
                        null, null, t.plusNanos(duration * 1_000_000L), GenContext.json(Map.of("tool_call_id", callId)));
                if (!ok) {
                    boolean recovered = ctx.chance(0.6);
                    recoveries.row(sessionId, callId, errorType, recovered ? "retry" : Vocabulary.pick(ctx.random,
                            List.of("modify_params", "alternative_tool", "skip")), 1, recovered, error, t);
                    unrecoveredFailure |= !recovered;
                }
                t = t.plusNanos(duration * 1_000_000L);
            }
        }
        double endDraw = ctx.random.nextDouble();
        String status = unrecoveredFailure && endDraw < 0.5 ? "error"
                : endDraw > 0.97 ? "timeout" : endDraw > 0.95 ? "max_iterations" : "success";
        int durationMs = (int) java.time.Duration.between(start, t).toMillis();
        sessions.row(sessionId, threadId, start, t, type, orchestrator, model, rounds, callIndex, durationMs, status,
                "error".equals(status) ? "a tool failure was not recovered" : null,
                GenContext.json(Map.of("generator_session", sessionNumber, "prompt_variant", promptVariant)));
        metrics.row(sessionId, "total_tokens", totalTokens, "tokens", t);
        metrics.row(sessionId, "duration", durationMs, "ms", t);
        experiments.write(sessionId, t, orchestrator, promptVariant, status, durationMs, rounds);
        if ("test".equals(type) && !testCaseIds.isEmpty()) {
            writeTestRun(sessionId, start, t, durationMs, rounds, callIndex, "success".equals(status), sessionNumber);
        }
        return threadId;
    }

    private void writeTestRun(long sessionId, OffsetDateTime start, OffsetDateTime end, int durationMs, int rounds,
                              int calls, boolean passed, long number) {
        long runId = ctx.nextId("test_runs");
        long testCase = testCaseIds.get(ctx.random.nextInt(testCaseIds.size()));
        testRuns.row(runId, testCase, sessionId, (int) (number % 1000) + 1, start, end, durationMs,
                passed ? "passed" : "failed", rounds, calls, passed);
        // one to three judges, each a different model with its own leniency, so verdicts on a run can split
        int judgements = 1 + ctx.random.nextInt(Vocabulary.JUDGE_MODELS.size());
        int first = ctx.random.nextInt(Vocabulary.JUDGE_MODELS.size());
        for (int j = 0; j < judgements; j++) {
            int judge = (first + j) % Vocabulary.JUDGE_MODELS.size();
            boolean judged = passed ? !ctx.chance(Vocabulary.JUDGE_FALSE_FAIL[judge]) : ctx.chance(Vocabulary.JUDGE_FALSE_PASS[judge]);
            double confidence = Math.round((0.6 + 0.4 * ctx.random.nextDouble()) * 1000) / 1000.0;
            judges.row(runId, Vocabulary.JUDGE_MODELS.get(judge), judged, confidence,
                    judged ? "The tool calls match the expected tools and parameters." : "An expected tool was not called.",
                    Vocabulary.EVALUATION_TYPES.get(j), 200 + ctx.random.nextInt(800), end);
        }
    }

    static List<String> tableOrder() {
        return new ArrayList<>(List.of("sessions", "messages", "tool_calls", "llm_responses", "tool_results",
                "error_recovery", "reasoning_steps", "performance_metrics", "test_runs", "judge_evaluations"));
    }
}
