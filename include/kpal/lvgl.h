// LVGL's own image format, versions 9 and 8: the header its image decoder reads, and the data
// of an indexed image (a palette of lv_color32_t entries, bytes B, G, R, A, then the rows). One
// row of a table per version says how its header is laid out in a .bin file and in C.
#pragma once

#include "kpal/convert.h"
#include "kpal/target.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace kpal {

struct LvglImage;

struct LvglVersion {
    int number;                      // 9 or 8
    std::string_view descriptor;     // the C type: lv_image_dsc_t, lv_img_dsc_t
    std::string_view colour_formats; // cf names by bits a pixel, "|" between (1, 2, 4, 8)
    std::uint8_t first_indexed_cf;   // cf of 1 bit a pixel; 2, 4 and 8 bits follow it
    int max_side;                    // the widest and highest image the header holds
    bool has_stride;                 // rows may be padded (v9's stride field)
    // The header of a .bin file (LVGL's file-system image decoder), little-endian.
    std::vector<std::uint8_t> (*file_header)(const LvglImage&);
    // The descriptor's header fields as C designated initialisers, one ".header.x = v," a line.
    std::string (*c_header)(const LvglImage&);
};

// An indexed image ready for LVGL: its header fields and its data.
struct LvglImage {
    const LvglVersion* version;
    int width, height, bpp, stride; // stride: bytes a row of pixels
    std::uint8_t cf;                // LVGL's colour format code
    std::string cf_name;            // its C name
    std::uint16_t flags = 0;
    std::vector<std::uint8_t> data; // the palette (2^bpp entries of 4 bytes), then the rows;
                                    // compressed (--compress lvgl-rle, lvgl-lz4): LVGL's
                                    // 12-byte compression header, then the stream of those
    std::size_t raw_size = 0;       // compressed: the bytes the stream unpacks to
};

// The version called `number` (9 or 8); throws Error{usage} for another.
const LvglVersion& lvgl_version(int number);

// The LVGL image of a conversion for `target`, which must be an LVGL indexed target (palette
// format bgra8888, layout packed-msb, or linear at 8 bits). The transparent entry, if any, gets
// alpha 0. With an LVGL compression method (conversion.compression->lvgl) the data is packed,
// checked to unpack through the C core. Throws Error{usage} naming the target, or a size, row
// alignment or compression the version's header cannot hold.
LvglImage lvgl_image(const Conversion& conversion, const Target& target,
                     const LvglVersion& version);

// The whole .bin file: header, then data.
std::vector<std::uint8_t> lvgl_file(const LvglImage& image);

} // namespace kpal
