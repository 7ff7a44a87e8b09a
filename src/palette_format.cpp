#include "kpal/palette_format.h"
#include "table.h"

#include "kpal/core.h"

#include <algorithm>
#include <iterator>

namespace kpal {
namespace {

// The names and uses of the core's formats (src/core/palette.c holds their bit layouts).
struct Named {
    kpal_format_id id;
    std::string_view name, use;
};
constexpr Named names[] = {
    {KPAL_FORMAT_RGB888, "rgb888", "R, G, B bytes: generic, PC tools"},
    {KPAL_FORMAT_BGR888, "bgr888", "B, G, R bytes"},
    {KPAL_FORMAT_RGBX8888, "rgbx8888", "R, G, B, 0 bytes"},
    {KPAL_FORMAT_BGRX8888, "bgrx8888", "B, G, R, 0 bytes: BMP palettes"},
    {KPAL_FORMAT_BGRA8888, "bgra8888", "B, G, R, 255 bytes: LVGL indexed images (lv_color32_t)"},
    {KPAL_FORMAT_VGA_DAC, "vga-dac", "VGA DAC: R, G, B bytes of 0..63"},
    {KPAL_FORMAT_RGB565_BE, "rgb565-be", "RGB565 high byte first: SPI panels (ST7735, ILI9341)"},
    {KPAL_FORMAT_RGB565_LE, "rgb565-le", "RGB565 low byte first: little-endian MCU memory"},
    {KPAL_FORMAT_BGR565_BE, "bgr565-be", "BGR565 high byte first: panels wired BGR"},
    {KPAL_FORMAT_BGR565_LE, "bgr565-le", "BGR565 low byte first"},
    {KPAL_FORMAT_BGR555_LE, "bgr555-le", "BGR555 low byte first: GBA, NDS, SNES"},
    {KPAL_FORMAT_RGB555_LE, "rgb555-le", "RGB555 low byte first"},
    {KPAL_FORMAT_RGB444_BE, "rgb444-be", "0RGB 4 bits each, high byte first"},
    {KPAL_FORMAT_RGB332, "rgb332", "RRRGGGBB in one byte"},
    {KPAL_FORMAT_EGA64, "ega64",
     "EGA palette register (00rgbRGB): 16 entries of the 64 EGA colours"},
    {KPAL_FORMAT_MD9, "md9", "Mega Drive CRAM word, high byte first: 0000BBB0GGG0RRR0"},
    {KPAL_FORMAT_SMS6, "sms6", "Master System CRAM byte: 00BBGGRR"},
    {KPAL_FORMAT_GG12, "gg12", "Game Gear CRAM word, low byte first: ----BBBBGGGGRRRR"},
    {KPAL_FORMAT_PCE9, "pce9",
     "PC Engine VCE word, low byte first: blue bits 0-2, red 3-5, green 6-8"},
};
static_assert(std::size(names) == KPAL_FORMAT_COUNT, "a name for each core palette format");

std::vector<PaletteFormat> make_formats() {
    std::vector<PaletteFormat> rows;
    for (const Named& n : names) {
        const kpal_palette_format& f = kpal_palette_formats[n.id];
        rows.push_back({n.name,
                        f.bytes,
                        {f.channel[0].bits, f.channel[1].bits, f.channel[2].bits},
                        n.use,
                        std::uint8_t(n.id)});
    }
    return rows;
}

const std::vector<PaletteFormat>& formats() {
    static const std::vector<PaletteFormat> all = make_formats();
    return all;
}

} // namespace

std::span<const PaletteFormat> palette_formats() {
    return formats();
}

const PaletteFormat* find_palette_format(std::string_view name) {
    return find_row<PaletteFormat>(formats(), name);
}

std::uint8_t expand_channel(unsigned code, int bits) {
    return kpal_expand_channel(code, std::uint32_t(bits));
}

unsigned reduce_channel(std::uint8_t value, int bits) {
    return kpal_reduce_channel(value, std::uint32_t(bits));
}

void encode_palette(const PaletteFormat& f, std::span<const Rgb> colors,
                    std::vector<std::uint8_t>& out) {
    std::vector<std::uint8_t> rgb;
    for (Rgb c : colors) rgb.insert(rgb.end(), {c.r, c.g, c.b});
    const std::size_t at = out.size();
    out.resize(at + colors.size() * std::size_t(f.bytes));
    kpal_encode_palette(f.id, rgb.data(), std::uint32_t(colors.size()), out.data() + at);
}

std::vector<Rgb> decode_palette(const PaletteFormat& f, std::span<const std::uint8_t> bytes) {
    const std::size_t n = bytes.size() / std::size_t(f.bytes);
    std::vector<std::uint8_t> rgb(3 * n);
    kpal_decode_palette(f.id, bytes.data(), std::uint32_t(n), rgb.data());
    std::vector<Rgb> colors;
    for (std::size_t i = 0; i < n; ++i)
        colors.push_back({rgb[3 * i], rgb[3 * i + 1], rgb[3 * i + 2]});
    return colors;
}

DeviceLevels device_levels(const PaletteFormat& f) {
    DeviceLevels levels;
    for (int ch = 0; ch < 3; ++ch)
        for (unsigned q = 0; q < (1u << f.bits[ch]); ++q)
            levels.channel[ch].push_back(expand_channel(q, f.bits[ch]));
    for (int ch = 0; ch < 3; ++ch)
        for (int v = 0; v < 256; ++v)
            levels.nearest[ch][v] =
                expand_channel(reduce_channel(std::uint8_t(v), f.bits[ch]), f.bits[ch]);
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
