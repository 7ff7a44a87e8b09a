# Toolchain: Cortex-M0 (ARMv6-M, no divide instruction) on QEMU's micro:bit: 16 KiB of RAM.
set(KPAL_CPU m0)
set(KPAL_CPU_FLAGS "-mcpu=cortex-m0 -mthumb -mfloat-abi=soft")
include(${CMAKE_CURRENT_LIST_DIR}/cortex-m.cmake)
