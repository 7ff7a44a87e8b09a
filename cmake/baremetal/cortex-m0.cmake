# Toolchain: Cortex-M0 (ARMv6-M, no divide instruction) on QEMU's micro:bit: 16 KiB of RAM.
# Programs built with it run under QEMU with semihosting (CMAKE_CROSSCOMPILING_EMULATOR).
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR arm)
set(CMAKE_C_COMPILER arm-none-eabi-gcc)
set(CMAKE_C_FLAGS_INIT "-mcpu=cortex-m0 -mthumb -mfloat-abi=soft")
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(KPAL_BOARD microbit)
set(KPAL_CPU m0)
include(${CMAKE_CURRENT_LIST_DIR}/qemu.cmake)
kpal_qemu_command(${KPAL_BOARD} CMAKE_CROSSCOMPILING_EMULATOR)
