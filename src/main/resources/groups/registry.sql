-- Configuration registry (seed 003), created only when no registry exists where one is configured.
-- The layout is agent-loggy's own alembic migration, so the app reads what agent-etl writes and
-- agent-etl adopts an app-created registry unchanged: `labels` is the array the app filters with
-- `'production' = ANY(labels)`; `embedding` is real[] here (pgvector's vector(384) where the app
-- created it; agent-etl never writes it). What only agent-etl needs (content hashes, source files,
-- tools, label audit) lives in agent-etl's own schema (V15).

CREATE TABLE prompts (
    id          serial       PRIMARY KEY,
    project     varchar(100) NOT NULL DEFAULT 'default',
    name        varchar(255) NOT NULL,
    version     integer      NOT NULL DEFAULT 1,
    type        varchar(50)  NOT NULL DEFAULT 'chat',
    template    text         NOT NULL,
    description text,
    usage       text,
    model       varchar(100),
    parameters  jsonb,
    embedding   real[],
    is_active   boolean      DEFAULT true,
    labels      varchar[],
    created_at  timestamp    DEFAULT CURRENT_TIMESTAMP,
    updated_at  timestamp    DEFAULT CURRENT_TIMESTAMP,
    created_by  varchar(100),
    CONSTRAINT uq_prompt_project_name_version UNIQUE (project, name, version)
);
CREATE INDEX idx_prompts_project_name ON prompts (project, name);
CREATE INDEX idx_prompts_labels ON prompts USING gin (labels);

CREATE TABLE model_configs (
    id             serial       PRIMARY KEY,
    name           varchar(100) NOT NULL,
    version        integer      NOT NULL DEFAULT 1,
    model_provider varchar(50)  NOT NULL,
    model_name     varchar(100) NOT NULL,
    parameters     jsonb,
    is_active      boolean      DEFAULT true,
    labels         varchar[],
    created_at     timestamp    DEFAULT CURRENT_TIMESTAMP,
    updated_at     timestamp    DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT uq_model_config_name_version UNIQUE (name, version)
);
CREATE INDEX idx_model_configs_name ON model_configs (name);

CREATE TABLE embedding_configs (
    id                serial       PRIMARY KEY,
    name              varchar(100) NOT NULL,
    version           integer      NOT NULL DEFAULT 1,
    embedding_model   varchar(100) NOT NULL,
    chunk_size        integer      DEFAULT 512,
    chunk_overlap     integer      DEFAULT 50,
    chunking_strategy varchar(50)  DEFAULT 'late_chunking',
    parameters        jsonb,
    is_active         boolean      DEFAULT true,
    created_at        timestamp    DEFAULT CURRENT_TIMESTAMP,
    updated_at        timestamp    DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT uq_embedding_config_name_version UNIQUE (name, version)
);

CREATE TABLE context_rules (
    id          serial       PRIMARY KEY,
    context     varchar(100) NOT NULL,
    version     integer      NOT NULL DEFAULT 1,
    important   text,
    ignore      text,
    description text,
    embedding   real[],
    is_active   boolean      DEFAULT true,
    created_at  timestamp    DEFAULT CURRENT_TIMESTAMP,
    updated_at  timestamp    DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT uq_context_rule_context_version UNIQUE (context, version)
);

CREATE TABLE negate_keys (
    id         serial       PRIMARY KEY,
    label      varchar(100) NOT NULL,
    operator   varchar(20)  NOT NULL,
    value      varchar(255) NOT NULL,
    version    integer      NOT NULL DEFAULT 1,
    is_active  boolean      DEFAULT true,
    created_at timestamp    DEFAULT CURRENT_TIMESTAMP,
    updated_at timestamp    DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT uq_negate_key UNIQUE (label, operator, value, version)
);

CREATE TABLE config_changelog (
    id               serial       PRIMARY KEY,
    config_type      varchar(50)  NOT NULL,
    config_id        integer      NOT NULL,
    config_name      varchar(255) NOT NULL,
    previous_version integer,
    new_version      integer      NOT NULL,
    change_type      varchar(20)  NOT NULL,
    change_summary   text,
    previous_data    jsonb,
    new_data         jsonb,
    changed_by       varchar(100),
    changed_at       timestamp    DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX idx_changelog_config_type_id ON config_changelog (config_type, config_id);
CREATE INDEX idx_changelog_changed_at ON config_changelog (changed_at);
