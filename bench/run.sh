#!/usr/bin/env bash
# Load and scale benchmarks for issue 9. Builds Release, generates (or reuses) the dataset, starts the service and the
# baseline server as separate loopback processes, runs every load interleaved with its baselines, runs the per-request
# diagnostics, and writes bench/RESULTS.md. See bench/README.md.
#
#   bench/run.sh                 full: 1,000,000 episodes, 3 repetitions of 10 s after 3 s warm-up (~10 min, plus
#                                ~25 min to generate the dataset the first time on this shared 2-core machine)
#   bench/run.sh --quick         100,000 episodes, 1 repetition of 5 s after 2 s warm-up (~3 min plus generation)
#   bench/run.sh --postgres      the same loads with the service on PostgreSQL (a cluster of Debian's PostgreSQL
#                                kept in bench/out/pg-<N>, started and stopped by this script) against PostgreSQL
#                                baselines; the SQLite dataset is copied into it once (results: bench/RESULTS-postgres.md)
#   bench/run.sh --prepare       only generate/reset/migrate the dataset (and, with --postgres, make its PostgreSQL copy)
#   options: --episodes N  --reps N  --duration S  --warmup S  --results FILE (default bench/RESULTS.md)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
ARGS="$*"

MODE=full EPISODES="" REPS="" DURATION="" WARMUP="" IMPORT_ROWS="" RESULTS="" PROVIDER=sqlite PREPARE_ONLY=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --quick) MODE=quick ;;
    --postgres) PROVIDER=postgres ;;
    --prepare) PREPARE_ONLY=1 ;;
    --episodes) EPISODES=$2; shift ;;
    --reps) REPS=$2; shift ;;
    --duration) DURATION=$2; shift ;;
    --warmup) WARMUP=$2; shift ;;
    --import-rows) IMPORT_ROWS=$2; shift ;;
    --results) RESULTS=$2; shift ;;
    *) echo "usage: bench/run.sh [--quick] [--postgres] [--prepare] [--episodes N] [--reps N] [--duration S] [--warmup S] [--import-rows N] [--results FILE]" >&2; exit 2 ;;
  esac
  shift
done
if [[ $MODE == quick ]]; then
  EPISODES=${EPISODES:-100000} REPS=${REPS:-1} DURATION=${DURATION:-5} WARMUP=${WARMUP:-2}
else
  EPISODES=${EPISODES:-1000000} REPS=${REPS:-3} DURATION=${DURATION:-10} WARMUP=${WARMUP:-3}
fi

RESULTS=${RESULTS:-$([[ $PROVIDER == postgres ]] && echo bench/RESULTS-postgres.md || echo bench/RESULTS.md)}
OUT=$ROOT/bench/out
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
RUN=$OUT/run-$STAMP
DB=$OUT/dataset-$EPISODES.db
# Overridable so two checkouts can benchmark side by side on one machine.
SERVICE_PORT=${BENCH_SERVICE_PORT:-5611} BASELINE_PORT=${BENCH_BASELINE_PORT:-5612}
mkdir -p "$RUN/results" "$RUN/data"
STARTED=$(date -u '+%Y-%m-%d %H:%M')
LOADAVG_START=$(cut -d' ' -f1-3 /proc/loadavg)
log() { echo "[$(date -u +%H:%M:%S)] $*"; }

# 1. Build Release, then run copies: a colleague's build must not replace a DLL under a running benchmark.
log "Building (Release)"
dotnet build bench/Harness/MhaRights.Bench.Harness.csproj -c Release -nologo -v q -clp:ErrorsOnly
dotnet build bench/BaselineServer/MhaRights.Bench.BaselineServer.csproj -c Release -nologo -v q -clp:ErrorsOnly
TOOLS=$RUN/tools
mkdir -p "$TOOLS"
cp -r bench/Harness/bin/Release/net10.0 "$TOOLS/harness"
cp -r bench/BaselineServer/bin/Release/net10.0 "$TOOLS/baseline"
cp -r src/Server/bin/Release/net10.0 "$TOOLS/server"
# The admin CLI is built by its own team; time its import only if it builds and has the command.
if dotnet build src/AdminCli/MhaRights.AdminCli.csproj -c Release -nologo -v q -clp:ErrorsOnly > "$RUN/cli-build.log" 2>&1 \
   && cp -r src/AdminCli/bin/Release/net10.0 "$TOOLS/cli" && dotnet "$TOOLS/cli/mharights.dll" import --help > /dev/null 2>&1; then
  HAVE_IMPORT=1
else
  HAVE_IMPORT=0
fi
harness() { dotnet "$TOOLS/harness/MhaRights.Bench.Harness.dll" "$@"; }

# 2. Dataset: generated once per size (fixed seed), then put back to its generated state before every run.
# The audit chain is keyed (HMAC) under this file; the service verifies it when it writes checkpoints. A dataset
# without it predates keyed generation (its chain would not verify): generate it again.
CHAIN_KEY=$DB.audit-chain.key
if [[ ! -f $DB.json || ! -f $CHAIN_KEY ]]; then
  [[ -f $DB.json ]] && log "$DB has no audit chain key ($CHAIN_KEY): generating it again"
  log "Generating $EPISODES episodes into $DB"
  harness generate --episodes "$EPISODES" --db "$DB"
fi
log "Resetting the dataset to its generated state"
harness reset --db "$DB" | tee "$RUN/reset.txt"
# A signed checkpoint of the generated chain head (made once, in the generated state), copied into the run's data
# folder: without it the service's first checkpoint verifies all ~23 million generated events during the loads.
CHAIN_CHECKPOINT=$DB.audit-checkpoints.log
[[ -f $CHAIN_CHECKPOINT ]] || harness chain-checkpoint --db "$DB" --key "$CHAIN_KEY" --out "$CHAIN_CHECKPOINT"
cp "$CHAIN_CHECKPOINT" "$RUN/data/audit-checkpoints.log"

SERVICE_PID="" BASELINE_PID=""
stop_servers() {
  for pid in $SERVICE_PID $BASELINE_PID; do kill "$pid" 2>/dev/null || true; done
  for pid in $SERVICE_PID $BASELINE_PID; do while kill -0 "$pid" 2>/dev/null; do sleep 0.2; done; done
  SERVICE_PID="" BASELINE_PID=""
}
stop_postgres() { :; }
trap 'stop_servers; stop_postgres' EXIT

wait_for() { # file-or-log-pattern, seconds
  for _ in $(seq 1 $(( $2 * 5 ))); do
    if eval "$1"; then return 0; fi
    sleep 0.2
  done
  echo "timed out waiting for: $1" >&2
  return 1
}

# 3. Servers, each in its own process on loopback. The service runs from its output folder so its appsettings.json
# (production logging levels) applies, exactly as deployed; exec keeps $! the server's own pid for /proc sampling.
# The service's own migrations (e.g. new indexes) are applied to the dataset before any timing starts: on a
# 1,000,000-episode file that takes minutes once, and the service's start must not be timed with it.
log "Applying the service's migrations to the dataset"
MIGRATE_START=$(date +%s)
# With the dataset's chain key: migrate's first start of the data folder appends audit events (the bootstrap key).
(cd "$TOOLS/server" && exec dotnet MhaRights.Server.dll migrate "--Database:ConnectionString=Data Source=$DB;Pooling=True" \
  --Database:DataDirectory="$RUN/data" --Audit:ChainKeyFile="$CHAIN_KEY") > "$RUN/migrate.log" 2>&1
log "Migrations applied in $(( $(date +%s) - MIGRATE_START )) s"
# The loads measure a service whose database file is in the OS page cache, as a long-running server's is. A file
# just generated or reset can be partly on disk only; the first loads then wait for the disk (the server's CPU mostly
# idle) and their throughput says more about the disk than the service. Read it once; the time says how much was
# still on disk. A machine with less memory than the file cannot hold it: the loads then include disk reads. Only on
# SQLite: with --postgres the loads read PostgreSQL's copy, whose pages this read would push out of the cache.
if [[ $PROVIDER == sqlite ]]; then
  log "Reading the dataset file once into the page cache"
  WARM_START=$(date +%s)
  cat "$DB" > /dev/null
  log "Dataset read in $(( $(date +%s) - WARM_START )) s"
fi

# The service's database arguments, and the baseline's: SQLite by default; with --postgres, a clone of the dataset's
# PostgreSQL copy (made once per size from the SQLite file, kept in a template database) on a cluster of our own.
SERVICE_DB_ARGS=("--Database:ConnectionString=Data Source=$DB;Pooling=True")
BASELINE_DB_ARGS=(--db "$RUN/baseline.db")
POSTGRES_DESCRIPTION=""
if [[ $PROVIDER == postgres ]]; then
  PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [[ -n $PG_BIN ]] || { echo "PostgreSQL is not installed (Debian package postgresql)" >&2; exit 2; }
  PG_PORT=${BENCH_PG_PORT:-5613} PG_DIR=$OUT/pg-$EPISODES
  as_pg() { if [[ $(id -u) == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }
  if [[ ! -d $PG_DIR/data ]]; then
    mkdir -p "$PG_DIR"
    [[ $(id -u) == 0 ]] && chown postgres "$PG_DIR"
    as_pg "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres --auth=trust -E UTF8 --no-locale > "$RUN/pg-initdb.log"
  fi
  # Durable settings (fsync, synchronous_commit and full_page_writes on, as SQLite's synchronous=FULL is); memory
  # sized for a 24 GB machine shared with the load client.
  as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 120 \
    -o "-p $PG_PORT -k $PG_DIR -c listen_addresses=127.0.0.1 -c max_connections=300 -c shared_buffers=2GB -c effective_cache_size=12GB -c maintenance_work_mem=1GB -c max_wal_size=8GB" start > /dev/null
  stop_postgres() { as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w stop > /dev/null 2>&1 || true; }
  pg() { "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -qtAc "$1"; }
  pg_conn() { echo "Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=$1;Maximum Pool Size=64"; }
  pg_migrate() { # database [data directory, where a first start writes the bootstrap key; audit chain key file]
    (cd "$TOOLS/server" && exec dotnet MhaRights.Server.dll migrate --Database:Provider=PostgreSql "--Database:ConnectionString=$(pg_conn "$1")" \
      --Database:DataDirectory="${2:-$RUN/data}" ${3:+--Audit:ChainKeyFile="$3"}) >> "$RUN/migrate.log" 2>&1
  }
  if [[ -z $(pg "SELECT 1 FROM pg_database WHERE datname = 'mharights_template'") ]]; then
    log "Copying the dataset into PostgreSQL (once per size)"
    pg "DROP DATABASE IF EXISTS mharights_loading" && pg "CREATE DATABASE mharights_loading"
    pg_migrate mharights_loading "$RUN/data" "$CHAIN_KEY"
    harness pg-copy --db "$DB" --postgres "$(pg_conn mharights_loading)" | tee "$RUN/pg-copy.txt"
    # Named only once complete, so an interrupted copy is never mistaken for the dataset.
    pg "ALTER DATABASE mharights_loading RENAME TO mharights_template"
  fi
  log "Cloning the PostgreSQL dataset for this run"
  for d in mharights_run mharights_baseline mharights_import; do pg "DROP DATABASE IF EXISTS $d"; done
  pg "CREATE DATABASE mharights_run TEMPLATE mharights_template STRATEGY FILE_COPY"
  pg "CREATE DATABASE mharights_baseline" && pg "CREATE DATABASE mharights_import"
  pg_migrate mharights_run "$RUN/data" "$CHAIN_KEY"
  SERVICE_DB_ARGS=(--Database:Provider=PostgreSql "--Database:ConnectionString=$(pg_conn mharights_run)")
  BASELINE_DB_ARGS=(--postgres "$(pg_conn mharights_baseline)")
  POSTGRES_DESCRIPTION="PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1 (Debian package; fsync, synchronous_commit and full_page_writes on; shared_buffers 2GB)"
fi

if [[ $PREPARE_ONLY == 1 ]]; then
  log "Dataset prepared ($PROVIDER); nothing timed"
  exit 0
fi

log "Starting the baseline server and the service"
(cd "$TOOLS/baseline" && exec dotnet MhaRights.Bench.BaselineServer.dll --url "http://127.0.0.1:$BASELINE_PORT" "${BASELINE_DB_ARGS[@]}") > "$RUN/baseline.log" 2>&1 &
BASELINE_PID=$!
(cd "$TOOLS/server" && exec dotnet MhaRights.Server.dll --Server:Url="http://127.0.0.1:$SERVICE_PORT" --Audit:ChainKeyFile="$CHAIN_KEY" \
  "${SERVICE_DB_ARGS[@]}" --Database:DataDirectory="$RUN/data" --Sweeper:Enabled=false) > "$RUN/server.log" 2>&1 &
SERVICE_PID=$!
wait_for "grep -q listening '$RUN/baseline.log'" 30
wait_for "grep -q 'Now listening' '$RUN/server.log'" 120
harness setup-key --address "http://127.0.0.1:$SERVICE_PORT" --bootstrap-key "$RUN/data/bootstrap-admin.key" --out "$RUN/load.key"
IDLE_RSS=$(awk '/VmRSS/ {print $2}' "/proc/$SERVICE_PID/status")

# 4. Loads, interleaved so that drift on this shared VM hits baselines and service alike.
load() { # label target op concurrency
  local rep=$1 label=$2 target=$3 op=$4 c=$5 port pid
  if [[ $target == baseline ]]; then port=$BASELINE_PORT pid=$BASELINE_PID; else port=$SERVICE_PORT pid=$SERVICE_PID; fi
  harness load --label "$label" --target "$target" --op "$op" --concurrency "$c" --warmup "$WARMUP" --duration "$DURATION" \
    --address "http://127.0.0.1:$port" --server-pid "$pid" --workload "$DB.workload" --key-file "$RUN/load.key" \
    --state "$RUN/understood.txt" --seed "$rep" --out "$RUN/results/$label-$rep.json" || FAILED=1
}
FAILED=0
for rep in $(seq 1 "$REPS"); do
  log "Repetition $rep of $REPS"
  load "$rep" echo-c16 baseline echo 16
  load "$rep" insert-c16 baseline insert 16
  load "$rep" record-attempt-c16 service record-attempt 16
  load "$rep" rights-status-c16 service rights-status 16
  load "$rep" list-duties-c16 service list-duties 16
  load "$rep" worklist-c1 service worklist 1
  load "$rep" mixed-c16 service mixed 16
  load "$rep" echo-c1 baseline echo 1
  load "$rep" rights-status-c1 service rights-status 1
done
stop_servers

# 5. CSV import (issue 9 target: 100,000 rows in 30 s) with `mharights import` into a fresh database on its own
# server. Every row is 3-4 writes of the service's write path, so the full 100,000 rows would take hours at the
# measured rate: the script imports a fixed-seed sample and reports the rate and the projection, labelled as such.
IMPORT_ROWS=${IMPORT_ROWS:-$([[ $MODE == quick ]] && echo 10000 || echo 100000)}
if [[ $HAVE_IMPORT == 1 ]]; then
  log "Importing $IMPORT_ROWS CSV rows with mharights import"
  harness import-csv --rows "$IMPORT_ROWS" --out "$RUN/import.csv" > /dev/null
  mkdir -p "$RUN/import-data"
  IMPORT_DB_ARGS=()
  if [[ $PROVIDER == postgres ]]; then
    # Server databases are migrated by `migrate`, never on start (docs/databases.md).
    pg_migrate mharights_import "$RUN/import-data"
    IMPORT_DB_ARGS=(--Database:Provider=PostgreSql "--Database:ConnectionString=$(pg_conn mharights_import)")
  fi
  (cd "$TOOLS/server" && exec dotnet MhaRights.Server.dll --Server:Url="http://127.0.0.1:$SERVICE_PORT" \
    "${IMPORT_DB_ARGS[@]}" --Database:DataDirectory="$RUN/import-data" --Sweeper:Enabled=false) > "$RUN/import-server.log" 2>&1 &
  SERVICE_PID=$!
  wait_for "grep -q 'Now listening' '$RUN/import-server.log'" 120
  harness setup-key --address "http://127.0.0.1:$SERVICE_PORT" --bootstrap-key "$RUN/import-data/bootstrap-admin.key" --out "$RUN/import.key" > /dev/null
  START_NS=$(date +%s%N)
  if dotnet "$TOOLS/cli/mharights.dll" --address "http://127.0.0.1:$SERVICE_PORT" --api-key-file "$RUN/import.key" -o json \
       import "$RUN/import.csv" --no-progress > "$RUN/import.json" 2> "$RUN/import.err"; then
    SECONDS_TAKEN=$(awk -v s="$START_NS" -v e="$(date +%s%N)" 'BEGIN { printf "%.1f", (e - s) / 1e9 }')
    # import.txt: what was measured; the verdict; seconds for 100,000 rows; "measured" or "projected".
    awk -v rows="$IMPORT_ROWS" -v secs="$SECONDS_TAKEN" 'BEGIN {
      rate = rows / secs; full = 100000 / rate; how = (rows >= 100000 ? "measured" : "projected");
      if (how == "measured") printf "%d rows in %.1f s = %.0f rows/s (fresh database, 1,000-row batches)\n", rows, secs, rate;
      else printf "%d rows in %.1f s = %.0f rows/s (fresh database); 100,000 rows projected at that rate: %.0f s\n", rows, secs, rate, full;
      print (full <= 30 ? "met" : "**missed**") (how == "projected" ? " (projected)" : "");
      printf "%.1f\n%s\n", full, how }' > "$RUN/import.txt"
  else
    printf 'mharights import failed (exit %s): see import.err\n**failed**\n' "$?" > "$RUN/import.txt"
    FAILED=1
  fi
  stop_servers
else
  printf 'not measured: src/AdminCli has no working import command (%s)\nnot measured\n' "$(date -u +%Y-%m-%d)" > "$RUN/import.txt"
fi

# 6. Per-request round trips and time split (in-process, one request at a time), then back to the generated state.
REPORT_BIN=bench/ReportBenchmark/bin/Release/net10.0
if dotnet build bench/ReportBenchmark/ReportBenchmark.csproj -c Release -nologo -v q -clp:ErrorsOnly > "$RUN/report-build.log" 2>&1; then
  log "Compliance report over the dataset (1 warm-up, 3 timed runs, in-process service composition)"
  REPORT_DB_ARGS=(--database "$DB")
  [[ $PROVIDER == postgres ]] && REPORT_DB_ARGS=(--postgres "$(pg_conn mharights_run)")
  (cd "$REPORT_BIN" && exec dotnet MhaRights.ReportBenchmark.dll "${REPORT_DB_ARGS[@]}" --runs 3 --warmups 1) > "$RUN/report.log" 2>&1 || FAILED=1
  grep '^{' "$RUN/report.log" | tail -1 > "$RUN/report.json" || true
fi

# The diagnostics count round trips on the SQLite composition in-process; on PostgreSQL the loads alone are reported.
if [[ $PROVIDER == sqlite ]]; then
  log "Diagnostics"
  harness reset --db "$DB" > /dev/null
  harness diagnose --db "$DB" --requests "$([[ $MODE == quick ]] && echo 100 || echo 300)" --out "$RUN/diagnose.json" || FAILED=1
  harness reset --db "$DB" > /dev/null
fi

# 7. RESULTS.md
SQLITE_VERSION=$(grep -o 'SQLite [0-9.]*' "$RUN/reset.txt" | head -1 | cut -d' ' -f2)
json() { printf '%s' "$1" | sed 's/\\/\\\\/g; s/"/\\"/g'; }
cat > "$RUN/meta.json" <<EOF
{
  "mode": "$MODE", "run_dir": "bench/out/run-$STAMP", "reps": "$REPS", "duration": "$DURATION", "warmup": "$WARMUP",
  "started": "$STARTED", "finished": "$(date -u '+%Y-%m-%d %H:%M')",
  "commit": "$(git rev-parse --short HEAD)", "dirty": "$([[ -n $(git status --porcelain) ]] && echo true || echo false)",
  "cpu": "$(json "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)")", "nproc": "$(nproc)",
  "memory": "$(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)",
  "os": "$(json "$(. /etc/os-release && echo "$PRETTY_NAME")")", "kernel": "$(uname -r)", "dotnet": "$(dotnet --version)",
  "sqlite": "${SQLITE_VERSION:-unknown}", "loadavg_start": "$LOADAVG_START", "loadavg_end": "$(cut -d' ' -f1-3 /proc/loadavg)",
  "command": "$(json "bench/run.sh${ARGS:+ $ARGS}")", "service_port": "$SERVICE_PORT",
  "provider": "$PROVIDER", "postgres": "$(json "$POSTGRES_DESCRIPTION")",
  "server_idle_rss_kb": "$IDLE_RSS", "dataset_json": "$DB.json", "analysis": "$ROOT/bench/ANALYSIS.md"
}
EOF
harness report --run "$RUN" --out "$RESULTS"
log "Done: $RESULTS (raw results in $RUN)"
exit $FAILED
