/* The emulated board both programs run on: the SPI bus wired to the panel model, and a dump of
 * what the panel holds for the tests. */
#ifndef BOARD_H
#define BOARD_H

/* Writes the panel's memory to `path` (RGB565, high byte first) through semihosting, after
 * checking that the driver switched the panel on; prints what it did. Returns 0 when done. */
int board_dump_panel(const char* path);

#endif
