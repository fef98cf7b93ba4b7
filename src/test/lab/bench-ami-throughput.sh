#!/usr/bin/env bash
# AMI throughput benchmark (see AmiThroughputBenchmark): a recorded real-Asterisk transcript replayed through
# a bare Asterisk-Java listener and through the whole Switchboard pipeline. Usage: bench-ami-throughput.sh [CALLS=3000]
set -euo pipefail
cd "$(dirname "$0")/../../.."
./mvnw -q -B -DskipTests test-compile dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test
exec java -cp "target/test-classes:target/classes:$(cat target/test-classpath.txt)" switchboard.pbx.AmiThroughputBenchmark "${1:-3000}"
