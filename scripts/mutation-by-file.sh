#!/bin/bash
# Stryker file by file: scripts/mutation-by-file.sh [file...] (default: every file of src/rules and src/replay).
# One JSON report per file in reports/mutation/files/ and an incremental file each, so a stopped run keeps what
# finished and a rerun retests only what changed. Runs niced: the machine is usually shared.
set -u
cd "$(dirname "$0")/.."
files=("$@")
[ ${#files[@]} -eq 0 ] && mapfile -t files < <(ls src/rules/*.ts src/rules/*/*.ts src/replay/*.ts | grep -v '/types\.ts$')
mkdir -p reports/mutation/logs
for f in "${files[@]}"; do
  name=$(echo "$f" | sed 's#^src/##; s#\.ts$##; s#/#_#g')
  start=$(date +%s)
  STRYKER_NAME=$name nice -n 10 npx stryker run stryker.config.mjs --mutate "$f" > "reports/mutation/logs/$name.log" 2>&1
  echo "$f: exit $?, $(( $(date +%s) - start )) s"
done
