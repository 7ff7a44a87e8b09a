/* A tiny I/O interface for test programs: ARM semihosting on the emulated boards (semihost.c),
 * stdio on the PC (host_io.c), so one driver runs everywhere and writes the same files. */
#ifndef KPAL_SEMIHOST_H
#define KPAL_SEMIHOST_H

#include <stdint.h>

enum { IO_READ = 1, IO_WRITE = 5 }; /* semihosting modes "rb" and "wb" */

/* A handle (>= 0) for the file at `path` (relative to the emulator's working folder), or -1. */
int io_open(const char* path, int mode);
/* Bytes read into `buf` (fewer at the end of the file). */
uint32_t io_read(int handle, void* buf, uint32_t size);
/* 0 when all `size` bytes were written. */
int io_write(int handle, const void* buf, uint32_t size);
/* 0 when the file position is now `pos`. */
int io_seek(int handle, uint32_t pos);
void io_close(int handle);
/* Prints a C string on the emulator's standard output. */
void io_print(const char* text);
/* Ends the program with an exit status the shell sees. */
void io_exit(int status);

#endif
