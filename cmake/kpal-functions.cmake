# kpal_add_asset: convert images with kpal as part of a CMake build.
#
#   kpal_add_asset(<cmake-target>
#                  IMAGE <file>...               one image, or several
#                  TARGET <profile>              a built-in target name or a profile file
#                  [NAME <symbol>]               C name (one image; default from the file name)
#                  [FORMAT c|c-source|bin|...]   default c
#                  [SHARED_PALETTE]              several images, one palette (palette.<suffix>)
#                  [OPTIONS <kpal options>...])  anything else `kpal convert` takes
#
# Adds a custom command that writes the outputs into the build tree
# (${CMAKE_CURRENT_BINARY_DIR}/kpal/<cmake-target>/), depending on the images, the profile file
# and the kpal program (and, through kpal's depfile, on palette files named in OPTIONS); adds the
# outputs to <cmake-target>'s sources and that folder to its include path. Changing an image
# rebuilds the asset; touching nothing rebuilds nothing.
function(kpal_add_asset cmake_target)
  cmake_parse_arguments(PARSE_ARGV 1 KPAL "SHARED_PALETTE" "TARGET;NAME;FORMAT" "IMAGE;OPTIONS")
  if(NOT KPAL_IMAGE OR NOT KPAL_TARGET)
    message(FATAL_ERROR "kpal_add_asset(${cmake_target}): IMAGE and TARGET are required")
  endif()
  if(KPAL_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "kpal_add_asset(${cmake_target}): unknown arguments ${KPAL_UNPARSED_ARGUMENTS}")
  endif()
  if(NOT KPAL_FORMAT)
    set(KPAL_FORMAT c)
  endif()
  set(suffix_c .h)
  set(suffix_c-source .c)
  set(suffix_bin .bin)
  set(suffix_asm-nasm .asm)
  set(suffix_asm-gas .s)
  set(suffix_gpl .gpl)
  set(suffix_act .act)
  set(suffix_jasc-pal .pal)
  set(suffix "${suffix_${KPAL_FORMAT}}")
  if(NOT suffix)
    message(FATAL_ERROR "kpal_add_asset(${cmake_target}): unknown FORMAT ${KPAL_FORMAT}")
  endif()

  if(TARGET kpal::cli)
    set(kpal_program "$<TARGET_FILE:kpal::cli>")
    set(kpal_depends kpal::cli)
  else()
    message(FATAL_ERROR "kpal_add_asset: the kpal program (target kpal::cli) is not known: "
                        "use find_package(kpal) or add_subdirectory(kpal) first")
  endif()

  set(profile "${KPAL_TARGET}")
  if(EXISTS "${CMAKE_CURRENT_SOURCE_DIR}/${KPAL_TARGET}" OR IS_ABSOLUTE "${KPAL_TARGET}")
    get_filename_component(profile "${KPAL_TARGET}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
    list(APPEND kpal_depends "${profile}")
  endif()

  set(dir "${CMAKE_CURRENT_BINARY_DIR}/kpal/${cmake_target}")
  set(images "")
  set(outputs "")
  foreach(image IN LISTS KPAL_IMAGE)
    get_filename_component(image "${image}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
    list(APPEND images "${image}")
    get_filename_component(stem "${image}" NAME_WLE)
    list(APPEND outputs "${dir}/${stem}${suffix}")
    list(LENGTH KPAL_IMAGE count)
    if(KPAL_FORMAT STREQUAL "bin" AND NOT KPAL_SHARED_PALETTE)
      list(APPEND outputs "${dir}/${stem}.pal")
    elseif(KPAL_FORMAT STREQUAL "c-source")
      list(APPEND outputs "${dir}/${stem}.h")
    endif()
  endforeach()
  list(LENGTH images count)
  set(args "")
  if(count GREATER 1 OR KPAL_SHARED_PALETTE)
    set(output "${dir}/")
    if(KPAL_SHARED_PALETTE)
      list(APPEND args --shared-palette)
      list(APPEND outputs "${dir}/palette${suffix}")
      if(KPAL_FORMAT STREQUAL "c-source")
        list(APPEND outputs "${dir}/palette.h")
      endif()
    endif()
  else()
    list(GET outputs 0 output)
  endif()
  if(KPAL_NAME)
    list(APPEND args --name "${KPAL_NAME}")
  endif()
  string(MAKE_C_IDENTIFIER "${cmake_target}_${KPAL_TARGET}_${images}" stamp)
  string(MD5 stamp "${stamp}")
  set(depfile "${dir}/.${stamp}.d")

  file(MAKE_DIRECTORY "${dir}")
  add_custom_command(
    OUTPUT ${outputs}
    COMMAND ${kpal_program} convert ${images} -t "${profile}" -o "${output}" --format ${KPAL_FORMAT}
            ${args} ${KPAL_OPTIONS} --depfile "${depfile}" --quiet
    DEPENDS ${images} ${kpal_depends}
    DEPFILE "${depfile}"
    COMMENT "kpal: ${KPAL_IMAGE} for ${KPAL_TARGET}"
    VERBATIM)
  target_sources(${cmake_target} PRIVATE ${outputs})
  target_include_directories(${cmake_target} PRIVATE "${dir}")
endfunction()
