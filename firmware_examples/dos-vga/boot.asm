; A boot floppy that shows one kpal-converted image on a VGA: no DOS, just the BIOS.
;
; nasm -f bin boot.asm -o image.img -DMODE=13h|12h|X -DPIXELS='"x.bin"' -DPALETTE='"x.pal"'
;
; The boot sector (the first 512 bytes) reads the rest of the floppy (kpal's palette bytes, then
; its pixel bytes, as `kpal convert --format bin` wrote them) to 1000:0000 one sector at a time,
; sets the video mode, loads the DAC, copies the pixels to A000:0000 (plane by plane through the
; sequencer's map mask in the planar modes), writes 'R' to port E9h (QEMU's debug console: the
; test's "ready" signal) and halts.

%ifndef MODE
%error "define MODE: 13h, 12h or X"
%endif

%ifidni MODE, 13h
  %define BIOS_MODE 13h
  %define PLANES 1
  %define PLANE_BYTES 64000
%elifidni MODE, 12h
  %define BIOS_MODE 12h
  %define PLANES 4
  %define PLANE_BYTES 38400          ; 640 x 480 / 8
  %define ATTRIBUTE_IDENTITY
%elifidni MODE, X
  %define BIOS_MODE 13h              ; mode X starts as 13h, then is unchained
  %define PLANES 4
  %define PLANE_BYTES 19200          ; 320 / 4 x 240
  %define UNCHAINED_240
%else
  %error "MODE must be 13h, 12h or X"
%endif

LOAD_SEGMENT equ 1000h

        bits 16
        org 7C00h
start:
        cli
        xor ax, ax
        mov ds, ax
        mov ss, ax
        mov sp, 7C00h
        sti
        mov [drive], dl

        ; Read SECTORS sectors from LBA 1 on, one at a time, 512 bytes apart from 1000:0000.
        mov ax, LOAD_SEGMENT
        mov es, ax
        mov cx, SECTORS
.read:
        push cx
        mov ax, [lba]
        xor dx, dx
        mov cx, 18                   ; sectors a track
        div cx                       ; ax = track (cylinder * 2 + head), dx = sector - 1
        mov cl, dl
        inc cl
        xor dx, dx
        mov bx, 2                    ; heads
        div bx                       ; ax = cylinder, dx = head
        mov ch, al
        mov dh, dl
        mov dl, [drive]
        xor bx, bx
        mov ax, 0201h                ; read one sector to es:bx
        int 13h
        jc fail
        mov ax, es
        add ax, 512 / 16
        mov es, ax
        inc word [lba]
        pop cx
        loop .read

        mov ax, BIOS_MODE
        int 10h

%ifdef UNCHAINED_240
        ; Mode X, 320 x 240 (Abrash, Graphics Programming Black Book, chapter 47).
        mov dx, 3C4h
        mov ax, 0604h                ; memory mode: chain 4 off
        out dx, ax
        mov ax, 0100h                ; synchronous reset
        out dx, ax
        mov dx, 3C2h
        mov al, 0E3h                 ; 25 MHz dot clock, 480-line sync polarity
        out dx, al
        mov dx, 3C4h
        mov ax, 0300h                ; restart the sequencer
        out dx, ax
        mov dx, 3D4h
        mov al, 11h                  ; unprotect CRTC registers 0-7
        out dx, al
        inc dx
        in al, dx
        and al, 7Fh
        out dx, al
        dec dx
        mov si, crtc240
        mov cx, crtc240_count
.crtc:
        lodsw
        out dx, ax
        loop .crtc
%endif

%ifdef ATTRIBUTE_IDENTITY
        ; Pixel value n goes through attribute palette register n: make it the identity.
        mov dx, 3DAh
        in al, dx                    ; reset the address/data flip-flop
        mov dx, 3C0h
        xor al, al
.attribute:
        out dx, al                   ; index n
        out dx, al                   ; value n
        inc al
        cmp al, 16
        jb .attribute
        mov al, 20h                  ; video on again
        out dx, al
%endif

        ; The DAC: PALETTE_BYTES bytes of R, G, B (0..63) from entry 0.
        mov ax, LOAD_SEGMENT
        mov ds, ax
        xor si, si
        mov dx, 3C8h
        xor al, al
        out dx, al
        inc dx
        mov cx, PALETTE_BYTES
        rep outsb

        ; The pixels, one plane after another.
        mov ax, 0A000h
        mov es, ax
        xor bp, bp                   ; plane
.plane:
%if PLANES > 1
        mov dx, 3C4h
        mov al, 02h                  ; map mask: write to plane bp only
        mov ah, 1
        mov cx, bp
        shl ah, cl
        out dx, ax
%endif
        mov eax, LOAD_SEGMENT * 16 + PALETTE_BYTES
        movzx ebx, bp
        imul ebx, ebx, PLANE_BYTES
        add eax, ebx
        mov ebx, eax
        shr eax, 4
        mov ds, ax
        and bx, 15
        mov si, bx
        xor di, di
        mov cx, PLANE_BYTES
        rep movsb
        inc bp
        cmp bp, PLANES
        jb .plane

        mov al, 'R'
        out 0E9h, al
hang:
        cli
        hlt
        jmp hang

fail:
        mov al, 'E'
        out 0E9h, al
        jmp hang

%ifdef UNCHAINED_240
crtc240:
        dw 0D06h, 3E07h, 4109h, 0EA10h, 0AC11h, 0DF12h, 0014h, 0E715h, 0616h, 0E317h
crtc240_count equ ($ - crtc240) / 2
%endif

drive:  db 0
lba:    dw 1

        times 510 - ($ - $$) db 0
        dw 0AA55h

; The data the boot sector loads: kpal's palette bytes, then its pixel bytes.
data:
palette:
        incbin PALETTE
pixels:
        incbin PIXELS
data_end:
PALETTE_BYTES equ pixels - palette
SECTORS equ (data_end - data + 511) / 512

        times 1474560 - ($ - $$) db 0    ; a 1.44 MB floppy
