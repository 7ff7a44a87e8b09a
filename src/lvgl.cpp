#include "kpal/lvgl.h"

#include "kpal/compress.h"
#include "kpal/error.h"

#include <stdexcept>

namespace kpal {
namespace {

[[noreturn]] void usage(const std::string& message) {
    throw Error(ErrorKind::usage, message);
}

void put16(std::vector<std::uint8_t>& out, unsigned v) {
    out.insert(out.end(), {std::uint8_t(v), std::uint8_t(v >> 8)});
}

// LVGL 9 (lv_image_header_t, src/draw/lv_image_dsc.h): bytes magic 0x19, cf, then u16 flags,
// w, h, stride and a reserved u16, little-endian: 12 bytes.
std::vector<std::uint8_t> v9_file_header(const LvglImage& i) {
    std::vector<std::uint8_t> out{0x19, i.cf};
    for (unsigned v :
         {unsigned(i.flags), unsigned(i.width), unsigned(i.height), unsigned(i.stride), 0u})
        put16(out, v);
    return out;
}

std::string v9_c_header(const LvglImage& i) {
    return "    .header.magic = LV_IMAGE_HEADER_MAGIC,\n    .header.cf = " + i.cf_name +
           ",\n    .header.flags = " +
           (i.flags == 0x0008 ? std::string("LV_IMAGE_FLAGS_COMPRESSED")
                              : std::to_string(i.flags)) +
           ",\n    .header.w = " + std::to_string(i.width) +
           ",\n    .header.h = " + std::to_string(i.height) +
           ",\n    .header.stride = " + std::to_string(i.stride) + ",\n";
}

// LVGL 8 (lv_img_header_t, src/draw/lv_img_buf.h): one little-endian u32 of bit fields, cf in
// bits 0-4, always_zero 5-7, reserved 8-9, w 10-20, h 21-31.
std::vector<std::uint8_t> v8_file_header(const LvglImage& i) {
    const std::uint32_t v =
        std::uint32_t(i.cf) | std::uint32_t(i.width) << 10 | std::uint32_t(i.height) << 21;
    return {std::uint8_t(v), std::uint8_t(v >> 8), std::uint8_t(v >> 16), std::uint8_t(v >> 24)};
}

std::string v8_c_header(const LvglImage& i) {
    return "    .header.cf = " + i.cf_name +
           ",\n    .header.always_zero = 0,\n    .header.reserved = 0,\n    .header.w = " +
           std::to_string(i.width) + ",\n    .header.h = " + std::to_string(i.height) + ",\n";
}

// LVGL's colour formats for indexed images: v9 LV_COLOR_FORMAT_I1..I8 = 0x07..0x0A
// (lv_color.h); v8 LV_IMG_CF_INDEXED_1BIT..8BIT = 7..10 (lv_img_buf.h).
constexpr LvglVersion versions[] = {
    {9, "lv_image_dsc_t",
     "LV_COLOR_FORMAT_I1|LV_COLOR_FORMAT_I2|LV_COLOR_FORMAT_I4|LV_COLOR_FORMAT_I8", 0x07, 65535,
     true, v9_file_header, v9_c_header},
    {8, "lv_img_dsc_t",
     "LV_IMG_CF_INDEXED_1BIT|LV_IMG_CF_INDEXED_2BIT|LV_IMG_CF_INDEXED_4BIT|LV_IMG_CF_INDEXED_8BIT",
     7, 2047, false, v8_file_header, v8_c_header},
};

// The n-th of the "|"-separated names.
std::string nth_name(std::string_view names, int n) {
    for (; n > 0; --n) names.remove_prefix(names.find('|') + 1);
    return std::string(names.substr(0, names.find('|')));
}

} // namespace

const LvglVersion& lvgl_version(int number) {
    for (const LvglVersion& v : versions)
        if (v.number == number) return v;
    usage("--lvgl " + std::to_string(number) + " is not a version kpal writes (9 or 8)");
}

LvglImage lvgl_image(const Conversion& c, const Target& target, const LvglVersion& version) {
    const int bpp = target.bpp;
    const bool rows_of_bits = target.layout && (target.layout->name == "packed-msb" ||
                                                (target.layout->name == "linear" && bpp == 8));
    if (!rows_of_bits || target.palette_format->name != "bgra8888" ||
        (bpp != 1 && bpp != 2 && bpp != 4 && bpp != 8))
        usage("LVGL images need an LVGL indexed target (lvgl-i1, lvgl-i2, lvgl-i4, lvgl-i8: "
              "layout packed-msb, palette format bgra8888), not " +
              target.name);
    if (c.indexed.width > version.max_side || c.indexed.height > version.max_side)
        usage("LVGL " + std::to_string(version.number) + " images are at most " +
              std::to_string(version.max_side) + " pixels wide and high; this one is " +
              std::to_string(c.indexed.width) + "x" + std::to_string(c.indexed.height));
    const int tight = (c.indexed.width * bpp + 7) / 8;
    if (!version.has_stride && c.stride != tight)
        usage("LVGL 8 images have no stride: rows cannot be padded (--row-align)");
    const int log2 = bpp == 1 ? 0 : bpp == 2 ? 1 : bpp == 4 ? 2 : 3;
    LvglImage image{&version,
                    c.indexed.width,
                    c.indexed.height,
                    bpp,
                    c.stride,
                    std::uint8_t(version.first_indexed_cf + log2),
                    nth_name(version.colour_formats, log2),
                    0,
                    {},
                    0};
    // The palette: 2^bpp entries whatever the target fills (LVGL sizes it by the format).
    image.data = c.palette_bytes;
    image.data.resize(std::size_t(4) << bpp, 0);
    if (c.transparent) image.data[std::size_t(4 * *c.transparent + 3)] = 0;
    image.data.insert(image.data.end(), c.pixel_bytes.begin(), c.pixel_bytes.end());
    if (c.compression && c.compression->lvgl) {
        // LVGL 9's compressed image (lv_bin_decoder.c): flag 0x0008, then u32 method (low 4
        // bits), u32 compressed size, u32 decompressed size, then the stream of the data.
        if (!version.has_stride)
            usage("LVGL 8 images are not compressed: --compress " +
                  std::string(c.compression->name) + " needs LVGL 9");
        const std::vector<std::uint8_t> packed = compress(*c.compression, image.data);
        if (unpack(*c.compression, packed, image.data.size(), "the LVGL image") != image.data)
            throw std::logic_error("kpal: " + std::string(c.compression->name) +
                                   " does not unpack to its input (please report this)");
        image.raw_size = image.data.size();
        image.flags |= 0x0008;
        std::vector<std::uint8_t> data;
        for (std::uint32_t v :
             {c.compression->lvgl, std::uint32_t(packed.size()), std::uint32_t(image.data.size())})
            data.insert(data.end(), {std::uint8_t(v), std::uint8_t(v >> 8), std::uint8_t(v >> 16),
                                     std::uint8_t(v >> 24)});
        data.insert(data.end(), packed.begin(), packed.end());
        image.data = std::move(data);
    }
    return image;
}

std::vector<std::uint8_t> lvgl_file(const LvglImage& image) {
    std::vector<std::uint8_t> out = image.version->file_header(image);
    out.insert(out.end(), image.data.begin(), image.data.end());
    return out;
}

} // namespace kpal
