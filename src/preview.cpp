#include "kpal/preview.h"

#include "kpal/error.h"
#include "kpal/layout.h"

#include <array>
#include <csetjmp>
#include <cstdio>
#include <string>
#include <utility>

#include <png.h>
#include <zlib.h>

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

// What one PNG holds: a palette image (plte not null) or an RGBA one.
struct PngContent {
    int width, height, depth;
    const png_color* plte;
    int entries;
    const png_byte* alpha; // tRNS values for the first `alphas` entries
    int alphas;
    png_bytepp rows;
};

// Holds only plain C state between setjmp and any longjmp.
bool write_png(PngWriter& w, const PngContent& c) {
    if (setjmp(w.jump)) return false;
    png_set_write_fn(w.png, &w, on_write, on_flush);
    // zlib's fastest level: on a 768x512 preview 3 % larger than level 6 in half the time.
    png_set_compression_level(w.png, 1);
    png_set_IHDR(w.png, w.info, png_uint_32(c.width), png_uint_32(c.height), c.depth,
                 c.plte ? PNG_COLOR_TYPE_PALETTE : PNG_COLOR_TYPE_RGBA, PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    if (c.plte) png_set_PLTE(w.png, w.info, c.plte, c.entries);
    if (c.alphas > 0) png_set_tRNS(w.png, w.info, c.alpha, c.alphas, nullptr);
    png_write_info(w.png, w.info);
    png_write_image(w.png, c.rows);
    png_write_end(w.png, w.info);
    return true;
}

std::vector<std::uint8_t> encode_png(const PngContent& content) {
    std::vector<std::uint8_t> out;
    PngWriter w;
    w.out = &out;
    w.png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &w, on_error, nullptr);
    w.info = w.png ? png_create_info_struct(w.png) : nullptr;
    const bool ok = w.info && write_png(w, content);
    png_destroy_write_struct(&w.png, &w.info);
    if (!ok) throw Error(ErrorKind::output, std::string("cannot encode PNG: ") + w.message);
    return out;
}

} // namespace

std::vector<std::uint8_t> encode_preview_png(const IndexedImage& indexed,
                                             std::span<const Rgb> shown,
                                             std::optional<int> transparent) {
    int depth = 1;
    while ((std::size_t(1) << depth) < shown.size()) depth *= 2;
    // PNG rows are packed with the first pixel in the high bits, which is the packed-msb layout.
    const Geometry geometry{indexed.width, indexed.height, depth, 1};
    std::vector<std::uint8_t> packed;
    const PixelLayout& layout = *find_pixel_layout("packed-msb");
    layout.pack(geometry, indexed.indices, packed);
    const std::size_t stride = layout.stride(geometry);
    std::vector<png_bytep> rows(std::size_t(indexed.height));
    for (int y = 0; y < indexed.height; ++y) rows[std::size_t(y)] = packed.data() + y * stride;
    std::vector<png_color> plte;
    for (Rgb c : shown) plte.push_back({c.r, c.g, c.b});
    std::vector<png_byte> alpha;
    if (transparent) alpha.assign(std::size_t(*transparent) + 1, 255), alpha.back() = 0;
    return encode_png({indexed.width, indexed.height, depth, plte.data(), int(plte.size()),
                       alpha.data(), int(alpha.size()), rows.data()});
}

std::vector<std::uint8_t> encode_masked_preview_png(const IndexedImage& indexed,
                                                    std::span<const Rgb> shown,
                                                    std::span<const std::uint8_t> opaque) {
    if (shown.size() < 256) {
        IndexedImage masked = indexed;
        const auto hidden = std::uint8_t(shown.size());
        for (std::size_t i = 0; i < opaque.size(); ++i)
            if (!opaque[i]) masked.indices[i] = hidden;
        std::vector<Rgb> entries(shown.begin(), shown.end());
        entries.push_back({0, 0, 0});
        return encode_preview_png(masked, entries, int(hidden));
    }
    Image rgba{indexed.width, indexed.height,
               std::vector<std::uint8_t>(4 * indexed.indices.size())};
    for (std::size_t i = 0; i < indexed.indices.size(); ++i) {
        const Rgb c = shown[indexed.indices[i]];
        const bool shows = i >= opaque.size() || opaque[i];
        rgba.rgba[4 * i] = shows ? c.r : 0, rgba.rgba[4 * i + 1] = shows ? c.g : 0;
        rgba.rgba[4 * i + 2] = shows ? c.b : 0, rgba.rgba[4 * i + 3] = shows ? 255 : 0;
    }
    return encode_rgba_png(rgba);
}

std::vector<std::uint8_t> encode_rgba_png(const Image& image) {
    std::vector<std::uint8_t> pixels = image.rgba;
    std::vector<png_bytep> rows(std::size_t(image.height));
    for (int y = 0; y < image.height; ++y)
        rows[std::size_t(y)] = pixels.data() + std::size_t(y) * image.width * 4;
    return encode_png({image.width, image.height, 8, nullptr, 0, nullptr, 0, rows.data()});
}

} // namespace kpal

namespace kpal {
namespace {

// A PNG's chunks: type and data, in order (the signature left out).
std::vector<std::pair<std::string, std::vector<std::uint8_t>>>
chunks_of(const std::vector<std::uint8_t>& png) {
    std::vector<std::pair<std::string, std::vector<std::uint8_t>>> out;
    for (std::size_t at = 8; at + 12 <= png.size();) {
        const std::size_t length = std::size_t(png[at]) << 24 | std::size_t(png[at + 1]) << 16 |
                                   std::size_t(png[at + 2]) << 8 | png[at + 3];
        out.emplace_back(
            std::string(png.begin() + std::ptrdiff_t(at + 4), png.begin() + std::ptrdiff_t(at + 8)),
            std::vector<std::uint8_t>(png.begin() + std::ptrdiff_t(at + 8),
                                      png.begin() + std::ptrdiff_t(at + 8 + length)));
        at += 12 + length;
    }
    return out;
}

void put32(std::vector<std::uint8_t>& out, std::uint32_t v) {
    const std::array<std::uint8_t, 4> bytes{std::uint8_t(v >> 24), std::uint8_t(v >> 16),
                                            std::uint8_t(v >> 8), std::uint8_t(v)};
    out.insert(out.end(), bytes.begin(), bytes.end());
}

void put_chunk(std::vector<std::uint8_t>& out, const std::string& type,
               const std::vector<std::uint8_t>& data) {
    put32(out, std::uint32_t(data.size()));
    const std::size_t start = out.size();
    out.insert(out.end(), type.begin(), type.end());
    out.insert(out.end(), data.begin(), data.end());
    put32(out, std::uint32_t(crc32(0, out.data() + start, uInt(out.size() - start))));
}

} // namespace

std::vector<std::uint8_t> assemble_apng(std::span<const std::vector<std::uint8_t>> frames,
                                        std::span<const int> delays_ms) {
    std::vector<std::uint8_t> out(frames[0].begin(), frames[0].begin() + 8); // the signature
    std::uint32_t sequence = 0;
    for (std::size_t f = 0; f < frames.size(); ++f) {
        bool controlled = false; // the frame's control chunk written, before its first data
        const auto chunks = chunks_of(frames[f]);
        for (const auto& [type, data] : chunks) {
            if (type == "IHDR" && f == 0) {
                put_chunk(out, type, data);
                std::vector<std::uint8_t> actl;
                put32(actl, std::uint32_t(frames.size()));
                put32(actl, 0); // loop for ever
                put_chunk(out, "acTL", actl);
            } else if ((type == "PLTE" || type == "tRNS") && f == 0) {
                put_chunk(out, type, data);
            } else if (type == "IDAT") {
                if (!controlled) {
                    controlled = true;
                    std::vector<std::uint8_t> fctl;
                    put32(fctl, sequence++);
                    const std::vector<std::uint8_t>& ihdr = chunks.front().second;
                    fctl.insert(fctl.end(), ihdr.begin(), ihdr.begin() + 8); // width, height
                    put32(fctl, 0), put32(fctl, 0);                          // at 0, 0
                    const int ms = delays_ms[f];
                    fctl.insert(fctl.end(), {std::uint8_t(ms >> 8), std::uint8_t(ms), 0x03, 0xE8, 0,
                                             0}); // ms/1000 s; no disposal, no blending
                    put_chunk(out, "fcTL", fctl);
                }
                if (f == 0) {
                    put_chunk(out, "IDAT", data);
                } else {
                    std::vector<std::uint8_t> fdat;
                    put32(fdat, sequence++);
                    fdat.insert(fdat.end(), data.begin(), data.end());
                    put_chunk(out, "fdAT", fdat);
                }
            }
        }
    }
    put_chunk(out, "IEND", {});
    return out;
}

} // namespace kpal
