-- Rows as seed 004's web app writes them into agent_telemetry (apply after telemetry_004.sql):
-- one 'llm_call' row per model call (the exact context seen and output produced) and one
-- 'turn_summary' row per user turn (the governor's diagnostics), over two chat threads on two days.
-- id is left to the table's gen_random_uuid() default, as the app does; created_at is explicit so
-- the fixture is deterministic. Values the seed's comments do not list, but the app writes anyway:
-- stop_reason 'budget_exhausted' and chat_mode 'autopilot' (both in the second thread).

-- Thread 1 (project proj-landing, 2026-11-03): one action turn, three model calls, two tools.
INSERT INTO agent_telemetry (created_at, record_type, project_id, session_id, user_message, model_used,
    system_prompt, chat_history, response_text, response_thoughts, tool_calls, tool_results,
    stop_reason, rounds, tool_call_count, turn_intent, chat_mode,
    prompt_tokens, completion_tokens, total_tokens, duration_ms)
VALUES ('2026-11-03 09:14:02.118+00', 'llm_call', 'proj-landing', 'thread-7f3a9c',
    'Add a pricing section with three tiers under the hero',
    'gemini-2.5-pro',
    'You are Vibn, a coding agent working inside the user''s Next.js project. Use the tools to read before you write. Keep answers short.',
    '[{"role": "user", "content": "Add a pricing section with three tiers under the hero"}]',
    NULL,
    'The hero lives in app/page.tsx; read it first to see the section layout.',
    '[{"id": "call_1", "name": "read_file", "arguments": {"path": "app/page.tsx"}}]',
    NULL,
    NULL, NULL, NULL, NULL, NULL,
    1840, 96, 1936, 2140);

INSERT INTO agent_telemetry (created_at, record_type, project_id, session_id, user_message, model_used,
    system_prompt, chat_history, response_text, response_thoughts, tool_calls, tool_results,
    stop_reason, rounds, tool_call_count, turn_intent, chat_mode,
    prompt_tokens, completion_tokens, total_tokens, duration_ms)
VALUES ('2026-11-03 09:14:05.402+00', 'llm_call', 'proj-landing', 'thread-7f3a9c',
    'Add a pricing section with three tiers under the hero',
    'gemini-2.5-pro',
    'You are Vibn, a coding agent working inside the user''s Next.js project. Use the tools to read before you write. Keep answers short.',
    '[{"role": "user", "content": "Add a pricing section with three tiers under the hero"},
      {"role": "assistant", "content": ""},
      {"role": "tool", "content": "export default function Home() {\n  return (<main><Hero /><Features /></main>);\n}"}]',
    'Adding a Pricing component after the hero.',
    NULL,
    '[{"id": "call_2", "name": "write_file", "arguments": {"path": "components/Pricing.tsx", "content": "export function Pricing() { return <section id=\"pricing\">...</section>; }"}}]',
    NULL,
    NULL, NULL, NULL, NULL, NULL,
    2391, 412, 2803, 3188);

INSERT INTO agent_telemetry (created_at, record_type, project_id, session_id, user_message, model_used,
    system_prompt, chat_history, response_text, response_thoughts, tool_calls, tool_results,
    stop_reason, rounds, tool_call_count, turn_intent, chat_mode,
    prompt_tokens, completion_tokens, total_tokens, duration_ms)
VALUES ('2026-11-03 09:14:09.017+00', 'llm_call', 'proj-landing', 'thread-7f3a9c',
    'Add a pricing section with three tiers under the hero',
    'gemini-2.5-pro',
    'You are Vibn, a coding agent working inside the user''s Next.js project. Use the tools to read before you write. Keep answers short.',
    '[{"role": "user", "content": "Add a pricing section with three tiers under the hero"},
      {"role": "assistant", "content": ""},
      {"role": "tool", "content": "export default function Home() {\n  return (<main><Hero /><Features /></main>);\n}"},
      {"role": "assistant", "content": "Adding a Pricing component after the hero."},
      {"role": "tool", "content": "wrote components/Pricing.tsx (1.2 KB)"}]',
    'Added a Pricing section (Starter, Pro, Team) right under the hero in components/Pricing.tsx.',
    NULL,
    NULL,
    NULL,
    NULL, NULL, NULL, NULL, NULL,
    2950, 58, 3008, 1675);

INSERT INTO agent_telemetry (created_at, record_type, project_id, session_id, user_message, model_used,
    system_prompt, chat_history, response_text, response_thoughts, tool_calls, tool_results,
    stop_reason, rounds, tool_call_count, turn_intent, chat_mode,
    prompt_tokens, completion_tokens, total_tokens, duration_ms)
VALUES ('2026-11-03 09:14:09.233+00', 'turn_summary', 'proj-landing', 'thread-7f3a9c',
    'Add a pricing section with three tiers under the hero',
    'gemini-2.5-pro',
    'You are Vibn, a coding agent working inside the user''s Next.js project. Use the tools to read before you write. Keep answers short.',
    '[{"role": "user", "content": "Add a pricing section with three tiers under the hero"},
      {"role": "assistant", "content": "Added a Pricing section (Starter, Pro, Team) right under the hero in components/Pricing.tsx."}]',
    'Added a Pricing section (Starter, Pro, Team) right under the hero in components/Pricing.tsx.',
    NULL,
    '[{"id": "call_1", "name": "read_file", "arguments": {"path": "app/page.tsx"}},
      {"id": "call_2", "name": "write_file", "arguments": {"path": "components/Pricing.tsx", "content": "[redacted]"}}]',
    '[{"name": "read_file", "ok": true, "output": "[312 chars]"},
      {"name": "write_file", "ok": true, "output": "wrote components/Pricing.tsx (1.2 KB)"}]',
    'completed', 3, 2, 'action', 'vibe',
    7181, 566, 7747, 7115);

-- Thread 2 (project proj-crm, 2026-11-04): an autopilot turn stopped by the app's token budget,
-- then a short conversational turn in collaborate mode.
INSERT INTO agent_telemetry (created_at, record_type, project_id, session_id, user_message, model_used,
    system_prompt, chat_history, response_text, response_thoughts, tool_calls, tool_results,
    stop_reason, rounds, tool_call_count, turn_intent, chat_mode,
    prompt_tokens, completion_tokens, total_tokens, duration_ms)
VALUES ('2026-11-04 16:40:11.560+00', 'llm_call', 'proj-crm', 'thread-c21d04',
    'Fix the failing contact import test',
    'gemini-2.5-flash',
    'You are Vibn, a coding agent working inside the user''s Next.js project. Run the tests before and after a change.',
    '[{"role": "user", "content": "Fix the failing contact import test"}]',
    NULL,
    'Start by running the test to see the failure.',
    '[{"id": "call_1", "name": "run_command", "arguments": {"command": "npm test -- contacts/import"}}]',
    NULL,
    NULL, NULL, NULL, NULL, NULL,
    1622, 44, 1666, 980);

INSERT INTO agent_telemetry (created_at, record_type, project_id, session_id, user_message, model_used,
    system_prompt, chat_history, response_text, response_thoughts, tool_calls, tool_results,
    stop_reason, rounds, tool_call_count, turn_intent, chat_mode,
    prompt_tokens, completion_tokens, total_tokens, duration_ms)
VALUES ('2026-11-04 16:41:47.902+00', 'turn_summary', 'proj-crm', 'thread-c21d04',
    'Fix the failing contact import test',
    'gemini-2.5-flash',
    'You are Vibn, a coding agent working inside the user''s Next.js project. Run the tests before and after a change.',
    '[{"role": "user", "content": "Fix the failing contact import test"},
      {"role": "assistant", "content": "I ran out of budget before the test passed; the CSV parser still drops quoted commas."}]',
    'I ran out of budget before the test passed; the CSV parser still drops quoted commas.',
    NULL,
    '[{"id": "call_1", "name": "run_command", "arguments": {"command": "npm test -- contacts/import"}},
      {"id": "call_2", "name": "read_file", "arguments": {"path": "lib/contacts/parse.ts"}},
      {"id": "call_3", "name": "write_file", "arguments": {"path": "lib/contacts/parse.ts", "content": "[redacted]"}},
      {"id": "call_4", "name": "run_command", "arguments": {"command": "npm test -- contacts/import"}}]',
    '[{"name": "run_command", "ok": false, "output": "1 failed: splits quoted field"},
      {"name": "read_file", "ok": true, "output": "[2210 chars]"},
      {"name": "write_file", "ok": true, "output": "wrote lib/contacts/parse.ts"},
      {"name": "run_command", "ok": false, "output": "1 failed: splits quoted field"}]',
    'budget_exhausted', 8, 4, 'action', 'autopilot',
    24410, 3120, 27530, 96342);

INSERT INTO agent_telemetry (created_at, record_type, project_id, session_id, user_message, model_used,
    system_prompt, chat_history, response_text, response_thoughts, tool_calls, tool_results,
    stop_reason, rounds, tool_call_count, turn_intent, chat_mode,
    prompt_tokens, completion_tokens, total_tokens, duration_ms)
VALUES ('2026-11-04 16:52:03.311+00', 'llm_call', 'proj-crm', 'thread-c21d04',
    'What does the parser do with empty lines?',
    'gemini-2.5-flash',
    'You are Vibn, a coding agent working inside the user''s Next.js project. Run the tests before and after a change.',
    '[{"role": "user", "content": "Fix the failing contact import test"},
      {"role": "assistant", "content": "I ran out of budget before the test passed; the CSV parser still drops quoted commas."},
      {"role": "user", "content": "What does the parser do with empty lines?"}]',
    'It skips them: parse.ts filters out lines that are empty after trimming, before splitting fields.',
    NULL,
    NULL,
    NULL,
    NULL, NULL, NULL, NULL, NULL,
    1904, 31, 1935, 812);

INSERT INTO agent_telemetry (created_at, record_type, project_id, session_id, user_message, model_used,
    system_prompt, chat_history, response_text, response_thoughts, tool_calls, tool_results,
    stop_reason, rounds, tool_call_count, turn_intent, chat_mode,
    prompt_tokens, completion_tokens, total_tokens, duration_ms)
VALUES ('2026-11-04 16:52:03.420+00', 'turn_summary', 'proj-crm', 'thread-c21d04',
    'What does the parser do with empty lines?',
    'gemini-2.5-flash',
    'You are Vibn, a coding agent working inside the user''s Next.js project. Run the tests before and after a change.',
    '[{"role": "user", "content": "What does the parser do with empty lines?"},
      {"role": "assistant", "content": "It skips them: parse.ts filters out lines that are empty after trimming, before splitting fields."}]',
    'It skips them: parse.ts filters out lines that are empty after trimming, before splitting fields.',
    NULL,
    NULL,
    NULL,
    'completed', 1, 0, 'conversational', 'collaborate',
    1904, 31, 1935, 845);
