#!/usr/bin/env bash
# The published schemas load in ajv 8 strict mode, and ajv agrees with the manifest and with
# bin/p2pchat validate on every vector. Installs ajv (pinned by package-lock.json) into schema/target/ajv.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../../../.." && pwd)"
work="$root/schema/target/ajv"
mkdir -p "$work"
cp "$here/package.json" "$here/package-lock.json" "$here/check-vectors.mjs" "$work/"
(cd "$work" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
node "$work/check-vectors.mjs" "$root/schema/src/main/resources/p2pchat/schema/v1" "$root/bin/p2pchat" validate
