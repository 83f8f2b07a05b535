-- Rows as seed 002's ExecutionStore writes them (apply after executions_002.sql):
--   store_execution       -> executions (goal_id, goal_text, intent, success, error, duration_ms,
--                            metadata = Json(metadata or {}))
--   store_tool_execution  -> tool_executions (parameters = Json(parameters or {}), result = Json(result)
--                            or NULL, duration_ms NULL when the caller gives none, as the seed's
--                            orchestrator integration does)
--   store_feedback        -> execution_feedback (rating 1-5, optional text)
--   store_tool_creation   -> tool_creation_events (validation_errors = Json(errors or []), created_by)
--   update_statistics()   -> SELECT update_tool_statistics()
-- The app leaves execution_id (uuid_generate_v4()) and every created_at (NOW()) to the defaults;
-- they are explicit here so the fixture is deterministic and the rows can be linked.

-- A generative goal, no tool, rated 5 (the seed's own example).
INSERT INTO executions (execution_id, goal_id, goal_text, intent, success, error, duration_ms, created_at, metadata)
VALUES ('0b6f2a10-5c1e-4c8e-9a51-3f1d2e7c9a01', 'goal_42', 'What is 2 + 2?', 'generative', true, NULL, 150,
        '2026-11-03 10:02:11.482', '{"neuron": "GenerativeNeuron", "depth": 0, "tokens": 120}');

-- A tool goal: two successful tool calls.
INSERT INTO executions (execution_id, goal_id, goal_text, intent, success, error, duration_ms, created_at, metadata)
VALUES ('0b6f2a10-5c1e-4c8e-9a51-3f1d2e7c9a02', 'goal_43', 'Check if 17 is prime', 'tool_use', true, NULL, 842,
        '2026-11-03 10:05:40.017',
        '{"goal_id": "goal_43", "intent": "tool_use", "success": true, "selected_tools": ["prime_checker_tool"],
          "tool_parameters": {"number": 17}, "execution_result": {"is_prime": true},
          "pipeline": {"neurons": ["IntentClassifierNeuron", "ToolSelectorNeuron", "ToolExecutorNeuron"], "depth": 1}}');

-- A failed tool goal: the tool raised, then a retry timed out. The orchestrator integration path
-- stores the goal counter as goal_id (an int, which lands as '7') and passes no duration per tool.
INSERT INTO executions (execution_id, goal_id, goal_text, intent, success, error, duration_ms, created_at, metadata)
VALUES ('0b6f2a10-5c1e-4c8e-9a51-3f1d2e7c9a03', '7', 'Fetch the weather in Oslo and convert it to Fahrenheit', 'tool_use', false,
        'Tool weather_tool failed: HTTPError 503 Service Unavailable', 5120,
        '2026-11-04 08:31:55.640',
        '{"goal_id": 7, "intent": "tool_use", "success": false, "selected_tools": ["weather_tool"],
          "tool_parameters": {"city": "Oslo"}, "execution_result": null,
          "error": "Tool weather_tool failed: HTTPError 503 Service Unavailable"}');

-- An unknown-intent goal with no metadata given (stored as {}), no feedback.
INSERT INTO executions (execution_id, goal_id, goal_text, intent, success, error, duration_ms, created_at, metadata)
VALUES ('0b6f2a10-5c1e-4c8e-9a51-3f1d2e7c9a04', 'goal_45', 'asdf', 'unknown', false,
        'Could not classify intent', 63, '2026-11-04 09:12:03.201', '{}');

INSERT INTO tool_executions (execution_id, tool_name, parameters, result, success, error, duration_ms, created_at)
VALUES ('0b6f2a10-5c1e-4c8e-9a51-3f1d2e7c9a02', 'prime_checker_tool', '{"number": 17}', '{"is_prime": true}',
        true, NULL, 50, '2026-11-03 10:05:39.700');
INSERT INTO tool_executions (execution_id, tool_name, parameters, result, success, error, duration_ms, created_at)
VALUES ('0b6f2a10-5c1e-4c8e-9a51-3f1d2e7c9a02', 'calculator_tool', '{"expression": "17 % 2"}', '{"answer": 1}',
        true, NULL, 12, '2026-11-03 10:05:39.905');
INSERT INTO tool_executions (execution_id, tool_name, parameters, result, success, error, duration_ms, created_at)
VALUES ('0b6f2a10-5c1e-4c8e-9a51-3f1d2e7c9a03', 'weather_tool', '{"city": "Oslo"}', NULL,
        false, 'HTTPError 503 Service Unavailable', NULL, '2026-11-04 08:31:52.118');
INSERT INTO tool_executions (execution_id, tool_name, parameters, result, success, error, duration_ms, created_at)
VALUES ('0b6f2a10-5c1e-4c8e-9a51-3f1d2e7c9a03', 'weather_tool', '{"city": "Oslo", "timeout": 5}', NULL,
        false, 'TimeoutError: read timed out after 5s', 5004, '2026-11-04 08:31:55.590');
-- A tool call recorded with no parameters (stored as {}) and a plain JSON string as its result.
INSERT INTO tool_executions (execution_id, tool_name, parameters, result, success, error, duration_ms, created_at)
VALUES ('0b6f2a10-5c1e-4c8e-9a51-3f1d2e7c9a01', 'calculator_tool', '{}', '"4"',
        true, NULL, 9, '2026-11-03 10:02:11.400');

INSERT INTO execution_feedback (execution_id, rating, feedback_text, created_at)
VALUES ('0b6f2a10-5c1e-4c8e-9a51-3f1d2e7c9a01', 5, 'Perfect answer!', '2026-11-03 10:03:00.000');
INSERT INTO execution_feedback (execution_id, rating, feedback_text, created_at)
VALUES ('0b6f2a10-5c1e-4c8e-9a51-3f1d2e7c9a02', 4, NULL, '2026-11-03 10:06:12.330');
INSERT INTO execution_feedback (execution_id, rating, feedback_text, created_at)
VALUES ('0b6f2a10-5c1e-4c8e-9a51-3f1d2e7c9a03', 1, 'It never answered, the weather service was down.', '2026-11-04 08:33:40.009');

-- An AI-generated tool that validated, and one that did not (its errors as a JSON list).
INSERT INTO tool_creation_events (tool_name, tool_class, goal_text, generated_code, validation_passed, validation_errors, created_at, created_by)
VALUES ('prime_checker_tool', 'PrimeCheckerTool', 'Check if 17 is prime',
        E'from neural_engine.tools.base_tool import BaseTool\n\nclass PrimeCheckerTool(BaseTool):\n    def execute(self, number: int):\n        if number < 2:\n            return {"is_prime": False}\n        return {"is_prime": all(number % d for d in range(2, int(number ** 0.5) + 1))}\n',
        true, '[]', '2026-11-02 17:44:20.512', 'ai');
INSERT INTO tool_creation_events (tool_name, tool_class, goal_text, generated_code, validation_passed, validation_errors, created_at, created_by)
VALUES ('fahrenheit_tool', 'FahrenheitTool', 'Fetch the weather in Oslo and convert it to Fahrenheit',
        E'class FahrenheitTool:\n    def run(self, celsius):\n        return celsius * 9 / 5 + 32\n',
        false, '["Class must inherit from BaseTool", "Missing execute() method"]', '2026-11-04 08:32:30.077', 'ai');
INSERT INTO tool_creation_events (tool_name, tool_class, goal_text, generated_code, validation_passed, validation_errors, created_at, created_by)
VALUES ('weather_tool', 'WeatherTool', NULL,
        E'from neural_engine.tools.base_tool import BaseTool\n\nclass WeatherTool(BaseTool):\n    def execute(self, city: str, timeout: int = 10):\n        ...\n',
        true, '[]', '2026-10-28 12:00:00.000', 'admin');

-- ExecutionStore.update_statistics(): the app's periodic refresh of tool_statistics.
SELECT update_tool_statistics();
