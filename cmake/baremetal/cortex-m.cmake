# What the Cortex-M toolchain files share (each sets KPAL_CPU and KPAL_CPU_FLAGS first; the
# board comes from kpal_board_of in qemu.cmake): the GNU Arm compiler for bare metal, static-library try-compiles (no startup code
# there), and QEMU with semihosting as the emulator, so CTest and add_custom_command run the
# programs on the emulated board.
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR arm)
set(CMAKE_C_COMPILER arm-none-eabi-gcc)
set(CMAKE_C_FLAGS_INIT "${KPAL_CPU_FLAGS}")
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
include(${CMAKE_CURRENT_LIST_DIR}/qemu.cmake)
kpal_board_of(${KPAL_CPU} KPAL_BOARD)
kpal_qemu_command(${KPAL_BOARD} CMAKE_CROSSCOMPILING_EMULATOR)
