# Builds one firmware example for the Cortex-M4 with the installed kpal (PREFIX), runs it under
# QEMU, and checks its output against the kpal program on the PC:
#   camera  frame.bin and frame.pal equal `kpal convert frame.png --engine fixed`;
#   st7735, st7735_rle  the panel's memory equals `kpal convert --preview`, pixel for pixel (the
#           second program unpacks a compressed picture a row at a time on the device).
set(build ${WORK}/build)
set(kpal ${PREFIX}/bin/kpal)
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK}/run)
execute_process(COMMAND ${CMAKE_COMMAND} -S ${SOURCE} -B ${build}
                        -DCMAKE_TOOLCHAIN_FILE=${TOOLCHAIN} -Dkpal_DIR=${PREFIX}/lib/cmake/kpal
                        -DCMAKE_BUILD_TYPE=MinSizeRel -DCMAKE_COMPILE_WARNING_AS_ERROR=ON
                RESULT_VARIABLE status)
if(status EQUAL 0)
  execute_process(COMMAND ${CMAKE_COMMAND} --build ${build} RESULT_VARIABLE status)
endif()
if(NOT status EQUAL 0)
  message(FATAL_ERROR "${EXAMPLE}: the example does not build")
endif()

if(EXAMPLE STREQUAL "camera")
  file(COPY ${SOURCE}/frame.rgb565 DESTINATION ${WORK}/run)
endif()
execute_process(COMMAND ${EMULATOR} ${build}/${PROGRAM}.elf WORKING_DIRECTORY ${WORK}/run
                RESULT_VARIABLE status OUTPUT_VARIABLE output ERROR_VARIABLE output)
message("${output}")
if(NOT status EQUAL 0)
  message(FATAL_ERROR "${EXAMPLE}: the firmware exited with ${status}")
endif()

if(EXAMPLE STREQUAL "camera")
  execute_process(COMMAND ${kpal} convert ${SOURCE}/frame.png -t st7735-4bpp --engine fixed
                          --format bin -o ${WORK}/pc.bin -q RESULT_VARIABLE status)
  foreach(ext bin pal)
    execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files ${WORK}/run/frame.${ext}
                            ${WORK}/pc.${ext} RESULT_VARIABLE same)
    if(NOT status EQUAL 0 OR NOT same EQUAL 0)
      message(FATAL_ERROR "camera: frame.${ext} from the device differs from kpal convert's")
    endif()
  endforeach()
  message("camera: the device's frame.bin and frame.pal equal kpal convert --engine fixed")
else()
  execute_process(COMMAND ${kpal} convert ${IMAGE} -t st7735-4bpp --resize 160x128
                          -o ${WORK}/pc.h --preview ${WORK}/preview.png -q RESULT_VARIABLE status)
  execute_process(COMMAND ${PANEL_CHECK} ${WORK}/run/panel.rgb565 ${WORK}/preview.png 160 128
                  RESULT_VARIABLE same)
  if(NOT status EQUAL 0 OR NOT same EQUAL 0)
    message(FATAL_ERROR "${EXAMPLE}: the panel does not show kpal's preview")
  endif()
endif()
