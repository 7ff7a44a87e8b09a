# kpal_add_asset: convert images with kpal as part of a CMake build.
#
#   kpal_add_asset(<cmake-target>
#                  IMAGE <file>...               one image, or several
#                  TARGET <profile>              a built-in target name or a profile file
#                  [NAME <symbol>]               one image: its C name (default from the file
#                                                name); SHARED_PALETTE: the set's palette is
#                                                <symbol>_palette.<suffix> (default palette)
#                  [FORMAT <format>]             any of `kpal convert --format`: c (default),
#                                                c-source, bin, asm-nasm, asm-gas, asm-z80,
#                                                asm-ca65, gpl, jasc-pal,
#                                                act, xbm, arduboy, lvgl, lvgl-bin
#                  [SHARED_PALETTE]              several images, one palette
#                  [SHARED_TILES]                tile maps: several images (a level's screens),
#                                                one tileset and palette, written as
#                                                <symbol>_tileset.<suffix> (default tileset);
#                                                each image's file holds its map
#                  [OPTIONS <kpal options>...])  anything else `kpal convert` takes
#
# Adds a custom command that writes the outputs into the build tree
# (${CMAKE_CURRENT_BINARY_DIR}/kpal/<cmake-target>/), depending on the images, the profile file
# and the kpal program (and, through kpal's depfile, on palette files named in OPTIONS); adds the
# outputs to <cmake-target>'s sources and (unless it is a custom target, whose assets are
# files only) that folder to its include path. Changing an image
# rebuilds the asset; touching nothing rebuilds nothing. Every file kpal writes is declared as an
# output (kpal_asset_outputs), so Ninja and Make know each file's rule; two SHARED_PALETTE (or
# SHARED_TILES) sets on one target need their own NAMEs, or both would write palette.h. A seed
# tileset (OPTIONS --tileset-in /abs/font.bin) is a dependency through kpal's depfile.

# Where the built-in targets' profiles are: beside this file in kpal's source tree; an installed
# package's kpalConfig.cmake sets KPAL_TARGETS_DIR.
set_property(GLOBAL PROPERTY KPAL_SOURCE_TARGETS_DIR "${CMAKE_CURRENT_LIST_DIR}/../targets")

# The value of `key` in a profile's text (the last line `key = value`), or "".
function(_kpal_profile_value out_var text key)
  set(value "")
  string(REGEX MATCHALL "(^|\n)[ \t]*${key}[ \t]*=[ \t]*[^\n#]*" lines "${text}")
  foreach(line IN LISTS lines)
    string(REGEX REPLACE "^\n?[ \t]*${key}[ \t]*=[ \t]*" "" value "${line}")
    string(STRIP "${value}" value)
  endforeach()
  set(${out_var} "${value}" PARENT_SCOPE)
endfunction()

# The files `kpal convert` writes for one kpal_add_asset call, into `DIR`, from the profile's kind:
# tile hardware writes its map (.map) and the Game Boy Color its attribute map (.attr) beside a
# .bin; a fixed palette (mono, grey and e-paper panels) writes no palette file. The rules mirror
# the emitters in src/emit.cpp, and tests/package_test.cpp holds them to what kpal writes for
# every built-in target and format.
function(kpal_asset_outputs out_var)
  cmake_parse_arguments(PARSE_ARGV 1 A "SHARED_PALETTE;SHARED_TILES" "DIR;TARGET;NAME;FORMAT;PROFILE"
                        "IMAGE;OPTIONS")
  set(suffix_c .h)
  set(suffix_c-source .c)
  set(suffix_bin .bin)
  set(suffix_asm-nasm .asm)
  set(suffix_asm-gas .s)
  set(suffix_asm-z80 .asm)
  set(suffix_asm-ca65 .s)
  set(suffix_gpl .gpl)
  set(suffix_jasc-pal .pal)
  set(suffix_act .act)
  set(suffix_xbm .xbm)
  set(suffix_arduboy .h)
  set(suffix_lvgl .c)
  set(suffix_lvgl-bin .bin)
  set(suffix "${suffix_${A_FORMAT}}")
  if(NOT suffix)
    message(FATAL_ERROR "kpal_add_asset: unknown FORMAT ${A_FORMAT} (known: c, c-source, bin, "
                        "asm-nasm, asm-gas, asm-z80, asm-ca65, gpl, jasc-pal, act, xbm, arduboy, "
                        "lvgl, lvgl-bin)")
  endif()
  file(READ "${A_PROFILE}" text)
  _kpal_profile_value(tile_format "${text}" tile_format)
  _kpal_profile_value(map_format "${text}" map_format)
  _kpal_profile_value(palette_format "${text}" palette_format)
  set(fixed_palettes mono grey4 grey16 epd-bw epd-bwr epd-bwy epd-4grey acep7 spectra6
      zx-spectrum tms9918 c64)
  set(fixed FALSE)
  if(palette_format IN_LIST fixed_palettes)
    set(fixed TRUE)
  endif()
  set(map FALSE)
  if(tile_format AND NOT map_format STREQUAL "none")
    set(map TRUE)
  endif()
  set(mask FALSE)
  if("--mask" IN_LIST A_OPTIONS)
    set(mask TRUE)
  endif()
  set(shared FALSE)
  if(A_SHARED_PALETTE OR A_SHARED_TILES)
    set(shared TRUE)
  endif()

  set(outputs "")
  foreach(image IN LISTS A_IMAGE)
    get_filename_component(stem "${image}" NAME_WLE)
    set(base "${A_DIR}/${stem}")
    if(A_FORMAT MATCHES "^(gpl|jasc-pal|act)$")
      if(NOT shared)
        list(APPEND outputs "${base}${suffix}")
      endif()
      continue()
    endif()
    list(APPEND outputs "${base}${suffix}")
    if(A_FORMAT MATCHES "^(c-source|lvgl)$")
      list(APPEND outputs "${base}.h")
    elseif(A_FORMAT STREQUAL "xbm" AND mask)
      list(APPEND outputs "${base}_mask.xbm")
    elseif(A_FORMAT STREQUAL "bin" AND A_SHARED_TILES)
      # Each image's .bin is its map; the tiles and palette are the set's.
      if(map_format STREQUAL "gbc")
        list(APPEND outputs "${base}.attr")
      endif()
    elseif(A_FORMAT STREQUAL "bin")
      if(map)
        list(APPEND outputs "${base}.map")
      endif()
      if(map_format STREQUAL "gbc")
        list(APPEND outputs "${base}.attr")
      endif()
      if(mask)
        list(APPEND outputs "${base}.mask")
      endif()
      if("--metasprite" IN_LIST A_OPTIONS) # the tables of the pieces
        list(APPEND outputs "${base}.pcs" "${base}.frm")
      endif()
      if(image MATCHES "\\.(gif|ase|aseprite)$") # an animation: its frames' milliseconds
        list(APPEND outputs "${base}.dur")
      endif()
      if(NOT fixed AND NOT shared)
        list(APPEND outputs "${base}.pal")
      endif()
    endif()
  endforeach()
  # The shared palette (or tileset and palette), once, in the same format (LVGL, XBM and Arduboy
  # images hold their own).
  if(shared AND NOT A_FORMAT MATCHES "^(xbm|arduboy|lvgl|lvgl-bin)$"
     AND NOT (fixed AND A_FORMAT STREQUAL "bin"))
    set(palette "palette")
    if(A_SHARED_TILES)
      set(palette "tileset")
    endif()
    if(A_NAME)
      set(palette "${A_NAME}_${palette}")
    endif()
    list(APPEND outputs "${A_DIR}/${palette}${suffix}")
    if(A_FORMAT STREQUAL "c-source")
      list(APPEND outputs "${A_DIR}/${palette}.h")
    elseif(A_FORMAT STREQUAL "bin" AND A_SHARED_TILES)
      list(APPEND outputs "${A_DIR}/${palette}.pal")
    endif()
  endif()
  set(${out_var} "${outputs}" PARENT_SCOPE)
endfunction()

# The profile file a TARGET names: a file (relative to the calling folder), or a built-in's.
function(_kpal_profile_file out_var target)
  if(EXISTS "${CMAKE_CURRENT_SOURCE_DIR}/${target}" OR IS_ABSOLUTE "${target}")
    get_filename_component(file "${target}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
  else()
    set(dir "${KPAL_TARGETS_DIR}")
    if(NOT dir)
      get_property(dir GLOBAL PROPERTY KPAL_SOURCE_TARGETS_DIR)
    endif()
    set(file "${dir}/${target}.ini")
    if(NOT EXISTS "${file}")
      message(FATAL_ERROR "kpal_add_asset: no built-in target ${target} (no ${file}); run "
                          "'kpal targets' for the list, or give a profile file")
    endif()
  endif()
  set(${out_var} "${file}" PARENT_SCOPE)
endfunction()

function(kpal_add_asset cmake_target)
  cmake_parse_arguments(PARSE_ARGV 1 KPAL "SHARED_PALETTE;SHARED_TILES" "TARGET;NAME;FORMAT"
                        "IMAGE;OPTIONS")
  if(NOT KPAL_IMAGE OR NOT KPAL_TARGET)
    message(FATAL_ERROR "kpal_add_asset(${cmake_target}): IMAGE and TARGET are required")
  endif()
  if(KPAL_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "kpal_add_asset(${cmake_target}): unknown arguments ${KPAL_UNPARSED_ARGUMENTS}")
  endif()
  if(NOT KPAL_FORMAT)
    set(KPAL_FORMAT c)
  endif()

  if(TARGET kpal::cli)
    set(kpal_program "$<TARGET_FILE:kpal::cli>")
    set(kpal_depends kpal::cli)
  else()
    message(FATAL_ERROR "kpal_add_asset: the kpal program (target kpal::cli) is not known: "
                        "use find_package(kpal) or add_subdirectory(kpal) first")
  endif()

  _kpal_profile_file(profile_file "${KPAL_TARGET}")
  set(profile "${KPAL_TARGET}")
  if(EXISTS "${CMAKE_CURRENT_SOURCE_DIR}/${KPAL_TARGET}" OR IS_ABSOLUTE "${KPAL_TARGET}")
    set(profile "${profile_file}")
    list(APPEND kpal_depends "${profile}")
  endif()

  set(dir "${CMAKE_CURRENT_BINARY_DIR}/kpal/${cmake_target}")
  set(images "")
  foreach(image IN LISTS KPAL_IMAGE)
    get_filename_component(image "${image}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
    list(APPEND images "${image}")
  endforeach()
  list(LENGTH images count)
  set(shared_flag "")
  if(KPAL_SHARED_TILES)
    set(shared_flag SHARED_TILES)
  elseif(KPAL_SHARED_PALETTE)
    set(shared_flag SHARED_PALETTE)
  endif()
  kpal_asset_outputs(outputs DIR "${dir}" PROFILE "${profile_file}" FORMAT ${KPAL_FORMAT}
                     NAME "${KPAL_NAME}" IMAGE ${images} OPTIONS ${KPAL_OPTIONS} ${shared_flag})
  set(args "")
  if(count GREATER 1 OR shared_flag)
    set(output "${dir}/")
    if(shared_flag)
      # One palette (or tileset) a set: a second set on this target needs a NAME of its own.
      set(palette "palette")
      list(APPEND args --shared-palette)
      if(KPAL_SHARED_TILES)
        set(palette "tileset")
        list(APPEND args --shared-tiles)
      endif()
      if(KPAL_NAME)
        set(palette "${KPAL_NAME}_${palette}")
      endif()
      get_property(palettes TARGET ${cmake_target} PROPERTY KPAL_SHARED_PALETTES)
      if(palette IN_LIST palettes)
        message(FATAL_ERROR "kpal_add_asset(${cmake_target}): another ${shared_flag} set on this "
                            "target already writes ${palette}: give this set a NAME of its own "
                            "(NAME level2 writes level2_${palette})")
      endif()
      set_property(TARGET ${cmake_target} APPEND PROPERTY KPAL_SHARED_PALETTES "${palette}")
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
  # A custom target (add_custom_target: assets built as files) compiles nothing.
  get_target_property(type ${cmake_target} TYPE)
  if(NOT type STREQUAL "UTILITY")
    target_include_directories(${cmake_target} PRIVATE "${dir}")
  endif()
endfunction()
