; An NES ROM (NROM-128) that shows a kpal background: tiles.bin (the CHR-ROM's pattern table 0),
; map.bin (a whole nametable with its attribute table, 1024 bytes) and pal.bin (4 master palette
; codes a palette, up to four palettes) as `kpal convert IMAGE -t nes-bg -o tiles.bin` writes them
; (tiles.bin, tiles.map, tiles.pal), copied as they are: the nametable to $2000, the palettes to
; $3F00 + 4 * BANK (and the first one's colour 0 to the backdrop, $3F00). ca65 and ld65 -C nes.cfg;
; BANK, the first palette's number, comes from -D BANK=N.
; NESdev wiki: "PPU registers", "PPU palettes", "PPU nametables", "Init code", "INES".
PPUCTRL   = $2000
PPUMASK   = $2001
PPUSTATUS = $2002
PPUSCROLL = $2005
PPUADDR   = $2006
PPUDATA   = $2007

.segment "HEADER"
        .byte "NES", $1A, 1, 1, 0, 0    ; 16 KiB PRG, 8 KiB CHR, mapper 0
        .res 8, 0

.segment "ZEROPAGE"
source: .res 2

.segment "CODE"
reset:  sei
        cld
        ldx #$FF
        txs
        inx                             ; 0
        stx PPUCTRL                     ; no NMI
        stx PPUMASK                     ; rendering off
        bit PPUSTATUS
@wait1: bit PPUSTATUS                   ; two vertical blanks: the PPU is warm
        bpl @wait1
@wait2: bit PPUSTATUS
        bpl @wait2

        lda #$3F                        ; the backdrop
        sta PPUADDR
        lda #$00
        sta PPUADDR
        lda palette
        sta PPUDATA
        lda #$3F                        ; the palettes, from bank BANK on
        sta PPUADDR
        lda #(4 * BANK)
        sta PPUADDR
        ldx #0
@pal:   lda palette, x
        sta PPUDATA
        inx
        cpx #(palette_end - palette)
        bne @pal

        lda #$20                        ; nametable 0 and its attribute table
        sta PPUADDR
        lda #$00
        sta PPUADDR
        lda #<map
        sta source
        lda #>map
        sta source + 1
        ldx #4                          ; four pages of 256 bytes
        ldy #0
@map:   lda (source), y
        sta PPUDATA
        iny
        bne @map
        inc source + 1
        dex
        bne @map

        bit PPUSTATUS                   ; scroll 0, 0
        lda #0
        sta PPUSCROLL
        sta PPUSCROLL
        sta PPUCTRL                     ; nametable $2000, background tiles at $0000
        lda #%00001010                  ; background on, in the leftmost 8 pixels too
        sta PPUMASK
forever:
        jmp forever

nmi:
irq:    rti

.segment "RODATA"
palette: .incbin "pal.bin"
palette_end:
map:     .incbin "map.bin"

.segment "VECTORS"
        .word nmi, reset, irq

.segment "CHARS"
        .incbin "tiles.bin"
