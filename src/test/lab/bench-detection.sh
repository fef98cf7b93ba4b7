#!/usr/bin/env bash
# Detection-latency benchmark on real calls (see DetectionLatencyBenchmark): the lab Asterisk, SIPp callers,
# a node on PostgreSQL. Usage: src/test/lab/bench-detection.sh [CALLS=200] [RATE=4]
set -euo pipefail
cd "$(dirname "$0")/../../.."
./mvnw -q -B -DskipTests test-compile dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test
exec java -cp "target/test-classes:target/classes:$(cat target/test-classpath.txt)" switchboard.pbx.DetectionLatencyBenchmark "${1:-200}" "${2:-4}"
