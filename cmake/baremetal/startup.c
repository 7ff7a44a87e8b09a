/* Reset and fault handling for the emulated Cortex-M boards: the vector table, .data copied
 * from flash and .bss zeroed before main, the FPU enabled on hard-float builds, and any fault
 * ending the run with status 99 (through semihosting), so a crash fails its test. */
#include "semihost.h"

#include <stddef.h>
#include <stdint.h>

extern uint32_t _sidata, _sdata, _edata, _sbss, _ebss, _estack;
int main(void);
void reset_handler(void);
void fault_handler(void);

void reset_handler(void) {
    uint32_t *src = &_sidata, *dst;
    for (dst = &_sdata; dst < &_edata;) *dst++ = *src++;
    for (dst = &_sbss; dst < &_ebss;) *dst++ = 0;
#if defined(__ARM_FP)
    /* CPACR: full access to coprocessors 10 and 11 (the FPU) before any FP instruction. */
    *(volatile uint32_t*)0xe000ed88u |= 0xfu << 20;
    __asm__ volatile("dsb\n\tisb");
#endif
    io_exit(main());
}

void fault_handler(void) {
    io_print("fault\n");
    io_exit(99);
}

__attribute__((section(".vectors"), used)) static void (*const vectors[16])(void) = {
    (void (*)(void))(uintptr_t)&_estack,
    reset_handler,
    fault_handler, /* NMI */
    fault_handler, /* HardFault */
    fault_handler,
    fault_handler,
    fault_handler,
    0,
    0,
    0,
    0,
    fault_handler, /* SVCall */
    0,
    0,
    fault_handler, /* PendSV */
    fault_handler, /* SysTick */
};

/* GCC may call these for structure copies even in freestanding code. */
void* memcpy(void* dst, const void* src, size_t n);
void* memset(void* dst, int c, size_t n);
void* memcpy(void* dst, const void* src, size_t n) {
    unsigned char* d = dst;
    const unsigned char* s = src;
    while (n--) *d++ = *s++;
    return dst;
}
void* memset(void* dst, int c, size_t n) {
    unsigned char* d = dst;
    while (n--) *d++ = (unsigned char)c;
    return dst;
}
