| A Mega Drive / Genesis ROM that shows one kpal background (target md-bg): the palette goes
| into CRAM, the tiles into VRAM, and the name table row by row into plane A (64x32 entries at
| 0xC000) as it is. After ../shared/CONSOLES.md and the Sega Genesis Software Manual (VDP).
|
|   m68k-linux-gnu-as -I DIR show.s --defsym MAPW=w --defsym MAPH=h --defsym OFFSET=n
|                     --defsym BANK=b -o show.o
|   m68k-linux-gnu-ld -e 0 -Ttext=0 show.o -o show.elf
|   m68k-linux-gnu-objcopy -O binary show.elf show.bin
|
| DIR holds tiles.bin, map.bin and pal.bin (kpal's NAME.bin, NAME.map, NAME.pal); MAPW x MAPH is
| the map's size in tiles (at most 64 x 32); OFFSET and BANK are kpal's --tile-offset and
| --palette-bank. The backdrop is CRAM entry 0.
        .text
        .long   0x00FFFE00              | initial stack pointer
        .long   start                   | reset
        .rept   62
        .long   start                   | every exception restarts
        .endr
        .ascii  "SEGA MEGA DRIVE "      | 0x100
        .ascii  "(C)KPAL 2026.DEC"
        .org    0x1A0
        .long   0, rom_end - 1          | ROM start and end
        .org    0x200

        .equ    VDP_DATA, 0xC00000
        .equ    VDP_CTRL, 0xC00004
        | The control word that sets the VDP's write address to A in VRAM (or CRAM, VSRAM).
        .macro  vram_at addr
        .long   0x40000000 + (((\addr) & 0x3FFF) << 16) + ((\addr) >> 14)
        .endm

start:  move.w  #0x2700, %sr
        move.b  0xA10001, %d0           | TMSS: say SEGA on consoles that have it
        andi.b  #0x0F, %d0
        beq.s   1f
        move.l  #0x53454741, 0xA14000
1:      lea     VDP_CTRL, %a0
        lea     VDP_DATA, %a1
        lea     registers, %a2
        moveq   #registers_end - registers - 1, %d1
        lsr.w   #1, %d1
2:      move.w  (%a2)+, (%a0)
        dbra    %d1, 2b
        move.l  #0x40000000, (%a0)      | clear VRAM
        move.w  #0x7FFF, %d1
3:      move.w  #0, (%a1)
        dbra    %d1, 3b
        move.l  #0x40000010, (%a0)      | vertical scroll 0
        move.l  #0, (%a1)
        move.l  #0xC0000000 + ((BANK * 32) << 16), (%a0) | CRAM, line BANK
        lea     pal, %a2
        move.w  #(pal_end - pal) / 2 - 1, %d1
4:      move.w  (%a2)+, (%a1)
        dbra    %d1, 4b
        move.l  tiles_at, (%a0)
        lea     tiles, %a2
        move.w  #(tiles_end - tiles) / 2 - 1, %d1
5:      move.w  (%a2)+, (%a1)
        dbra    %d1, 5b
        lea     map, %a2                | the name table, a row of MAPW entries at a time
        move.w  #MAPH - 1, %d2
        move.l  plane_at, %d3
6:      move.l  %d3, (%a0)
        move.w  #MAPW - 1, %d1
7:      move.w  (%a2)+, (%a1)
        dbra    %d1, 7b
        addi.l  #128 << 16, %d3         | the next row of the 64-wide plane
        dbra    %d2, 6b
        move.w  #0x8144, (%a0)          | display on
hang:   bra.s   hang

        .balign 2
| Mode 5, display off while loading, plane A and B at 0xC000, sprites at 0xF000, backdrop colour
| 0, H40 (320x224), autoincrement 2, 64x32 planes, no window.
registers:
        .word   0x8004, 0x8104, 0x8230, 0x8406, 0x8578, 0x8700, 0x8B00, 0x8C81, 0x8D3F
        .word   0x8F02, 0x9001, 0x9100, 0x9200
registers_end:
tiles_at:
        vram_at OFFSET * 32
plane_at:
        vram_at 0xC000
pal:    .incbin "pal.bin"
pal_end:
tiles:  .incbin "tiles.bin"
tiles_end:
map:    .incbin "map.bin"
map_end:
        .balign 2
rom_end:
