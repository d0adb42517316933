#!/usr/bin/env bash
# `make fuzz` (and a step of `make test`): schemathesis over EVERY operation of our own OpenAPI
# document, as an anonymous caller and as each demo role, with positive and negative data
# (coverage and fuzzing phases) and stateful chains along inferred links.
#
# Per role: a fresh SQLite file and a fresh `serve --demo` on a free loopback port, a token from
# signing in, then schemathesis against that server. Each role has its own server, so what one
# role changes or destroys never reaches another. Only the administrator can take its own account
# away (deactivate itself, drop its own role); for it the run is split in two passes:
#   1. every operation except those (see DESTRUCTIVE);
#   2. those, after pass 1, so a deactivated administrator cannot turn the rest of its run into a
#      wall of 401s. For every other role they answer 403, and a password change or a logout
#      needs the current password or a refresh token, which the generated data never has.
# Both passes count: every operation is covered for every role.
#
# Checks: every schemathesis check that applies (not_a_server_error, status_code_conformance,
# content_type_conformance, response_schema_conformance, response_headers_conformance,
# negative_data_rejection, ignored_auth, unsupported_method, missing_required_header,
# use_after_free, ensure_resource_availability) except positive_data_acceptance; see
# scripts/fuzz.toml for why. The target is 0 failures of every check.
#
# Bounded: max-examples and max-steps in scripts/fuzz.toml, and FUZZ_BUDGET seconds for the whole
# step (default three per operation, at least 300; the step takes about 2 minutes on 2 free
# cores); a role that would overrun it is stopped and counted as a failure.
# Prints one line: `fuzz: N operations, N requests, N failures (check: n, …)`; exit 1 on failures.
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

# schemathesis 4.32.5 and its dependencies, pinned (`pip freeze` of a working install).
REQUIREMENTS=scripts/fuzz-requirements.txt
VENV="$ROOT/.venv-fuzz"
BIN="${CARGO_TARGET_DIR:-target}/debug/sanfang"
# Three seconds per operation of the API document (at least 300), so that every operation is
# still covered as the API grows.
OPERATIONS=$(python3 -c 'import json; d = json.load(open("openapi.json")); print(sum(len([m for m in p if m in ("get", "post", "put", "patch", "delete")]) for p in d["paths"].values()))')
BUDGET=${FUZZ_BUDGET:-$((OPERATIONS * 3 > 300 ? OPERATIONS * 3 : 300))}
# The two longest runs (see FULL_COVERAGE) first, so they overlap.
ROLES=(admin owner001 anonymous secretary staff property committee member)
PASSWORD=sanfang-demo
# Streams stay open while their client listens: schemathesis would wait out its request timeout
# on every case. The live meeting's refusals are checked route by route in tests/api/isolation.rs
# and tests/api/matrix.rs, and its events in tests/api/meetings_live.rs.
STREAMS=("GET /api/v1/meetings/{id}/live")
# Operations with which the administrator can end its own session or take its roles away.
DESTRUCTIVE=(
  "PATCH /api/v1/users/{id}"                       # an administrator may deactivate itself
  "DELETE /api/v1/memberships/{id}"                # … or drop its own administrator role
  "POST /api/v1/users/{id}/memberships"            # … or its roles, or other users' roles
  "DELETE /api/v1/holders/{id}/links/{user_id}"    # unlinks an owner from the units it votes for
  "POST /api/v1/me/password"                       # a new password (the token stays valid)
  "POST /api/v1/auth/logout"
)

WORK=$(mktemp -d)
# FUZZ_REPORTS=DIR keeps the JSON and NDJSON reports (and the logs beside them) for a closer look.
REPORTS=$(realpath -m "${FUZZ_REPORTS:-$WORK/reports}")
cleanup() {
  # Each role's subshell stops its own server on exit; stop the subshells still running.
  for p in $(jobs -p); do kill "$p" 2>/dev/null; done
  for f in "$WORK"/*.pid; do [ -f "$f" ] && kill "$(cat "$f")" 2>/dev/null; done
  wait
  rm -rf "$WORK"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }

# A virtualenv inside the repository with the pinned schemathesis, (re)made when the pins change;
# pip's own cache is the only thing kept outside.
if ! cmp -s "$REQUIREMENTS" "$VENV/installed-requirements.txt"; then
  echo "installing schemathesis into .venv-fuzz"
  rm -rf "$VENV"
  python3 -m venv "$VENV" || exit 1
  "$VENV/bin/pip" install --quiet --disable-pip-version-check -r "$REQUIREMENTS" || exit 1
  cp "$REQUIREMENTS" "$VENV/installed-requirements.txt"
fi
ST="$VENV/bin/schemathesis"

if [ -z "${FUZZ_NO_BUILD:-}" ]; then
  cargo build --locked --quiet || exit 1
fi

# The coverage phase (every case the schema defines: boundaries, wrong types, missing fields,
# values out of range, unexpected methods) for the administrator, who reaches every handler, and
# for an owner; the extractors reject malformed requests the same way for every signed-in caller,
# so the other roles run the fuzzing phase (valid and invalid data) and the stateful phase only.
# Keeps the step inside its budget.
FULL_COVERAGE=" admin owner001 "
cp scripts/fuzz.toml "$WORK/full.toml"
sed 's/^\[phases\.coverage\]$/&\nenabled = false/' scripts/fuzz.toml >"$WORK/lean.toml"

# One role: a fresh database and server, a token, the two passes. Runs in a subshell of its own.
run_role() {
  local role=$1 port base tok rc left config
  port=$(free_port)
  base="http://127.0.0.1:$port"
  DATABASE_URL="sqlite://$WORK/$role.db?mode=rwc" "$BIN" serve --demo --addr "127.0.0.1:$port" \
    >"$WORK/$role.server.log" 2>&1 &
  server_pid=$!
  echo "$server_pid" >"$WORK/$role.pid"
  trap 'kill "$server_pid" 2>/dev/null' EXIT
  for _ in $(seq 1 150); do curl -fs "$base/api/v1/health" >/dev/null && break; sleep 0.2; done
  if ! curl -fs "$base/api/v1/health" >/dev/null; then
    echo "fuzz: the server for $role did not start"; tail -20 "$WORK/$role.server.log"; return 1
  fi
  local auth=()
  if [ "$role" != anonymous ]; then
    tok=$(curl -fs -X POST -H 'content-type: application/json' \
      -d "{\"login\":\"$role\",\"password\":\"$PASSWORD\"}" "$base/api/v1/auth/login" |
      python3 -c 'import json,sys;print(json.load(sys.stdin)["access_token"])') ||
      { echo "fuzz: cannot sign in as $role"; return 1; }
    auth=(-H "Authorization: Bearer $tok")
  fi
  config="$WORK/lean.toml"
  [[ "$FULL_COVERAGE" == *" $role "* ]] && config="$WORK/full.toml"
  local status=0 pass name filter
  local passes=(all)
  [ "$role" = admin ] && passes=(main destructive)
  for pass in "${passes[@]}"; do
    filter=()
    for name in "${STREAMS[@]}"; do filter+=(--exclude-name "$name"); done
    for name in "${DESTRUCTIVE[@]}"; do
      [ "$pass" = all ] && break
      if [ "$pass" = main ]; then filter+=(--exclude-name "$name"); else filter+=(--include-name "$name"); fi
    done
    left=$((DEADLINE - SECONDS))
    [ "$left" -gt 5 ] || { echo "fuzz: time budget spent before $role ($pass)"; return 1; }
    # Run from a scratch directory: schemathesis keeps a cache of crashes in `.schemathesis/` there.
    mkdir -p "$WORK/$role-$pass"
    (cd "$WORK/$role-$pass" && timeout --kill-after=5 "$left" "$ST" --config-file "$config" run \
      "$base/api/v1/openapi.json" "${auth[@]}" "${filter[@]}" --report json,ndjson \
      --report-dir "$REPORTS/$role-$pass" --no-color >"$REPORTS/$role-$pass.log" 2>&1)
    rc=$?
    if [ "$rc" -ge 124 ]; then
      echo "fuzz: $role ($pass) overran the time budget"; status=1
    elif [ "$rc" -ne 0 ]; then
      echo "fuzz: failures as $role ($pass pass):"
      sed -n '/^=* FAILURES =*$/,/^=* WARNINGS =*$/p' "$REPORTS/$role-$pass.log" | grep -v '^ *$' | head -n 300
    fi
  done
  if grep -q "panicked\|internal error" "$WORK/$role.server.log"; then
    echo "fuzz: the server logged a panic or an internal error as $role:"
    grep -m 5 "panicked\|internal error" "$WORK/$role.server.log"
  fi
  return $status
}

mkdir -p "$REPORTS"
"$BIN" openapi >"$REPORTS/openapi.json" || exit 1
DEADLINE=$((SECONDS + BUDGET))
export DEADLINE
# Two roles at a time: each is one Python process and one server, so two keep both cores busy.
errors=0
pids=()
for role in "${ROLES[@]}"; do
  if [ "${#pids[@]}" -ge 2 ]; then
    wait -n "${pids[@]}" || errors=$((errors + 1))
    alive=()
    for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null && alive+=("$p"); done
    pids=("${alive[@]}")
  fi
  echo "fuzz: $role"
  ( run_role "$role" >"$WORK/$role.out" 2>&1 ) &
  pids+=($!)
done
for p in "${pids[@]}"; do wait "$p" || errors=$((errors + 1)); done
for role in "${ROLES[@]}"; do cat "$WORK/$role.out"; done
echo "fuzz: $((SECONDS)) s"

FUZZ_LEFT_OUT=$(printf '%s\n' "${STREAMS[@]}") python3 scripts/fuzz_summary.py "$REPORTS" "$errors"
