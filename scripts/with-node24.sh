#!/usr/bin/env bash
# Runs a command on Node.js 24 LTS, whatever Node.js the machine has: installs the npm registry's
# `node@24` package (a real Node binary) and the pinned pnpm into .tools/ (git-ignored) once, puts
# them first on PATH, then runs the command. Everything it starts (pnpm, tsc, ava, the wharf
# processes the tests spawn) therefore runs on Node 24.
#   bash scripts/with-node24.sh pnpm install
#   bash scripts/with-node24.sh pnpm test
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tools="$root/.tools"
bin="$tools/node_modules/.bin"
NODE_MAJOR=24
PNPM_VERSION=12.4.2

current() { "$bin/node" --version 2>/dev/null | grep -q "^v$NODE_MAJOR\." && [ "$("$bin/pnpm" --version 2>/dev/null)" = "$PNPM_VERSION" ]; }

if ! current; then
  echo "Installing Node.js $NODE_MAJOR and pnpm $PNPM_VERSION into .tools/ (from the npm registry)..." >&2
  mkdir -p "$tools"
  [ -f "$tools/package.json" ] || echo '{ "private": true }' > "$tools/package.json"
  npm install --prefix "$tools" --no-audit --no-fund --loglevel=error "node@$NODE_MAJOR" "pnpm@$PNPM_VERSION" >&2
  current || { echo "with-node24.sh: .tools/ has no working Node.js $NODE_MAJOR and pnpm $PNPM_VERSION" >&2; exit 1; }
fi
export PATH="$bin:$PATH"
exec "$@"
