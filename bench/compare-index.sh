#!/usr/bin/env bash
# Search latency and upsert rate of the Lucene backend, this checkout against a baseline revision,
# interleaved (baseline, current, baseline, current, ...) so that both see the same noisy machine.
# Each round runs `sluice bench index` once per build on a new 100k-point index built from SciFact
# MiniLM embeddings (cached in WORK between runs); medians per build are printed at the end.
#
#   bench/compare-index.sh BASELINE_REV ROUNDS CORPUS
#   e.g. bench/compare-index.sh 0c01707 3 scifact/corpus.jsonl   # before staged points vs now (BEIR SciFact corpus)
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BASE_REV=${1:?usage: bench/compare-index.sh BASELINE_REV ROUNDS CORPUS (a BEIR corpus.jsonl)}
ROUNDS=${2:?usage: bench/compare-index.sh BASELINE_REV ROUNDS CORPUS}
CORPUS=$(cd "$(dirname "${3:?usage: bench/compare-index.sh BASELINE_REV ROUNDS CORPUS}")" && pwd)/$(basename "$3")
WORK=${WORK:-$(mktemp -d -t sluice-compare-index.XXXX)}
source "$ROOT/.ci/find-jdk.sh"

build() {  # build DIR: the CLI jar with its lib/ (package only, so ~/.m2 keeps this checkout's artifacts)
  (cd "$1" && ./mvnw -q -B -o -Dquick -DskipTests package -pl cli -am) >&2
}
if [ ! -d "$WORK/baseline" ]; then
  git -C "$ROOT" worktree add -f --detach "$WORK/baseline" "$BASE_REV" >&2
fi
build "$WORK/baseline"
build "$ROOT"

run() {  # run DIR LABEL ROUND
  "$JAVA_HOME/bin/java" -Xmx1g -XX:+UseG1GC --enable-native-access=ALL-UNNAMED --add-modules jdk.incubator.vector \
    -jar "$1/cli/target/sluice.jar" bench index --corpus "$CORPUS" --runs 1 --work-dir "$WORK/data" --json 2>>"$WORK/bench.log" \
    | tail -1 | sed "s/^/{\"build\":\"$2\",\"round\":$3,\"result\":/; s/$/}/" | tee -a "$WORK/results.jsonl"
}
for round in $(seq 1 "$ROUNDS"); do
  run "$WORK/baseline" baseline "$round"
  run "$ROOT" current "$round"
done
python3 - "$WORK/results.jsonl" <<'PY'
import json, statistics, sys
rows = [json.loads(line) for line in open(sys.argv[1])]
for build in ("baseline", "current"):
    r = [x["result"] for x in rows if x["build"] == build]
    med = lambda f: statistics.median(f(x) for x in r)
    print(f"{build:9s} n={len(r)} upsert {med(lambda x: x['upsertPointsPerSecond']):,.0f} pts/s  "
          f"dense p50/p99 {med(lambda x: x['dense']['p50Ms']):.2f}/{med(lambda x: x['dense']['p99Ms']):.2f} ms  "
          f"hybrid p50/p99 {med(lambda x: x['hybrid']['p50Ms']):.2f}/{med(lambda x: x['hybrid']['p99Ms']):.2f} ms  "
          f"recall@10 {med(lambda x: x['recallAt10']):.3f}")
PY
