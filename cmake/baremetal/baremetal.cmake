# kpal_bare_metal_executable(NAME SOURCES...): a program for the board the toolchain file names
# (KPAL_BOARD), with the vector table and start-up code, semihosting I/O and the board's linker
# script; no C library (the core needs none), libgcc for division on the M0.
set(_kpal_bare_metal_dir ${CMAKE_CURRENT_LIST_DIR})
function(kpal_bare_metal_executable name)
  add_executable(${name} ${ARGN} ${_kpal_bare_metal_dir}/startup.c ${_kpal_bare_metal_dir}/semihost.c)
  set_target_properties(${name} PROPERTIES SUFFIX .elf C_STANDARD 99 C_EXTENSIONS OFF)
  target_include_directories(${name} PRIVATE ${_kpal_bare_metal_dir})
  # No library calls the program does not make itself (GCC turns some loops into strlen/memset).
  target_compile_options(${name} PRIVATE -ffreestanding -fno-tree-loop-distribute-patterns
                         -ffunction-sections -fdata-sections)
  target_link_options(${name} PRIVATE -nostdlib -nostartfiles -Wl,--gc-sections
                      -T${_kpal_bare_metal_dir}/${KPAL_BOARD}.ld)
  target_link_libraries(${name} PRIVATE gcc)
endfunction()
