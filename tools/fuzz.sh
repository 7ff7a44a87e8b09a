#!/usr/bin/env bash
# Builds kpal's libFuzzer targets with clang, ASan and UBSan into build-fuzz/, and runs each for
# SECONDS (default 600) from the seed corpus in tests/fuzz/corpus, two at a time. Findings are
# written to build-fuzz/findings/<target>/; each crash found becomes a file in
# tests/fuzz/regressions/<target>/ (the CTest "fuzz" replays them).
#   tools/fuzz.sh [SECONDS] [TARGET...]   targets: image target palette cli core unpack studio screen
#                                          tileset animation
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
kpal_install $KPAL_PACKAGES clang libfuzzer-14-dev libclang-rt-14-dev
seconds=${1:-600}
shift || true
targets=${*:-image target palette cli core unpack studio screen tileset animation}
build="$KPAL_ROOT/build-fuzz"
CC=clang CXX=clang++ cmake -S "$KPAL_ROOT" -B "$build" -DKPAL_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j "$(nproc)"
run() {
    local t=$1 work="$build/findings/$1"
    mkdir -p "$work/corpus"
    touch "$work/.start" # findings are the files newer than this: older ones are from past runs
    local status=0
    (cd "$work" && "$build/tests/fuzz/fuzz_$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
        -close_fd_mask=3 -print_final_stats=1 "$work/corpus" "$KPAL_ROOT/tests/fuzz/corpus/$t" \
        > "$work/log" 2>&1) || status=$?
    echo "fuzz_$t: exit $status, $(grep -o 'stat::number_of_executed_units: *[0-9]*' "$work/log" | grep -o '[0-9]*$') runs in ${seconds} s; findings: $(find "$work" -maxdepth 1 -newer "$work/.start" -regex '.*/\(crash\|timeout\|oom\|leak\)-.*' | wc -l)"
}
set -- $targets
while [ $# -gt 0 ]; do
    run "$1" &
    [ $# -gt 1 ] && run "$2" &
    wait
    shift; [ $# -gt 0 ] && shift
done
