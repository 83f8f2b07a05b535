-- A user's SELECT (`export --query FILE`) runs so that it cannot write or signal; and a run stopped by
-- SIGTERM or Ctrl-C is recorded as cancelled (at the end).
--
-- It runs inside query_rows(), a SECURITY DEFINER function owned by role agent_etl_query: a role that can
-- read every table and view (pg_read_all_data) and nothing else. It cannot log in, is no superuser, cannot
-- create roles or databases, replicate or bypass row security, and has the privileges of no other role:
-- not pg_signal_backend (so it signals no other session), nor pg_read_server_files / pg_write_server_files /
-- pg_execute_server_program (so lo_import, pg_read_file, COPY ... PROGRAM are refused). Inside a
-- security-definer function PostgreSQL refuses SET ROLE and SET SESSION AUTHORIZATION (also through
-- set_config), so the query cannot take back the privileges of the login that called it. The caller runs it
-- in a READ ONLY transaction (no table, sequence or large object is written; no DDL) and rolls that
-- transaction back, so a setting the query changed does not outlive it. The function gathers the query's
-- rows (in work_mem, then in temporary files) before they stream out.
--
-- Roles belong to the whole server, not to this schema: the role is created once per server and shared by
-- every agent-etl database on it. Only a superuser can create it as it must be (granting pg_read_all_data
-- needs one). Migrated by another user, the role is left out with a notice, and every --query is refused
-- naming what an administrator runs; export of tables and views is unaffected.

DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'agent_etl_query') THEN
        CREATE ROLE agent_etl_query NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE INHERIT NOREPLICATION NOBYPASSRLS;
    END IF;
    GRANT pg_read_all_data TO agent_etl_query;
EXCEPTION WHEN insufficient_privilege OR duplicate_object THEN
    RAISE NOTICE 'role agent_etl_query was not set up (%): export --query is refused until it is', SQLERRM;
END
$$;

-- The query text is the function's argument; its rows come back as records whose columns the caller
-- names and types (it has described the query first, without running it).
CREATE FUNCTION query_rows(query text) RETURNS SETOF record
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
AS $$
BEGIN
    RETURN QUERY EXECUTE query;
END
$$;

-- Only the login that migrated (the one agent-etl runs as) may call it: anyone else calling it would read
-- with pg_read_all_data.
REVOKE ALL ON FUNCTION query_rows(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION query_rows(text) TO CURRENT_USER;

DO $$
DECLARE
    own text := current_schema();
BEGIN
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'agent_etl_query') THEN
        -- a function's new owner needs CREATE on its schema at the moment it is given the function, no longer
        EXECUTE format('GRANT CREATE ON SCHEMA %I TO agent_etl_query', own);
        EXECUTE format('ALTER FUNCTION %I.query_rows(text) OWNER TO agent_etl_query', own);
        EXECUTE format('REVOKE CREATE ON SCHEMA %I FROM agent_etl_query', own);
    END IF;
EXCEPTION WHEN insufficient_privilege THEN
    RAISE NOTICE 'query_rows() could not be given to agent_etl_query (%): export --query is refused until it is', SQLERRM;
END
$$;

-- A run stopped part-way by SIGTERM or Ctrl-C of a command is recorded as cancelled, in job_runs and in
-- exports: added to whatever statuses their checks allow, so no other status is lost.
DO $$
DECLARE
    t text;
    con record;
    allowed text;
BEGIN
    FOREACH t IN ARRAY ARRAY['job_runs', 'exports'] LOOP
        FOR con IN SELECT c.conname, pg_get_constraintdef(c.oid) AS def FROM pg_constraint c
                   WHERE c.conrelid = format('%I.%I', current_schema(), t)::regclass AND c.contype = 'c'
                     AND pg_get_constraintdef(c.oid) ~ '\mstatus\M' LOOP
            IF con.def !~ '''cancelled''' THEN
                SELECT string_agg(quote_literal(v), ', ' ORDER BY v) INTO allowed
                FROM (SELECT m[1] AS v FROM regexp_matches(con.def, '''([^'']+)''', 'g') AS m UNION SELECT 'cancelled') s;
                EXECUTE format('ALTER TABLE %I.%I DROP CONSTRAINT %I', current_schema(), t, con.conname);
                EXECUTE format('ALTER TABLE %I.%I ADD CONSTRAINT %I CHECK (status IN (%s))', current_schema(), t, con.conname, allowed);
            END IF;
        END LOOP;
    END LOOP;
END
$$;
