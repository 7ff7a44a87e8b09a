/* A minimal ST7735 driver: the command sequence a real 160x128 SPI panel needs, written
 * through one function the board provides (spi_write), so the same code drives real hardware
 * or the panel model in panel.c. */
#ifndef ST7735_H
#define ST7735_H

#include <stdint.h>

/* The board's SPI: sends one byte with the D/C line low (command) or high (data). */
void spi_write(int data, uint8_t byte);

/* Wakes the panel and sets 16-bit colour, landscape 160x128. */
void st7735_init(void);

/* Sends a 4-bit packed image (leftmost pixel in the high nibble, `stride` bytes a row) through
 * its RGB565 palette (16 entries, high byte first, as kpal's st7735-4bpp target emits them) to
 * the window at (x, y). */
void st7735_draw_4bpp(uint16_t x, uint16_t y, uint16_t width, uint16_t height,
                      const uint8_t* pixels, uint16_t stride, const uint8_t* palette);

#endif
