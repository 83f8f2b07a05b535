-- VibeAgent's interaction store (seed 000, parts 2.2 and 2.3): the SQLite DDL DatabaseManager._initialize_database runs, verbatim.
-- 1. Sessions: Top-level container for a complete interaction
CREATE TABLE sessions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id TEXT UNIQUE NOT NULL,
    created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    session_type TEXT NOT NULL, -- 'test', 'production', 'development'
    orchestrator_type TEXT, -- 'basic', 'react', 'tot', 'plan_execute'
    model TEXT NOT NULL,
    total_iterations INTEGER DEFAULT 0,
    total_tool_calls INTEGER DEFAULT 0,
    total_duration_ms INTEGER,
    final_status TEXT, -- 'success', 'error', 'timeout', 'max_iterations'
    error_message TEXT,
    metadata JSON
);

-- 2. Messages: Individual messages in a conversation
CREATE TABLE messages (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id INTEGER NOT NULL,
    message_index INTEGER NOT NULL,
    role TEXT NOT NULL, -- 'user', 'assistant', 'system', 'tool'
    content TEXT,
    raw_content TEXT, -- Original raw content
    tokens_input INTEGER,
    tokens_output INTEGER,
    model TEXT,
    temperature REAL,
    max_tokens INTEGER,
    created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    parent_message_id INTEGER,
    metadata JSON,
    FOREIGN KEY (session_id) REFERENCES sessions(id) ON DELETE CASCADE
);

-- 3. LLM Responses: Detailed LLM API responses
CREATE TABLE llm_responses (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id INTEGER NOT NULL,
    message_id INTEGER,
    request_id TEXT UNIQUE,
    model TEXT NOT NULL,
    prompt_tokens INTEGER,
    completion_tokens INTEGER,
    total_tokens INTEGER,
    response_time_ms INTEGER,
    finish_reason TEXT,
    raw_response JSON,
    reasoning_content TEXT, -- If model provides reasoning
    tool_calls_count INTEGER,
    created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    metadata JSON,
    FOREIGN KEY (session_id) REFERENCES sessions(id) ON DELETE CASCADE,
    FOREIGN KEY (message_id) REFERENCES messages(id)
);

-- 4. Tool Calls: Individual tool executions
CREATE TABLE tool_calls (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id INTEGER NOT NULL,
    call_index INTEGER NOT NULL,
    tool_name TEXT NOT NULL,
    tool_version TEXT,
    parameters JSON,
    execution_time_ms INTEGER,
    success BOOLEAN NOT NULL,
    error_message TEXT,
    error_type TEXT, -- 'validation', 'execution', 'network', 'timeout', 'other'
    retry_count INTEGER DEFAULT 0,
    is_parallel BOOLEAN DEFAULT 0,
    parallel_batch_id INTEGER,
    created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    metadata JSON,
    FOREIGN KEY (session_id) REFERENCES sessions(id) ON DELETE CASCADE
);

-- 5. Tool Results: Results from tool execution
CREATE TABLE tool_results (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tool_call_id INTEGER NOT NULL,
    success BOOLEAN NOT NULL,
    data JSON,
    error TEXT,
    result_size_bytes INTEGER,
    created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    metadata JSON,
    FOREIGN KEY (tool_call_id) REFERENCES tool_calls(id) ON DELETE CASCADE
);

-- 6. Test Cases: Definitions of test cases
CREATE TABLE test_cases (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL UNIQUE,
    category TEXT, -- 'simple', 'multi_call', 'complex', 'error_handling', 'parallel'
    description TEXT,
    messages JSON NOT NULL,
    tools JSON NOT NULL,
    expected_tools JSON,
    expected_parameters JSON,
    expect_no_tools BOOLEAN DEFAULT 0,
    created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    active BOOLEAN DEFAULT 1,
    metadata JSON
);

-- 7. Test Runs: Execution of test cases
CREATE TABLE test_runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    test_case_id INTEGER NOT NULL,
    session_id INTEGER,
    run_number INTEGER NOT NULL,
    started_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    completed_at TIMESTAMP,
    duration_ms INTEGER,
    status TEXT, -- 'passed', 'failed', 'error', 'timeout'
    total_iterations INTEGER,
    total_tool_calls INTEGER,
    passed BOOLEAN,
    metadata JSON,
    FOREIGN KEY (test_case_id) REFERENCES test_cases(id) ON DELETE CASCADE,
    FOREIGN KEY (session_id) REFERENCES sessions(id)
);

-- 8. Judge Evaluations: LLM judge results
CREATE TABLE judge_evaluations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    test_run_id INTEGER NOT NULL,
    tool_call_id INTEGER,
    judge_model TEXT NOT NULL,
    passed BOOLEAN NOT NULL,
    confidence REAL NOT NULL,
    reasoning TEXT,
    evaluation_type TEXT, -- 'semantic', 'exact_match', 'custom'
    criteria JSON,
    details JSON,
    evaluation_time_ms INTEGER,
    created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    metadata JSON,
    FOREIGN KEY (test_run_id) REFERENCES test_runs(id) ON DELETE CASCADE,
    FOREIGN KEY (tool_call_id) REFERENCES tool_calls(id)
);

-- 9. Reasoning Steps: For ReAct and ToT patterns
CREATE TABLE reasoning_steps (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id INTEGER NOT NULL,
    iteration INTEGER NOT NULL,
    step_type TEXT NOT NULL, -- 'thought', 'action', 'observation', 'reflection'
    content TEXT NOT NULL,
    tool_call_id INTEGER,
    created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    metadata JSON,
    FOREIGN KEY (session_id) REFERENCES sessions(id) ON DELETE CASCADE,
    FOREIGN KEY (tool_call_id) REFERENCES tool_calls(id)
);

-- 10. Error Recovery: Track error recovery attempts
CREATE TABLE error_recovery (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id INTEGER NOT NULL,
    tool_call_id INTEGER NOT NULL,
    error_type TEXT NOT NULL,
    recovery_strategy TEXT NOT NULL, -- 'retry', 'modify_params', 'alternative_tool', 'skip'
    attempt_number INTEGER NOT NULL,
    success BOOLEAN NOT NULL,
    original_error TEXT,
    recovery_details JSON,
    created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    FOREIGN KEY (session_id) REFERENCES sessions(id) ON DELETE CASCADE,
    FOREIGN KEY (tool_call_id) REFERENCES tool_calls(id)
);

-- 11. Configurations: Track configuration changes
CREATE TABLE configurations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    config_name TEXT NOT NULL,
    config_key TEXT NOT NULL,
    config_value JSON NOT NULL,
    version INTEGER NOT NULL,
    created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    active BOOLEAN DEFAULT 1,
    description TEXT,
    UNIQUE(config_name, config_key, version)
);

-- 12. Performance Metrics: Aggregated performance data
CREATE TABLE performance_metrics (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id INTEGER NOT NULL,
    metric_name TEXT NOT NULL,
    metric_value REAL NOT NULL,
    metric_unit TEXT,
    timestamp TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    metadata JSON,
    FOREIGN KEY (session_id) REFERENCES sessions(id) ON DELETE CASCADE
);

-- 13. Prompts: Track prompt versions and templates
CREATE TABLE prompts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    prompt_name TEXT NOT NULL,
    prompt_type TEXT NOT NULL, -- 'system', 'user', 'few_shot', 'error_recovery'
    version INTEGER NOT NULL,
    content TEXT NOT NULL,
    model TEXT,
    active BOOLEAN DEFAULT 1,
    created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    metadata JSON,
    UNIQUE(prompt_name, prompt_type, version)
);

-- 14. A/B Tests: Track experimental variations
CREATE TABLE ab_tests (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    test_name TEXT NOT NULL UNIQUE,
    description TEXT,
    started_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    ended_at TIMESTAMP,
    status TEXT, -- 'running', 'completed', 'paused'
    variants JSON NOT NULL,
    success_metric TEXT,
    created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP
);

-- 15. A/B Test Results: Results for each variant
CREATE TABLE ab_test_results (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    ab_test_id INTEGER NOT NULL,
    session_id INTEGER NOT NULL,
    variant_name TEXT NOT NULL,
    metrics JSON NOT NULL,
    created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    FOREIGN KEY (ab_test_id) REFERENCES ab_tests(id) ON DELETE CASCADE,
    FOREIGN KEY (session_id) REFERENCES sessions(id) ON DELETE CASCADE
);

-- 16. Tags: For categorization and filtering
CREATE TABLE tags (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tag_name TEXT UNIQUE NOT NULL,
    tag_type TEXT, -- 'category', 'priority', 'status', 'custom'
    color TEXT,
    created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP
);

-- 17. Entity Tags: Many-to-many relationship for tagging
CREATE TABLE entity_tags (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    entity_type TEXT NOT NULL, -- 'session', 'test_case', 'tool_call'
    entity_id INTEGER NOT NULL,
    tag_id INTEGER NOT NULL,
    created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    FOREIGN KEY (tag_id) REFERENCES tags(id) ON DELETE CASCADE,
    UNIQUE(entity_type, entity_id, tag_id)
);

-- 18. Insights: Auto-generated insights from data analysis
CREATE TABLE insights (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    insight_type TEXT NOT NULL, -- 'pattern', 'anomaly', 'trend', 'recommendation'
    title TEXT NOT NULL,
    description TEXT,
    severity TEXT, -- 'info', 'warning', 'critical'
    data JSON,
    created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    acknowledged BOOLEAN DEFAULT 0,
    acknowledged_at TIMESTAMP
);

-- 19. Exports: Track data exports
CREATE TABLE exports (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    export_type TEXT NOT NULL, -- 'csv', 'json', 'parquet'
    filters JSON,
    record_count INTEGER,
    file_path TEXT,
    created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    created_by TEXT
);

-- 20. System Events: Track system-level events
CREATE TABLE system_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    event_type TEXT NOT NULL, -- 'startup', 'shutdown', 'config_change', 'error'
    event_level TEXT, -- 'info', 'warning', 'error', 'critical'
    message TEXT NOT NULL,
    details JSON,
    created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP
);
-- Sessions
CREATE INDEX idx_sessions_created_at ON sessions(created_at);
CREATE INDEX idx_sessions_status ON sessions(final_status);
CREATE INDEX idx_sessions_model ON sessions(model);
CREATE INDEX idx_sessions_type ON sessions(session_type);

-- Messages
CREATE INDEX idx_messages_session_id ON messages(session_id);
CREATE INDEX idx_messages_role ON messages(role);
CREATE INDEX idx_messages_created_at ON messages(created_at);

-- Tool Calls
CREATE INDEX idx_tool_calls_session_id ON tool_calls(session_id);
CREATE INDEX idx_tool_calls_tool_name ON tool_calls(tool_name);
CREATE INDEX idx_tool_calls_success ON tool_calls(success);
CREATE INDEX idx_tool_calls_created_at ON tool_calls(created_at);

-- Test Runs
CREATE INDEX idx_test_runs_test_case_id ON test_runs(test_case_id);
CREATE INDEX idx_test_runs_status ON test_runs(status);
CREATE INDEX idx_test_runs_started_at ON test_runs(started_at);

-- Judge Evaluations
CREATE INDEX idx_judge_evaluations_test_run_id ON judge_evaluations(test_run_id);
CREATE INDEX idx_judge_evaluations_passed ON judge_evaluations(passed);

-- Performance Metrics
CREATE INDEX idx_performance_metrics_session_id ON performance_metrics(session_id);
CREATE INDEX idx_performance_metrics_name ON performance_metrics(metric_name);
CREATE INDEX idx_performance_metrics_timestamp ON performance_metrics(timestamp);
