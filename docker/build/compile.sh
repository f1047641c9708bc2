#!/usr/bin/env bash
# Compiles entry points, and every file they import, from TypeScript to CommonJS in OUT_DIR,
# laid out as the images run them: OUT_DIR/services/<name>/src/main.js, OUT_DIR/libs/...,
# OUT_DIR/scripts/migrate.js. The @rpm/* path aliases become small forwarding packages in
# OUT_DIR/node_modules/@rpm/*, so plain `node` resolves them (no ts-node, no tsconfig-paths).
# Type errors fail the build (noEmitOnError).
#
#   docker/build/compile.sh OUT_DIR services/vitals-store/src/main.ts [more entries...]
set -euo pipefail
[ "$#" -ge 2 ] || { echo "usage: $0 OUT_DIR ENTRY.ts [ENTRY.ts...]" >&2; exit 2; }
root="$(cd "$(dirname "$0")/../.." && pwd)"
out="$1"; shift
mkdir -p "$out"
out="$(cd "$out" && pwd)"
files=""
for entry in "$@"; do files="$files${files:+, }\"$root/$entry\""; done

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
cat >"$tmp/tsconfig.json" <<JSON
{
  "extends": "$root/tsconfig.base.json",
  "compilerOptions": { "rootDir": "$root", "outDir": "$out", "noEmit": false, "noEmitOnError": true, "types": ["node"], "typeRoots": ["$root/node_modules/@types"] },
  "files": [$files]
}
JSON
"$root/node_modules/.bin/tsc" -p "$tmp/tsconfig.json"

for lib in "$out"/libs/*/; do
  [ -f "$lib/src/index.js" ] || continue
  name="$(basename "$lib")"
  mkdir -p "$out/node_modules/@rpm/$name"
  echo "module.exports = require('../../../libs/$name/src/index.js');" >"$out/node_modules/@rpm/$name/index.js"
done
