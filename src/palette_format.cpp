#include "kpal/palette_format.h"
#include "table.h"

#include "kpal/core.h"

#include <algorithm>
#include <iterator>

namespace kpal {
namespace {

// The names and uses of the core's formats, from core.h's list.
struct Named {
    kpal_format_id id;
    std::string_view name, use;
};
#define KPAL_FORMAT_NAME(id, name, use, ...) {KPAL_FORMAT_##id, name, use},
constexpr Named names[] = {KPAL_PALETTE_FORMATS(KPAL_FORMAT_NAME)};
#undef KPAL_FORMAT_NAME
static_assert(std::size(names) == KPAL_FORMAT_COUNT, "a name for each core palette format");

// The Game Boy's four shades as an even grey ramp, shade 0 the lightest. Emulators differ (mGBA
// shows 255, 173, 82, 0) and the DMG's own screen is green: a profile's master_palette says so.
constexpr Rgb dmg_shades[] = {{255, 255, 255}, {170, 170, 170}, {85, 85, 85}, {0, 0, 0}};

// The NES master palette: the colours an NTSC television decodes from the 2C02 PPU's signal for
// codes $00..$3F, computed by tools/nes_palette.py from the levels and colour phases documented
// on the NESdev wiki ("NTSC video"). Emulators differ; a profile's master_palette replaces it.
// clang-format off
constexpr Rgb nes_ntsc[] = {
    {101, 101, 101}, {  5,  33, 129}, { 36,  15, 144}, { 66,   2, 129},
    { 88,   0,  90}, { 96,   5,  36}, { 88,  19,   0}, { 66,  38,   0},
    { 36,  57,   0}, {  5,  69,   0}, {  0,  73,   0}, {  0,  67,  36},
    {  0,  52,  90}, {  0,   0,   0}, {  0,   0,   0}, {  0,   0,   0},
    {174, 174, 174}, { 47,  83, 211}, { 87,  59, 230}, {127,  42, 211},
    {156,  38, 158}, {167,  46,  87}, {156,  65,  15}, {127,  90,   0},
    { 87, 115,   0}, { 47, 131,   0}, { 17, 136,  15}, {  7, 128,  87},
    { 17, 108, 158}, {  0,   0,   0}, {  0,   0,   0}, {  0,   0,   0},
    {255, 255, 255}, {126, 163, 255}, {167, 139, 255}, {207, 122, 255},
    {237, 117, 239}, {248, 125, 167}, {237, 145,  94}, {207, 170,  41},
    {167, 195,  22}, {126, 212,  41}, { 96, 217,  94}, { 85, 208, 167},
    { 96, 189, 239}, { 79,  79,  79}, {  0,   0,   0}, {  0,   0,   0},
    {255, 255, 255}, {202, 217, 255}, {219, 207, 255}, {235, 200, 255},
    {248, 198, 249}, {252, 202, 219}, {248, 210, 189}, {235, 220, 167},
    {219, 230, 159}, {202, 237, 167}, {190, 239, 189}, {185, 236, 219},
    {190, 228, 249}, {182, 182, 182}, {  0,   0,   0}, {  0,   0,   0},
};
// clang-format on

// The NES codes a palette may hold: all but $0D (below black: some televisions take it for a
// sync pulse) and the blacks other than $0F ($1D, $xE, $xF), so that black is always $0F.
std::vector<std::uint8_t> nes_codes() {
    std::vector<std::uint8_t> codes;
    for (unsigned c = 0; c < 64; ++c)
        if (c == 0x0f || !(c == 0x0d || c == 0x1d || (c & 15) >= 14))
            codes.push_back(std::uint8_t(c));
    return codes;
}

std::vector<std::uint8_t> all_codes(std::size_t n) {
    std::vector<std::uint8_t> codes(n);
    for (std::size_t c = 0; c < n; ++c) codes[c] = std::uint8_t(c);
    return codes;
}

// Fixed palettes: panels whose pixels are codes for the colours they can show, with no palette
// memory (e-paper, mono and grey OLEDs). Each table gives the colour every code of the pixel's
// bits looks like, the unusable ones too (they decode, but remapping never picks them); the
// codes list puts the background first (transparent pixels take it). A profile's master_palette
// or shown_colors replaces the colours with measured ones.
constexpr Rgb black_white[] = {{0, 0, 0}, {255, 255, 255}};
// Three-colour panels as GxEPD2 and Waveshare drive them: two planes (layout planar, 2 bits),
// bit 0 the black plane (0 = black), bit 1 the colour plane (0 = colour); 1 is white in both.
// Code 0 (black and colour) shows the colour on these panels; nothing maps to it. The colours
// are nominal, not measured: a profile should give its panel's.
constexpr Rgb black_white_red[] = {{255, 0, 0}, {255, 0, 0}, {0, 0, 0}, {255, 255, 255}};
constexpr Rgb black_white_yellow[] = {{255, 255, 0}, {255, 255, 0}, {0, 0, 0}, {255, 255, 255}};
// Four greys in two planes, as Waveshare's 4-grey drivers send them (commands 10h then 13h): bit
// 0 the first plane, bit 1 the second; white 3, light grey 1, dark grey 2, black 0.
constexpr Rgb four_grey_planes[] = {{0, 0, 0}, {170, 170, 170}, {85, 85, 85}, {255, 255, 255}};
constexpr Rgb grey_ramp4[] = {{0, 0, 0}, {85, 85, 85}, {170, 170, 170}, {255, 255, 255}};
constexpr Rgb grey_ramp16[] = {
    {0, 0, 0},       {17, 17, 17},    {34, 34, 34},    {51, 51, 51},
    {68, 68, 68},    {85, 85, 85},    {102, 102, 102}, {119, 119, 119},
    {136, 136, 136}, {153, 153, 153}, {170, 170, 170}, {187, 187, 187},
    {204, 204, 204}, {221, 221, 221}, {238, 238, 238}, {255, 255, 255},
};
// ACeP 7-colour (UC8159: Inky Impression, Waveshare 5.65" F): codes 0 black, 1 white, 2 green,
// 3 blue, 4 red, 5 yellow, 6 orange, 7 "clean" (not a colour). The colours are Pimoroni's
// measured ones (SATURATED_PALETTE in inky_uc8159.py), which its library dithers against; code
// 7 is shown as white.
constexpr Rgb acep7[] = {{57, 48, 57},  {255, 255, 255}, {58, 91, 70},   {61, 59, 94},
                         {156, 72, 75}, {208, 190, 71},  {177, 106, 73}, {255, 255, 255}};
// E Ink Spectra 6 (Waveshare 7.3" E, Inky Impression 2025): codes 0 black, 1 white, 2 yellow,
// 3 red, 5 blue, 6 green; 4 and 7 are not colours (shown as white). The colours are those
// published as measured for Seeed's reTerminal E1002 Spectra 6 panel.
constexpr Rgb spectra6[] = {{0, 0, 0},       {255, 255, 255}, {239, 222, 68}, {178, 19, 24},
                            {255, 255, 255}, {33, 87, 186},   {18, 95, 32},   {255, 255, 255}};

// The master palettes of screens of cells (cells.h): 16 codes, the pixels hold them.
// ZX Spectrum: codes 0-7 normal (0 or 192 a channel, as Fuse shows them), 8-15 BRIGHT (0 or
// 255); 8 is black again. Bit 0 blue, bit 1 red, bit 2 green.
constexpr Rgb zx_spectrum[] = {
    {0, 0, 0},     {0, 0, 192},     {192, 0, 0},   {192, 0, 192},   {0, 192, 0}, {0, 192, 192},
    {192, 192, 0}, {192, 192, 192}, {0, 0, 0},     {0, 0, 255},     {255, 0, 0}, {255, 0, 255},
    {0, 255, 0},   {0, 255, 255},   {255, 255, 0}, {255, 255, 255},
};
// TMS9918: the colours published from the datasheet's levels (as the MSX Resource Center and
// most converters give them); code 0 is transparent (the backdrop shows), never chosen.
constexpr Rgb tms9918[] = {
    {0, 0, 0},     {0, 0, 0},       {33, 200, 66},   {94, 220, 120},
    {84, 85, 237}, {125, 118, 252}, {212, 82, 77},   {66, 235, 245},
    {252, 85, 84}, {255, 121, 120}, {212, 193, 84},  {230, 206, 128},
    {33, 176, 59}, {201, 91, 186},  {204, 204, 204}, {255, 255, 255},
};
// Commodore 64: Philip "Pepto" Timmermann's measured PAL VIC-II colours (2001), the palette
// most converters and VICE's "pepto-pal" use.
constexpr Rgb c64_pepto[] = {
    {0, 0, 0},       {255, 255, 255}, {104, 55, 43},  {112, 164, 178},
    {111, 61, 134},  {88, 141, 67},   {53, 40, 121},  {184, 199, 111},
    {111, 79, 37},   {67, 57, 0},     {154, 103, 89}, {68, 68, 68},
    {108, 108, 108}, {154, 210, 132}, {108, 94, 181}, {149, 149, 149},
};

std::vector<std::uint8_t> codes_of(std::initializer_list<std::uint8_t> codes) {
    return codes;
}

// Code formats: name, use, bits an entry (0: a fixed palette, the pixels hold the codes), the
// colour of each code, the codes encoding picks.
struct CodeRow {
    std::string_view name, use;
    int entry_bits;
    std::span<const Rgb> shown;
    std::vector<std::uint8_t> codes;
};
std::vector<CodeRow> code_rows() {
    return {
        {"gb-shades", "Game Boy BGP/OBP register: a 2-bit shade an entry, entry 0 in bits 0-1", 2,
         dmg_shades, all_codes(std::size(dmg_shades))},
        {"nes", "NES palette RAM: a byte an entry, a code $00..$3F of the master palette", 8,
         nes_ntsc, nes_codes()},
        {"mono", "fixed: 1 bit, 0 off (black), 1 lit (white): mono OLEDs, LCDs", 0, black_white,
         codes_of({0, 1})},
        {"epd-bw", "fixed: 1 bit, 0 black, 1 white: black/white e-paper", 0, black_white,
         codes_of({1, 0})},
        {"epd-bwr", "fixed: 2 planes, black (0 = black) then red (0 = red): 3-colour e-paper", 0,
         black_white_red, codes_of({3, 2, 1})},
        {"epd-bwy", "fixed: 2 planes, black (0 = black) then yellow (0 = yellow)", 0,
         black_white_yellow, codes_of({3, 2, 1})},
        {"epd-4grey", "fixed: 2 planes of 4 greys (Waveshare 4-grey): 0 black .. 3 white", 0,
         four_grey_planes, codes_of({3, 1, 2, 0})},
        {"grey4", "fixed: 4 grey levels, 0 black .. 3 white", 0, grey_ramp4,
         codes_of({0, 1, 2, 3})},
        {"grey16", "fixed: 16 grey levels, 0 off .. 15 brightest: grey OLEDs (SSD1322, SSD1327)", 0,
         grey_ramp16, all_codes(16)},
        {"acep7", "fixed: ACeP 7-colour e-paper codes 0-6, measured colours (Pimoroni)", 0, acep7,
         codes_of({1, 0, 2, 3, 4, 5, 6})},
        {"spectra6", "fixed: Spectra 6 e-paper codes 0-3, 5, 6, measured colours", 0, spectra6,
         codes_of({1, 0, 2, 3, 5, 6})},
        {"zx-spectrum", "fixed: ZX Spectrum colours, 0-7 normal, 8-15 BRIGHT", 0, zx_spectrum,
         all_codes(16)},
        {"tms9918", "fixed: TMS9918 colours 1-15 (0 is transparent)", 0, tms9918,
         codes_of({1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15})},
        {"c64", "fixed: Commodore 64 colours 0-15 (Pepto's measured PAL palette)", 0, c64_pepto,
         all_codes(16)},
    };
}

std::vector<PaletteFormat> make_formats() {
    std::vector<PaletteFormat> rows;
    for (const Named& n : names) {
        const kpal_palette_format& f = kpal_palette_formats[n.id];
        rows.push_back({n.name,
                        f.bytes,
                        {f.channel[0].bits, f.channel[1].bits, f.channel[2].bits},
                        n.use,
                        std::uint8_t(n.id),
                        8 * f.bytes,
                        {},
                        {}});
    }
    for (CodeRow& c : code_rows())
        rows.push_back({c.name,
                        c.entry_bits / 8,
                        {8, 8, 8},
                        c.use,
                        KPAL_FORMAT_COUNT,
                        c.entry_bits,
                        std::vector<Rgb>(c.shown.begin(), c.shown.end()),
                        std::move(c.codes)});
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

bool PaletteFormat::is_fixed() const {
    return is_code_format() && entry_bits == 0;
}

bool PaletteFormat::in_core() const {
    return id < KPAL_FORMAT_COUNT;
}

std::size_t palette_byte_size(const PaletteFormat& f, std::size_t entries) {
    if (f.is_fixed()) return 0;
    return (entries * std::size_t(f.entry_bits) + 7) / 8;
}

std::size_t palette_entry_count(const PaletteFormat& f, std::size_t bytes) {
    if (f.is_fixed()) return f.shown.size();
    return bytes * 8 / std::size_t(f.entry_bits);
}

std::string entry_size_text(const PaletteFormat& f) {
    if (f.is_fixed()) return "no bytes (fixed colours)";
    if (f.entry_bits % 8) return std::to_string(f.entry_bits) + " bits";
    return std::to_string(f.bytes) + (f.bytes == 1 ? " byte" : " bytes");
}

PaletteFormat with_shown_colours(const PaletteFormat& f, std::vector<Rgb> shown) {
    PaletteFormat out = f;
    out.shown = std::move(shown);
    return out;
}

std::uint8_t expand_channel(unsigned code, int bits) {
    return kpal_expand_channel(code, std::uint32_t(bits));
}

unsigned reduce_channel(std::uint8_t value, int bits) {
    return kpal_reduce_channel(value, std::uint32_t(bits));
}

namespace {
int distance2(Rgb a, Rgb b) {
    const int dr = a.r - b.r, dg = a.g - b.g, db = a.b - b.b;
    return dr * dr + dg * dg + db * db;
}

// The code a code format stores for colour c: the first of its codes nearest to c.
std::uint8_t nearest_code(const PaletteFormat& f, Rgb c) {
    std::uint8_t best = f.codes.front();
    int best_d = distance2(f.shown[best], c);
    for (std::uint8_t code : f.codes)
        if (const int d = distance2(f.shown[code], c); d < best_d) best = code, best_d = d;
    return best;
}
} // namespace

void encode_palette(const PaletteFormat& f, std::span<const Rgb> colors,
                    std::vector<std::uint8_t>& out) {
    if (f.is_fixed()) return; // nothing is stored: the pixels hold the codes
    if (f.is_code_format()) {
        const std::size_t at = out.size();
        out.resize(at + palette_byte_size(f, colors.size()), 0);
        for (std::size_t i = 0; i < colors.size(); ++i) {
            const std::size_t bit = i * std::size_t(f.entry_bits);
            out[at + bit / 8] |= std::uint8_t(nearest_code(f, colors[i]) << (bit % 8));
        }
        return;
    }
    std::vector<std::uint8_t> rgb;
    for (Rgb c : colors) rgb.insert(rgb.end(), {c.r, c.g, c.b});
    const std::size_t at = out.size();
    out.resize(at + colors.size() * std::size_t(f.bytes));
    kpal_encode_palette(f.id, rgb.data(), std::uint32_t(colors.size()), out.data() + at);
}

std::vector<Rgb> decode_palette(const PaletteFormat& f, std::span<const std::uint8_t> bytes) {
    const std::size_t n = palette_entry_count(f, bytes.size());
    if (f.is_fixed()) return f.shown;
    if (f.is_code_format()) {
        // The hardware reads only the code's bits (NES palette RAM holds 6 of 8).
        std::vector<Rgb> colors;
        const unsigned mask = f.entry_bits < 8 ? (1u << f.entry_bits) - 1u : 0xffu;
        for (std::size_t i = 0; i < n; ++i) {
            const std::size_t bit = i * std::size_t(f.entry_bits);
            const unsigned code = (bytes[bit / 8] >> (bit % 8)) & mask;
            colors.push_back(f.shown[code % f.shown.size()]);
        }
        return colors;
    }
    std::vector<std::uint8_t> rgb(3 * n);
    kpal_decode_palette(f.id, bytes.data(), std::uint32_t(n), rgb.data());
    std::vector<Rgb> colors;
    for (std::size_t i = 0; i < n; ++i)
        colors.push_back({rgb[3 * i], rgb[3 * i + 1], rgb[3 * i + 2]});
    return colors;
}

DeviceLevels device_levels(const PaletteFormat& f) {
    DeviceLevels levels;
    if (f.is_code_format()) {
        for (std::uint8_t code : f.codes) levels.gamut.push_back(f.shown[code]);
        return levels;
    }
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
    if (!gamut.empty()) return snap(std::array<double, 3>{double(c.r), double(c.g), double(c.b)});
    return {nearest[0][c.r], nearest[1][c.g], nearest[2][c.b]};
}

Rgb DeviceLevels::snap(const std::array<double, 3>& c) const {
    if (!gamut.empty()) {
        Rgb best = gamut.front();
        double best_d = -1;
        for (Rgb g : gamut) {
            const double dr = g.r - c[0], dg = g.g - c[1], db = g.b - c[2];
            const double d = dr * dr + dg * dg + db * db;
            if (best_d < 0 || d < best_d) best = g, best_d = d;
        }
        return best;
    }
    return {nearest_level(channel[0], c[0]), nearest_level(channel[1], c[1]),
            nearest_level(channel[2], c[2])};
}

} // namespace kpal
