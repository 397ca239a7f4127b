#!/usr/bin/env bash
# The headline measurement of issue 15: Levee and its peers in the same JMH run, 5 forks each, on JDK 17 and
# JDK 25, then Summary's per-fork table (min / median / max of the fork means, B/op per fork, and each Levee
# benchmark's median and worst fork divided by its peers'), then the timed hand-off in turns (HandOffPaired:
# Levee and TimeLimiter called alternately in the same JVMs, 5 forks). About 11 minutes per JDK; run it on a quiet machine
# (check `uptime` first: the load average of a 2-core machine should be well under 1). Not part of CI.
#
#   benchmarks/headline.sh                 build the jar, then run on JDK 17 and JDK 25
#   benchmarks/headline.sh --no-build      use the jar already built
#   benchmarks/headline.sh --jdk 17|25     one JDK only
#   FORKS=8 benchmarks/headline.sh         more forks (default 5)
#
# JDK 17 is the `java` on the PATH (or $JDK17_HOME); JDK 25 is $JDK25_HOME, by default
# /usr/lib/jvm/temurin-25-jdk-amd64. JSON results go to benchmarks/results/headline-<date>[-<run>]-jdk<N>.json,
# the hand-off table to benchmarks/results/handoff-<date>[-<run>]-jdk<N>.md.
set -euo pipefail
cd "$(dirname "$0")/.."

build=1
jdks="17 25"
while [ $# -gt 0 ]; do
  case "$1" in
    --no-build) build=0 ;;
    --jdk) shift; jdks="$1" ;;
    *) echo "unknown argument: $1 (allowed: --no-build, --jdk 17|25)" >&2; exit 2 ;;
  esac
  shift
done
forks="${FORKS:-5}"
jdk17="${JDK17_HOME:+$JDK17_HOME/bin/}java"
jdk25="${JDK25_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"

# The success path on one thread (Simple and Prometheus registries; profiles polluted as an application's;
# resilience4j time window and defaults; Levee's full stack without meters, as Failsafe's records none), on two
# threads sharing one upstream, and the timed hand-off beside two controls of resilience4j's (its task executed
# rather than submitted; ~100 ns of work in its task), which show how much the virtual-thread scheduler alone
# moves a hand-off.
headline='SuccessPathT1\.(leveeFull|leveeFullPolluted|leveeFullPrometheus|leveeFullNoMeters|r4jFull|r4jFullDefaults|r4jFullPrometheus|failsafeFull)$|SuccessPathT2\.(leveeFull|r4jFull|failsafeFull)$|TimedCall\.(leveeEnforced|r4jTimeLimiter|r4jTimeLimiterExecute|r4jTimeLimiterWorkInside)$'

if [ "$build" = 1 ]; then
  mvn -B -q -pl benchmarks -am package -DskipTests
fi
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
# One tag for every JDK of the run, even one that crosses midnight: the date, and -2, -3, ... for a later run
# of the same day, so no run overwrites an earlier one's results.
day="$(date +%F)"
tag="$day"
n=2
while compgen -G "benchmarks/results/headline-$tag-jdk*.json" >/dev/null; do
  tag="$day-$n"
  n=$((n + 1))
done
for v in $jdks; do
  case "$v" in
    17) java="$jdk17" ;;
    25) java="$jdk25" ;;
    *) echo "unknown JDK $v (allowed: 17, 25)" >&2; exit 2 ;;
  esac
  if ! "$java" -version >/dev/null 2>&1; then
    echo "== JDK $v not found ($java); skipped" >&2
    continue
  fi
  out="benchmarks/results/headline-$tag-jdk$v.json"
  echo "== $("$java" -version 2>&1 | head -n 1): $forks forks, results in $out"
  "$java" -jar benchmarks/target/benchmarks.jar "$headline" -f "$forks" -wi 3 -w 1s -i 4 -r 1s -prof gc \
    -rf json -rff "$out" > "benchmarks/target/headline-jdk$v.log"
  "$java" -cp benchmarks/target/benchmarks.jar dev.levee.benchmarks.Summary --spread "$out"
  "$java" -cp benchmarks/target/benchmarks.jar dev.levee.benchmarks.HandOffPaired --forks "$forks" \
    | tee "benchmarks/results/handoff-$tag-jdk$v.md"
done
