// Decoding goes through the C libraries' setjmp/longjmp error handling. A longjmp must not skip
// a C++ destructor, so each decode runs in two small functions that hold only plain C state (the
// header read, then the pixel read) while the C++ buffers live in their callers.
#include "kpal/load.h"

#include "kpal/error.h"
#include "kpal/histogram.h"

#include <algorithm>
#include <csetjmp>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <span>
#include <string>

#include <jpeglib.h>
#include <png.h>

namespace kpal {
namespace {

struct FileCloser {
    void operator()(std::FILE* f) const { std::fclose(f); }
};
using File = std::unique_ptr<std::FILE, FileCloser>;

void check_size(const std::string& path, std::uint64_t width, std::uint64_t height,
                const LoadLimits& limits) {
    if (width == 0 || height == 0) throw_input_error(path, "image has no pixels");
    if (width > limits.max_width || height > limits.max_height ||
        width * height > limits.max_pixels)
        throw_input_error(path, "image is " + std::to_string(width) + "x" + std::to_string(height) +
                                    ", larger than the limit of " +
                                    std::to_string(limits.max_pixels) + " pixels");
}

// ---- PNG -------------------------------------------------------------------------------------

struct PngState {
    png_structp png = nullptr;
    png_infop info = nullptr;
    std::jmp_buf jump;
    char message[200] = "";
    std::span<const std::uint8_t> data; // the file's bytes
    std::size_t at = 0;                 // how many libpng has read
    bool over_limit = false; // libpng warns of the user limit, then fails with "Invalid IHDR data"
};

void png_on_error(png_structp png, png_const_charp message) {
    auto* state = static_cast<PngState*>(png_get_error_ptr(png));
    std::snprintf(state->message, sizeof state->message, "%s", message);
    std::longjmp(state->jump, 1);
}

void png_on_read(png_structp png, png_bytep out, png_size_t length) {
    auto* state = static_cast<PngState*>(png_get_io_ptr(png));
    if (length > state->data.size() - state->at) png_error(png, "file is truncated");
    std::memcpy(out, state->data.data() + state->at, length);
    state->at += length;
}

// libpng's own buffers (rows, chunk data) are small; the pixels live in kpal's buffer. A larger
// request comes from a hostile length field that libpng's chunk limits do not catch (fuzzing
// found a 116-byte PNG that asked for 1.5 GB), so it is refused and libpng fails cleanly.
constexpr png_alloc_size_t largest_png_allocation = png_alloc_size_t(64) << 20;

png_voidp png_on_malloc(png_structp, png_alloc_size_t size) {
    return size <= largest_png_allocation ? std::malloc(size) : nullptr;
}

void png_on_free(png_structp, png_voidp p) {
    std::free(p);
}

void png_on_warning(png_structp png, png_const_charp message) {
    if (std::strstr(message, "exceeds user limit"))
        static_cast<PngState*>(png_get_error_ptr(png))->over_limit = true;
}

png_structp new_png_reader(PngState& s) {
    return png_create_read_struct_2(PNG_LIBPNG_VER_STRING, &s, png_on_error, png_on_warning,
                                    nullptr, png_on_malloc, png_on_free);
}

// Reads the header and sets the transforms that turn every PNG into RGBA8, or with `indices` a
// palette PNG into one index a byte (its PLTE into `plte`); `color_type` is the file's.
bool png_read_header(PngState& s, png_uint_32& width, png_uint_32& height, int& color_type,
                     const LoadLimits& limits, bool indices, std::vector<Rgb>* plte) {
    if (setjmp(s.jump)) return false;
    png_set_user_limits(s.png, limits.max_width, limits.max_height);
    // Bombs: no ancillary chunk may inflate past 8 MiB, and at most 1000 of them are kept.
    png_set_chunk_malloc_max(s.png, 8u << 20);
    png_set_chunk_cache_max(s.png, 1000);
    png_set_read_fn(s.png, &s, png_on_read);
    png_read_info(s.png, s.info);
    width = png_get_image_width(s.png, s.info);
    height = png_get_image_height(s.png, s.info);
    color_type = png_get_color_type(s.png, s.info);
    if (indices) {
        png_colorp entries = nullptr;
        int count = 0;
        if (color_type != PNG_COLOR_TYPE_PALETTE ||
            png_get_PLTE(s.png, s.info, &entries, &count) != PNG_INFO_PLTE) {
            std::snprintf(s.message, sizeof s.message, "no palette");
            return false;
        }
        for (int i = 0; i < count; ++i)
            plte->push_back({entries[i].red, entries[i].green, entries[i].blue});
        png_set_packing(s.png); // 1, 2 and 4-bit indices to a byte each
        png_set_interlace_handling(s.png);
        png_read_update_info(s.png, s.info);
        if (png_get_rowbytes(s.png, s.info) == std::size_t(width)) return true;
        std::snprintf(s.message, sizeof s.message, "palette indices libpng cannot unpack");
        return false;
    }
    png_set_expand(s.png); // palette -> RGB, grey below 8 bits -> 8 bits, tRNS -> alpha
    png_set_scale_16(s.png);
    if (color_type == PNG_COLOR_TYPE_GRAY || color_type == PNG_COLOR_TYPE_GRAY_ALPHA)
        png_set_gray_to_rgb(s.png);
    png_set_add_alpha(s.png, 0xff, PNG_FILLER_AFTER);
    png_set_interlace_handling(s.png);
    png_read_update_info(s.png, s.info);
    if (png_get_rowbytes(s.png, s.info) == std::size_t(width) * 4) return true;
    std::snprintf(s.message, sizeof s.message, "pixel format libpng cannot expand to RGBA");
    return false;
}

bool png_read_pixels(PngState& s, png_bytepp rows) {
    if (setjmp(s.jump)) return false;
    png_read_image(s.png, rows);
    png_read_end(s.png, nullptr);
    return true;
}

// Decodes a PNG's pixels into `out` (4 bytes a pixel, or with `indices` one), filling `image`'s
// size; returns the file's colour type.
int read_png(const std::string& path, std::span<const std::uint8_t> data, const LoadLimits& limits,
             bool indices, Image& image, std::vector<std::uint8_t>& out) {
    PngState s;
    s.data = data;
    s.png = new_png_reader(s);
    if (!s.png) throw_input_error(path, "out of memory");
    s.info = png_create_info_struct(s.png);
    struct Destroy {
        PngState& s;
        ~Destroy() { png_destroy_read_struct(&s.png, &s.info, nullptr); }
    } destroy{s};
    if (!s.info) throw_input_error(path, "out of memory");

    png_uint_32 width = 0, height = 0;
    int color_type = 0;
    if (!png_read_header(s, width, height, color_type, limits, indices, &image.source_palette)) {
        if (s.over_limit)
            throw_input_error(path, "image is larger than the limit of " +
                                        std::to_string(limits.max_width) + "x" +
                                        std::to_string(limits.max_height));
        throw_input_error(path, std::string("corrupt PNG: ") + s.message);
    }
    check_size(path, width, height, limits);

    image.width = int(width);
    image.height = int(height);
    const std::size_t bytes = indices ? 1 : 4;
    out.resize(image.pixel_count() * bytes);
    std::vector<png_bytep> rows(height);
    for (png_uint_32 y = 0; y < height; ++y) rows[y] = &out[std::size_t(y) * width * bytes];
    if (!png_read_pixels(s, rows.data()))
        throw_input_error(path, std::string("corrupt PNG: ") + s.message);
    return color_type;
}

Image load_png(const std::string& path, std::span<const std::uint8_t> data,
               const LoadLimits& limits) {
    Image image;
    const int color_type = read_png(path, data, limits, false, image, image.rgba);
    // A palette PNG also keeps its indices and PLTE: art drawn in a console's colours keeps them
    // (see convert.h). A second decode, without the expansion to RGBA.
    if (color_type == PNG_COLOR_TYPE_PALETTE) {
        Image indexed;
        read_png(path, data, limits, true, indexed, image.source_indices);
        image.source_palette = std::move(indexed.source_palette);
    }
    return image;
}

// The PLTE of a palette PNG (empty for other colour types).
bool png_read_plte(PngState& s, std::vector<png_color>& plte) {
    if (setjmp(s.jump)) return false;
    png_set_chunk_malloc_max(s.png, 8u << 20);
    png_set_read_fn(s.png, &s, png_on_read);
    png_read_info(s.png, s.info);
    png_colorp entries = nullptr;
    int count = 0;
    if (png_get_color_type(s.png, s.info) == PNG_COLOR_TYPE_PALETTE &&
        png_get_PLTE(s.png, s.info, &entries, &count) == PNG_INFO_PLTE)
        plte.assign(entries, entries + count);
    return true;
}

// ---- JPEG ------------------------------------------------------------------------------------

struct JpegState {
    jpeg_decompress_struct cinfo{};
    jpeg_error_mgr err{};
    std::jmp_buf jump;
    char message[JMSG_LENGTH_MAX] = "";
};

void jpeg_on_error(j_common_ptr cinfo) {
    auto* state = reinterpret_cast<JpegState*>(cinfo->client_data);
    (*cinfo->err->format_message)(cinfo, state->message);
    std::longjmp(state->jump, 1);
}

// libjpeg only warns about corrupt or truncated data and fills the rest with grey; a converter
// that runs inside builds must not turn a damaged file into a damaged asset, so warnings are fatal.
void jpeg_on_message(j_common_ptr cinfo, int level) {
    if (level < 0) jpeg_on_error(cinfo);
}

bool jpeg_read_header_step(JpegState& s, std::span<const std::uint8_t> data) {
    if (setjmp(s.jump)) return false;
    jpeg_create_decompress(&s.cinfo);
    jpeg_mem_src(&s.cinfo, data.data(), static_cast<unsigned long>(data.size()));
    jpeg_save_markers(&s.cinfo, JPEG_APP0 + 1, 0xffff); // EXIF, for the orientation
    jpeg_read_header(&s.cinfo, TRUE);
    const bool cmyk = s.cinfo.jpeg_color_space == JCS_CMYK || s.cinfo.jpeg_color_space == JCS_YCCK;
    s.cinfo.out_color_space = cmyk ? JCS_CMYK : JCS_EXT_RGBA;
    jpeg_calc_output_dimensions(&s.cinfo);
    return true;
}

bool jpeg_read_pixels_step(JpegState& s, std::uint8_t* out, std::size_t stride) {
    if (setjmp(s.jump)) return false;
    jpeg_start_decompress(&s.cinfo);
    while (s.cinfo.output_scanline < s.cinfo.output_height) {
        JSAMPROW row = out + std::size_t(s.cinfo.output_scanline) * stride;
        jpeg_read_scanlines(&s.cinfo, &row, 1);
    }
    jpeg_finish_decompress(&s.cinfo);
    return true;
}

// The EXIF orientation (1..8; 1, as stored, when there is none) of an APP1 marker's bytes:
// "Exif\0\0", then a TIFF header (byte order II or MM, 42, the first IFD's offset) and IFD0,
// whose tag 0x0112 is a SHORT. Every read is checked against the marker's length.
int exif_orientation(std::span<const std::uint8_t> app1) {
    static constexpr std::uint8_t exif[] = {'E', 'x', 'i', 'f', 0, 0};
    if (app1.size() < 14 || !std::equal(std::begin(exif), std::end(exif), app1.begin())) return 1;
    const std::span<const std::uint8_t> tiff = app1.subspan(6);
    const bool little = tiff[0] == 'I' && tiff[1] == 'I';
    if (!little && !(tiff[0] == 'M' && tiff[1] == 'M')) return 1;
    const auto u16 = [&](std::size_t at) -> unsigned {
        return little ? tiff[at] | tiff[at + 1] << 8 : tiff[at] << 8 | tiff[at + 1];
    };
    const auto u32 = [&](std::size_t at) -> std::size_t {
        return little ? std::size_t(u16(at)) | std::size_t(u16(at + 2)) << 16
                      : std::size_t(u16(at)) << 16 | std::size_t(u16(at + 2));
    };
    if (u16(2) != 42) return 1;
    const std::size_t ifd = u32(4);
    if (ifd > tiff.size() || tiff.size() - ifd < 2) return 1;
    const std::size_t entries = u16(ifd);
    for (std::size_t e = 0; e < entries; ++e) {
        const std::size_t at = ifd + 2 + 12 * e;
        if (at > tiff.size() || tiff.size() - at < 12) return 1;
        if (u16(at) != 0x0112) continue;
        const unsigned value = u16(at + 8);
        return u16(at + 2) == 3 && value >= 1 && value <= 8 ? int(value) : 1;
    }
    return 1;
}

// The image as EXIF orientation `o` says to show it (TIFF 6.0 / EXIF 2.3, tag 0x0112: 2 mirrored,
// 3 turned half, 4 flipped, 5 transposed, 6 turned a quarter clockwise, 7 transversed, 8 a
// quarter anticlockwise).
Image oriented(const Image& image, int o) {
    // Each orientation as a row: the shown (x, y) read from the stored (y, x) when `swap`, then
    // mirrored across the stored picture's width and height.
    struct Turn {
        bool swap, mirror_x, mirror_y;
    };
    constexpr Turn turns[] = {{false, false, false}, {false, true, false}, {false, true, true},
                              {false, false, true},  {true, false, false}, {true, false, true},
                              {true, true, true},    {true, true, false}};
    if (o == 1) return image;
    const Turn t = turns[o - 1];
    const int w = image.width, h = image.height;
    Image out{t.swap ? h : w, t.swap ? w : h, std::vector<std::uint8_t>(image.rgba.size())};
    for (int y = 0; y < out.height; ++y)
        for (int x = 0; x < out.width; ++x) {
            const int u = t.swap ? y : x, v = t.swap ? x : y;
            const int sx = t.mirror_x ? w - 1 - u : u, sy = t.mirror_y ? h - 1 - v : v;
            std::copy_n(&image.rgba[(std::size_t(sy) * std::size_t(w) + std::size_t(sx)) * 4], 4,
                        &out.rgba[(std::size_t(y) * std::size_t(out.width) + std::size_t(x)) * 4]);
        }
    return out;
}

Image load_jpeg(const std::string& path, std::span<const std::uint8_t> data,
                const LoadLimits& limits) {
    JpegState s;
    s.cinfo.err = jpeg_std_error(&s.err);
    s.err.error_exit = jpeg_on_error;
    s.err.emit_message = jpeg_on_message;
    s.cinfo.client_data = &s;
    struct Destroy {
        JpegState& s;
        ~Destroy() { jpeg_destroy_decompress(&s.cinfo); }
    } destroy{s};
    if (!jpeg_read_header_step(s, data))
        throw_input_error(path, std::string("corrupt JPEG: ") + s.message);
    check_size(path, s.cinfo.output_width, s.cinfo.output_height, limits);
    // Read now: jpeg_finish_decompress frees the saved markers.
    int orientation = 1;
    for (jpeg_saved_marker_ptr m = s.cinfo.marker_list; m; m = m->next)
        if (m->marker == JPEG_APP0 + 1 && orientation == 1)
            orientation = exif_orientation({m->data, m->data_length});

    Image image;
    image.width = int(s.cinfo.output_width);
    image.height = int(s.cinfo.output_height);
    image.rgba.resize(image.pixel_count() * 4);
    if (!jpeg_read_pixels_step(s, image.rgba.data(), std::size_t(image.width) * 4))
        throw_input_error(path, std::string("corrupt JPEG: ") + s.message);
    if (s.cinfo.out_color_space == JCS_CMYK) {
        // Adobe writes inverted CMYK; the saw_Adobe_marker flag tells which convention is used.
        const bool inverted = s.cinfo.saw_Adobe_marker;
        for (std::size_t i = 0; i < image.rgba.size(); i += 4) {
            unsigned c = image.rgba[i], m = image.rgba[i + 1], y = image.rgba[i + 2],
                     k = image.rgba[i + 3];
            if (!inverted) c = 255 - c, m = 255 - m, y = 255 - y, k = 255 - k;
            image.rgba[i] = std::uint8_t((c * k + 127) / 255);
            image.rgba[i + 1] = std::uint8_t((m * k + 127) / 255);
            image.rgba[i + 2] = std::uint8_t((y * k + 127) / 255);
            image.rgba[i + 3] = 255;
        }
    }
    return oriented(image, orientation);
}

// The whole file, or an input error naming it; files past the size limit are not read.
std::vector<std::uint8_t> read_file(const std::string& path, std::uint64_t max_bytes) {
    File file(std::fopen(path.c_str(), "rb"));
    if (!file) throw_input_error(path, std::string("cannot open: ") + std::strerror(errno));
    std::vector<std::uint8_t> bytes;
    std::uint8_t block[1 << 16];
    for (;;) {
        const std::size_t got = std::fread(block, 1, sizeof block, file.get());
        bytes.insert(bytes.end(), block, block + got);
        if (bytes.size() > max_bytes)
            throw_input_error(path, "file is larger than the limit of " +
                                        std::to_string(max_bytes) + " bytes");
        if (got < sizeof block) break;
    }
    if (std::ferror(file.get()))
        throw_input_error(path, "cannot read: " + std::string(std::strerror(errno)));
    return bytes;
}

} // namespace

std::vector<Rgb> png_colors(std::span<const std::uint8_t> bytes, const std::string& path) {
    std::vector<png_color> plte;
    {
        PngState s;
        s.data = bytes;
        s.png = new_png_reader(s);
        s.info = s.png ? png_create_info_struct(s.png) : nullptr;
        const bool ok = s.info && png_read_plte(s, plte);
        png_destroy_read_struct(&s.png, &s.info, nullptr);
        if (!ok) throw_input_error(path, std::string("corrupt PNG: ") + s.message);
    }
    std::vector<Rgb> colors;
    for (const png_color& c : plte) colors.push_back({c.red, c.green, c.blue});
    if (!colors.empty()) return colors;
    const Image image = decode_image(bytes, path);
    std::vector<bool> seen(1u << 24);
    for (std::size_t i = 0; i < image.pixel_count(); ++i) {
        const Rgb c = image.rgb_at(i);
        if (seen[pack_rgb(c)]) continue;
        seen[pack_rgb(c)] = true;
        colors.push_back(c);
        if (colors.size() > 256)
            throw_input_error(path, "has more than 256 colours; a palette PNG holds at most 256");
    }
    return colors;
}

Image decode_image(std::span<const std::uint8_t> bytes, const std::string& name,
                   const LoadLimits& limits) {
    if (bytes.size() >= 8 && png_sig_cmp(bytes.data(), 0, 8) == 0)
        return load_png(name, bytes, limits);
    if (bytes.size() >= 3 && bytes[0] == 0xff && bytes[1] == 0xd8 && bytes[2] == 0xff)
        return load_jpeg(name, bytes, limits);
    if (bytes.empty()) throw_input_error(name, "file is empty, not an image");
    throw_input_error(name, "not a PNG or JPEG image");
}

Image load_image(const std::string& path, const LoadLimits& limits) {
    return decode_image(read_file(path, limits.max_file_bytes), path, limits);
}

} // namespace kpal
