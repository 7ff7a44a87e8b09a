#include "board.h"

#include "panel.h"
#include "semihost.h"
#include "st7735.h"

/* On real hardware this would drive the SPI peripheral and the D/C pin. */
void spi_write(int data, uint8_t byte) {
    panel_receive(data, byte);
}

int board_dump_panel(const char* path) {
    static uint8_t dump[2 * PANEL_WIDTH * PANEL_HEIGHT];
    uint32_t x, y, i = 0;
    int out;
    if (!panel_ready()) {
        io_print("panel not initialised\n");
        return 1;
    }
    for (y = 0; y < PANEL_HEIGHT; ++y)
        for (x = 0; x < PANEL_WIDTH; ++x) {
            dump[i++] = (uint8_t)(panel_memory[y][x] >> 8);
            dump[i++] = (uint8_t)panel_memory[y][x];
        }
    out = io_open(path, IO_WRITE);
    if (out < 0 || io_write(out, dump, sizeof dump)) {
        io_print("cannot write the panel dump\n");
        return 1;
    }
    io_close(out);
    io_print("panel: 160x128 written to ");
    io_print(path);
    io_print("\n");
    return 0;
}
