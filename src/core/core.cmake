# The C99 core as the static library kpal_core (alias kpal::core). The main build includes this
# file, and so does a firmware build (cross-compiled), since the core needs nothing but a C99
# compiler: find_package(kpal COMPONENTS core) includes the installed copy
# (share/kpal/core/core.cmake), or include(<kpal source>/src/core/core.cmake).
if(NOT TARGET kpal_core)
  set(_kpal_core_dir ${CMAKE_CURRENT_LIST_DIR})
  if(NOT KPAL_CORE_INCLUDE_DIR) # an installed copy is told where include/kpal/core.h went
    set(KPAL_CORE_INCLUDE_DIR ${_kpal_core_dir}/../../include)
  endif()
  add_library(kpal_core STATIC
    ${_kpal_core_dir}/design.c
    ${_kpal_core_dir}/histogram.c
    ${_kpal_core_dir}/pack.c
    ${_kpal_core_dir}/palette.c
    ${_kpal_core_dir}/remap.c
    ${_kpal_core_dir}/unpack.c)
  add_library(kpal::core ALIAS kpal_core)
  set_target_properties(kpal_core PROPERTIES C_STANDARD 99 C_STANDARD_REQUIRED ON C_EXTENSIONS OFF
                                             EXPORT_NAME core)
  target_include_directories(kpal_core PUBLIC
    $<BUILD_INTERFACE:${KPAL_CORE_INCLUDE_DIR}>
    $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>)
  # Freestanding: no hosted library calls, no fused multiply-add, warnings on what C99 allows
  # but the core does not want. (Other compilers build it with their own defaults.)
  if(CMAKE_C_COMPILER_ID MATCHES "GNU|Clang")
    target_compile_options(kpal_core PRIVATE -ffreestanding -ffp-contract=off -Wall -Wextra
                                             -Wpedantic -Wmissing-prototypes -Wconversion
                                             -Wshadow ${KPAL_CORE_EXTRA_FLAGS})
  endif()
endif()
