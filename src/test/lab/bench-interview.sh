#!/usr/bin/env bash
# The interview benchmark (switchboard.pbx.InterviewBenchmark): CALLERS (default 50) interviews at once over FastAGI
# against the lab's real Asterisk, node on PostgreSQL; prints the AGI-side response time p50/p90/p99/max.
set -euo pipefail
cd "$(dirname "$0")/../../.."
./mvnw -q -B -DskipTests test-compile dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test
exec java -cp "target/test-classes:target/classes:$(cat target/test-classpath.txt)" switchboard.pbx.InterviewBenchmark "${1:-50}"
