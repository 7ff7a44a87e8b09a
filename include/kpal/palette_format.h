// How a display stores one palette entry. The formats are one table in the C core
// (src/core/palette.c: bytes per entry, where each channel's bits sit, constant bits, byte order);
// this header adds a description to each and C++ types. Encoding picks the code whose decoded
// colour is nearest; decoding expands each channel by bit replication, which is what the hardware
// shows (the VGA DAC's 6-bit v is shown as (v << 2) | (v >> 4); EGA's 2-bit levels as 0, 85,
// 170, 255).
#pragma once

#include "kpal/image.h"

#include <array>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace kpal {

struct PaletteFormat {
    std::string_view name;
    int bytes;               // bytes a palette entry
    std::array<int, 3> bits; // code width of red, green, blue
    std::string_view use;    // where the format is found
    std::uint8_t id;         // the row of the C core's table (kpal_palette_formats), which
                             // holds where each bit sits; both libraries encode through it
};

// Every palette format kpal knows, in a stable order.
std::span<const PaletteFormat> palette_formats();

// The format called `name`, or nullptr when there is none.
const PaletteFormat* find_palette_format(std::string_view name);

// The 8-bit value a display shows for a channel code of `bits` bits (bit replication).
std::uint8_t expand_channel(unsigned code, int bits);

// The code of `bits` bits whose expanded value is nearest to `value` (the lower one on a tie).
unsigned reduce_channel(std::uint8_t value, int bits);

// Appends the encoded entries of `colors` to `out`, `format.bytes` bytes each.
void encode_palette(const PaletteFormat& format, std::span<const Rgb> colors,
                    std::vector<std::uint8_t>& out);

// The colours the display shows for encoded palette bytes (size must be a multiple of bytes).
std::vector<Rgb> decode_palette(const PaletteFormat& format, std::span<const std::uint8_t> bytes);

// The 8-bit values each channel can show on this format, ascending: the grid palette design
// snaps to.
struct DeviceLevels {
    std::array<std::vector<std::uint8_t>, 3> channel;
    std::array<std::array<std::uint8_t, 256>, 3> nearest; // 8-bit value -> nearest level
    // Nearest representable colour to an 8-bit colour / to a real-valued mean.
    Rgb snap(Rgb c) const;
    Rgb snap(const std::array<double, 3>& c) const;
};
DeviceLevels device_levels(const PaletteFormat& format);

} // namespace kpal
