/* Runs the C core on frames read from files, as a device would: rows stream in through small
 * buffers (three passes over each frame), and the encoded palette and packed pixels are written
 * out. The same source runs on the emulated Cortex-M0/M4 (semihosting) and on the PC (stdio);
 * the tests compare their files byte for byte.
 *
 * cases.txt in the working folder lists one case a line: "run FRAME STEM" quantizes FRAME (a
 * .kpc file, see make_frames.cpp) into STEM.pal and STEM.bin; "io FRAME STEM" makes the same
 * reads and writes without calling the core (the instruction-count baseline).
 *
 * "unpack STREAM STEM" unpacks STREAM (a .kpz file: "KPZ1", the kpal_method, three zero bytes,
 * the unpacked size as a u32, then the stream) with kpal_unpack into STEM.bin; "rows STREAM
 * STEM" does it a row of 40 bytes at a time through kpal_rle_read (GBA RLE); "uio STREAM STEM"
 * reads and writes the same bytes without unpacking (the baseline for unpacking's count);
 * "guard STREAM STEM" unpacks a damaged stream into a buffer followed by a guard region and
 * writes STEM.bin: 'G' when the guard is untouched ('X' otherwise), then kpal_unpack's result.
 *
 * A frame's 20-byte header, little-endian: "KPC1", width, height (16 bits each), pixel format,
 * palette format, dither, layout (a byte each), colours (16 bits), bits a pixel, refine passes
 * (a byte each), row alignment and palette size (16 bits each). */
#include "kpal/core.h"
#include "semihost.h"

#define MAX_WIDTH 320u
#define CHUNK 32u /* pixels read at a time */
#define HEADER 20u
#define GUARD 64u /* bytes after an unpack buffer that must stay untouched */

/* The workspace for up to 256 colours, statically allocated as firmware would. */
static uint32_t workspace[KPAL_WORKSPACE_BYTES(256) / 4];

/* The palette is needed only before the remap pass and the row buffers only during it. */
static union {
    uint8_t rgb[3 * 256];
    struct {
        uint8_t pixels[3 * CHUNK];
        uint8_t indices[MAX_WIDTH];
        uint8_t packed[MAX_WIDTH];
    } row;
} buf;

typedef struct frame {
    uint32_t width, height, palette_size, row_align;
    kpal_pixel_format format;
    kpal_params params;
    kpal_layout layout;
    uint8_t bpp;
} frame;

static uint32_t u16(const uint8_t* p) {
    return (uint32_t)p[0] | (uint32_t)p[1] << 8;
}

static void print_number(uint32_t n) {
    char text[12];
    int at = 11;
    text[at] = 0;
    do {
        text[--at] = (char)('0' + n % 10u);
        n /= 10u;
    } while (n);
    io_print(text + at);
}

static int fail(const char* stem, const char* why, int err) {
    io_print(stem);
    io_print(": ");
    io_print(why);
    if (err < 0) {
        io_print(" (error -");
        print_number((uint32_t)-err);
        io_print(")");
    }
    io_print("\n");
    return 1;
}

/* path = stem + suffix (path holds 64 bytes; stems are at most 39). */
static void file_name(char* path, const char* stem, const char* suffix) {
    while (*stem) *path++ = *stem++;
    while (*suffix) *path++ = *suffix++;
    *path = 0;
}

static int read_header(int in, frame* f) {
    uint8_t h[HEADER];
    if (io_read(in, h, HEADER) != HEADER || h[0] != 'K' || h[1] != 'P' || h[2] != 'C' ||
        h[3] != '1')
        return -1;
    f->width = u16(h + 4);
    f->height = u16(h + 6);
    f->format = (kpal_pixel_format)h[8];
    f->params.palette_format = h[9];
    f->params.dither = h[10];
    f->layout = (kpal_layout)h[11];
    f->params.colors = (uint16_t)u16(h + 12);
    f->bpp = h[14];
    f->row_align = u16(h + 16);
    f->palette_size = u16(h + 18);
    f->params.iterations = 0;
    f->params.refine_passes = h[15];
    return f->width == 0 || f->width > MAX_WIDTH || f->height == 0 || f->palette_size > 256 ||
                   f->params.colors > f->palette_size
               ? -1
               : 0;
}

/* One pass over the frame's pixels in chunks: pass 1 (histogram), 2 (refine) or none (io). */
static int stream(int in, const frame* f, int pass) {
    const uint32_t bytes = f->format == KPAL_RGB888 ? 3u : 2u;
    uint32_t y, x, n;
    int err = 0;
    if (io_seek(in, HEADER)) return KPAL_ERR_ARGUMENT;
    for (y = 0; y < f->height; ++y)
        for (x = 0; x < f->width; x += n) {
            n = f->width - x < CHUNK ? f->width - x : CHUNK;
            if (io_read(in, buf.row.pixels, n * bytes) != n * bytes) return KPAL_ERR_ARGUMENT;
            if (pass == 1) err = kpal_histogram(workspace, buf.row.pixels, n, f->format);
            if (pass == 2) err = kpal_refine(workspace, buf.row.pixels, n, f->format);
            if (err) return err;
        }
    return 0;
}

static int run_case(int core, const char* frame_path, const char* stem) {
    char path[64];
    frame f;
    kpal_geometry row;
    uint32_t i, y, x, n, p, stride, bytes;
    uint8_t entry[4];
    int in, out, err = 0, pass;
    in = io_open(frame_path, IO_READ);
    if (in < 0) return fail(frame_path, "cannot open", 0);
    if (read_header(in, &f)) return fail(frame_path, "not a frame this driver takes", 0);
    bytes = f.format == KPAL_RGB888 ? 3u : 2u;
    if (kpal_workspace_size(&f.params) > sizeof workspace)
        return fail(stem, "workspace too small", 0);

    if (core) {
        err = kpal_begin(workspace, sizeof workspace, &f.params);
        if (!err) err = stream(in, &f, 1);
        if (!err) err = kpal_cluster(workspace);
        for (pass = 0; !err && pass < f.params.refine_passes; ++pass) {
            err = stream(in, &f, 2);
            if (!err) err = kpal_refine_end(workspace);
            if (err == 0) break; /* converged */
            if (err > 0) err = 0;
        }
        if (!err) err = kpal_palette(workspace, buf.rgb);
        if (err) return fail(stem, "palette design failed", err);
    } else {
        for (pass = 0; pass < 1 + f.params.refine_passes; ++pass) stream(in, &f, 0);
        for (i = 0; i < 3u * f.params.colors; ++i) buf.rgb[i] = 0;
    }

    /* The palette: K entries, then black to the target's palette size (as kpal convert). */
    file_name(path, stem, ".pal");
    out = io_open(path, IO_WRITE);
    if (out < 0) return fail(path, "cannot write", 0);
    for (i = 0; i < f.palette_size; ++i) {
        static const uint8_t black[3] = {0, 0, 0};
        const uint8_t* rgb = i < f.params.colors ? buf.rgb + 3u * i : black;
        kpal_encode_palette(f.params.palette_format, rgb, 1, entry);
        io_write(out, entry, kpal_palette_formats[f.params.palette_format].bytes);
    }
    io_close(out);

    /* Pass 3: each row remapped in chunks, packed, and written (planes apart when planar). */
    file_name(path, stem, ".bin");
    out = io_open(path, IO_WRITE);
    if (out < 0) return fail(path, "cannot write", 0);
    row.width = f.width;
    row.height = 1;
    row.bpp = f.bpp;
    row.row_align = (uint16_t)f.row_align;
    stride = kpal_packed_stride(&row, f.layout);
    if (stride == 0 || io_seek(in, HEADER)) return fail(stem, "layout does not fit", 0);
    for (y = 0; y < f.height; ++y) {
        for (x = 0; x < f.width; x += n) {
            n = f.width - x < CHUNK ? f.width - x : CHUNK;
            if (io_read(in, buf.row.pixels, n * bytes) != n * bytes)
                return fail(frame_path, "short read", 0);
            if (core)
                err = kpal_remap(workspace, buf.row.pixels, x, y, n, f.format, buf.row.indices + x);
            else
                for (i = 0; i < n; ++i) buf.row.indices[x + i] = 0;
            if (err) return fail(stem, "remap failed", err);
        }
        if (core) err = kpal_pack_row(&row, f.layout, buf.row.indices, 0, buf.row.packed);
        if (err) return fail(stem, "pack failed", err);
        if (f.layout == KPAL_LAYOUT_PLANAR) {
            for (p = 0; p < f.bpp; ++p) {
                io_seek(out, (p * f.height + y) * stride);
                io_write(out, buf.row.packed + p * stride, stride);
            }
        } else {
            io_write(out, buf.row.packed, stride);
        }
    }
    io_close(out);
    io_close(in);
    io_print(stem);
    io_print(": ");
    print_number(f.width);
    io_print("x");
    print_number(f.height);
    io_print(", ");
    print_number(f.params.colors);
    io_print(" colours, workspace ");
    print_number((uint32_t)kpal_workspace_size(&f.params));
    io_print(" bytes\n");
    return 0;
}

static uint32_t u32(const uint8_t* p) {
    return u16(p) | u16(p + 2) << 16;
}

/* Unpacking, as firmware does it: the stream read into RAM (here the workspace's first part),
 * unpacked into the rest. */
static int unpack_case(char mode, const char* stream_path, const char* stem) {
    uint8_t* const ram = (uint8_t*)workspace;
    char path[64];
    uint8_t h[12];
    uint32_t in_size, size;
    int32_t got = 0;
    int in = io_open(stream_path, IO_READ), out;
    if (in < 0) return fail(stream_path, "cannot open", 0);
    if (io_read(in, h, 12) != 12 || h[0] != 'K' || h[1] != 'P' || h[2] != 'Z' || h[3] != '1')
        return fail(stream_path, "not a .kpz stream", 0);
    size = u32(h + 8);
    in_size = io_read(in, ram, (uint32_t)sizeof workspace);
    io_close(in);
    if (in_size + size + GUARD > sizeof workspace) return fail(stem, "does not fit the RAM", 0);
    if (mode == 'g') { /* a damaged stream: any result, but nothing written past the buffer */
        uint8_t result[5];
        uint32_t i;
        for (i = 0; i < GUARD; ++i) ram[in_size + size + i] = 0xee;
        got = kpal_unpack((kpal_method)h[4], ram, in_size, ram + in_size, size);
        result[0] = 'G';
        for (i = 0; i < GUARD; ++i)
            if (ram[in_size + size + i] != 0xee) result[0] = 'X';
        for (i = 0; i < 4; ++i) result[1 + i] = (uint8_t)((uint32_t)got >> (8 * i));
        file_name(path, stem, ".bin");
        out = io_open(path, IO_WRITE);
        if (out < 0) return fail(path, "cannot write", 0);
        io_write(out, result, sizeof result);
        io_close(out);
        return result[0] == 'G' ? 0 : fail(stem, "wrote past the buffer", 0);
    }
    if (mode == 'u') { /* unpack */
        got = kpal_unpack((kpal_method)h[4], ram, in_size, ram + in_size, size);
    } else if (mode == 'r') { /* rows of 40 bytes from the RLE stream */
        kpal_rle_stream rle;
        int32_t n = kpal_rle_begin(&rle, ram, in_size);
        got = n;
        while (n >= 0 && (n = kpal_rle_read(&rle, ram + in_size + (uint32_t)got, 40)) > 0) got += n;
        if (n < 0) got = n;
    } else { /* io: the same reads and writes, whatever the RAM holds */
        got = (int32_t)size;
    }
    if (got != (int32_t)size) return fail(stem, "unpack failed", got < 0 ? got : 0);
    file_name(path, stem, ".bin");
    out = io_open(path, IO_WRITE);
    if (out < 0) return fail(path, "cannot write", 0);
    io_write(out, ram + in_size, size);
    io_close(out);
    io_print(stem);
    io_print(": ");
    print_number(size);
    io_print(" bytes from ");
    print_number(in_size);
    io_print("\n");
    return 0;
}

static int same(const char* a, const char* b) {
    while (*a && *a == *b) ++a, ++b;
    return *a == *b;
}

/* Reads one space-separated word of the case list; 0 at the end of the file. */
static uint32_t word(int list, char* out, uint32_t size) {
    uint32_t n = 0;
    char c;
    while (io_read(list, &c, 1) == 1) {
        if (c == ' ' || c == '\n' || c == '\r') {
            if (n) break;
            continue;
        }
        if (n + 1 < size) out[n++] = c;
    }
    out[n] = 0;
    return n;
}

int main(void) {
    char mode[8], frame_path[64], stem[40];
    int failures = 0, list = io_open("cases.txt", IO_READ);
    if (list < 0) return fail("cases.txt", "cannot open", 0);
    while (word(list, mode, sizeof mode) && word(list, frame_path, sizeof frame_path) &&
           word(list, stem, sizeof stem))
        failures += same(mode, "unpack")  ? unpack_case('u', frame_path, stem)
                    : same(mode, "rows")  ? unpack_case('r', frame_path, stem)
                    : same(mode, "uio")   ? unpack_case('i', frame_path, stem)
                    : same(mode, "guard") ? unpack_case('g', frame_path, stem)
                                          : run_case(same(mode, "run"), frame_path, stem);
    io_close(list);
    return failures ? 1 : 0;
}
