#!/usr/bin/env bash
# Prints the directory of a built copy of the shared benchmark tools (../shared/bench:
# the Go reference servers and the load generator): $TOOLS when it is set, else a fresh
# copy in OUT_DIR/tools, built with the tools' own build.sh (which installs golang-go if
# it is missing).
#
#   tools=$(bench/shared-tools.sh OUT_DIR)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
if [ -n "${TOOLS:-}" ]; then
  echo "$TOOLS"
  exit 0
fi
tools="$1/tools"
mkdir -p "$1"
rm -rf "$tools"
cp -r "$root/../shared/bench" "$tools"
chmod -R u+w "$tools"
"$tools/build.sh" >/dev/null
echo "$tools"
