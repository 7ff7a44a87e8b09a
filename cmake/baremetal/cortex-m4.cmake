# Toolchain: Cortex-M4, soft-float ABI, on QEMU's MPS2 AN386.
set(KPAL_CPU m4)
set(KPAL_CPU_FLAGS "-mcpu=cortex-m4 -mthumb -mfloat-abi=soft")
include(${CMAKE_CURRENT_LIST_DIR}/cortex-m.cmake)
