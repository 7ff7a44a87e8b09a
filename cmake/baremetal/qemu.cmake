# kpal_qemu_command(BOARD VAR): the QEMU command line that runs a program for BOARD (microbit,
# mps2-an386) with semihosting on standard output; the program's path goes last (-kernel).
# kpal_board_of(CPU VAR): the board each CPU of cmake/baremetal/cortex-*.cmake runs on (the one
# place that says so).
find_program(KPAL_QEMU_ARM qemu-system-arm)
function(kpal_qemu_command board var)
  set(${var} ${KPAL_QEMU_ARM} -M ${board} -display none -monitor none -serial none
      -chardev stdio,id=semi -semihosting-config enable=on,target=native,chardev=semi -kernel
      PARENT_SCOPE)
endfunction()
function(kpal_board_of cpu var)
  if(cpu STREQUAL "m0")
    set(${var} microbit PARENT_SCOPE) # the only ARMv6-M board in QEMU 7.2: 16 KiB of RAM
  else()
    set(${var} mps2-an386 PARENT_SCOPE)
  endif()
endfunction()
