#!/usr/bin/env bash
# Fuzzes the JSON-RPC framing parsers and message parser with libFuzzer (from the Swift toolchain).
# Usage: fuzz/run.sh [SECONDS]   (default 60). Crashes are written to fuzz/artifacts/.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(dirname "$here")"
out="$repo/.build/fuzz"
mkdir -p "$out" "$here/artifacts" "$out/corpus"
# One module for the target: copies of the sources without their cross-module imports.
mkdir -p "$out/src"
for file in JSONRPC/LSPFraming.swift JSONRPC/Message.swift RLMProtocol/JSONValue.swift RLMProtocol/ErrorCode.swift; do
  sed '/^import RLMProtocol$/d' "$repo/Sources/$file" > "$out/src/$(basename "$file")"
done
swiftc -O -sanitize=fuzzer,address -parse-as-library -module-name FramingFuzz "$here/FramingFuzz.swift" "$out"/src/*.swift \
  -o "$out/framing-fuzz"
printf 'Content-Length: 2\r\n\r\n{}' > "$out/corpus/seed"
"$out/framing-fuzz" -max_total_time="${1:-60}" -artifact_prefix="$here/artifacts/" "$out/corpus"
