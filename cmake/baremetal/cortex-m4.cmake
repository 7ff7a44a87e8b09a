# Toolchain: Cortex-M4, soft-float ABI, on QEMU's MPS2 AN386.
# Programs built with it run under QEMU with semihosting (CMAKE_CROSSCOMPILING_EMULATOR).
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR arm)
set(CMAKE_C_COMPILER arm-none-eabi-gcc)
set(CMAKE_C_FLAGS_INIT "-mcpu=cortex-m4 -mthumb -mfloat-abi=soft")
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(KPAL_BOARD mps2-an386)
set(KPAL_CPU m4)
include(${CMAKE_CURRENT_LIST_DIR}/qemu.cmake)
kpal_qemu_command(${KPAL_BOARD} CMAKE_CROSSCOMPILING_EMULATOR)
