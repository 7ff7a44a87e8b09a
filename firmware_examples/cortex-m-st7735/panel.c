#include "panel.h"

uint16_t panel_memory[PANEL_HEIGHT][PANEL_WIDTH];

static struct {
    uint8_t command; /* the last command byte */
    uint8_t args[4]; /* its parameter bytes so far */
    uint32_t nargs;
    uint16_t x0, x1, y0, y1; /* the address window */
    uint16_t x, y;           /* where the next pixel goes */
    uint8_t high;            /* first byte of a pixel */
    int have_high;
    int awake, on, colmod16;
} chip = {0, {0}, 0, 0, PANEL_WIDTH - 1, 0, PANEL_HEIGHT - 1, 0, 0, 0, 0, 0, 0, 0};

static void pixel(uint16_t value) {
    if (chip.x < PANEL_WIDTH && chip.y < PANEL_HEIGHT) panel_memory[chip.y][chip.x] = value;
    /* Memory writes fill the window row by row, wrapping to its start. */
    if (++chip.x > chip.x1) {
        chip.x = chip.x0;
        if (++chip.y > chip.y1) chip.y = chip.y0;
    }
}

void panel_receive(int data, uint8_t byte) {
    if (!data) {
        chip.command = byte;
        chip.nargs = 0;
        chip.have_high = 0;
        if (byte == 0x11) chip.awake = 1;
        if (byte == 0x29) chip.on = 1;
        if (byte == 0x2c) chip.x = chip.x0, chip.y = chip.y0;
        return;
    }
    if (chip.command == 0x2c) { /* RAMWR: 16-bit pixels, high byte first */
        if (!chip.have_high) {
            chip.high = byte;
            chip.have_high = 1;
        } else {
            pixel((uint16_t)(chip.high << 8 | byte));
            chip.have_high = 0;
        }
        return;
    }
    if (chip.nargs < 4) chip.args[chip.nargs++] = byte;
    if (chip.command == 0x3a && chip.nargs == 1) chip.colmod16 = (byte & 7) == 5;
    if (chip.command == 0x2a && chip.nargs == 4) {
        chip.x0 = (uint16_t)(chip.args[0] << 8 | chip.args[1]);
        chip.x1 = (uint16_t)(chip.args[2] << 8 | chip.args[3]);
    }
    if (chip.command == 0x2b && chip.nargs == 4) {
        chip.y0 = (uint16_t)(chip.args[0] << 8 | chip.args[1]);
        chip.y1 = (uint16_t)(chip.args[2] << 8 | chip.args[3]);
    }
}

int panel_ready(void) {
    return chip.awake && chip.on && chip.colmod16;
}
