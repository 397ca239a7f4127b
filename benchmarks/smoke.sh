#!/usr/bin/env bash
# Smoke mode of the JMH benchmarks: proves that every benchmark still builds, sets up, runs and passes its
# own validity checks (closed circuits stay closed, open ones open). One 100 ms iteration each, in one JVM:
# not a measurement. Then the timed hand-off in turns (HandOffPaired) for one second in one fork, every side
# of it. Exits non-zero if any of them fails. About 25 s after the build.
#
#   benchmarks/smoke.sh              build (mvn -o package of benchmarks and what it needs), then run
#   benchmarks/smoke.sh --no-build   run the jar already built
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "${1:-}" != "--no-build" ]; then
  mvn -B -q -pl benchmarks -am package -DskipTests
fi
java -jar benchmarks/target/benchmarks.jar -f 0 -wi 0 -i 1 -r 100ms -foe true \
  -rf json -rff benchmarks/target/smoke.json
java -cp benchmarks/target/benchmarks.jar dev.levee.benchmarks.HandOffPaired --forks 1 --warmup 1 --seconds 1 --bisect
