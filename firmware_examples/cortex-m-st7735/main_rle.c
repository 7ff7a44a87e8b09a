/* The same picture stored compressed (kpal convert --compress gba-rle: picture_pixels is a GBA
 * RLE stream, 6,736 of the 10,240 raw bytes) and unpacked a row at a time by kpal's C core
 * (kpal_rle_read) straight into the panel: no framebuffer, one 80-byte row of RAM. */
#include "board.h"
#include "kodim23.h" /* picture_pixels (compressed), picture_palette, the _SIZE macros */
#include "kpal/core.h"
#include "semihost.h"
#include "st7735.h"

int main(void) {
    static uint8_t row[PICTURE_STRIDE];
    kpal_rle_stream stream;
    uint16_t y;
    st7735_init();
    if (kpal_rle_begin(&stream, picture_pixels, PICTURE_PIXELS_COMPRESSED_SIZE) != KPAL_OK) {
        io_print("not a GBA RLE stream\n");
        return 1;
    }
    for (y = 0; y < PICTURE_HEIGHT; ++y) {
        if (kpal_rle_read(&stream, row, PICTURE_STRIDE) != PICTURE_STRIDE) {
            io_print("the stream ended early\n");
            return 1;
        }
        st7735_draw_4bpp(0, y, PICTURE_WIDTH, 1, row, PICTURE_STRIDE, picture_palette);
    }
    return board_dump_panel("panel.rgb565");
}
