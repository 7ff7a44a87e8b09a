/* A model of an ST7735 panel's controller: it decodes the command and data bytes a driver
 * sends over SPI and keeps the panel's 160x128 RGB565 memory, as the chip would. */
#ifndef PANEL_H
#define PANEL_H

#include <stdint.h>

#define PANEL_WIDTH 160
#define PANEL_HEIGHT 128

/* The panel's memory: RGB565 words, row-major, as shown (after MADCTL). */
extern uint16_t panel_memory[PANEL_HEIGHT][PANEL_WIDTH];

/* One byte on the bus, D/C low (data = 0) or high (data = 1). */
void panel_receive(int data, uint8_t byte);

/* Whether the display was switched on and set to 16-bit colour, as a test expects. */
int panel_ready(void);

#endif
