/* io_* through ARM semihosting (bkpt 0xab; operation in r0, argument block in r1). QEMU needs
 * -semihosting-config enable=on; without it the first call locks the CPU up (a loud failure). */
#include "semihost.h"

#include <stddef.h>

static int call(int op, void* arg) {
    register int r0 __asm__("r0") = op;
    register void* r1 __asm__("r1") = arg;
    __asm__ volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
    return r0;
}

static uint32_t length(const char* s) {
    uint32_t n = 0;
    while (s[n]) ++n;
    return n;
}

int io_open(const char* path, int mode) {
    uint32_t block[3];
    block[0] = (uint32_t)(uintptr_t)path;
    block[1] = (uint32_t)mode;
    block[2] = length(path);
    return call(0x01, block);
}

uint32_t io_read(int handle, void* buf, uint32_t size) {
    uint32_t block[3];
    block[0] = (uint32_t)handle;
    block[1] = (uint32_t)(uintptr_t)buf;
    block[2] = size;
    return size - (uint32_t)call(0x06, block); /* the call returns the bytes not read */
}

int io_write(int handle, const void* buf, uint32_t size) {
    uint32_t block[3];
    block[0] = (uint32_t)handle;
    block[1] = (uint32_t)(uintptr_t)buf;
    block[2] = size;
    return call(0x05, block);
}

int io_seek(int handle, uint32_t pos) {
    uint32_t block[2];
    block[0] = (uint32_t)handle;
    block[1] = pos;
    return call(0x0a, block);
}

void io_close(int handle) {
    uint32_t block[1];
    block[0] = (uint32_t)handle;
    call(0x02, block);
}

void io_print(const char* text) {
    call(0x04, (void*)(uintptr_t)text);
}

void io_exit(int status) {
    uint32_t block[2];
    block[0] = 0x20026; /* ADP_Stopped_ApplicationExit */
    block[1] = (uint32_t)status;
    for (;;) call(0x20, block); /* SYS_EXIT_EXTENDED */
}
