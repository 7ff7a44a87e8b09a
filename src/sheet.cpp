#include "kpal/sheet.h"

#include <algorithm>
#include <array>
#include <string>

namespace kpal {
namespace {

// Digits 0-9 in a 3x5 pixel font, one bit a pixel, top row first, high bit left.
constexpr std::array<std::uint16_t, 10> digits = {
    0b111101101101111, 0b010110010010111, 0b111001111100111, 0b111001111001111, 0b101101111001001,
    0b111100111001111, 0b111100111101111, 0b111001001001001, 0b111101111101111, 0b111101111001111,
};

constexpr int gap = 8;       // between and around panels
constexpr int swatch_w = 40; // a palette swatch
constexpr int swatch_h = 24;
constexpr int per_row = 16;
constexpr int scale = 2; // of the digit font
constexpr Rgb background{32, 32, 32};

class Canvas {
  public:
    Canvas(int w, int h) : image_{w, h, std::vector<std::uint8_t>(std::size_t(w) * h * 4, 255)} {
        fill(0, 0, w, h, background);
    }
    void put(int x, int y, Rgb c) {
        if (x < 0 || y < 0 || x >= image_.width || y >= image_.height) return;
        std::uint8_t* p = &image_.rgba[(std::size_t(y) * image_.width + x) * 4];
        p[0] = c.r, p[1] = c.g, p[2] = c.b, p[3] = 255;
    }
    void fill(int x, int y, int w, int h, Rgb c) {
        for (int j = y; j < y + h; ++j)
            for (int i = x; i < x + w; ++i) put(i, j, c);
    }
    void text(int x, int y, const std::string& number, Rgb c) {
        for (char ch : number) {
            const std::uint16_t bits = digits[std::size_t(ch - '0')];
            for (int row = 0; row < 5; ++row)
                for (int col = 0; col < 3; ++col)
                    if (bits >> (14 - (row * 3 + col)) & 1)
                        fill(x + col * scale, y + row * scale, scale, scale, c);
            x += 4 * scale;
        }
    }
    Image take() { return std::move(image_); }

  private:
    Image image_;
};

// The colour of bank b in the bank panel: eight hues, and for banks 8 to 15 the same lighter.
Rgb bank_colour(int b) {
    constexpr std::array<Rgb, 8> hues{{{230, 25, 75},
                                       {60, 180, 75},
                                       {255, 225, 25},
                                       {0, 130, 200},
                                       {245, 130, 48},
                                       {145, 30, 180},
                                       {70, 240, 240},
                                       {240, 50, 230}}};
    const Rgb c = hues[std::size_t(b % 8)];
    if (b % 16 < 8) return c;
    const auto light = [](std::uint8_t v) { return std::uint8_t((v + 255) / 2); };
    return {light(c.r), light(c.g), light(c.b)};
}

bool is_light(Rgb c) {
    return 299 * c.r + 587 * c.g + 114 * c.b > 128000;
}

} // namespace

Image make_sheet(const Image& original, const IndexedImage& indexed, std::span<const Rgb> shown,
                 int entries, std::optional<int> transparent, const SheetBanks& layout,
                 std::span<const std::uint8_t> opaque) {
    // Small images are enlarged (each pixel a square) so that the panels are at least 320 wide.
    const int zoom = std::max(1, 320 / std::max({original.width, original.height, 1}));
    const int w = original.width * zoom, h = original.height * zoom;
    const bool banks = layout.size > 0 && entries > layout.size && !layout.of_cell.empty();
    const int row_size = banks ? layout.size : per_row, lead = banks ? swatch_w : 0;
    const int rows = (entries + row_size - 1) / row_size;
    const int panels = banks ? 3 : 2;
    const int width =
        std::max((panels + 1) * gap + panels * w, 2 * gap + lead + row_size * swatch_w);
    const int height = 3 * gap + h + rows * swatch_h + (rows > 0 ? gap : 0);
    Canvas canvas(width, height);
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) {
            const std::size_t i = std::size_t(y / zoom) * original.width + std::size_t(x / zoom);
            canvas.put(gap + x, gap + y, original.rgb_at(i));
            const int index = indexed.indices[i];
            const bool clear =
                (transparent && index == *transparent) || (!opaque.empty() && !opaque[i]);
            const Rgb checker = ((x / 4 + y / 4) % 2) ? Rgb{204, 204, 204} : Rgb{153, 153, 153};
            canvas.put(2 * gap + w + x, gap + y, clear ? checker : shown[std::size_t(index)]);
        }
    if (banks) { // each cell in its bank's colour, its edges darker
        const int side = layout.cell * zoom;
        for (int cy = 0; cy * side < h; ++cy)
            for (int cx = 0; cx * side < w; ++cx) {
                const Rgb c = bank_colour(
                    layout.of_cell[std::size_t(cy) * std::size_t(layout.across) + std::size_t(cx)]);
                const int x0 = 3 * gap + 2 * w + cx * side, y0 = gap + cy * side;
                const int cw = std::min(side, w - cx * side), ch = std::min(side, h - cy * side);
                canvas.fill(x0, y0, cw, ch,
                            {std::uint8_t(c.r / 2), std::uint8_t(c.g / 2), std::uint8_t(c.b / 2)});
                if (cw > 2 && ch > 2) canvas.fill(x0 + 1, y0 + 1, cw - 2, ch - 2, c);
            }
    }
    for (int e = 0; e < entries; ++e) {
        const int row = e / row_size;
        const int x = gap + lead + (e % row_size) * swatch_w, y = 2 * gap + h + row * swatch_h;
        const Rgb c = shown[std::size_t(e)];
        canvas.fill(x + 1, y + 1, swatch_w - 2, swatch_h - 2, c);
        canvas.text(x + 4, y + 6, std::to_string(banks ? e % row_size : e),
                    is_light(c) ? Rgb{0, 0, 0} : Rgb{255, 255, 255});
        if (banks && e % row_size == 0) {
            const Rgb b = bank_colour(row);
            canvas.fill(gap + 1, y + 1, swatch_w - 2, swatch_h - 2, b);
            canvas.text(gap + 4, y + 6, std::to_string(row),
                        is_light(b) ? Rgb{0, 0, 0} : Rgb{255, 255, 255});
        }
    }
    return canvas.take();
}

} // namespace kpal
