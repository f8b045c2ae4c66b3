#!/usr/bin/env bash
# The published zip's schemas load in ajv 8 strict mode (no options), and ajv agrees with the vector
# manifest and with bin/p2pchat validate on every vector. Needs `mvn package` first (for the zip) and
# npm; installs ajv, pinned by package-lock.json, into schema/target/ajv. Run by .ci/run.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../../../.." && pwd)"
work="$root/schema/target/ajv"
zips=("$root"/schema/target/p2pchat-schema-*-schemas.zip)
[ -f "${zips[0]}" ] || { echo "ajv check: no schema zip in schema/target; run mvn -B package first" >&2; exit 2; }
rm -rf "$work" && mkdir -p "$work/zip"
cp "$here/package.json" "$here/package-lock.json" "$here/check-vectors.mjs" "$work/"
(cd "$work" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
(cd "$work/zip" && unzip -q "${zips[0]}")
node "$work/check-vectors.mjs" "$(echo "$work"/zip/p2pchat-schema-*/v1)" "$root/bin/p2pchat" validate
