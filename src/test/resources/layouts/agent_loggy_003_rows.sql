-- Rows as seed 003's scripts/migrate_prompts.py writes them through the ORM (apply after
-- agent_loggy_003.sql). Each of its three functions runs in its own get_db_session() transaction, so
-- the ORM default func.current_timestamp() gives every row of one function the same created_at /
-- updated_at (the transaction's start); those times are written out here so the fixture is
-- deterministic. Columns the script does not set are left as the ORM leaves them (NULL: model,
-- parameters, embedding; the changelog's previous_version, previous_data, new_data).
--
-- One departure, so that one name has an older, unlabelled version: before the script ran, a first
-- draft of trace_analysis had been saved through the ORM the way the seed's unit tests do
-- (Prompt(name=..., template=..., project="default"): version 1, type 'chat', is_active true by
-- default, no labels, no created_by). The script hard-codes version=1 and would stop on
-- uq_prompt_project_name_version there, so its trace_analysis row (and that row's changelog entry)
-- is written as version 2; everything else in it is what the script writes, labels
-- ARRAY['production','v1'] included. Nothing in the seed deactivates the draft, so both versions are
-- active and only the labels tell them apart.
--
-- The script's changelog rows keep config_id = 0: the script's comment says it "Will be updated
-- after flush", but nothing updates it.

-- The earlier draft (id 1).
INSERT INTO agent_loggy.prompts (project, name, version, type, template, description, usage, model, parameters,
    embedding, is_active, labels, created_at, updated_at, created_by)
VALUES ('default', 'trace_analysis', 1, 'chat',
    'You are a banking systems analyst. Analyze trace {trace_id} for this dispute: {dispute_text}
Return JSON with relevance_score, key_finding and recommendation.',
    NULL, NULL, NULL, NULL, NULL, true, NULL, '2026-10-20 11:02:37.441', '2026-10-20 11:02:37.441', NULL);

-- migrate_prompts(): one transaction (ids 2-5), each prompt followed by its changelog entry.
INSERT INTO agent_loggy.prompts (project, name, version, type, template, description, usage, model, parameters,
    embedding, is_active, labels, created_at, updated_at, created_by)
VALUES ('default', 'parameter_extraction', 1, 'system',
'You are a strict parameter extractor.
Return ONLY valid JSON with this exact schema:
{"time_frame": "YYYY-MM-DD or null", "domain": "domain_name", "query_keys": ["key1","key2","key3"]}

RULES:
1) query_keys is a flat array of simple field names (lowercase snake_case). No objects/arrays.
2) domain is the main data category from this allow-list only.
3) If no time mentioned -> time_frame = null.
4) time_frame MUST be a single ISO date (YYYY-MM-DD) or null.
5) If user gives a month or a relative period ("July 2025", "last week", "this month"), convert to one concrete start date (YYYY-MM-DD). For a month use day 1; for ranges use the start date.
6) If you cannot confidently produce a single date, set time_frame to null.
7) Use ONLY the allowed query keys; never output excluded ones.

ALLOWED query_keys: {allowed_query_keys}
EXCLUDED query_keys: {excluded_query_keys}

ALLOWED domains: {allowed_domains}
EXCLUDED domains: {excluded_domains}

EXAMPLES:
User: "Show me merchant transactions over 500 last week"
Output: {"time_frame": "2025-07-14", "domain": "transactions", "query_keys": ["merchant","amount"]}

User: "Find customers who bought electronics in January 2025"
Output: {"time_frame": "2025-01-01", "domain": "customers", "query_keys": ["category"]}

User: "List all product reviews with ratings"
Output: {"time_frame": null, "domain": "reviews", "query_keys": ["product_id","rating","review_text"]}

User: "Get bKash payments from this month"
Output: {"time_frame": "2025-10-01", "domain": "payments", "query_keys": ["bkash","mfs"]}

Return ONLY the JSON. No extra text.',
    'Extracts time_frame, domain, and query_keys from user text', 'ParametersAgent._build_system_prompt()', NULL, NULL, NULL, true, ARRAY['production', 'v1'], '2026-11-02 14:30:05.118', '2026-11-02 14:30:05.118', 'migration_script');
INSERT INTO agent_loggy.config_changelog (config_type, config_id, config_name, previous_version, new_version,
    change_type, change_summary, previous_data, new_data, changed_by, changed_at)
VALUES ('prompt', 0, 'default:parameter_extraction', NULL, 1, 'create', 'Initial migration from hardcoded prompt', NULL, NULL,
    'migration_script', '2026-11-02 14:30:05.118');
INSERT INTO agent_loggy.prompts (project, name, version, type, template, description, usage, model, parameters,
    embedding, is_active, labels, created_at, updated_at, created_by)
VALUES ('default', 'relevance_analysis', 1, 'user',
'You are an expert system analyst determining if a request trace is relevant to a user''s query.
You have access to context rules that help identify what''s important vs what should be ignored.

ORIGINAL USER QUERY: {original_text}

EXTRACTED PARAMETERS:
- Domain: {domain}
- Query Keys: {query_keys}
- Time Frame: {time_frame}
- Additional Parameters: {additional_params}

{rag_context}

TRACE INFORMATION:
- Trace ID: {trace_id}
- Timestamp: {timestamp}
- Total Log Entries: {total_entries}
- Services Involved: {services}
- Key Operations: {operations}

SAMPLE LOG MESSAGES:
{log_samples}

TIMELINE SUMMARY:
{timeline_summary}

ANALYSIS REQUIRED:
Determine if this trace is relevant to the user''s query by analyzing:
1. Does the trace contain operations related to the query domain?
2. Do the log messages contain the query keys?
3. Does the timestamp match the requested time frame?
4. Are there any operations or data that directly address the user''s question?
5. Consider the IMPORTANT PATTERNS defined in the context rules
6. Even if not directly matching, could this trace provide useful context?

Provide analysis in JSON format:
{
    "relevance_score": <0-100>,
    "confidence_score": <0-100>,
    "matching_elements": ["<specific elements that match the query>"],
    "non_matching_elements": ["<elements that don''t match>"],
    "key_findings": ["<important discoveries about relevance>"],
    "domain_match": <true/false>,
    "time_match": <true/false>,
    "keyword_matches": ["<specific keyword matches found>"],
    "important_pattern_matches": ["<matches from RAG important patterns>"],
    "recommendation": "<INCLUDE|EXCLUDE|REVIEW - with brief explanation>",
    "reasoning": "<detailed explanation of relevance determination>"
}',
    'Analyzes trace relevance to user query with RAG context', 'RelevanceAnalyzerAgent._analyze_relevance_with_rag()', NULL, NULL, NULL, true, ARRAY['production', 'v1'], '2026-11-02 14:30:05.118', '2026-11-02 14:30:05.118', 'migration_script');
INSERT INTO agent_loggy.config_changelog (config_type, config_id, config_name, previous_version, new_version,
    change_type, change_summary, previous_data, new_data, changed_by, changed_at)
VALUES ('prompt', 0, 'default:relevance_analysis', NULL, 1, 'create', 'Initial migration from hardcoded prompt', NULL, NULL,
    'migration_script', '2026-11-02 14:30:05.118');
INSERT INTO agent_loggy.prompts (project, name, version, type, template, description, usage, model, parameters,
    embedding, is_active, labels, created_at, updated_at, created_by)
VALUES ('default', 'trace_analysis', 2, 'user',
'You are a senior banking systems analyst performing forensic analysis on a transaction trace.

ORIGINAL CUSTOMER DISPUTE/QUERY:
{dispute_text}

TRACE ID: {trace_id}
SOURCE FILES: {source_files}

SAMPLE LOG MESSAGES (first 10):
{log_samples}

TIMELINE (first 15 events):
{timeline}

Analyze this trace and provide a JSON response with:
{
    "relevance_score": <0-100 how relevant to the dispute>,
    "request_summary": "<what this request was trying to do>",
    "transaction_outcome": "<successful|failed|partial|unknown>",
    "key_finding": "<most important discovery>",
    "primary_issue": "<main issue category if any>",
    "confidence_level": "<HIGH|MEDIUM|LOW>",
    "evidence_found": ["<list of key evidence points>"],
    "root_cause_analysis": "<if failed, what caused it>",
    "recommendation": "<next steps or resolution>"
}',
    'Deep forensic analysis of a single trace', 'AnalyzeAgent._analyze_single_trace()', NULL, NULL, NULL, true, ARRAY['production', 'v1'], '2026-11-02 14:30:05.118', '2026-11-02 14:30:05.118', 'migration_script');
INSERT INTO agent_loggy.config_changelog (config_type, config_id, config_name, previous_version, new_version,
    change_type, change_summary, previous_data, new_data, changed_by, changed_at)
VALUES ('prompt', 0, 'default:trace_analysis', NULL, 2, 'create', 'Initial migration from hardcoded prompt', NULL, NULL,
    'migration_script', '2026-11-02 14:30:05.118');
INSERT INTO agent_loggy.prompts (project, name, version, type, template, description, usage, model, parameters,
    embedding, is_active, labels, created_at, updated_at, created_by)
VALUES ('default', 'quality_assessment', 1, 'user',
'Rate the quality of this log analysis search.

ORIGINAL QUERY: {original_query}
PARAMETERS USED: {parameters}
TRACES FOUND: {trace_count}
INDIVIDUAL ANALYSES: {analyses}

Provide a JSON assessment:
{
    "completeness_score": <0-100>,
    "relevance_score": <0-100>,
    "coverage_score": <0-100>,
    "overall_confidence": <average of above>,
    "key_gaps": ["<what''s missing>"],
    "recommendations": ["<suggestions for better results>"]
}',
    'Rates overall search and analysis quality', 'AnalyzeAgent._assess_overall_quality()', NULL, NULL, NULL, true, ARRAY['production', 'v1'], '2026-11-02 14:30:05.118', '2026-11-02 14:30:05.118', 'migration_script');
INSERT INTO agent_loggy.config_changelog (config_type, config_id, config_name, previous_version, new_version,
    change_type, change_summary, previous_data, new_data, changed_by, changed_at)
VALUES ('prompt', 0, 'default:quality_assessment', NULL, 1, 'create', 'Initial migration from hardcoded prompt', NULL, NULL,
    'migration_script', '2026-11-02 14:30:05.118');

-- migrate_context_rules(): rows of app/app_settings/context_rules.csv (id,context,important,ignore,
-- description), stripped; an empty description becomes NULL. No changelog entries.
INSERT INTO agent_loggy.context_rules (context, version, important, ignore, description, embedding, is_active, created_at, updated_at)
VALUES ('mfs', 1, 'processPayment,transferMoney,balanceInquiry,transaction_created,payment_processed', 'MFS_TRANSFER_STATUS_UPDATE_SCHEDULER_INVOCATION_TOPIC,HEARTBEAT,HEALTH_CHECK', 'MFS payments - ignore the scheduled status updates and health checks', NULL, true, '2026-11-02 14:30:05.406', '2026-11-02 14:30:05.406');
INSERT INTO agent_loggy.context_rules (context, version, important, ignore, description, embedding, is_active, created_at, updated_at)
VALUES ('transactions', 1, 'transaction_created,payment_processed,amount,merchant,transfer_completed', 'session_cleanup,cache_refresh,log_rotation', 'Transaction processing - the transactions themselves, not maintenance', NULL, true, '2026-11-02 14:30:05.406', '2026-11-02 14:30:05.406');
INSERT INTO agent_loggy.context_rules (context, version, important, ignore, description, embedding, is_active, created_at, updated_at)
VALUES ('npsb', 1, 'npsb_transfer,interbank_transfer,settlement', 'npsb_heartbeat,connection_test', NULL, NULL, true, '2026-11-02 14:30:05.406', '2026-11-02 14:30:05.406');

-- migrate_negate_keys(): rows of app/app_settings/negate_keys.csv (label,operator,value) after the
-- header; an empty label becomes 'default', an empty operator '!='. No changelog entries.
INSERT INTO agent_loggy.negate_keys (label, operator, value, version, is_active, created_at, updated_at)
VALUES ('event', '!=', 'processMfsStatusUpdateInvocationEvent', 1, true, '2026-11-02 14:30:05.512', '2026-11-02 14:30:05.512');
INSERT INTO agent_loggy.negate_keys (label, operator, value, version, is_active, created_at, updated_at)
VALUES ('level', '!=', 'DEBUG', 1, true, '2026-11-02 14:30:05.512', '2026-11-02 14:30:05.512');
INSERT INTO agent_loggy.negate_keys (label, operator, value, version, is_active, created_at, updated_at)
VALUES ('default', '!~', 'health-check.*', 1, true, '2026-11-02 14:30:05.512', '2026-11-02 14:30:05.512');
