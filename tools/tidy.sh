#!/usr/bin/env bash
# Runs clang-tidy with the project's checks (.clang-tidy) on every source; any finding fails.
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
kpal_install $KPAL_PACKAGES clang-tidy
KPAL_CMAKE_ARGS="-DCMAKE_EXPORT_COMPILE_COMMANDS=ON ${KPAL_CMAKE_ARGS:-}"
kpal_build >/dev/null
cd "$KPAL_ROOT"
# GCC-only warning flags in the compile commands mean nothing to clang.
clang-tidy -p "$KPAL_BUILD" --quiet --extra-arg=-Wno-unknown-warning-option src/*.cpp src/cli/*.cpp src/kmeans/*.cpp \
    src/core/*.c
echo "clang-tidy: clean"
