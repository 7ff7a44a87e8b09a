@ A Game Boy Advance ROM that shows one frame of a kpal sprite animation (target gba-obj-4bpp:
@ frames of 4bpp tiles in 1D mapping, one 16-colour bank): the palette and the tiles are copied
@ into object palette RAM and object VRAM as they are, every object but the first is hidden,
@ and the first shows frame FRAME at (X, Y) over a backdrop of magenta.
@
@   arm-none-eabi-as -I DIR show.s --defsym FRAME=f --defsym TILES=t --defsym SHAPE=s \
@       --defsym SIZE=z --defsym X=x --defsym Y=y -o show.o
@   arm-none-eabi-ld -Ttext=0x08000000 show.o -o show.elf
@   arm-none-eabi-objcopy -O binary show.elf show.gba
@
@ DIR holds tiles.bin and pal.bin (kpal's NAME.bin and NAME.pal). TILES is the frame's tiles
@ (NAME_FRAME_TILES), SHAPE and SIZE the OBJ shape (0 square, 1 wide, 2 tall) and size (0-3)
@ of the frame's size. With --defsym PIECES=1 (kpal's --metasprite) DIR also holds pieces.bin
@ and frames.bin (NAME.pcs, NAME.frm), and frame FRAME is its pieces, each an object. Registers after GBATEK: DISPCNT 0x4000000 (mode 0, objects on: 0x1000,
@ 1D mapping: 0x40), backdrop BG palette entry 0 at 0x5000000, object palette 0x5000200, object
@ tiles 0x6010000, OAM 0x7000000 (attribute 0: y, shape; 1: x, size; 2: tile, bank). The word
@ 0x600DF00D at 0x2000000 tells the capture program that the picture is up.
        .arm
        .section .text
        .global _start
_start: b       reset
        .space  0xB2 - 4            @ the logo and title: left zero (no BIOS checks them)
        .byte   0x96                @ fixed value
        .space  0xBD - 0xB3
        .byte   0x51                @ complement check: -(sum of 0xA0..0xBC) - 0x19
        .space  0xC0 - 0xBE

@ Copies halfwords from r1 up to r3 to r2 (VRAM, palette RAM and OAM take 16- and 32-bit writes).
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
        ldr     r1, =0x05000000     @ the backdrop: magenta (BGR555 0x7C1F)
        ldr     r2, =0x7C1F
        strh    r2, [r1]
        copy    pal, 0x05000200, pal_end
        copy    tiles, 0x06010000, tiles_end
        ldr     r1, =0x07000000     @ every object hidden (attribute 0 bit 9)
        ldr     r2, =0x07000400
        mov     r3, #0x200
2:      strh    r3, [r1], #8
        cmp     r1, r2
        blo     2b
        ldr     r1, =0x07000000
.ifdef PIECES
@ A metasprite: the frame's pieces from kpal's tables (8 bytes a piece: x, y, tile, width << 4 |
@ height in tiles, flags; 4 a frame: first piece, count), each an object at (X + x, Y + y).
        ldr     r5, =frames + FRAME * 4
        ldrh    r6, [r5]            @ the first piece
        ldrh    r7, [r5, #2]        @ the pieces
        ldr     r9, =pieces
        add     r9, r9, r6, lsl #3
        ldr     r12, =shapes
3:      cmp     r7, #0
        beq     4f
        ldrsh   r2, [r9]            @ x
        ldrsh   r3, [r9, #2]        @ y
        ldrh    r4, [r9, #4]        @ tile
        ldrb    r10, [r9, #6]       @ width << 4 | height
        ldrb    r11, [r9, #7]       @ flags: 1 h flip, 2 v flip
        mov     r6, r10, lsr #4
        sub     r6, r6, #1
        and     r10, r10, #15
        sub     r10, r10, #1
        add     r6, r10, r6, lsl #3 @ (width - 1) * 8 + height - 1
        ldrb    r6, [r12, r6]       @ shape | size << 2
        add     r3, r3, #Y
        and     r3, r3, #0xFF
        and     r10, r6, #3
        orr     r3, r3, r10, lsl #14
        strh    r3, [r1]            @ attribute 0: y, shape
        add     r2, r2, #X
        ldr     r10, =0x1FF
        and     r2, r2, r10
        orr     r2, r2, r11, lsl #12 @ the flips: bits 12 and 13
        mov     r10, r6, lsr #2
        orr     r2, r2, r10, lsl #14
        strh    r2, [r1, #2]        @ attribute 1: x, flips, size
        strh    r4, [r1, #4]        @ attribute 2: tile, bank 0
        add     r1, r1, #8
        add     r9, r9, #8
        sub     r7, r7, #1
        b       3b
4:
.else
        ldr     r2, =(Y | (SHAPE << 14))
        strh    r2, [r1]
        ldr     r2, =(X | (SIZE << 14))
        strh    r2, [r1, #2]
        ldr     r2, =(FRAME * TILES)
        strh    r2, [r1, #4]
.endif
        ldr     r1, =0x1040         @ DISPCNT: mode 0, 1D object mapping, objects on
        strh    r1, [r0]
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
.ifdef PIECES
        .balign 4
pieces: .incbin "pieces.bin"
        .balign 4
frames: .incbin "frames.bin"
@ Each size in tiles, (width - 1) * 8 + height - 1: its OBJ shape | size << 2 (GBATEK).
shapes: .byte 0x0, 0x2, 0, 0x6, 0, 0, 0, 0     @ width 1: 8x8; 8x16, 8x32 tall
        .byte 0x1, 0x4, 0, 0xA, 0, 0, 0, 0     @ width 2: 16x8 wide; 16x16; 16x32 tall
        .fill 8, 1, 0
        .byte 0x5, 0x9, 0, 0x8, 0, 0, 0, 0xE   @ width 4: 32x8, 32x16 wide; 32x32; 32x64 tall
        .fill 24, 1, 0
        .byte 0, 0, 0, 0xD, 0, 0, 0, 0xC       @ width 8: 64x32 wide; 64x64
.endif
