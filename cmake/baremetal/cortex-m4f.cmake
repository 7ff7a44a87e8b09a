# Toolchain: Cortex-M4F, hard-float ABI, on QEMU's MPS2 AN386 (startup.c turns the FPU on).
set(KPAL_CPU m4f)
set(KPAL_CPU_FLAGS "-mcpu=cortex-m4 -mthumb -mfloat-abi=hard -mfpu=fpv4-sp-d16")
include(${CMAKE_CURRENT_LIST_DIR}/cortex-m.cmake)
