#!/usr/bin/env bash
# Records what production runs on, for an audit where npm's advisory endpoint can be reached:
#   .ci/dependency-tree.sh record [DIR]   writes DIR (default test-artifacts/dependencies/):
#       tree.txt (npm ls --omit=dev --all), tree.json, package.json and package-lock.json;
#       then tries `npm audit` once, briefly: when the endpoint is unreachable it says so and
#       exits 0 (CI machines may be offline); a reachable endpoint that reports a high or
#       critical advisory fails the step.
#   .ci/dependency-tree.sh audit DIR      on a machine that can reach the endpoint: audits the
#       recorded lockfile (no install, no node_modules needed) and fails on high or critical.
set -euo pipefail
cd "$(dirname "$0")/.."

mode=${1:-record}
dir=${2:-test-artifacts/dependencies}
TIMEOUT_SECONDS=${AUDIT_TIMEOUT_SECONDS:-20}

audit_lockfile() {
  # $1: a folder holding package.json and package-lock.json. Exit codes: 0 clean, 1 advisories, 2 unreachable.
  local out rc=0
  out=$(cd "$1" && timeout "$TIMEOUT_SECONDS" npm audit --omit=dev --package-lock-only --audit-level=high --fetch-retries=0 --fetch-timeout=$((TIMEOUT_SECONDS * 1000)) 2>&1) || rc=$?
  if [ "$rc" -eq 0 ]; then
    printf '%s\n' "$out" | tail -n 3
    return 0
  fi
  if printf '%s' "$out" | grep -qiE 'ENOTFOUND|ECONNREFUSED|ETIMEDOUT|EAI_AGAIN|ENETUNREACH|audit endpoint returned an error|request to .* failed|network' || [ "$rc" -eq 124 ]; then
    return 2
  fi
  printf '%s\n' "$out"
  return 1
}

case "$mode" in
  record)
    mkdir -p "$dir"
    # npm ls exits non-zero on an extraneous or missing package: record the tree anyway, and say so.
    npm ls --omit=dev --all >"$dir/tree.txt" 2>"$dir/tree.err" || echo "npm ls reported problems: see $dir/tree.err"
    npm ls --omit=dev --all --json >"$dir/tree.json" 2>/dev/null || true
    cp package.json package-lock.json "$dir/"
    echo "dependency tree recorded in $dir ($(grep -c . "$dir/tree.txt") lines)"
    rc=0
    audit_lockfile "$dir" || rc=$?
    case "$rc" in
      0) echo "npm audit: no high or critical advisory" ;;
      2) echo "npm audit: advisory endpoint unreachable from here; audit the recorded tree where it is reachable: .ci/dependency-tree.sh audit $dir" ;;
      *) echo "npm audit: high or critical advisories (above)"; exit 1 ;;
    esac
    ;;
  audit)
    [ -f "$dir/package-lock.json" ] || { echo "no package-lock.json in $dir: record it first (.ci/dependency-tree.sh record)"; exit 2; }
    rc=0
    audit_lockfile "$dir" || rc=$?
    case "$rc" in
      0) echo "npm audit: no high or critical advisory" ;;
      2) echo "npm audit: advisory endpoint unreachable: run this where https://registry.npmjs.org is reachable"; exit 2 ;;
      *) exit 1 ;;
    esac
    ;;
  *)
    echo "usage: .ci/dependency-tree.sh record [DIR] | audit DIR"; exit 2 ;;
esac
