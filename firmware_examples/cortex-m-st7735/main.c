/* Shows a picture converted by kpal at build time (target st7735-4bpp, symbol picture) on an
 * ST7735 panel, then dumps what the panel holds (panel.rgb565, RGB565 high byte first) through
 * semihosting, so that a test can compare it with `kpal convert --preview`. */
#include "kodim23.h" /* written by kpal at build time: picture_pixels, picture_palette */
#include "panel.h"
#include "semihost.h"
#include "st7735.h"

/* On real hardware this would drive the SPI peripheral and the D/C pin. */
void spi_write(int data, uint8_t byte) {
    panel_receive(data, byte);
}

int main(void) {
    static uint8_t dump[2 * PANEL_WIDTH * PANEL_HEIGHT];
    uint32_t x, y, i = 0;
    int out;
    st7735_init();
    st7735_draw_4bpp(0, 0, PICTURE_WIDTH, PICTURE_HEIGHT, picture_pixels, PICTURE_STRIDE,
                     picture_palette);
    if (!panel_ready()) {
        io_print("panel not initialised\n");
        return 1;
    }
    for (y = 0; y < PANEL_HEIGHT; ++y)
        for (x = 0; x < PANEL_WIDTH; ++x) {
            dump[i++] = (uint8_t)(panel_memory[y][x] >> 8);
            dump[i++] = (uint8_t)panel_memory[y][x];
        }
    out = io_open("panel.rgb565", IO_WRITE);
    if (out < 0 || io_write(out, dump, sizeof dump)) {
        io_print("cannot write panel.rgb565\n");
        return 1;
    }
    io_close(out);
    io_print("panel: 160x128 written to panel.rgb565\n");
    return 0;
}
