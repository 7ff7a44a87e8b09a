#include "kpal/cells.h"

#include "kpal/error.h"
#include "table.h"

#include <algorithm>
#include <array>
#include <limits>
#include <stdexcept>

namespace kpal {

std::vector<std::uint8_t> CellColours::entries(std::size_t c) const {
    std::vector<std::uint8_t> out = own[c];
    if (background) out.push_back(*background);
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

namespace {

using Vec = std::array<float, 3>;

Vec vec_of(Rgb c) {
    return {float(c.r), float(c.g), float(c.b)};
}

float squared(const Vec& a, const Vec& b) {
    const float x = a[0] - b[0], y = a[1] - b[1], z = a[2] - b[2];
    return x * x + y * y + z * z;
}

// The squared distance from p to the nearest point of the segment from a to b: the nearest
// mixture of a and b that dithering can show.
float to_segment(const Vec& p, const Vec& a, const Vec& b) {
    const Vec ab{b[0] - a[0], b[1] - a[1], b[2] - a[2]};
    const float length = ab[0] * ab[0] + ab[1] * ab[1] + ab[2] * ab[2];
    if (length == 0) return squared(p, a);
    float t = ((p[0] - a[0]) * ab[0] + (p[1] - a[1]) * ab[1] + (p[2] - a[2]) * ab[2]) / length;
    t = std::clamp(t, 0.0f, 1.0f);
    return squared(p, {a[0] + t * ab[0], a[1] + t * ab[1], a[2] + t * ab[2]});
}

// Every choice of k of `slots` (ascending), in lexicographic order.
void combinations(const std::vector<int>& slots, int k, std::vector<int>& current, std::size_t from,
                  std::vector<std::vector<int>>& out) {
    if (int(current.size()) == k) {
        out.push_back(current);
        return;
    }
    for (std::size_t i = from; i < slots.size(); ++i) {
        current.push_back(slots[i]);
        combinations(slots, k, current, i + 1, out);
        current.pop_back();
    }
}

// The sets of k slots (places in the code list) a cell may take: any k of one group's codes,
// or of all of them, never `without` (the background).
std::vector<std::vector<int>> candidate_sets(std::span<const std::uint8_t> codes, int k, int group,
                                             int without) {
    std::vector<std::vector<int>> out;
    const int groups =
        group > 0 ? (int(*std::max_element(codes.begin(), codes.end())) / group) + 1 : 1;
    for (int g = 0; g < groups; ++g) {
        std::vector<int> slots;
        for (std::size_t s = 0; s < codes.size(); ++s)
            if ((group == 0 || codes[s] / group == g) && int(s) != without) slots.push_back(int(s));
        std::vector<int> current;
        if (int(slots.size()) >= k) combinations(slots, k, current, 0, out);
    }
    return out;
}

// For dithering, how much a pair's nearest colour counts beside the mixtures it can show: with
// less the cells take pairs far apart and the plain PSNR falls. Measured when Floyd-Steinberg
// still ran within these cells (it now chooses its own, cell_dither.cpp), at strength 0.75 on
// the ZX Spectrum, 6 photos: plain / blurred 12.00 / 22.93 dB at 0.3, 12.27 / 22.08 at 3.
constexpr float nearness = 3;

// One cell's pixels against every pair of codes: for each pair (a <= b) and pixel, the squared
// distance to the nearer of the two, or to the segment between them.
class CellCosts {
  public:
    CellCosts(const std::vector<Vec>& pixels, const std::vector<Vec>& colours, CellAim aim)
        : n_(colours.size()), pixels_(pixels.size()), cost_(n_ * n_ * pixels_) {
        for (std::size_t a = 0; a < n_; ++a)
            for (std::size_t b = a; b < n_; ++b)
                for (std::size_t p = 0; p < pixels_; ++p) {
                    const float near =
                        std::min(squared(pixels[p], colours[a]), squared(pixels[p], colours[b]));
                    cost_[(a * n_ + b) * pixels_ + p] =
                        aim == CellAim::nearest
                            ? near
                            : to_segment(pixels[p], colours[a], colours[b]) + nearness * near;
                }
    }
    // The cost of a set of slots (ascending): each pixel's least over the set's pairs. With
    // `all_pairs` false a pixel's nearest colour is found from disjoint pairs (enough for the
    // nearest); with it, every pair's segment counts.
    double of(const std::vector<int>& set, bool all_pairs) const {
        std::array<const float*, 6> rows{}; // the pairs of up to 4 colours
        std::size_t n = 0;
        for (std::size_t i = 0; i < set.size(); i += all_pairs ? 1 : 2) {
            if (!all_pairs || set.size() == 1) {
                const std::size_t b = std::size_t(set[std::min(i + 1, set.size() - 1)]);
                rows.at(n++) = row(std::size_t(set[i]), b);
                continue;
            }
            for (std::size_t j = i + 1; j < set.size(); ++j)
                rows.at(n++) = row(std::size_t(set[i]), std::size_t(set[j]));
        }
        double sum = 0;
        for (std::size_t p = 0; p < pixels_; ++p) {
            float best = std::numeric_limits<float>::max();
            for (std::size_t r = 0; r < n; ++r) best = std::min(best, rows[r][p]);
            sum += double(best);
        }
        return sum;
    }

  private:
    const float* row(std::size_t a, std::size_t b) const { return &cost_[(a * n_ + b) * pixels_]; }
    std::size_t n_, pixels_;
    std::vector<float> cost_;
};

std::vector<Vec> cell_pixels(const Image& image, int cx, int cy, const CellRule& rule) {
    std::vector<Vec> out;
    for (int y = cy * rule.height; y < (cy + 1) * rule.height; ++y)
        for (int x = cx * rule.width; x < (cx + 1) * rule.width; ++x)
            out.push_back(
                vec_of(image.rgb_at(std::size_t(y) * std::size_t(image.width) + std::size_t(x))));
    return out;
}

// The set of least cost (the first on a tie), with `with` added to each (the background).
std::vector<int> cheapest(const CellCosts& costs, const std::vector<std::vector<int>>& sets,
                          int with, bool all_pairs) {
    double best = std::numeric_limits<double>::max();
    std::vector<int> chosen;
    for (const std::vector<int>& own : sets) {
        std::vector<int> set = own;
        if (with >= 0) set.insert(std::upper_bound(set.begin(), set.end(), with), with);
        const double cost = costs.of(set, all_pairs);
        if (cost < best) best = cost, chosen = own;
    }
    return chosen;
}

// The background (a slot) that costs the least over the screen when each cell takes its best
// own colours beside it, each pixel its nearest colour: every set of colours + 1 codes is
// costed once, and counts for each of its codes as the background.
int choose_background(const Image& image, const std::vector<Vec>& colours_of,
                      std::span<const std::uint8_t> codes, const CellRule& rule) {
    const std::vector<std::vector<int>> sets = candidate_sets(codes, rule.colours + 1, 0, -1);
    std::vector<double> total(codes.size(), 0);
    for (int cy = 0; cy < image.height / rule.height; ++cy)
        for (int cx = 0; cx < image.width / rule.width; ++cx) {
            const CellCosts costs(cell_pixels(image, cx, cy, rule), colours_of, CellAim::nearest);
            std::vector<double> best(codes.size(), std::numeric_limits<double>::max());
            for (const std::vector<int>& set : sets) {
                const double cost = costs.of(set, false);
                for (const int s : set) best[std::size_t(s)] = std::min(best[std::size_t(s)], cost);
            }
            for (std::size_t s = 0; s < codes.size(); ++s) total[s] += best[s];
        }
    return int(std::min_element(total.begin(), total.end()) - total.begin());
}

} // namespace

std::vector<std::vector<std::uint8_t>> cell_sets(std::span<const std::uint8_t> codes,
                                                 const CellRule& rule,
                                                 std::optional<std::uint8_t> background) {
    int without = -1;
    if (background)
        without = int(std::find(codes.begin(), codes.end(), *background) - codes.begin());
    std::vector<std::vector<std::uint8_t>> out;
    for (const std::vector<int>& slots : candidate_sets(codes, rule.colours, rule.group, without)) {
        std::vector<std::uint8_t> set;
        for (const int s : slots) set.push_back(codes[std::size_t(s)]);
        if (background)
            set.insert(std::upper_bound(set.begin(), set.end(), *background), *background);
        out.push_back(std::move(set));
    }
    return out;
}

std::optional<std::uint8_t> screen_background(const Image& image, std::span<const Rgb> shown,
                                              std::span<const std::uint8_t> codes,
                                              const CellRule& rule) {
    if (!rule.background) return std::nullopt;
    std::vector<Vec> colours;
    for (const std::uint8_t code : codes) colours.push_back(vec_of(shown[code]));
    return codes[std::size_t(choose_background(image, colours, codes, rule))];
}

CellColours choose_cells(const Image& image, std::span<const Rgb> shown,
                         std::span<const std::uint8_t> codes, const CellRule& rule, CellAim aim) {
    CellColours out;
    out.across = image.width / rule.width;
    out.down = image.height / rule.height;
    std::vector<Vec> colours;
    for (const std::uint8_t code : codes) colours.push_back(vec_of(shown[code]));
    out.background = screen_background(image, shown, codes, rule);
    const int background =
        out.background ? int(std::find(codes.begin(), codes.end(), *out.background) - codes.begin())
                       : -1;
    const std::vector<std::vector<int>> sets =
        candidate_sets(codes, rule.colours, rule.group, background);
    for (int cy = 0; cy < out.down; ++cy)
        for (int cx = 0; cx < out.across; ++cx) {
            const std::vector<int> own =
                cheapest(CellCosts(cell_pixels(image, cx, cy, rule), colours, aim), sets,
                         background, aim == CellAim::dithered);
            std::vector<std::uint8_t> own_codes;
            for (const int s : own) own_codes.push_back(codes[std::size_t(s)]);
            out.own.push_back(std::move(own_codes));
        }
    return out;
}

// ---- screen formats ---------------------------------------------------------------------------

namespace {

const CellRule zx_rule{"zx-spectrum", 8, 8, 2, 8, false, 0.7};
const CellRule tms_rule{"tms9918-gfx2", 8, 1, 2, 0, false, 0.75};
const CellRule hires_rule{"c64-hires", 8, 8, 2, 0, false, 0.75};
const CellRule multicolour_rule{"c64-multicolor", 4, 8, 3, 0, true, 0.75};

// The role of pixel (x, y)'s code in its cell: its place among the cell's own colours, or -1
// for the background.
int role_of(const IndexedImage& codes, const CellColours& cells, const CellRule& rule, int x,
            int y) {
    const std::uint8_t code =
        codes.indices[std::size_t(y) * std::size_t(codes.width) + std::size_t(x)];
    const std::vector<std::uint8_t>& own = cells.own[cells.cell_of(x, y, rule)];
    if (cells.background && code == *cells.background) return -1;
    const auto at = std::find(own.begin(), own.end(), code);
    if (at == own.end())
        throw std::logic_error(
            "kpal: a pixel's colour is not one of its cell's (please report this)");
    return int(at - own.begin());
}

// ZX Spectrum .scr: 6144 bitmap bytes in the ULA's order (y bits 7-6, 2-0, 5-3), a set bit
// shows the ink; then 768 attributes, one a cell: FLASH (0), BRIGHT, PAPER (3 bits), INK.
// The cell's lower code is the paper, the higher the ink.
std::size_t zx_row(int y) {
    return std::size_t(((y & 0xC0) << 5) | ((y & 7) << 8) | ((y & 0x38) << 2));
}

void encode_zx(const IndexedImage& codes, const CellColours& cells, std::span<std::uint8_t> out) {
    for (int y = 0; y < 192; ++y)
        for (int x = 0; x < 256; ++x)
            if (role_of(codes, cells, zx_rule, x, y) == 1)
                out[zx_row(y) + std::size_t(x / 8)] |= std::uint8_t(0x80 >> (x % 8));
    for (std::size_t c = 0; c < cells.own.size(); ++c) {
        const std::vector<std::uint8_t>& own = cells.own[c];
        out[6144 + c] = std::uint8_t((own[0] >= 8 ? 0x40 : 0) | (own[0] % 8) << 3 | own[1] % 8);
    }
}

IndexedImage decode_zx(std::span<const std::uint8_t> bytes) {
    IndexedImage out{256, 192, std::vector<std::uint8_t>(256 * 192)};
    for (int y = 0; y < 192; ++y)
        for (int x = 0; x < 256; ++x) {
            const std::uint8_t a = bytes[6144 + std::size_t(y / 8) * 32 + std::size_t(x / 8)];
            const bool ink = (bytes[zx_row(y) + std::size_t(x / 8)] >> (7 - x % 8)) & 1;
            const int bright = a & 0x40 ? 8 : 0;
            out.indices[std::size_t(y) * 256 + std::size_t(x)] =
                std::uint8_t(bright + (ink ? a & 7 : (a >> 3) & 7));
        }
    return out;
}

// TMS9918 Graphics II with the name table 0..255 in each third: for pixel row y and cell
// column cx, the pattern byte and the colour byte sit at the same offset of their tables; a set
// bit shows the colour byte's high nibble, a clear one the low. The row's lower code is the
// low nibble. `names` is the name table, or empty for 0..255 three times.
std::size_t tms_offset(int y, int cx, std::span<const std::uint8_t> names) {
    const std::size_t name = names.empty() ? std::size_t((y / 8) % 8 * 32 + cx)
                                           : names[std::size_t(y / 8) * 32 + std::size_t(cx)];
    return std::size_t(y / 64) * 2048 + name * 8 + std::size_t(y % 8);
}

void encode_tms_at(const IndexedImage& codes, const CellColours& cells, std::uint8_t* patterns,
                   std::uint8_t* colours) {
    for (int y = 0; y < 192; ++y)
        for (int cx = 0; cx < 32; ++cx) {
            const std::size_t at = tms_offset(y, cx, {});
            const std::vector<std::uint8_t>& own = cells.own[cells.cell_of(cx * 8, y, tms_rule)];
            colours[at] = std::uint8_t(own[1] << 4 | own[0]);
            for (int x = cx * 8; x < cx * 8 + 8; ++x)
                if (role_of(codes, cells, tms_rule, x, y) == 1)
                    patterns[at] |= std::uint8_t(0x80 >> (x % 8));
        }
}

IndexedImage decode_tms_at(const std::uint8_t* patterns, const std::uint8_t* colours,
                           std::span<const std::uint8_t> names) {
    IndexedImage out{256, 192, std::vector<std::uint8_t>(256 * 192)};
    for (int y = 0; y < 192; ++y)
        for (int x = 0; x < 256; ++x) {
            const std::size_t at = tms_offset(y, x / 8, names);
            const bool fg = (patterns[at] >> (7 - x % 8)) & 1;
            out.indices[std::size_t(y) * 256 + std::size_t(x)] =
                std::uint8_t(fg ? colours[at] >> 4 : colours[at] & 15);
        }
    return out;
}

void encode_tms(const IndexedImage& codes, const CellColours& cells, std::span<std::uint8_t> out) {
    encode_tms_at(codes, cells, out.data(), out.data() + 6144);
}

IndexedImage decode_tms(std::span<const std::uint8_t> bytes) {
    return decode_tms_at(bytes.data(), bytes.data() + 6144, {});
}

// MSX BSAVE (.SC2, SCREEN 2): a 7-byte header (FE, start 0000, end 37FF, run 0000), then video
// memory 0000-37FF: patterns at 0000, the names 0..255 three times at 1800, the sprite
// attributes at 1B00 (a first Y of D0 ends the list: no sprites), colours at 2000.
constexpr std::size_t sc2_header = 7;

void encode_sc2(const IndexedImage& codes, const CellColours& cells, std::span<std::uint8_t> out) {
    constexpr std::uint8_t header[sc2_header] = {0xFE, 0x00, 0x00, 0xFF, 0x37, 0x00, 0x00};
    std::copy(std::begin(header), std::end(header), out.begin());
    std::uint8_t* vram = out.data() + sc2_header;
    for (int i = 0; i < 768; ++i) vram[0x1800 + i] = std::uint8_t(i & 0xFF);
    vram[0x1B00] = 0xD0;
    encode_tms_at(codes, cells, vram, vram + 0x2000);
}

IndexedImage decode_sc2(std::span<const std::uint8_t> bytes) {
    const std::uint8_t* vram = bytes.data() + sc2_header;
    return decode_tms_at(vram, vram + 0x2000, std::span(vram + 0x1800, 768));
}

// Commodore 64 bitmaps (the VIC-II's bitmap mode, as the C64 Programmer's Reference Guide
// describes it): 8000 bytes, 8 a cell, cells row by row, the top row of a cell first; a
// screen RAM byte a cell. Files start with their load address, low byte first.
std::size_t c64_byte(int x, int y, int cell_width) {
    return std::size_t(y / 8 * 40 + x / cell_width) * 8 + std::size_t(y % 8);
}

// Hires, Art Studio's 9009 bytes (load address 2000): bitmap, screen RAM (high nibble the
// colour of set bits, low nibble of clear ones; the lower code clear), the border, 6 spare.
void encode_art(const IndexedImage& codes, const CellColours& cells, std::span<std::uint8_t> out) {
    out[0] = 0x00, out[1] = 0x20;
    for (int y = 0; y < 200; ++y)
        for (int x = 0; x < 320; ++x)
            if (role_of(codes, cells, hires_rule, x, y) == 1)
                out[2 + c64_byte(x, y, 8)] |= std::uint8_t(0x80 >> (x % 8));
    for (std::size_t c = 0; c < cells.own.size(); ++c)
        out[8002 + c] = std::uint8_t(cells.own[c][1] << 4 | cells.own[c][0]);
}

IndexedImage decode_art(std::span<const std::uint8_t> bytes) {
    IndexedImage out{320, 200, std::vector<std::uint8_t>(320 * 200)};
    for (int y = 0; y < 200; ++y)
        for (int x = 0; x < 320; ++x) {
            const std::uint8_t s = bytes[8002 + std::size_t(y / 8 * 40 + x / 8)];
            const bool set = (bytes[2 + c64_byte(x, y, 8)] >> (7 - x % 8)) & 1;
            out.indices[std::size_t(y) * 320 + std::size_t(x)] =
                std::uint8_t(set ? s >> 4 : s & 15);
        }
    return out;
}

// Multicolour, Koala Painter's 10003 bytes (load address 6000): bitmap (2 bits a wide pixel,
// the leftmost in bits 7-6), screen RAM, colour RAM, background. Bits 00 show the background,
// 01 the screen RAM's high nibble, 10 its low nibble, 11 the colour RAM: a cell's own codes in
// ascending order.
void encode_koala(const IndexedImage& codes, const CellColours& cells,
                  std::span<std::uint8_t> out) {
    out[0] = 0x00, out[1] = 0x60;
    for (int y = 0; y < 200; ++y)
        for (int x = 0; x < 160; ++x) {
            const int v = role_of(codes, cells, multicolour_rule, x, y) + 1;
            out[2 + c64_byte(x, y, 4)] |= std::uint8_t(v << (6 - 2 * (x % 4)));
        }
    for (std::size_t c = 0; c < cells.own.size(); ++c) {
        const std::vector<std::uint8_t>& own = cells.own[c];
        out[8002 + c] = std::uint8_t(own[0] << 4 | own[1]);
        out[9002 + c] = own[2];
    }
    out[10002] = cells.background.value_or(0);
}

IndexedImage decode_koala(std::span<const std::uint8_t> bytes) {
    IndexedImage out{160, 200, std::vector<std::uint8_t>(160 * 200)};
    for (int y = 0; y < 200; ++y)
        for (int x = 0; x < 160; ++x) {
            const std::size_t cell = std::size_t(y / 8 * 40 + x / 4);
            const int v = (bytes[2 + c64_byte(x, y, 4)] >> (6 - 2 * (x % 4))) & 3;
            const std::uint8_t s = bytes[8002 + cell];
            const std::uint8_t shown[4] = {std::uint8_t(bytes[10002] & 15), std::uint8_t(s >> 4),
                                           std::uint8_t(s & 15),
                                           std::uint8_t(bytes[9002 + cell] & 15)};
            out.indices[std::size_t(y) * 160 + std::size_t(x)] = shown[v];
        }
    return out;
}

const std::vector<ScreenFormat>& formats() {
    static const std::vector<ScreenFormat> rows = {
        {"zx-scr",
         "ZX Spectrum screen (.scr): bitmap in the ULA's row order, then attributes",
         ".scr",
         &zx_rule,
         256,
         192,
         1,
         6912,
         {{"bitmap", 0, 6144}, {"attributes", 6144, 768}},
         encode_zx,
         decode_zx},
        {"tms-gfx2",
         "TMS9918 Graphics II: pattern table, then colour table (names 0..255 x3)",
         ".bin",
         &tms_rule,
         256,
         192,
         1,
         12288,
         {{"patterns", 0, 6144}, {"colors", 6144, 6144}},
         encode_tms,
         decode_tms},
        {"msx-sc2",
         "MSX BSAVE SCREEN 2 (.sc2): 7-byte header, then VRAM 0000-37FF",
         ".sc2",
         &tms_rule,
         256,
         192,
         1,
         sc2_header + 0x3800,
         {{"patterns", 7, 6144}, {"names", 7 + 0x1800, 768}, {"colors", 7 + 0x2000, 6144}},
         encode_sc2,
         decode_sc2},
        {"c64-art-studio",
         "C64 hires bitmap, Art Studio (.art): bitmap, screen RAM, border",
         ".art",
         &hires_rule,
         320,
         200,
         1,
         9009,
         {{"bitmap", 2, 8000}, {"screen", 8002, 1000}},
         encode_art,
         decode_art},
        {"c64-koala",
         "C64 multicolour bitmap, Koala Painter (.kla): bitmap, screen RAM, colour "
         "RAM, background",
         ".kla",
         &multicolour_rule,
         160,
         200,
         2,
         10003,
         {{"bitmap", 2, 8000},
          {"screen", 8002, 1000},
          {"color", 9002, 1000},
          {"background", 10002, 1}},
         encode_koala,
         decode_koala},
    };
    return rows;
}

} // namespace

IndexedImage widened(const IndexedImage& codes, int times) {
    IndexedImage out{codes.width * times, codes.height, {}};
    out.indices.reserve(codes.indices.size() * std::size_t(times));
    for (const std::uint8_t code : codes.indices)
        out.indices.insert(out.indices.end(), std::size_t(times), code);
    return out;
}

std::span<const ScreenFormat> screen_formats() {
    return formats();
}

const ScreenFormat* find_screen_format(std::string_view name) {
    return find_row(screen_formats(), name);
}

std::vector<std::uint8_t> encode_screen(const ScreenFormat& format, const IndexedImage& codes,
                                        const CellColours& cells) {
    std::vector<std::uint8_t> out(format.size, 0);
    format.encode(codes, cells, out);
    return out;
}

IndexedImage decode_screen(const ScreenFormat& format, std::span<const std::uint8_t> bytes,
                           const std::string& origin) {
    if (bytes.size() != format.size)
        throw_input_error(origin, "has " + std::to_string(bytes.size()) + " bytes; a " +
                                      std::string(format.name) + " screen has " +
                                      std::to_string(format.size));
    return format.decode(bytes);
}

} // namespace kpal
