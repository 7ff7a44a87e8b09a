#include "kpal/palette_format.h"
#include "table.h"

#include <algorithm>
#include <cmath>

namespace kpal {
namespace {

// clang-format off
// Every palette format, one row each. The entry word is stored most significant byte first when
// big_endian. EGA's register holds each channel as two bits apart: the 2/3-intensity bit (the
// code's high bit) in bits 2, 1, 0 for red, green, blue and the 1/3 bit in bits 5, 4, 3.
constexpr PaletteFormat formats[] = {
    // name        bytes  red           green         blue          fixed  BE     use
    {"rgb888",     3, {field(8, 16), field(8, 8),  field(8, 0)},  0,    true,  "R, G, B bytes: generic, PC tools"},
    {"bgr888",     3, {field(8, 0),  field(8, 8),  field(8, 16)}, 0,    true,  "B, G, R bytes"},
    {"rgbx8888",   4, {field(8, 24), field(8, 16), field(8, 8)},  0,    true,  "R, G, B, 0 bytes"},
    {"bgrx8888",   4, {field(8, 8),  field(8, 16), field(8, 24)}, 0,    true,  "B, G, R, 0 bytes: BMP palettes"},
    {"bgra8888",   4, {field(8, 8),  field(8, 16), field(8, 24)}, 0xff, true,  "B, G, R, 255 bytes: LVGL indexed images (lv_color32_t)"},
    {"vga-dac",    3, {field(6, 16), field(6, 8),  field(6, 0)},  0,    true,  "VGA DAC: R, G, B bytes of 0..63"},
    {"rgb565-be",  2, {field(5, 11), field(6, 5),  field(5, 0)},  0,    true,  "RGB565 high byte first: SPI panels (ST7735, ILI9341)"},
    {"rgb565-le",  2, {field(5, 11), field(6, 5),  field(5, 0)},  0,    false, "RGB565 low byte first: little-endian MCU memory"},
    {"bgr565-be",  2, {field(5, 0),  field(6, 5),  field(5, 11)}, 0,    true,  "BGR565 high byte first: panels wired BGR"},
    {"bgr565-le",  2, {field(5, 0),  field(6, 5),  field(5, 11)}, 0,    false, "BGR565 low byte first"},
    {"bgr555-le",  2, {field(5, 0),  field(5, 5),  field(5, 10)}, 0,    false, "BGR555 low byte first: GBA, NDS, SNES"},
    {"rgb555-le",  2, {field(5, 10), field(5, 5),  field(5, 0)},  0,    false, "RGB555 low byte first"},
    {"rgb444-be",  2, {field(4, 8),  field(4, 4),  field(4, 0)},  0,    true,  "0RGB 4 bits each, high byte first"},
    {"rgb332",     1, {field(3, 5),  field(3, 2),  field(2, 0)},  0,    true,  "RRRGGGBB in one byte"},
    {"ega64",      1, {ChannelBits{2, {2, 5}}, ChannelBits{2, {1, 4}}, ChannelBits{2, {0, 3}}}, 0, true,
     "EGA palette register (00rgbRGB): 16 entries of the 64 EGA colours"},
};
// clang-format on

// For each channel width, the code whose expansion is nearest to each 8-bit value.
struct ReduceTables {
    std::array<std::array<std::uint8_t, 256>, 9> code{};
    ReduceTables() {
        for (int bits = 1; bits <= 8; ++bits)
            for (int v = 0; v < 256; ++v) {
                unsigned best = 0;
                for (unsigned q = 1; q < (1u << bits); ++q)
                    if (std::abs(expand_channel(q, bits) - v) <
                        std::abs(expand_channel(best, bits) - v))
                        best = q;
                code[bits][v] = std::uint8_t(best);
            }
    }
};
const ReduceTables reduce_tables;

std::uint32_t entry_word(const PaletteFormat& f, Rgb c) {
    const std::uint8_t v[3] = {c.r, c.g, c.b};
    std::uint32_t word = f.fixed;
    for (int ch = 0; ch < 3; ++ch) {
        const ChannelBits& bits = f.channel[ch];
        const unsigned code = reduce_channel(v[ch], bits.bits);
        for (int k = 0; k < bits.bits; ++k)
            word |= std::uint32_t((code >> (bits.bits - 1 - k)) & 1u) << bits.at[std::size_t(k)];
    }
    return word;
}

unsigned channel_code(const ChannelBits& bits, std::uint32_t word) {
    unsigned code = 0;
    for (int k = 0; k < bits.bits; ++k)
        code = (code << 1) | ((word >> bits.at[std::size_t(k)]) & 1u);
    return code;
}

} // namespace

std::span<const PaletteFormat> palette_formats() {
    return formats;
}

const PaletteFormat* find_palette_format(std::string_view name) {
    return find_row<PaletteFormat>(formats, name);
}

std::uint8_t expand_channel(unsigned code, int bits) {
    // Repeat the code's bits from the top down: 6-bit v gives (v << 2) | (v >> 4).
    unsigned value = 0;
    for (int pos = 8 - bits;; pos -= bits) {
        value |= pos >= 0 ? code << pos : code >> -pos;
        if (pos <= 0) break;
    }
    return std::uint8_t(value);
}

unsigned reduce_channel(std::uint8_t value, int bits) {
    return reduce_tables.code[bits][value];
}

void encode_palette(const PaletteFormat& f, std::span<const Rgb> colors,
                    std::vector<std::uint8_t>& out) {
    for (Rgb c : colors) {
        const std::uint32_t word = entry_word(f, c);
        for (int i = 0; i < f.bytes; ++i) {
            const int byte = f.big_endian ? f.bytes - 1 - i : i;
            out.push_back(std::uint8_t(word >> (8 * byte)));
        }
    }
}

std::vector<Rgb> decode_palette(const PaletteFormat& f, std::span<const std::uint8_t> bytes) {
    std::vector<Rgb> colors;
    for (std::size_t at = 0; at + f.bytes <= bytes.size(); at += f.bytes) {
        std::uint32_t word = 0;
        for (int i = 0; i < f.bytes; ++i) {
            const int byte = f.big_endian ? f.bytes - 1 - i : i;
            word |= std::uint32_t(bytes[at + i]) << (8 * byte);
        }
        std::uint8_t v[3];
        for (int ch = 0; ch < 3; ++ch)
            v[ch] = expand_channel(channel_code(f.channel[ch], word), f.channel[ch].bits);
        colors.push_back({v[0], v[1], v[2]});
    }
    return colors;
}

DeviceLevels device_levels(const PaletteFormat& f) {
    DeviceLevels levels;
    for (int ch = 0; ch < 3; ++ch)
        for (unsigned q = 0; q < (1u << f.channel[ch].bits); ++q)
            levels.channel[ch].push_back(expand_channel(q, f.channel[ch].bits));
    for (int ch = 0; ch < 3; ++ch)
        for (int v = 0; v < 256; ++v)
            levels.nearest[ch][v] = expand_channel(
                reduce_channel(std::uint8_t(v), f.channel[ch].bits), f.channel[ch].bits);
    return levels;
}

namespace {
// The level nearest to x in an ascending list (the lower one on a tie).
std::uint8_t nearest_level(const std::vector<std::uint8_t>& levels, double x) {
    auto above = std::lower_bound(levels.begin(), levels.end(), x);
    if (above == levels.end()) return levels.back();
    if (above == levels.begin()) return *above;
    return *above - x < x - above[-1] ? *above : above[-1];
}
} // namespace

Rgb DeviceLevels::snap(Rgb c) const {
    return {nearest[0][c.r], nearest[1][c.g], nearest[2][c.b]};
}

Rgb DeviceLevels::snap(const std::array<double, 3>& c) const {
    return {nearest_level(channel[0], c[0]), nearest_level(channel[1], c[1]),
            nearest_level(channel[2], c[2])};
}

} // namespace kpal
