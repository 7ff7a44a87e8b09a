# `kpal convert --engine fixed` on each frame's PNG, with the profile and arguments make_frames
# wrote beside it, must give the PC driver's bytes (FRAMES/host): pixels and palette.
file(GLOB frames ${FRAMES}/*.kpc)
set(count 0)
foreach(frame IN LISTS frames)
  get_filename_component(name ${frame} NAME_WE)
  file(READ ${FRAMES}/${name}.args args)
  execute_process(COMMAND ${KPAL} convert ${FRAMES}/${name}.png -t ${FRAMES}/${name}.ini ${args}
                          --engine fixed --format bin -o ${FRAMES}/cli/${name}.bin -q
                  RESULT_VARIABLE status)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "kpal convert failed on ${name} (${status})")
  endif()
  foreach(ext bin pal)
    execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files ${FRAMES}/host/${name}.${ext}
                            ${FRAMES}/cli/${name}.${ext} RESULT_VARIABLE same)
    if(NOT same EQUAL 0)
      message(FATAL_ERROR "${name}.${ext}: kpal convert --engine fixed differs from the core driver")
    endif()
  endforeach()
  math(EXPR count "${count} + 1")
endforeach()
if(count LESS 10)
  message(FATAL_ERROR "only ${count} frames found in ${FRAMES}")
endif()
message("kpal convert --engine fixed equals the core driver on all ${count} frames")
