-- Fixture: seed 003's alembic migration (agent-loggy, "Add ORM configuration tables") as the SQL
-- SQLAlchemy emits for it on PostgreSQL, in the migration's own order: op.create_table column by
-- column, then its PrimaryKeyConstraint and UniqueConstraint, then its op.create_index calls.
--   sa.Integer() primary key      -> SERIAL (SQLAlchemy's autoincrement for a single integer key)
--   sa.String(n) / sa.String()    -> VARCHAR(n) / VARCHAR;  sa.Text() -> TEXT
--   postgresql.JSONB()            -> JSONB;  postgresql.ARRAY(sa.String()) -> VARCHAR[]
--   sa.DateTime()                 -> TIMESTAMP WITHOUT TIME ZONE;  sa.Boolean() -> BOOLEAN
--   server_default='x'            -> DEFAULT 'x' (quoted, as SQLAlchemy renders a string default)
--   server_default=sa.func.current_timestamp() -> DEFAULT CURRENT_TIMESTAMP
--   nullable not given            -> NULL allowed
-- pgvector's Vector(384) (the `embedding` columns) is stood in for by REAL[]: the fixture must run
-- without the vector extension. The migration does not create the schema; the app's database
-- already has it, so it is created first here.
-- Only the indexes the migration creates are here: the ORM models also declare
-- idx_embedding_configs_name, idx_context_rules_context and idx_negate_keys_label, but the
-- migration never creates them, so an app database built by `alembic upgrade head` lacks them.

CREATE SCHEMA agent_loggy;

CREATE TABLE agent_loggy.prompts (
    id SERIAL NOT NULL,
    project VARCHAR(100) DEFAULT 'default' NOT NULL,
    name VARCHAR(255) NOT NULL,
    version INTEGER DEFAULT '1' NOT NULL,
    type VARCHAR(50) DEFAULT 'chat' NOT NULL,
    template TEXT NOT NULL,
    description TEXT,
    usage TEXT,
    model VARCHAR(100),
    parameters JSONB,
    embedding REAL[],
    is_active BOOLEAN DEFAULT 'true',
    labels VARCHAR[],
    created_at TIMESTAMP WITHOUT TIME ZONE DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP WITHOUT TIME ZONE DEFAULT CURRENT_TIMESTAMP,
    created_by VARCHAR(100),
    PRIMARY KEY (id),
    CONSTRAINT uq_prompt_project_name_version UNIQUE (project, name, version)
);
CREATE INDEX idx_prompts_project_name ON agent_loggy.prompts (project, name);
CREATE INDEX idx_prompts_labels ON agent_loggy.prompts USING gin (labels);

CREATE TABLE agent_loggy.model_configs (
    id SERIAL NOT NULL,
    name VARCHAR(100) NOT NULL,
    version INTEGER DEFAULT '1' NOT NULL,
    model_provider VARCHAR(50) NOT NULL,
    model_name VARCHAR(100) NOT NULL,
    parameters JSONB,
    is_active BOOLEAN DEFAULT 'true',
    labels VARCHAR[],
    created_at TIMESTAMP WITHOUT TIME ZONE DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP WITHOUT TIME ZONE DEFAULT CURRENT_TIMESTAMP,
    PRIMARY KEY (id),
    CONSTRAINT uq_model_config_name_version UNIQUE (name, version)
);
CREATE INDEX idx_model_configs_name ON agent_loggy.model_configs (name);

CREATE TABLE agent_loggy.embedding_configs (
    id SERIAL NOT NULL,
    name VARCHAR(100) NOT NULL,
    version INTEGER DEFAULT '1' NOT NULL,
    embedding_model VARCHAR(100) NOT NULL,
    chunk_size INTEGER DEFAULT '512',
    chunk_overlap INTEGER DEFAULT '50',
    chunking_strategy VARCHAR(50) DEFAULT 'late_chunking',
    parameters JSONB,
    is_active BOOLEAN DEFAULT 'true',
    created_at TIMESTAMP WITHOUT TIME ZONE DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP WITHOUT TIME ZONE DEFAULT CURRENT_TIMESTAMP,
    PRIMARY KEY (id),
    CONSTRAINT uq_embedding_config_name_version UNIQUE (name, version)
);

CREATE TABLE agent_loggy.context_rules (
    id SERIAL NOT NULL,
    context VARCHAR(100) NOT NULL,
    version INTEGER DEFAULT '1' NOT NULL,
    important TEXT,
    ignore TEXT,
    description TEXT,
    embedding REAL[],
    is_active BOOLEAN DEFAULT 'true',
    created_at TIMESTAMP WITHOUT TIME ZONE DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP WITHOUT TIME ZONE DEFAULT CURRENT_TIMESTAMP,
    PRIMARY KEY (id),
    CONSTRAINT uq_context_rule_context_version UNIQUE (context, version)
);

CREATE TABLE agent_loggy.negate_keys (
    id SERIAL NOT NULL,
    label VARCHAR(100) NOT NULL,
    operator VARCHAR(20) NOT NULL,
    value VARCHAR(255) NOT NULL,
    version INTEGER DEFAULT '1' NOT NULL,
    is_active BOOLEAN DEFAULT 'true',
    created_at TIMESTAMP WITHOUT TIME ZONE DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP WITHOUT TIME ZONE DEFAULT CURRENT_TIMESTAMP,
    PRIMARY KEY (id),
    CONSTRAINT uq_negate_key UNIQUE (label, operator, value, version)
);

CREATE TABLE agent_loggy.config_changelog (
    id SERIAL NOT NULL,
    config_type VARCHAR(50) NOT NULL,
    config_id INTEGER NOT NULL,
    config_name VARCHAR(255) NOT NULL,
    previous_version INTEGER,
    new_version INTEGER NOT NULL,
    change_type VARCHAR(20) NOT NULL,
    change_summary TEXT,
    previous_data JSONB,
    new_data JSONB,
    changed_by VARCHAR(100),
    changed_at TIMESTAMP WITHOUT TIME ZONE DEFAULT CURRENT_TIMESTAMP,
    PRIMARY KEY (id)
);
CREATE INDEX idx_changelog_config_type_id ON agent_loggy.config_changelog (config_type, config_id);
CREATE INDEX idx_changelog_changed_at ON agent_loggy.config_changelog (changed_at);
