#!/usr/bin/env bash
# Fails, listing the files, when a tracked .h/.cc file differs from what
# clang-format (.clang-format: Google style, 100 columns) makes of it.
# `make format` fixes them.
set -euo pipefail
cd "$(dirname "$0")/.."
bad=()
while IFS= read -r f; do
  clang-format --dry-run --Werror "$f" >/dev/null 2>&1 || bad+=("$f")
done < <(git ls-files '*.h' '*.cc')
if ((${#bad[@]})); then
  echo "format-check: ${#bad[@]} file(s) differ from clang-format (run \`make format\`):"
  printf '  %s\n' "${bad[@]}"
  exit 1
fi
echo "format-check: every file is clang-formatted"
