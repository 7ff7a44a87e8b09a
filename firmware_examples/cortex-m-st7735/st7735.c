#include "st7735.h"

/* Commands from the Sitronix ST7735S datasheet (section 10.1). */
enum {
    SWRESET = 0x01, /* software reset */
    SLPOUT = 0x11,  /* sleep out */
    NORON = 0x13,   /* normal display mode */
    DISPON = 0x29,  /* display on */
    CASET = 0x2a,   /* column address window */
    RASET = 0x2b,   /* row address window */
    RAMWR = 0x2c,   /* memory write: pixel data follows */
    MADCTL = 0x36,  /* memory access control: orientation, RGB/BGR order */
    COLMOD = 0x3a   /* interface pixel format */
};

static void command(uint8_t c) {
    spi_write(0, c);
}

static void data(uint8_t d) {
    spi_write(1, d);
}

static void window(uint16_t x0, uint16_t y0, uint16_t x1, uint16_t y1) {
    command(CASET);
    data((uint8_t)(x0 >> 8)), data((uint8_t)x0), data((uint8_t)(x1 >> 8)), data((uint8_t)x1);
    command(RASET);
    data((uint8_t)(y0 >> 8)), data((uint8_t)y0), data((uint8_t)(y1 >> 8)), data((uint8_t)y1);
}

void st7735_init(void) {
    command(SWRESET); /* real hardware: wait 120 ms here, and after SLPOUT */
    command(SLPOUT);
    command(COLMOD);
    data(0x05); /* 16 bits a pixel, RGB565 */
    command(MADCTL);
    data(0x60); /* MX | MV: landscape, 160 columns by 128 rows, RGB order */
    command(NORON);
    command(DISPON);
}

void st7735_draw_4bpp(uint16_t x, uint16_t y, uint16_t width, uint16_t height,
                      const uint8_t* pixels, uint16_t stride, const uint8_t* palette) {
    uint16_t row, col;
    window(x, y, (uint16_t)(x + width - 1), (uint16_t)(y + height - 1));
    command(RAMWR);
    for (row = 0; row < height; ++row)
        for (col = 0; col < width; ++col) {
            const uint8_t packed = pixels[row * stride + col / 2];
            const uint8_t index = col % 2 ? packed & 15 : packed >> 4;
            data(palette[2 * index]); /* RGB565, high byte first: what the panel expects */
            data(palette[2 * index + 1]);
        }
}
