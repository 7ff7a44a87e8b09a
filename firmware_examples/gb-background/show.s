; A Game Boy (DMG) ROM that shows a kpal background: tiles.bin, map.bin and pal.bin (the
; files `kpal convert IMAGE -t gb-bg -o tiles.bin` writes as tiles.bin, tiles.map, tiles.pal)
; are copied as they are into VRAM (tiles at 0x8000, the map's rows into the 32-wide map at
; 0x9800) and BGP; then it writes 0x600DF00D at 0xC000 for the capture tool and waits.
; sdasgb (SDCC's assembler); MAPW and MAPH, the map's size in tiles, come from the command line
; (a file that defines them, assembled first). Pan Docs: "LCD Control", "Palettes", "VRAM".
        .area ROM (ABS)
        .org 0x100
        nop
        jp start

        .org 0x150
start:
        di
        ld sp, #0xfffe
wait_vblank:                    ; VRAM may be written only with the LCD off, in VBlank
        ldh a, (0x44)           ; LY
        cp #144
        jr c, wait_vblank
        xor a
        ldh (0x40), a           ; LCDC: LCD off

        ld hl, #tiles           ; the tiles, to 0x8000 (LCDC bit 4: tile numbers unsigned)
        ld de, #0x8000
        ld bc, #tiles_end - tiles
        call copy

        ld hl, #map             ; each map row to a row of the 32x32 map at 0x9800
        ld de, #0x9800
        ld c, #MAPH
row:    ld b, #MAPW
column: ld a, (hli)
        ld (de), a
        inc de
        dec b
        jr nz, column
        ld a, e                 ; the rest of the hardware's row
        add a, #(32 - MAPW)
        ld e, a
        ld a, d
        adc a, #0
        ld d, a
        dec c
        jr nz, row

        ld a, (palette)         ; BGP: the shade of each colour
        ldh (0x47), a
        xor a
        ldh (0x42), a           ; SCY
        ldh (0x43), a           ; SCX
        ld a, #0x91             ; LCDC: LCD on, tiles at 0x8000, map at 0x9800, BG on
        ldh (0x40), a

        ld hl, #0xc000          ; the ready word, low byte first
        ld a, #0x0d
        ld (hli), a
        ld a, #0xf0
        ld (hli), a
        ld a, #0x0d
        ld (hli), a
        ld a, #0x60
        ld (hl), a
forever:
        jr forever

copy:                           ; bc bytes from hl to de
        ld a, b
        or c
        ret z
        ld a, (hli)
        ld (de), a
        inc de
        dec bc
        jr copy

tiles:  .incbin "tiles.bin"
tiles_end:
map:    .incbin "map.bin"
palette:
        .incbin "pal.bin"
