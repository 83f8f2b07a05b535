-- What agent-etl alone needs to know about the configuration registry, in agent-etl's own schema.
--
-- The registry (prompts, model_configs, embedding_configs, context_rules, negate_keys, config_changelog)
-- has agent-loggy's own layout (src/main/resources/groups/registry.sql). Where the app created it
-- (schema agent_loggy) agent-etl adopts it and never alters it, so the facts the app has no column
-- for live here, keyed by the registry row's id: the behaviour hash that decides "new version or
-- unchanged", the file a version came from, a prompt's tools and metadata, and the history of label
-- moves. The registry itself holds only what the app reads (its `labels` arrays, `is_active`).
--
-- No foreign keys from these tables to the registry: a foreign key puts a trigger on the referenced
-- table (the app's), the registry may live in another schema, and on a fresh install it is created
-- only after Flyway (by the group installer). A fact whose registry row the app deleted is never read
-- (it is always looked up from its row), so nothing dangles that matters.

-- One row per registry row that agent-etl wrote (or that an upgrade found), same id as that row.
CREATE TABLE registry_facts (
    -- as config_changelog.config_type: which registry table config_id is a row of
    config_type  varchar(50) NOT NULL
                 CHECK (config_type IN ('prompt', 'model_config', 'embedding_config', 'context_rule', 'negate_key')),
    -- the registry row's id (serial int in agent-loggy's layout, bigint in older agent-etl installs)
    config_id    bigint      NOT NULL,
    -- project:name, name, context or "label operator value": for reading this table on its own
    config_name  text        NOT NULL,
    version      integer     NOT NULL,
    -- SHA-256 over what changes behaviour (prompts: type, template, model, config, tools; model and
    -- embedding configurations: their hashed fields). NULL for rules, which are compared by value.
    content_hash char(64),
    -- the catalog or CSV file the version came from (config_changelog has no column for it)
    source_file  text,
    -- a prompt's tool definitions and its documentation metadata (no column in the app's prompts)
    tools        jsonb,
    metadata     jsonb,
    recorded_by  varchar(100),
    recorded_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (config_type, config_id)
);
CREATE INDEX idx_registry_facts_source_file ON registry_facts (source_file);

-- Every move of a label (prompts and model configurations carry `labels` arrays; a label is on at most
-- one version of a name at a time). Also the record of hand moves and rollbacks (`prompts label`),
-- which config_changelog shows too but without the version the label left and without the file.
CREATE TABLE registry_label_moves (
    id           bigint       GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    config_type  varchar(50)  NOT NULL CHECK (config_type IN ('prompt', 'model_config')),
    -- a prompt's project; NULL for model configurations, which have none
    project      varchar(100),
    name         varchar(255) NOT NULL,
    label        varchar(100) NOT NULL CHECK (label <> 'latest'), -- latest is computed, never stored
    -- the version the label left; NULL when it was on no version before
    from_id      bigint,
    from_version integer,
    to_id        bigint       NOT NULL,
    to_version   integer      NOT NULL,
    moved_by     varchar(100),
    moved_at     timestamptz  NOT NULL DEFAULT now(),
    -- the file whose import moved it; NULL for a move by hand
    source_file  text
);
CREATE INDEX idx_registry_label_moves_name ON registry_label_moves (config_type, project, name, label, moved_at);

-- Upgrade of an install made by an older release, whose registry is agent-etl's own (in this schema,
-- V4's layout): prompts with content_hash / source_file / tools / metadata and no labels column,
-- labels in prompt_labels, the prompt_versions view. Recognised by prompt_labels in this schema. On a
-- fresh install the registry does not exist yet (it is created after Flyway), so this does nothing;
-- nor on an install already upgraded. The old columns stay where they are (nothing reads or writes
-- them any more; they are nullable), so no data is dropped.
DO $upgrade$
BEGIN
    IF to_regclass(format('%I.prompt_labels', current_schema())) IS NULL THEN
        RETURN;
    END IF;

    -- the array the app filters with 'production' = ANY(labels), filled from prompt_labels
    ALTER TABLE prompts ADD COLUMN IF NOT EXISTS labels varchar[];
    UPDATE prompts p SET labels = l.labels
    FROM (SELECT prompt_id, array_agg(label ORDER BY label)::varchar[] AS labels
          FROM prompt_labels GROUP BY prompt_id) l
    WHERE l.prompt_id = p.id;
    CREATE INDEX IF NOT EXISTS idx_prompts_labels ON prompts USING gin (labels);

    -- the facts the rows carried
    INSERT INTO registry_facts (config_type, config_id, config_name, version, content_hash, source_file, tools, metadata, recorded_at)
    SELECT 'prompt', id, project || ':' || name, version, content_hash, source_file, tools, metadata, created_at FROM prompts
    ON CONFLICT DO NOTHING;
    INSERT INTO registry_facts (config_type, config_id, config_name, version, content_hash, source_file, recorded_at)
    SELECT 'model_config', id, name, version, content_hash, source_file, created_at FROM model_configs
    ON CONFLICT DO NOTHING;
    INSERT INTO registry_facts (config_type, config_id, config_name, version, content_hash, source_file, recorded_at)
    SELECT 'embedding_config', id, name, version, content_hash, source_file, created_at FROM embedding_configs
    ON CONFLICT DO NOTHING;
    INSERT INTO registry_facts (config_type, config_id, config_name, version, content_hash, source_file, recorded_at)
    SELECT 'context_rule', id, context, version, content_hash, source_file, created_at FROM context_rules
    ON CONFLICT DO NOTHING;
    INSERT INTO registry_facts (config_type, config_id, config_name, version, source_file, recorded_at)
    SELECT 'negate_key', id, label || ' ' || operator || ' ' || value, version, source_file, created_at FROM negate_keys
    ON CONFLICT DO NOTHING;

    -- label history: the older releases audited each move as a 'prompt_label' / 'model_config_label'
    -- changelog row whose config_id is the version the label went to
    INSERT INTO registry_label_moves (config_type, project, name, label, from_id, from_version, to_id, to_version,
                                      moved_by, moved_at, source_file)
    SELECT 'prompt', p.project, p.name, coalesce(c.new_data->>'label', substring(c.config_name FROM '@([^@]*)$')),
           f.id, c.previous_version, p.id, p.version, c.changed_by, c.changed_at, c.source_file
    FROM config_changelog c
    JOIN prompts p ON p.id = c.config_id
    LEFT JOIN prompts f ON f.project = p.project AND f.name = p.name AND f.version = c.previous_version
    WHERE c.config_type = 'prompt_label' AND c.change_type = 'label'
      AND coalesce(c.new_data->>'label', substring(c.config_name FROM '@([^@]*)$')) IS NOT NULL
    ORDER BY c.id;
    INSERT INTO registry_label_moves (config_type, project, name, label, from_id, from_version, to_id, to_version,
                                      moved_by, moved_at, source_file)
    SELECT 'model_config', NULL, m.name, coalesce(c.new_data->>'label', substring(c.config_name FROM '@([^@]*)$')),
           f.id, c.previous_version, m.id, m.version, c.changed_by, c.changed_at, c.source_file
    FROM config_changelog c
    JOIN model_configs m ON m.id = c.config_id
    LEFT JOIN model_configs f ON f.name = m.name AND f.version = c.previous_version
    WHERE c.config_type = 'model_config_label' AND c.change_type = 'label'
      AND coalesce(c.new_data->>'label', substring(c.config_name FROM '@([^@]*)$')) IS NOT NULL
    ORDER BY c.id;

    -- without CASCADE: anything else built on them stops the upgrade rather than vanishing with them
    DROP VIEW IF EXISTS prompt_versions;
    DROP TABLE prompt_labels;
END
$upgrade$;
