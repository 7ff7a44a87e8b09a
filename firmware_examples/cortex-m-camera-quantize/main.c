/* A camera frame quantized on the device: the frame (160x128 RGB565, high byte first, as
 * OV7670-class sensors send it) arrives in a frame buffer (here read through semihosting from
 * frame.rgb565, standing in for the camera's DMA), kpal's core designs a 16-colour palette for
 * it and maps it, and the result goes out in the ST7735's formats: 4-bit packed pixels
 * (frame.bin) and an RGB565 palette (frame.pal). `kpal convert frame.png -t st7735-4bpp
 * --engine fixed --format bin` on the PC writes the same bytes. */
#include "kpal/core.h"
#include "semihost.h"

#define WIDTH 160
#define HEIGHT 128
#define COLORS 16

static uint8_t frame[WIDTH * HEIGHT * 2];
static uint8_t indices[WIDTH * HEIGHT];
static uint8_t packed[WIDTH * HEIGHT / 2];
static uint32_t workspace[KPAL_WORKSPACE_BYTES(COLORS) / 4]; /* 9 KiB, no heap */

static int save(const char* path, const uint8_t* bytes, uint32_t size) {
    const int out = io_open(path, IO_WRITE);
    if (out < 0 || io_write(out, bytes, size)) return 1;
    io_close(out);
    return 0;
}

int main(void) {
    const kpal_params params = {COLORS, KPAL_FORMAT_RGB565_BE, KPAL_DITHER_NONE, 0,
                                KPAL_DEFAULT_REFINE_PASSES};
    const kpal_geometry geometry = {WIDTH, HEIGHT, 4, 1};
    uint8_t rgb[3 * COLORS], palette[2 * COLORS];
    uint32_t y;
    int err, in = io_open("frame.rgb565", IO_READ);
    if (in < 0 || io_read(in, frame, sizeof frame) != sizeof frame) {
        io_print("camera: cannot read a 160x128 frame from frame.rgb565\n");
        return 1;
    }
    io_close(in);

    err = kpal_quantize(workspace, sizeof workspace, &params, frame, WIDTH, HEIGHT, 2 * WIDTH,
                        KPAL_RGB565_BE, rgb, indices);
    for (y = 0; y < HEIGHT && !err; ++y)
        err = kpal_pack_row(&geometry, KPAL_LAYOUT_PACKED_MSB, indices + y * WIDTH, y, packed);
    if (!err) err = kpal_encode_palette(KPAL_FORMAT_RGB565_BE, rgb, COLORS, palette);
    if (err) {
        io_print("camera: the core failed\n");
        return 2;
    }
    if (save("frame.bin", packed, sizeof packed) || save("frame.pal", palette, sizeof palette)) {
        io_print("camera: cannot write frame.bin and frame.pal\n");
        return 3;
    }
    io_print("camera: 160x128 frame quantized to 16 colours: frame.bin, frame.pal\n");
    return 0;
}
