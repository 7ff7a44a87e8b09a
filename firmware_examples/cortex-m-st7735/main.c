/* Shows a picture converted by kpal at build time (target st7735-4bpp, symbol picture) on an
 * ST7735 panel, then dumps what the panel holds (panel.rgb565, RGB565 high byte first) through
 * semihosting, so that a test can compare it with `kpal convert --preview`. */
#include "board.h"
#include "kodim23.h" /* written by kpal at build time: picture_pixels, picture_palette */
#include "st7735.h"

int main(void) {
    st7735_init();
    st7735_draw_4bpp(0, 0, PICTURE_WIDTH, PICTURE_HEIGHT, picture_pixels, PICTURE_STRIDE,
                     picture_palette);
    return board_dump_panel("panel.rgb565");
}
