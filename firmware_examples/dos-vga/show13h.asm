; A DOS program (.COM) that shows one kpal-converted mode 13h image, for DOSBox or real DOS.
;
; nasm -f bin show13h.asm -o SHOW.COM -DPIXELS='"x.bin"' -DPALETTE='"x.pal"'
;
; Sets mode 13h, loads the DAC from kpal's palette bytes, copies kpal's 64 000 pixel bytes to
; A000:0000, then creates the file READY.FLG (the test's signal that the image is up) and waits
; for a key; on a key it restores text mode and exits. Everything fits one 64 KiB segment.

        bits 16
        org 100h

        mov ax, 0013h
        int 10h

        mov dx, 3C8h                 ; the DAC, from entry 0
        xor al, al
        out dx, al
        inc dx
        mov si, palette
        mov cx, pixels - palette
        rep outsb

        push es
        mov ax, 0A000h
        mov es, ax
        xor di, di
        mov si, pixels
        mov cx, 64000
        rep movsb
        pop es

        mov ah, 3Ch                  ; create READY.FLG
        xor cx, cx
        mov dx, flag
        int 21h
        jc .wait
        mov bx, ax
        mov ah, 3Eh                  ; and close it
        int 21h
.wait:
        xor ah, ah                   ; wait for a key
        int 16h
        mov ax, 0003h
        int 10h
        mov ax, 4C00h
        int 21h

flag:   db "READY.FLG", 0
palette:
        incbin PALETTE
pixels:
        incbin PIXELS
