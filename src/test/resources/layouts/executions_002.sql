-- Fixture: seed 002's execution store (dendrite, Phase 8a) in the default schema, as its
-- scripts/init_db.sql builds it (the file the seed names as the schema; mounted into the postgres
-- image's docker-entrypoint-initdb.d, so it runs once on an empty database).
--
-- The seed gives SQL for executions, tool_executions and tool_statistics only, and in an abbreviated
-- form; it names but does not list execution_feedback, tool_creation_events, the tool_performance
-- view and update_tool_statistics(). The seed's three CREATE TABLEs are kept below as the seed writes
-- them; every departure is marked `-- changed:`. The rest (marked `-- added:`) follows the app's
-- scripts/init_db.sql as published (github.com/gradrix/dendrite, scripts/init_db.sql at commit
-- b79ef00026bc15c2a5d8b9417eb4e838395301f0), which is also what the seed's ExecutionStore inserts
-- into (neural_engine/core/execution_store.py: tool_class and created_by on tool_creation_events,
-- RETURNING execution_id from an INSERT that does not give one).

-- added: the app's file starts with this; executions.execution_id defaults to uuid_generate_v4().
CREATE EXTENSION IF NOT EXISTS "uuid-ossp";

CREATE TABLE executions (
    execution_id UUID PRIMARY KEY DEFAULT uuid_generate_v4(),  -- changed: DEFAULT added (the app's DDL; ExecutionStore inserts without an id and reads it back with RETURNING)
    goal_id VARCHAR(255) NOT NULL,  -- changed: NOT NULL (the app's DDL)
    goal_text TEXT NOT NULL,  -- changed: NOT NULL (the app's DDL)
    intent VARCHAR(50),
    success BOOLEAN,
    error TEXT,
    duration_ms INTEGER,
    created_at TIMESTAMP DEFAULT NOW(),  -- changed: DEFAULT NOW() (the app's DDL; ExecutionStore never sets it)
    metadata JSONB DEFAULT '{}'::jsonb  -- Flexible storage for pipeline data   -- changed: DEFAULT '{}' (the app's DDL)
);

-- The seed lists these four by name.
CREATE INDEX idx_executions_goal_id ON executions(goal_id);
CREATE INDEX idx_executions_created_at ON executions(created_at DESC);
CREATE INDEX idx_executions_success ON executions(success);
CREATE INDEX idx_executions_intent ON executions(intent);

CREATE TABLE tool_executions (
    id SERIAL PRIMARY KEY,
    execution_id UUID REFERENCES executions ON DELETE CASCADE,  -- changed: ON DELETE CASCADE (the app's DDL)
    tool_name VARCHAR(255) NOT NULL,  -- changed: NOT NULL (the app's DDL)
    parameters JSONB,
    result JSONB,
    success BOOLEAN,
    error TEXT,
    duration_ms INTEGER,
    created_at TIMESTAMP DEFAULT NOW()  -- changed: DEFAULT NOW() (the app's DDL)
);

-- The seed lists these three by name; idx_tool_success is on (tool_name, success) in the app
-- ("Success/failure by tool").
CREATE INDEX idx_tool_name ON tool_executions(tool_name);
CREATE INDEX idx_tool_success ON tool_executions(tool_name, success);
CREATE INDEX idx_tool_created_at ON tool_executions(created_at DESC);

CREATE TABLE tool_statistics (
    tool_name VARCHAR(255) PRIMARY KEY,
    total_executions INTEGER DEFAULT 0,  -- changed: DEFAULT 0 (the app's DDL)
    successful_executions INTEGER DEFAULT 0,  -- changed: DEFAULT 0 (the app's DDL)
    failed_executions INTEGER DEFAULT 0,  -- changed: DEFAULT 0 (the app's DDL)
    avg_duration_ms FLOAT,
    last_used TIMESTAMP,
    first_used TIMESTAMP,
    -- changed: the seed writes `success_rate FLOAT GENERATED,  -- Auto-calculated`, which is not valid
    -- PostgreSQL (a generated column needs GENERATED ALWAYS AS (expr) STORED); the expression is the
    -- app's, the one the seed describes (successful_executions / total_executions, 0 with no runs).
    success_rate FLOAT GENERATED ALWAYS AS (
        CASE WHEN total_executions > 0 THEN successful_executions::FLOAT / total_executions ELSE 0 END
    ) STORED,
    metadata JSONB DEFAULT '{}'::jsonb,  -- changed: DEFAULT '{}' (the app's DDL)
    updated_at TIMESTAMP DEFAULT NOW()  -- changed: DEFAULT NOW() (the app's DDL)
);

-- added: user ratings (1-5) and feedback text.
CREATE TABLE execution_feedback (
    id SERIAL PRIMARY KEY,
    execution_id UUID REFERENCES executions(execution_id) ON DELETE CASCADE,
    rating INTEGER CHECK (rating >= 1 AND rating <= 5),
    feedback_text TEXT,
    created_at TIMESTAMP DEFAULT NOW()
);
CREATE INDEX idx_feedback_execution ON execution_feedback(execution_id);
CREATE INDEX idx_feedback_rating ON execution_feedback(rating);

-- added: AI-generated tools (goal_text, generated_code, validation results); created_by 'ai' or 'admin'.
CREATE TABLE tool_creation_events (
    id SERIAL PRIMARY KEY,
    tool_name VARCHAR(255) NOT NULL,
    tool_class VARCHAR(255),
    goal_text TEXT,
    generated_code TEXT,
    validation_passed BOOLEAN,
    validation_errors JSONB,
    created_at TIMESTAMP DEFAULT NOW(),
    created_by VARCHAR(50) DEFAULT 'ai'
);
CREATE INDEX idx_tool_creation_name ON tool_creation_events(tool_name);
CREATE INDEX idx_tool_creation_date ON tool_creation_events(created_at DESC);

-- added: real-time aggregate over the raw rows. Its column names are the app's (ExecutionStore
-- orders it by execution_count); rates and averages are numeric, rounded.
CREATE VIEW tool_performance AS
SELECT
    te.tool_name,
    COUNT(*) AS execution_count,
    SUM(CASE WHEN te.success THEN 1 ELSE 0 END) AS success_count,
    SUM(CASE WHEN NOT te.success THEN 1 ELSE 0 END) AS failure_count,
    ROUND((SUM(CASE WHEN te.success THEN 1 ELSE 0 END)::FLOAT / COUNT(*))::numeric, 3) AS success_rate,
    ROUND(AVG(te.duration_ms)::numeric, 2) AS avg_duration_ms,
    MAX(te.created_at) AS last_used,
    MIN(te.created_at) AS first_used
FROM tool_executions te
GROUP BY te.tool_name;

-- added: the periodic refresh ExecutionStore.update_statistics() calls as
-- `SELECT update_tool_statistics()`. It returns void, and on conflict it leaves first_used as it was.
CREATE OR REPLACE FUNCTION update_tool_statistics()
RETURNS void AS $$
BEGIN
    INSERT INTO tool_statistics (
        tool_name, total_executions, successful_executions, failed_executions,
        avg_duration_ms, last_used, first_used, updated_at
    )
    SELECT
        tool_name,
        COUNT(*) AS total,
        SUM(CASE WHEN success THEN 1 ELSE 0 END) AS successful,
        SUM(CASE WHEN NOT success THEN 1 ELSE 0 END) AS failed,
        AVG(duration_ms) AS avg_duration,
        MAX(created_at) AS last_used,
        MIN(created_at) AS first_used,
        NOW() AS updated_at
    FROM tool_executions
    GROUP BY tool_name
    ON CONFLICT (tool_name)
    DO UPDATE SET
        total_executions = EXCLUDED.total_executions,
        successful_executions = EXCLUDED.successful_executions,
        failed_executions = EXCLUDED.failed_executions,
        avg_duration_ms = EXCLUDED.avg_duration_ms,
        last_used = EXCLUDED.last_used,
        updated_at = NOW();
END;
$$ LANGUAGE plpgsql;

-- changed: the app's file ends with
--   GRANT ALL PRIVILEGES ON ALL TABLES IN SCHEMA public TO dendrite;
--   GRANT ALL PRIVILEGES ON ALL SEQUENCES IN SCHEMA public TO dendrite;
-- and a DO block that only RAISEs two NOTICEs. The GRANTs are left out: role dendrite (the
-- image's POSTGRES_USER, who owns everything there anyway) does not exist in a test database, so
-- they fail; they change no table layout.
