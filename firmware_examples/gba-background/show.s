@ A Game Boy Advance ROM that shows one kpal background (target gba-bg-4bpp or gba-bg-8bpp,
@ converted with --screen-blocks so that its map is a 32x32 screen block): the palette, the tiles
@ and the map are copied into palette RAM and VRAM as they are, then BG0 is switched on.
@
@   arm-none-eabi-as -I DIR show.s --defsym BANK=b --defsym OFFSET=n --defsym BPP8=0|1 -o show.o
@   arm-none-eabi-ld -Ttext=0x08000000 show.o -o show.elf
@   arm-none-eabi-objcopy -O binary show.elf show.gba
@
@ DIR holds tiles.bin, map.bin and pal.bin (kpal's NAME.bin, NAME.map, NAME.pal); BANK and OFFSET
@ are the --palette-bank and --tile-offset given to kpal. Registers after GBATEK: DISPCNT 0x4000000
@ (mode 0, BG0 on: 0x0100; forced blank: 0x0080), BG0CNT 0x4000008 (char base 0, 4bpp or 8bpp
@ (bit 7), screen base 31: map at 0x600F800). The word 0x600DF00D at 0x2000000 tells the capture
@ program that the picture is up.
        .arm
        .section .text
        .global _start
_start: b       reset
        .space  0xB2 - 4            @ the logo and title: left zero (no BIOS checks them)
        .byte   0x96                @ fixed value
        .space  0xBD - 0xB3
        .byte   0x51                @ complement check: -(sum of 0xA0..0xBC) - 0x19
        .space  0xC0 - 0xBE

@ Copies halfwords from r1 up to r3 to r2 (VRAM and palette RAM take 16- and 32-bit writes).
        .macro  copy from, to, end
        ldr     r1, =\from
        ldr     r2, =\to
        ldr     r3, =\end
1:      ldrh    r4, [r1], #2
        strh    r4, [r2], #2
        cmp     r1, r3
        blo     1b
        .endm

reset:  ldr     r0, =0x04000000
        mov     r1, #0x80           @ forced blank while loading
        strh    r1, [r0]
        ldr     r1, =0x05000000     @ backdrop (entry 0): black, for banks other than 0
        mov     r2, #0
        strh    r2, [r1]
        copy    pal, 0x05000000 + BANK * 32, pal_end
        copy    tiles, 0x06000000 + OFFSET * (32 + 32 * BPP8), tiles_end
        copy    map, 0x0600F800, map_end
        ldr     r1, =0x1F00 | (BPP8 << 7)
        strh    r1, [r0, #8]        @ BG0CNT
        mov     r1, #0x100
        strh    r1, [r0]            @ DISPCNT: mode 0, BG0
        ldr     r0, =0x02000000
        ldr     r1, =0x600DF00D
        str     r1, [r0]
hang:   b       hang
        .ltorg

        .balign 4
pal:    .incbin "pal.bin"
pal_end:
        .balign 4
tiles:  .incbin "tiles.bin"
tiles_end:
        .balign 4
map:    .incbin "map.bin"
map_end:
