/* io_* through stdio, for the PC build of a test program. */
#include "semihost.h"

#include <stdio.h>
#include <stdlib.h>

#define MAX_FILES 16
static FILE* files[MAX_FILES];

int io_open(const char* path, int mode) {
    int h;
    for (h = 0; h < MAX_FILES; ++h)
        if (!files[h]) {
            files[h] = fopen(path, mode == IO_WRITE ? "wb" : "rb");
            return files[h] ? h : -1;
        }
    return -1;
}

uint32_t io_read(int handle, void* buf, uint32_t size) {
    return (uint32_t)fread(buf, 1, size, files[handle]);
}

int io_write(int handle, const void* buf, uint32_t size) {
    return fwrite(buf, 1, size, files[handle]) == size ? 0 : -1;
}

int io_seek(int handle, uint32_t pos) {
    return fseek(files[handle], (long)pos, SEEK_SET);
}

void io_close(int handle) {
    fclose(files[handle]);
    files[handle] = NULL;
}

void io_print(const char* text) {
    fputs(text, stdout);
    fflush(stdout);
}

void io_exit(int status) {
    exit(status);
}
