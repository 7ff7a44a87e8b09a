# Sourced by tools/demo.sh and tools/test.sh: installs what kpal needs and builds it into build/.
# Every package kpal's build and tests use is listed here and nowhere else.
set -euo pipefail

KPAL_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
KPAL_BUILD=${KPAL_BUILD:-$KPAL_ROOT/build}

# Debian packages: the compiler, CMake and the libraries kpal is built with.
KPAL_PACKAGES="g++ cmake make pkg-config libpng-dev libjpeg-dev libgif-dev zlib1g-dev
libboost-program-options-dev libboost-test-dev libcpp-httplib-dev"
# What the tests add: the toolchains that compile emitted C and assembler (Cortex-M, AVR, Z80,
# NASM; binutils for objcopy), clang with libFuzzer for the fuzz targets, and QEMU, DOSBox and
# a virtual X server to show the VGA examples; QEMU for Arm to run the C core on emulated
# Cortex-M; valgrind for the core's memory checks; strace to kill kpal while it writes; Python for
# the benchmarks; liblz4 to check LZ4 output; Ninja, the generator firmware projects build with, for the package tests; mGBA's
# core (libmgba) and mednafen with the m68k assembler, SDCC's Game Boy assembler and cc65 to show
# tiles on an emulated Game Boy Advance, Game Boy, Mega Drive and NES; chromium, its driver and
# Selenium to drive kpal studio in a real browser; Fuse, openMSX with C-BIOS, MAME, and the Z80
# and 6502 assemblers of their ROMs to show the screens of cells (tests/retro/). (libcpp-httplib-dev
# above: the studio's server.)
KPAL_TEST_PACKAGES="ninja-build liblz4-dev libmgba-dev mednafen binutils-m68k-linux-gnu cc65 binutils gcc-arm-none-eabi libnewlib-arm-none-eabi gcc-avr avr-libc sdcc nasm
clang libfuzzer-14-dev libclang-rt-14-dev clang-tidy qemu-system-x86 qemu-system-arm dosbox xvfb
xdotool time python3 python3-pil valgrind strace fceux chromium chromium-driver python3-selenium
fuse-emulator-sdl fuse-emulator-utils openmsx cbios mame pasmo xa65 xauth libgl1-mesa-dri"

# Installs the packages named in $@ that are missing.
kpal_install() {
    local missing=()
    for p in "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    local apt=(apt-get install -y --no-install-recommends "${missing[@]}")
    if [ "$(id -u)" -eq 0 ]; then
        DEBIAN_FRONTEND=noninteractive apt-get update -qq
        DEBIAN_FRONTEND=noninteractive "${apt[@]}"
    elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
        sudo DEBIAN_FRONTEND=noninteractive apt-get update -qq
        sudo DEBIAN_FRONTEND=noninteractive "${apt[@]}"
    else
        echo "kpal needs these Debian packages; install them as root and run this again:" >&2
        echo "  apt-get install ${missing[*]}" >&2
        exit 1
    fi
}

# Configures and builds build/: everything, or only the CMake targets named (the demo needs only
# the program, which builds from a clone alone, without the shared test images).
kpal_build() {
    cmake -S "$KPAL_ROOT" -B "$KPAL_BUILD" ${KPAL_CMAKE_ARGS:-} >/dev/null
    cmake --build "$KPAL_BUILD" -j "$(nproc)" ${1:+--target "$@"}
}
