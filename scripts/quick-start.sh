#!/usr/bin/env bash
# The README's Quick start, literally, on a fresh clone with an empty npm cache: `npm ci && npm
# start` in one terminal, then the CLI as the README gives it (`npm run cli -- ...`) in another.
# Slow (npm ci downloads everything and compiles better-sqlite3, about 2 minutes): .ci/run runs
# it, `npm test` does not. Usage: scripts/quick-start.sh [REPO] (default: this checkout's HEAD).
set -euo pipefail

repo="${1:-$(cd "$(dirname "$0")/.." && pwd)}"
work="$(mktemp -d)"
relay_pid=""
cleanup() {
  # `npm start` runs under setsid: its whole process group goes, the relay with it.
  if [ -n "$relay_pid" ]; then kill -TERM -- "-$relay_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
fail() {
  echo "quick-start: FAILED: $*" >&2
  echo "--- relay output:" >&2
  cat "$work/relay.log" >&2 || true
  exit 1
}

git clone -q "$repo" "$work/enx-relay"
cd "$work/enx-relay"
# An empty npm cache: nothing from earlier installs (npx's cache among them) can help or hide.
export npm_config_cache="$work/npm-cache"
# A free port: other relays may run on this machine. Both the relay and `send` read RELAY_PORT.
RELAY_PORT="$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")"
export RELAY_PORT RELAY_HOST=127.0.0.1

started=$(date +%s)
# Terminal 1: the Quick start's first command.
setsid bash -c 'npm ci --no-audit --no-fund && npm start' >"$work/relay.log" 2>&1 &
relay_pid=$!
for _ in $(seq 1 600); do
  grep -q 'enx-relay listening' "$work/relay.log" 2>/dev/null && break
  kill -0 "$relay_pid" 2>/dev/null || fail "npm ci && npm start exited before listening"
  sleep 1
done
grep -q 'enx-relay listening' "$work/relay.log" || fail "the relay did not listen within 10 minutes"
echo "quick-start: npm ci && npm start listening after $(( $(date +%s) - started )) s"

# Terminal 2: the README's CLI invocation.
out="$(npm run -s cli -- --version)" || fail "npm run cli -- --version"
[ "$out" = "$(node -p "require('./package.json').version")" ] || fail "--version printed: $out"
out="$(npm run cli -- send --example recording)" || fail "npm run cli -- send --example recording: $out"
echo "$out" | grep -q '^200 {.*"duplicate":false' || fail "send did not get a 200: $out"
id="$(echo "$out" | sed -n 's/^200 {"id":"\([^"]*\)".*/\1/p')"
for _ in $(seq 1 30); do
  events="$(npm run -s cli -- events --json)" || fail "npm run -s cli -- events --json"
  echo "$events" | node -e "const e=JSON.parse(require('fs').readFileSync(0,'utf8')).find(e=>e.id==='$id'); process.exit(e && e.deliveries.every(d=>d.status==='delivered')?0:1)" && break
  sleep 1
done || fail "event $id was not delivered: $events"
grep -q "^{.*\"destination\":\"console\".*$id" "$work/relay.log" || fail "the console destination did not print event $id as a JSON line"
# The bin is linked when npm installs the package (npx): it must exist before any build.
npx --yes enx-relay --version >/dev/null || fail "npx enx-relay --version"
echo "quick-start: OK in $(( $(date +%s) - started )) s (event $id delivered)"
