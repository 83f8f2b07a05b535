package dev.agentetl.generate;

import dev.agentetl.db.CopyBuffer;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Seed 004's agent_telemetry for one user turn: one llm_call row per tool-loop round (the exact
 * context the model saw and what it produced) and one turn_summary row with how the turn ended.
 */
final class TurnTelemetryWriter {

    private static final String COLUMNS = "id, created_at, record_type, project_id, session_id, user_message, model_used, "
            + "system_prompt, chat_history, response_text, response_thoughts, tool_calls, tool_results, stop_reason, rounds, "
            + "tool_call_count, turn_intent, chat_mode, prompt_tokens, completion_tokens, total_tokens, duration_ms";

    private final GenContext ctx;
    private final Behaviour behaviour;
    private final CopyBuffer telemetry;

    TurnTelemetryWriter(GenContext ctx, Behaviour behaviour) {
        this.ctx = ctx;
        this.behaviour = behaviour;
        telemetry = ctx.table("agent_telemetry", COLUMNS);
    }

    /** Writes one turn starting at {@code at}; returns when it ended. */
    OffsetDateTime write(OffsetDateTime at, String threadId, String model, String task, String systemPrompt) {
        String project = Vocabulary.pick(ctx.random, Vocabulary.PROJECTS);
        String chatMode = Vocabulary.pick(ctx.random, Vocabulary.CHAT_MODES);
        boolean cutOff = ctx.patterns && chatMode.equals(PlantedPatterns.CUT_OFF_CHAT_MODE)
                && ctx.chance(PlantedPatterns.CUT_OFF_SHARE);
        int rounds;
        String stopReason;
        double draw = ctx.random.nextDouble();
        if (cutOff) {
            rounds = 1 + ctx.random.nextInt(2);
            stopReason = Vocabulary.pick(ctx.random, List.of("round_cap", "loop_detected:repeat_call", "silent_rounds"));
        } else if (draw < 0.03) {
            rounds = 8;
            stopReason = "round_cap";
        } else if (draw < 0.05) {
            rounds = 3 + ctx.random.nextInt(4);
            stopReason = "tool_failure";
        } else {
            rounds = 1 + ctx.random.nextInt(6);
            stopReason = "completed";
        }
        List<Map<String, Object>> history = new ArrayList<>();
        history.add(message("user", task));
        OffsetDateTime t = at;
        int toolCalls = 0;
        int promptTotal = 0, completionTotal = 0, durationTotal = 0;
        List<Map<String, Object>> toolResults = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            // a cut-off turn stops while tools are still running; a completed turn's last round answers
            boolean callsTools = cutOff || round < rounds || !"completed".equals(stopReason);
            int latency = behaviour.modelLatency(model, t);
            int prompt = 350 + systemPrompt.length() / 4 + 60 * history.size();
            int completion = 30 + ctx.random.nextInt(300);
            List<Map<String, Object>> calls = new ArrayList<>();
            if (callsTools) {
                int n = 1 + (ctx.chance(0.25) ? 1 : 0);
                for (int i = 0; i < n; i++) {
                    String tool = behaviour.pickTool(model);
                    Map<String, Object> call = new LinkedHashMap<>();
                    call.put("id", "call_" + Long.toHexString(ctx.random.nextLong()));
                    call.put("name", tool);
                    call.put("arguments", behaviour.arguments(tool, task));
                    calls.add(call);
                }
            }
            String text = callsTools ? null : Vocabulary.assistantText(ctx.random, task);
            telemetry.row(new UUID(ctx.random.nextLong(), ctx.random.nextLong()), t, "llm_call", project, threadId, task,
                    model, systemPrompt, GenContext.json(history), text,
                    ctx.chance(0.4) ? "The user wants a concrete answer; check the data first." : null,
                    calls.isEmpty() ? null : GenContext.json(calls), null, null, null, null, null, chatMode,
                    prompt, completion, prompt + completion, latency);
            promptTotal += prompt;
            completionTotal += completion;
            durationTotal += latency;
            t = t.plusNanos(latency * 1_000_000L);
            Map<String, Object> assistant = message("assistant", text);
            if (!calls.isEmpty()) {
                assistant.put("tool_calls", calls);
            }
            history.add(assistant);
            for (Map<String, Object> call : calls) {
                String tool = (String) call.get("name");
                boolean ok = !ctx.chance(behaviour.toolFailure(tool, model, t));
                int duration = behaviour.toolDuration(tool);
                durationTotal += duration;
                t = t.plusNanos(duration * 1_000_000L);
                Map<String, Object> result = message("tool", ok ? "{\"status\":\"ok\"}" : "error: " + tool + " failed");
                result.put("tool_call_id", call.get("id"));
                history.add(result);
                toolResults.add(Map.of("tool", tool, "ok", ok));
                toolCalls++;
            }
            if (history.size() > 12) {
                // a sliding window after the user message; it never starts with the replies to a call it cut
                // off (a tool message must follow the assistant message that made the call, as the APIs require)
                history.subList(1, history.size() - 11).clear();
                while (history.size() > 2 && "tool".equals(history.get(1).get("role"))) history.remove(1);
            }
        }
        telemetry.row(new UUID(ctx.random.nextLong(), ctx.random.nextLong()), t, "turn_summary", project, threadId, task,
                model, systemPrompt, GenContext.json(history.subList(0, Math.min(2, history.size()))),
                null, null, null, GenContext.json(toolResults), stopReason, rounds, toolCalls,
                toolCalls > 0 ? "action" : "conversational", chatMode, promptTotal, completionTotal,
                promptTotal + completionTotal, durationTotal);
        return t;
    }

    private static Map<String, Object> message(String role, String content) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("role", role);
        m.put("content", content);
        return m;
    }
}
