#!/usr/bin/env bash
# The project's own checks, fast and root-free, run first by scripts/test.sh
# so that a style problem fails in seconds rather than after three builds:
#   1. formatting: clang-format 16 with .clang-format, every C/C++ source;
#   2. dependencies: scripts/check-deps.sh (#include lines against the
#      allowed edges between folders);
#   3. clang-tidy 16 with .clang-tidy (bug patterns, performance, functions
#      over 60 lines) on the .cc files changed since BASE, and on the .cc
#      file of each changed header.
# Needs clang-format-16 and clang-tidy-16 (scripts/setup.sh installs them)
# and the build dependencies (clang-tidy reads build-lint/compile_commands.json,
# made here by a CMake configure, not a build).
#
#   scripts/lint.sh               check; BASE is $LINT_BASE, else HEAD~1
#   scripts/lint.sh --base REF    check files changed since REF (and uncommitted ones)
#   scripts/lint.sh --all         clang-tidy every source (minutes, not seconds)
#   scripts/lint.sh --fix         reformat every source in place, then check
set -euo pipefail
cd "$(dirname "$0")/.."

base="${LINT_BASE:-HEAD~1}"
all=false
fix=false
while [[ $# -gt 0 ]]; do
  case "$1" in
    --base) base="$2"; shift 2 ;;
    --all) all=true; shift ;;
    --fix) fix=true; shift ;;
    *) echo "usage: scripts/lint.sh [--base REF] [--all] [--fix]" >&2; exit 2 ;;
  esac
done

for tool in clang-format-16 clang-tidy-16; do
  command -v "$tool" > /dev/null || { echo "lint: $tool is missing (bash scripts/setup.sh installs it)" >&2; exit 1; }
done

mapfile -t sources < <(git ls-files '*.cc' '*.h' '*.c')
if $fix; then
  clang-format-16 -i "${sources[@]}"
fi
echo "lint: formatting (${#sources[@]} files)"
if ! clang-format-16 --dry-run --Werror "${sources[@]}"; then
  echo "lint: formatting differs from .clang-format; scripts/lint.sh --fix reformats" >&2
  exit 1
fi

echo "lint: dependencies"
bash scripts/check-deps.sh

if $all; then
  mapfile -t changed < <(git ls-files 'common/*.cc' 'config/*.cc' 'probes/*.cc' 'daemon/*.cc' 'ctl/*.cc')
else
  git rev-parse --verify --quiet "$base^{commit}" > /dev/null || base=$(git hash-object -t tree /dev/null)
  mapfile -t changed < <({ git diff --name-only --diff-filter=d "$base" -- ; git ls-files --others --exclude-standard; } |
    grep -E '^(common|config|probes|daemon|ctl)/.*\.(cc|h)$' | sed 's/\.h$/.cc/' | sort -u |
    while read -r f; do [[ -f "$f" ]] && echo "$f"; done)
fi
echo "lint: clang-tidy (${#changed[@]} files)"
if [[ ${#changed[@]} -gt 0 ]]; then
  cmake -S . -B build-lint -DNETWARDEN_BUILD_TESTS=OFF -DCMAKE_EXPORT_COMPILE_COMMANDS=ON > /dev/null
  # GCC's spelling of the standard; clang 16 knows C++23 as c++2b.
  sed -i 's/-std=c++23/-std=c++2b/g' build-lint/compile_commands.json
  printf '%s\n' "${changed[@]}" |
    xargs -P "$(nproc)" -n 1 clang-tidy-16 -p build-lint --quiet --extra-arg=-U__cpp_concepts \
      --extra-arg=-D__cpp_concepts=202002L
fi
echo "lint: ok"
