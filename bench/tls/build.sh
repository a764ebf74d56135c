#!/usr/bin/env bash
# Builds the TLS benchmark's Go programs from the shared benchmark tools: their reference
# TCP server and their load generator, each with a -tls flag (tls.patch: crypto/tls,
# TLS 1.2 and 1.3), into TOOLS_DIR/bin as tls-ref-tcpserver and tls-load.
#
#   bench/tls/build.sh TOOLS_DIR     a writable copy of the shared tools, built with
#                                    their build.sh (which installs Go 1.19)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
tools=${1:?usage: build.sh TOOLS_DIR}
command -v patch >/dev/null || { apt-get update -qq && apt-get install -y -qq patch >/dev/null; }
rm -rf "$tools/tls"
mkdir -p "$tools/tls/ref"
cp -r "$tools/ref/tcpserver" "$tools/tls/ref/"
cp -r "$tools/load" "$tools/tls/"
(cd "$tools/tls" && patch -s -p1 <"$here/tls.patch")
cd "$tools"
export GOFLAGS=-mod=mod GOPROXY=off CGO_ENABLED=0
go vet ./tls/...
go build -trimpath -o bin/tls-ref-tcpserver ./tls/ref/tcpserver
go build -trimpath -o bin/tls-load ./tls/load
