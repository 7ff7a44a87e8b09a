#include "kpal/preview.h"

#include "kpal/error.h"
#include "kpal/layout.h"

#include <csetjmp>
#include <cstdio>

#include <png.h>

namespace kpal {
namespace {

struct PngWriter {
    png_structp png = nullptr;
    png_infop info = nullptr;
    std::jmp_buf jump;
    char message[200] = "";
    std::vector<std::uint8_t>* out = nullptr;
};

void on_error(png_structp png, png_const_charp message) {
    auto* w = static_cast<PngWriter*>(png_get_error_ptr(png));
    std::snprintf(w->message, sizeof w->message, "%s", message);
    std::longjmp(w->jump, 1);
}

void on_write(png_structp png, png_bytep data, png_size_t length) {
    auto* w = static_cast<PngWriter*>(png_get_io_ptr(png));
    w->out->insert(w->out->end(), data, data + length);
}

void on_flush(png_structp) {}

// Holds only plain C state between setjmp and any longjmp.
bool write_png(PngWriter& w, int width, int height, int depth, const png_color* plte, int entries,
               png_bytepp rows) {
    if (setjmp(w.jump)) return false;
    png_set_write_fn(w.png, &w, on_write, on_flush);
    png_set_compression_level(w.png, 6);
    png_set_IHDR(w.png, w.info, png_uint_32(width), png_uint_32(height), depth,
                 PNG_COLOR_TYPE_PALETTE, PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
                 PNG_FILTER_TYPE_DEFAULT);
    png_set_PLTE(w.png, w.info, plte, entries);
    png_write_info(w.png, w.info);
    png_write_image(w.png, rows);
    png_write_end(w.png, w.info);
    return true;
}

} // namespace

std::vector<std::uint8_t> encode_preview_png(const IndexedImage& indexed,
                                             std::span<const Rgb> shown) {
    int depth = 1;
    while ((std::size_t(1) << depth) < shown.size()) depth *= 2;
    // PNG rows are packed with the first pixel in the high bits, which is the packed-msb layout.
    const Geometry geometry{indexed.width, indexed.height, depth, 1};
    std::vector<std::uint8_t> packed;
    const PixelLayout& layout = *find_pixel_layout("packed-msb");
    layout.pack(geometry, indexed.indices, packed);
    const std::size_t stride = layout.stride(geometry);
    std::vector<png_bytep> rows(std::size_t(indexed.height));
    for (int y = 0; y < indexed.height; ++y) rows[y] = packed.data() + y * stride;
    std::vector<png_color> plte;
    for (Rgb c : shown) plte.push_back({c.r, c.g, c.b});

    std::vector<std::uint8_t> out;
    PngWriter w;
    w.out = &out;
    w.png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &w, on_error, nullptr);
    w.info = w.png ? png_create_info_struct(w.png) : nullptr;
    const bool ok = w.info && write_png(w, indexed.width, indexed.height, depth, plte.data(),
                                        int(plte.size()), rows.data());
    png_destroy_write_struct(&w.png, &w.info);
    if (!ok) throw Error(ErrorKind::output, std::string("cannot encode preview PNG: ") + w.message);
    return out;
}

} // namespace kpal
