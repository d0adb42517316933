#!/usr/bin/env bash
# `make test`: every check, in order, ending with one summary line.
#   fmt · clippy (with the shape of src/ checked by tests/layers.rs) · Rust tests on SQLite ·
#   the same on a throw-away PostgreSQL · duplicate code · API types in sync · SPA type-check, unit tests and build · browser tests against the binary ·
#   the page weight of the owner's pages (e2e/budget.mjs) · the accessibility sweep of every route (e2e/sweep.mjs) ·
#   API fuzzing (scripts/fuzz.sh); the trust checks' figure lines (matrix, fields, races, bad
#   input, fuzzing) are repeated before the total
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
BIN="${CARGO_TARGET_DIR:-target}/debug/sanfang"
WORK=$(mktemp -d)
passed=0; failed=0; steps_failed=()
PG_DIR=""; SERVER_PID=""

cleanup() {
  [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null
  [ -n "$PG_DIR" ] && scripts/pg.sh stop "$PG_DIR"
  rm -rf "$WORK" "$PG_DIR"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }

step() { echo; echo "==> $*"; }
fail() { steps_failed+=("$1"); }

# The figure lines the trust checks print (role x tenant matrix, foreign fields, races, bad input),
# prefixed with the database they ran on.
FIGURES="$WORK/figures.txt"
figures() {
  grep -aoE '(matrix|fields|races|bad input|limits): .*' "$1" | sed "s/^/[$2] /" | tee -a "$FIGURES"
}

# Add up cargo's "test result: ok. N passed; M failed" lines from a log.
count_cargo() {
  read -r p f < <(awk '/^test result:/ { for (i = 1; i <= NF; i++) { if ($(i+1) ~ /^passed/) p += $i; if ($(i+1) ~ /^failed/) f += $i } }
                       END { print p + 0, f + 0 }' "$1")
  passed=$((passed + p)); failed=$((failed + f))
}

step "tools"
scripts/ensure-tools.sh || fail tools

step "cargo fmt --check"
cargo fmt --all -- --check || fail fmt

step "cargo clippy"
cargo clippy --all-targets --locked -- -D warnings || fail clippy

step "Rust tests on SQLite"
cargo test --locked 2>&1 | tee "$WORK/sqlite.log"
[ "${PIPESTATUS[0]}" -eq 0 ] || fail "rust-sqlite"
count_cargo "$WORK/sqlite.log"
figures "$WORK/sqlite.log" sqlite

step "Rust tests on PostgreSQL"
PG_DIR=$(mktemp -d)
if PG_URL=$(scripts/pg.sh start "$PG_DIR" "$(free_port)"); then
  DATABASE_URL=$PG_URL cargo test --locked --test api 2>&1 | tee "$WORK/pg.log"
  [ "${PIPESTATUS[0]}" -eq 0 ] || fail "rust-postgres"
  count_cargo "$WORK/pg.log"
  figures "$WORK/pg.log" postgres
else
  fail "postgres-start"
fi

step "SPA dependencies"
(cd frontend && npm ci --no-audit --no-fund --loglevel=error) || fail "npm-ci"

step "Duplicate code in src/ (jscpd, 6 lines or more; entities and migrations excepted)"
frontend/node_modules/.bin/jscpd --config .jscpd.json --silent || { frontend/node_modules/.bin/jscpd --config .jscpd.json; fail duplicates; }

step "Duplicate code in frontend/src (jscpd, 6 lines or more; generated files and locales excepted)"
frontend/node_modules/.bin/jscpd --config frontend/.jscpd.json --silent || { frontend/node_modules/.bin/jscpd --config frontend/.jscpd.json; fail duplicates-spa; }

step "API types match the server's OpenAPI document"
"$BIN" openapi > "$WORK/openapi.json" || fail openapi
if ! diff -q "$WORK/openapi.json" openapi.json >/dev/null; then
  echo "openapi.json is stale: run 'make api-types'"; fail "openapi-stale"
fi
(cd frontend && node_modules/.bin/openapi-typescript "$WORK/openapi.json" -o "$WORK/schema.d.ts" >/dev/null) || fail "openapi-typescript"
if ! diff -q "$WORK/schema.d.ts" frontend/src/api/schema.d.ts >/dev/null; then
  echo "frontend/src/api/schema.d.ts differs from the server's document: run 'make api-types'"; fail "api-types-stale"
fi

step "SPA type-check, unit tests, build"
(cd frontend && node_modules/.bin/vue-tsc -b) || fail typecheck
(cd frontend && node_modules/.bin/vitest run --reporter=default --reporter=json --outputFile="$WORK/vitest.json") || fail vitest
if [ -f "$WORK/vitest.json" ]; then
  read -r vp vf < <(node -e 'const r=require(process.argv[1]);console.log(r.numPassedTests, r.numFailedTests)' "$WORK/vitest.json")
  passed=$((passed + vp)); failed=$((failed + vf))
fi
(cd frontend && node_modules/.bin/vite build --logLevel warn) || fail "spa-build"

step "Browser tests against the server binary"
PORT=$(free_port)
SANFANG_STATIC_DIR="$ROOT/frontend/dist" DATABASE_URL="sqlite://$WORK/e2e.db?mode=rwc" \
  "$BIN" serve --demo --addr "127.0.0.1:$PORT" >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$PORT/api/v1/health" >/dev/null && break; sleep 0.2; done
(cd frontend && BASE_URL="http://127.0.0.1:$PORT" node e2e/run.mjs) 2>&1 | tee "$WORK/e2e.log"
[ "${PIPESTATUS[0]}" -eq 0 ] || { fail e2e; tail -20 "$WORK/server.log"; }
if line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$WORK/e2e.log" | tail -n 1); then
  passed=$((passed + $(echo "$line" | cut -d' ' -f1))); failed=$((failed + $(echo "$line" | cut -d' ' -f3)))
fi

step "Page weight: the vote, questionnaire and concern pages, cold, on a slow phone line"
(cd frontend && BASE_URL="http://127.0.0.1:$PORT" node e2e/budget.mjs) 2>&1 | tee "$WORK/budget.log"
[ "${PIPESTATUS[0]}" -eq 0 ] || fail budget
if line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$WORK/budget.log" | tail -n 1); then
  passed=$((passed + $(echo "$line" | cut -d' ' -f1))); failed=$((failed + $(echo "$line" | cut -d' ' -f3)))
fi

step "Accessibility sweep: every route in Chinese, English, large text and both"
(cd frontend && BASE_URL="http://127.0.0.1:$PORT" node e2e/sweep.mjs) 2>&1 | tee "$WORK/a11y.log"
[ "${PIPESTATUS[0]}" -eq 0 ] || fail a11y
if line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$WORK/a11y.log" | tail -n 1); then
  passed=$((passed + $(echo "$line" | cut -d' ' -f1))); failed=$((failed + $(echo "$line" | cut -d' ' -f3)))
fi

step "API fuzzing: schemathesis over every operation as every demo role"
# Its figure line ("fuzz: N operations, N requests, N failures (…)") counts as one passed or
# failed check; the debug binary is already built by the Rust tests above.
FUZZ_NO_BUILD=1 scripts/fuzz.sh 2>&1 | tee "$WORK/fuzz.log"
if [ "${PIPESTATUS[0]}" -eq 0 ]; then passed=$((passed + 1)); else fail fuzz; failed=$((failed + 1)); fi
grep -E '^fuzz:' "$WORK/fuzz.log" | tail -n 1 >>"$FIGURES"

echo
if [ -s "$FIGURES" ]; then
  echo "figures:"; sed 's/^/  /' "$FIGURES"
fi
if [ ${#steps_failed[@]} -gt 0 ]; then
  echo "failed steps: ${steps_failed[*]}"
  [ "$failed" -eq 0 ] && failed=${#steps_failed[@]}
fi
echo "total: $passed passed, $failed failed"
[ ${#steps_failed[@]} -eq 0 ]
