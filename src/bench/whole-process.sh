#!/usr/bin/env bash
# Whole-process benchmark: agent-etl as a user times it (the launcher, a fresh JVM per command, -Xmx256m)
# against what the user would run instead (psql \copy; DuckDB for Parquet), on a data set it builds on the
# PostgreSQL given by --url: ~2,000,000 narrow tool_calls rows and ~290,000 wide agent_telemetry rows.
# Every pair runs alternating (the anchor, then agent-etl, pair after pair; every other round takes the pairs
# in reverse order), N rounds, best of each by wall time (the Parquet anchor: the best CSV step plus the best
# DuckDB step); the table gives wall and user+sys CPU seconds, the ratio (anchor / agent-etl, above 1
# agent-etl is faster), the target, and the peak RSS of each agent-etl path (/usr/bin/time -v's maximum
# resident set size, the highest of its runs). With csv, and a role that may write server files, two more lines
# give the CSV paths' limit: the server's own COPY of each table into its /dev/null, in one session and in two.
#
# Usage: src/bench/whole-process.sh --url postgresql://USER[:PASSWORD]@HOST[:PORT]/DB [options]
#   --url URL        a database of the benchmark's own: it runs `agent-etl migrate` there and writes about
#                    1.5 GB of generated rows into agent-etl's schema (dropped and made anew when the row
#                    counts differ); required
#   --runs N         rounds of every pair (default 3)
#   --narrow N       tool_calls rows (default 2000000)
#   --wide N         agent_telemetry rows (default 290000)
#   --only LIST      comma-separated subset of: startup,csv,jsonl,parquet,finetune (default: all)
#   --rebuild        build the data set again even when the row counts already match
#   --duckdb JAR     DuckDB's JDBC jar (default: the test dependency in ~/.m2)
#   --java-opts S    agent-etl's JVM options (default -Xmx256m)
# Needs: psql, java 17, /usr/bin/time (GNU), and the launcher's build (mvn; run once before, or let the
# first command build it). Exit status 0 with the table on stdout; a failing command stops it, naming it.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
home="$(cd "$here/../.." && pwd)"
launcher="$home/agent-etl"
url="" runs=3 narrow=2000000 wide=290000 only="startup,csv,jsonl,parquet,finetune" rebuild=0 duckdb="" java_opts="-Xmx256m"
while [ $# -gt 0 ]; do
    case "$1" in
        --url) url="$2"; shift 2 ;;
        --runs) runs="$2"; shift 2 ;;
        --narrow) narrow="$2"; shift 2 ;;
        --wide) wide="$2"; shift 2 ;;
        --only) only="$2"; shift 2 ;;
        --rebuild) rebuild=1; shift ;;
        --duckdb) duckdb="$2"; shift 2 ;;
        --java-opts) java_opts="$2"; shift 2 ;;
        -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) echo "whole-process: unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
done
[ -n "$url" ] || { echo "whole-process: --url postgresql://USER@HOST:PORT/DB is required (see --help)" >&2; exit 2; }
for tool in psql java /usr/bin/time; do
    command -v "$tool" >/dev/null || { echo "whole-process: $tool not found" >&2; exit 2; }
done
[[ "$runs" =~ ^[1-9][0-9]*$ ]] || { echo "whole-process: --runs takes a positive number" >&2; exit 2; }
wants() { [[ ",$only," == *",$1,"* ]]; }

# libpq URL -> agent-etl's JDBC settings (pgjdbc takes no user@ in its URL)
if [[ ! "$url" =~ ^postgres(ql)?://(([^:@/]*)(:([^@/]*))?@)?([^/:?]+)(:([0-9]+))?/([^?]+)$ ]]; then
    echo "whole-process: --url takes postgresql://USER[:PASSWORD]@HOST[:PORT]/DB, got $url" >&2; exit 2
fi
db_user="${BASH_REMATCH[3]}" db_password="${BASH_REMATCH[5]}" db_host="${BASH_REMATCH[6]}" db_port="${BASH_REMATCH[8]:-5432}" db_name="${BASH_REMATCH[9]}"
export AGENT_ETL_DB_URL="jdbc:postgresql://$db_host:$db_port/$db_name"
export AGENT_ETL_DB_USER="$db_user" AGENT_ETL_DB_PASSWORD="$db_password"
export AGENT_ETL_JAVA_OPTS="$java_opts"
export PGPASSWORD="$db_password" PGOPTIONS="-c client_min_messages=warning"
schema=agent_etl
psql_() { psql "$url" -X -q -v ON_ERROR_STOP=1 "$@"; }

# the anchors' and exports' files of the widest table (about 1 GB) live under $TMPDIR at once
free_kb="$(df -Pk "${TMPDIR:-/tmp}" | awk 'NR == 2 { print $4 }')"
if [ "${free_kb:-0}" -lt $((3 * 1024 * 1024)) ]; then
    echo "whole-process: only $((free_kb / 1024)) MB free in ${TMPDIR:-/tmp}; it needs about 3 GB (set TMPDIR elsewhere)" >&2; exit 2
fi
work="$(mktemp -d "${TMPDIR:-/tmp}/agent-etl-whole-process.XXXXXX")"
trap 'cp "$work/times" "${TMPDIR:-/tmp}/agent-etl-whole-process.times" 2>/dev/null; rm -rf "$work"' EXIT

# --- DuckDB, through its JDBC jar (a test dependency of the project) -------------------------------
if wants parquet; then
    if [ -z "$duckdb" ]; then
        duckdb="$(ls -1 "$HOME"/.m2/repository/org/duckdb/duckdb_jdbc/*/duckdb_jdbc-*.jar 2>/dev/null | sort -V | tail -1 || true)"
        if [ -z "$duckdb" ]; then
            (cd "$home" && mvn -q -B dependency:resolve -DincludeArtifactIds=duckdb_jdbc >&2) || true
            duckdb="$(ls -1 "$HOME"/.m2/repository/org/duckdb/duckdb_jdbc/*/duckdb_jdbc-*.jar 2>/dev/null | sort -V | tail -1 || true)"
        fi
    fi
    [ -f "$duckdb" ] || { echo "whole-process: DuckDB's JDBC jar not found (run 'mvn test-compile' once, or pass --duckdb JAR)" >&2; exit 2; }
    mkdir -p "$work/duck"
    javac -d "$work/duck" "$here/DuckDbCsvToParquet.java"
fi

# --- The data set --------------------------------------------------------------------------------
"$launcher" --version >/dev/null   # builds the jar when needed, outside any timing
"$launcher" migrate >/dev/null
count() { psql_ -Atc "SELECT count(*) FROM $schema.$1 ${2:-}"; }
if [ "$rebuild" = 1 ] || [ "$(count tool_calls)" != "$narrow" ] || [ "$(count agent_telemetry)" != "$wide" ]; then
    echo "building the data set: $narrow tool_calls rows, $wide agent_telemetry rows (once; --rebuild to redo)" >&2
    psql_ -c "DROP SCHEMA IF EXISTS $schema CASCADE"   # the script's own database: everything generated anew
    "$launcher" migrate >/dev/null
    "$launcher" generate --rows 40000 --seed 42 --end-date 2026-11-30 >/dev/null
    # copies of the generated rows, as `bench export` makes them, trimmed to the exact counts
    psql_ <<SQL
SET search_path TO $schema;
INSERT INTO tool_calls (session_id, call_index, tool_name, tool_version, parameters, execution_time_ms, success,
    error_message, error_type, retry_count, is_parallel, parallel_batch_id, created_at)
SELECT session_id, call_index + 100 * g, tool_name, tool_version, parameters, execution_time_ms, success,
    error_message, error_type, retry_count, is_parallel, parallel_batch_id, created_at
FROM tool_calls, generate_series(1, (SELECT ($narrow + count(*) - 1) / greatest(count(*), 1) - 1 FROM tool_calls)::int) g;
DELETE FROM tool_calls WHERE id IN (SELECT id FROM tool_calls ORDER BY id OFFSET $narrow);
INSERT INTO agent_telemetry (created_at, record_type, project_id, session_id, user_message, model_used,
    system_prompt, chat_history, response_text, response_thoughts, tool_calls, tool_results, stop_reason,
    rounds, tool_call_count, turn_intent, chat_mode, prompt_tokens, completion_tokens, total_tokens, duration_ms)
SELECT created_at, record_type, project_id, session_id || '~' || g, user_message, model_used, system_prompt,
    CASE WHEN jsonb_typeof(chat_history) = 'array' AND chat_history->0 ? 'content'
         THEN jsonb_set(chat_history, '{0,content}', to_jsonb(coalesce(chat_history->0->>'content', '') || ' (' || g || ')'))
         ELSE chat_history END,
    response_text, response_thoughts, tool_calls, tool_results, stop_reason, rounds,
    tool_call_count, turn_intent, chat_mode, prompt_tokens, completion_tokens, total_tokens, duration_ms
FROM agent_telemetry, generate_series(1, (SELECT ($wide + count(*) - 1) / greatest(count(*), 1) - 1 FROM agent_telemetry)::int) g;
DELETE FROM agent_telemetry WHERE id IN (SELECT id FROM agent_telemetry ORDER BY id OFFSET $wide);
VACUUM ANALYZE tool_calls;
VACUUM ANALYZE agent_telemetry;
SQL
fi
# the start-up row: a 74-row table of the script's own in agent-etl's schema (so `export` finds it)
psql_ -c "DROP TABLE IF EXISTS $schema.bench_startup_74" \
      -c "CREATE TABLE $schema.bench_startup_74 AS SELECT * FROM $schema.tool_calls ORDER BY id LIMIT 74"
llm_calls="$(count agent_telemetry "WHERE record_type = 'llm_call'")"

# --- Timing --------------------------------------------------------------------------------------
# run NAME CMD...: runs it once under /usr/bin/time -v; appends "name wall cpu rss_kb" to $work/times
run() {
    local name="$1"; shift
    # shell functions run in a child bash (exported below): a few milliseconds, on both sides alike
    if ! /usr/bin/time -v -o "$work/time.txt" bash -c '"$@"' run "$@" >"$work/out.txt" 2>"$work/err.txt"; then
        echo "whole-process: '$*' failed:" >&2; tail -5 "$work/err.txt" >&2; tail -3 "$work/time.txt" >&2; exit 1
    fi
    awk -v name="$name" -F': ' '
        /Elapsed \(wall clock\)/ { n = split($2, p, ":"); wall = (n == 3 ? p[1] * 3600 + p[2] * 60 + p[3] : p[1] * 60 + p[2]) }
        /User time/ { cpu += $2 } /System time/ { cpu += $2 } /Maximum resident set size/ { rss = $2 }
        END { printf "%s %.3f %.3f %d\n", name, wall, cpu, rss }' "$work/time.txt" >>"$work/times"
}
# the DuckDB step: its own COPY time (printed by the program) as wall, the process's CPU
run_duckdb() {
    local name="$1" csv="$2" parquet="$3"
    run "$name.tmp" java -cp "$duckdb:$work/duck" DuckDbCsvToParquet "$csv" "$parquet"
    local ms; ms="$(cut -d' ' -f1 "$work/out.txt")"
    tail -1 "$work/times" | awk -v name="$name" -v ms="$ms" '{ printf "%s %.3f %s %s\n", name, ms / 1000, $3, $4 }' >>"$work/times.tmp"
    sed -i '$d' "$work/times"; cat "$work/times.tmp" >>"$work/times"; rm -f "$work/times.tmp"
}
clean() { rm -rf "$work/out" "$work"/*.csv "$work"/*.jsonl "$work"/*.parquet; }
q() { printf '%s' "$1" | sed "s/'/''/g"; }

anchor_csv() { psql_ -c "\\copy (SELECT * FROM $schema.$1) TO '$(q "$2")' WITH (FORMAT csv, HEADER)"; }
# row_to_json as valid JSON Lines: CSV format with a quote and delimiter that JSON text never holds raw
anchor_json() { psql_ -c "\\copy (SELECT row_to_json(t) FROM $schema.$1 t $3) TO '$(q "$2")' WITH (FORMAT csv, QUOTE E'\\x01', DELIMITER E'\\x02')"; }
agent() { "$launcher" "$@" --out "$work/out"; }

pair_csv() {      # table kind
    run "anchor_csv_$2" anchor_csv "$1" "$work/a.csv"; clean
    run "agent_csv_$2" agent export "$1" --format csv; clean
}
pair_jsonl() {
    run "anchor_jsonl_$2" anchor_json "$1" "$work/a.jsonl"; clean
    run "agent_jsonl_$2" agent export "$1" --format jsonl; clean
}
pair_parquet() {
    run "anchor_pqcsv_$2" anchor_csv "$1" "$work/a.csv"
    run_duckdb "anchor_pqduck_$2" "$work/a.csv" "$work/a.parquet"; clean
    run "agent_parquet_$2" agent export "$1" --format parquet; clean
}
pair_finetune() {
    run anchor_finetune anchor_json agent_telemetry "$work/a.jsonl" "WHERE record_type = 'llm_call'"; clean
    run agent_finetune agent finetune --source telemetry; clean
}
# The CSV paths' limit, no client at all: the server's own COPY of the same rows into its /dev/null, in one
# session and in two (each half of the table's blocks, as agent-etl's export splits it). Needs a role that may
# write server files (a superuser, or pg_write_server_files); without one the lines are left out.
server_copy() {   # table sessions
    if [ "$2" = 1 ]; then psql_ -c "COPY $schema.$1 TO '/dev/null' WITH (FORMAT csv, HEADER)"; return; fi
    local half a b
    half="$(psql_ -Atc "SELECT pg_relation_size('$schema.$1') / current_setting('block_size')::int / 2")"
    psql_ -c "COPY (SELECT * FROM $schema.$1 WHERE ctid < '($half,0)'::tid) TO '/dev/null' WITH (FORMAT csv)" & a=$!
    psql_ -c "COPY (SELECT * FROM $schema.$1 WHERE ctid >= '($half,0)'::tid) TO '/dev/null' WITH (FORMAT csv)" & b=$!
    local status=0
    wait "$a" || status=$?
    wait "$b" || status=$?   # both waited for, so no COPY outlives a failed one
    return "$status"
}
limit_csv() {     # table kind
    run "server_copy1_$2" server_copy "$1" 1
    run "server_copy2_$2" server_copy "$1" 2
}
server_files="$(psql_ -Atc "SELECT rolsuper OR pg_has_role(current_user, 'pg_write_server_files', 'MEMBER') FROM pg_roles WHERE rolname = current_user")"

export -f psql_ q anchor_csv anchor_json agent server_copy
export url schema launcher work

# a warm-up, untimed: the tables in the server's cache, and the launcher's class-data archive recorded
psql_ -c "\\copy (SELECT * FROM $schema.tool_calls) TO '/dev/null'" -c "\\copy (SELECT * FROM $schema.agent_telemetry) TO '/dev/null'"
for _ in 1 2; do agent export bench_startup_74 --format csv >/dev/null; clean; done
: >"$work/times"
for round in $(seq 1 "$runs"); do
    echo "round $round of $runs" >&2
    pairs=()
    wants startup && pairs+=("run agent_startup agent export bench_startup_74 --format csv")
    wants csv && pairs+=("pair_csv tool_calls narrow" "pair_csv agent_telemetry wide")
    wants csv && [ "$server_files" = t ] && pairs+=("limit_csv tool_calls narrow" "limit_csv agent_telemetry wide")
    wants jsonl && pairs+=("pair_jsonl tool_calls narrow" "pair_jsonl agent_telemetry wide")
    wants parquet && pairs+=("pair_parquet tool_calls narrow" "pair_parquet agent_telemetry wide")
    wants finetune && pairs+=("pair_finetune")
    if [ $((round % 2)) = 0 ]; then   # every other round in reverse order: no path always follows the same one
        for ((i = ${#pairs[@]} - 1; i >= 0; i--)); do eval "${pairs[$i]}"; clean; done
    else
        for p in "${pairs[@]}"; do eval "$p"; clean; done
    fi
done

# --- The table -----------------------------------------------------------------------------------
cores="$(nproc)"; load="$(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "agent-etl whole-process benchmark: $narrow narrow tool_calls rows, $wide wide agent_telemetry rows ($llm_calls llm_call);"
echo "PostgreSQL $(psql_ -Atc 'SHOW server_version') at $db_host:$db_port/$db_name; agent-etl with $java_opts; best of $runs alternating runs by wall time;"
echo "$cores cores, load average $load at the end; ratio = anchor time / agent-etl time (above 1: agent-etl is faster)"
echo
awk '
    { if (!($1 in wall) || $2 < wall[$1]) { wall[$1] = $2; cpu[$1] = $3 }
      if ($4 > rss[$1]) rss[$1] = $4 }
    function line(work, anchorName, anchorWall, anchorCpu, mine, target, limit,    r, ok) {
        if (!(mine in wall)) return
        r = (anchorWall > 0) ? anchorWall / wall[mine] : 0
        if (anchorWall > 0) ok = (r >= limit) ? "met" : "NOT met"; else ok = (wall[mine] <= limit) ? "met" : "NOT met"
        printf "| %-24s | %-32s | %8s | %6s | %8.2f | %6.2f | %6s | %-8s | %-7s | %6.0f |\n", work, anchorName,
            (anchorWall > 0 ? sprintf("%.2f", anchorWall) : "-"), (anchorWall > 0 ? sprintf("%.2f", anchorCpu) : "-"),
            wall[mine], cpu[mine], (anchorWall > 0 ? sprintf("%.2fx", r) : "-"), target, ok, rss[mine] / 1024
    }
    END {
        printf "| %-24s | %-32s | %8s | %6s | %8s | %6s | %6s | %-8s | %-7s | %6s |\n", "work", "anchor", "anchor s", "cpu s", "ours s", "cpu s", "ratio", "target", "", "RSS MB"
        print "|--------------------------|----------------------------------|----------|--------|----------|--------|--------|----------|---------|--------|"
        split("narrow wide", kinds, " ")
        for (k = 1; k <= 2; k++) { t = kinds[k]
            if ("anchor_csv_" t in wall) line("CSV " t, "psql \\copy csv header", wall["anchor_csv_" t], cpu["anchor_csv_" t], "agent_csv_" t, ">= 1.0x", 1.0) }
        for (k = 1; k <= 2; k++) { t = kinds[k]
            if ("anchor_jsonl_" t in wall) line("JSON Lines " t, "psql \\copy row_to_json", wall["anchor_jsonl_" t], cpu["anchor_jsonl_" t], "agent_jsonl_" t, ">= 1.0x", 1.0) }
        for (k = 1; k <= 2; k++) { t = kinds[k]; a = "anchor_pqcsv_" t; d = "anchor_pqduck_" t
            if (a in wall && d in wall)
                line("Parquet " t, "psql csv, then DuckDB (snappy)", wall[a] + wall[d], cpu[a] + cpu[d], "agent_parquet_" t, ">= 1.3x", 1.3) }
        if ("anchor_finetune" in wall) line("finetune (llm_call rows)", "psql \\copy row_to_json, same", wall["anchor_finetune"], cpu["anchor_finetune"], "agent_finetune", ">= 0.67x", 0.67)
        line("start-up, 74-row table", "-", 0, 0, "agent_startup", "<= 0.8 s", 0.8)
    }' "$work/times"
echo
echo "anchor s / ours s: best wall seconds; cpu s: user+sys seconds of that run (the DuckDB step: its COPY's wall time, its whole process's CPU);"
echo "RSS MB: the highest peak resident set size of the agent-etl runs of that path (the JVM's heap limit is in the options above)."
awk '{ if (!($1 in wall) || $2 < wall[$1]) wall[$1] = $2 }
    END { for (k = 1; k <= 2; k++) { t = (k == 1 ? "narrow" : "wide")
        if (("server_copy1_" t) in wall && ("server_copy2_" t) in wall)
            printf "CSV %s, the server alone (its COPY into /dev/null, no client): %.2f s in one session, %.2f s in two%s\n", t,
                wall["server_copy1_" t], wall["server_copy2_" t], (k == 1 ? ";" : ".") } }' "$work/times"
