#!/usr/bin/env bash
# The loadtest series quoted in docs/benchmarks.md: `loadtest` against the built-in simulator on PostgreSQL, one
# fresh database per run, each rate for DURATION seconds; reports (txt/json/html) in OUT/<rate>/.
#
#   bench-loadtest.sh [DURATION] [RATE ...]        default: 120 s at 50 100 200 calls/s, profile peak-season
#
# Env: PROFILE (peak-season), OUT (/tmp/switchboard-bench-loadtest), PGHOST/PGPORT/PGUSER (127.0.0.1/5432/postgres),
# EXTRA (more loadtest options, e.g. "--cut-ami-every 20 --restart-node-at 60").
set -euo pipefail
cd "$(dirname "$0")/../../.."
duration=${1:-120}
shift || true
rates=("$@")
[[ ${#rates[@]} -gt 0 ]] || rates=(50 100 200)
OUT=${OUT:-/tmp/switchboard-bench-loadtest}
PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-postgres}
[[ -f target/switchboard.jar ]] || ./mvnw -B -q -DskipTests package
for rate in "${rates[@]}"; do
  db=switchboard_bench_lt_$rate
  psql -q -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
  mkdir -p "$OUT/$rate"
  echo "== $rate calls/s for $duration s (profile ${PROFILE:-peak-season}) ${EXTRA:-}"
  # shellcheck disable=SC2086
  SWITCHBOARD_DB_URL="jdbc:postgresql://$PGHOST:$PGPORT/$db?reWriteBatchedInserts=true" SWITCHBOARD_DB_USER=$PGUSER \
    SWITCHBOARD_HTTP_PORT=0 SWITCHBOARD_CLUSTER_PORT=0 \
    java -jar target/switchboard.jar loadtest --rate "$rate" --duration "$duration" --profile "${PROFILE:-peak-season}" \
      --report-dir "$OUT/$rate" ${EXTRA:-} | tr '\r' '\n' | grep -v '^\[' || true
  psql -q -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -d postgres -c "DROP DATABASE IF EXISTS $db"
done
