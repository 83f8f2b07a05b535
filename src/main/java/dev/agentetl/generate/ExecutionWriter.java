package dev.agentetl.generate;

import dev.agentetl.db.CopyBuffer;

import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;

/** Seed 002's execution history for one goal: the execution, its tool executions, feedback, tool creation. */
final class ExecutionWriter {

    private final GenContext ctx;
    private final Behaviour behaviour;
    private final CopyBuffer executions, toolExecutions, feedback, creations;

    ExecutionWriter(GenContext ctx, Behaviour behaviour) {
        this.ctx = ctx;
        this.behaviour = behaviour;
        executions = ctx.table("executions", "execution_id, goal_id, goal_text, intent, success, error, duration_ms, created_at, metadata");
        toolExecutions = ctx.table("tool_executions", "execution_id, tool_name, parameters, result, success, error, duration_ms, created_at");
        feedback = ctx.table("execution_feedback", "execution_id, rating, feedback_text, created_at");
        creations = ctx.table("tool_creation_events", "tool_name, goal_text, generated_code, validation_passed, validation_errors, created_at");
    }

    /** One execution; {@code conversation} is the session it served (its feedback rates that conversation). */
    void write(long number, OffsetDateTime at, String model, String task, String conversation) {
        UUID id = new UUID(ctx.random.nextLong(), ctx.random.nextLong());
        int tools = 1 + ctx.random.nextInt(3);
        boolean allOk = true;
        int total = 0;
        OffsetDateTime t = at;
        for (int i = 0; i < tools; i++) {
            String tool = behaviour.pickTool(model);
            boolean ok = !ctx.chance(behaviour.toolFailure(tool, model, t));
            int duration = behaviour.toolDuration(tool);
            allOk &= ok;
            total += duration;
            toolExecutions.row(id, tool, GenContext.json(behaviour.arguments(tool, task)),
                    ok ? GenContext.json(Map.of("answer", ctx.random.nextInt(1000))) : null, ok,
                    ok ? null : tool + " raised an error", duration, t);
            t = t.plusNanos(duration * 1_000_000L);
        }
        String intent = Vocabulary.pick(ctx.random, Vocabulary.INTENTS);
        executions.row(id, "goal_" + number, task, intent, allOk, allOk ? null : "a tool failed", total + 50, at,
                GenContext.json(Map.of("model", model, "depth", ctx.random.nextInt(3), "tokens", 100 + ctx.random.nextInt(900),
                        "session_id", conversation)));
        if (ctx.chance(0.3)) {
            int rating = allOk ? 3 + ctx.random.nextInt(3) : 1 + ctx.random.nextInt(3);
            feedback.row(id, rating, rating >= 4 ? "Helpful and correct." : "The answer missed part of the question.", t);
        }
        if (ctx.chance(0.01)) {
            boolean valid = ctx.chance(0.7);
            creations.row("generated_tool_" + number, task, "def run(**kwargs):\n    return {'ok': True}\n", valid,
                    valid ? null : GenContext.json(java.util.List.of("missing docstring")), at);
        }
    }
}
