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

} // namespace

Image make_sheet(const Image& original, const IndexedImage& indexed, std::span<const Rgb> shown,
                 int entries, std::optional<int> transparent) {
    // Small images are enlarged (each pixel a square) so that the panels are at least 320 wide.
    const int zoom = std::max(1, 320 / std::max({original.width, original.height, 1}));
    const int w = original.width * zoom, h = original.height * zoom;
    const int rows = (entries + per_row - 1) / per_row;
    const int width = std::max(3 * gap + 2 * w, 2 * gap + per_row * swatch_w);
    const int height = 3 * gap + h + rows * swatch_h + (rows > 0 ? gap : 0);
    Canvas canvas(width, height);
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) {
            const std::size_t i = std::size_t(y / zoom) * original.width + std::size_t(x / zoom);
            canvas.put(gap + x, gap + y, original.rgb_at(i));
            const int index = indexed.indices[i];
            const bool clear = transparent && index == *transparent;
            const Rgb checker = ((x / 4 + y / 4) % 2) ? Rgb{204, 204, 204} : Rgb{153, 153, 153};
            canvas.put(2 * gap + w + x, gap + y, clear ? checker : shown[std::size_t(index)]);
        }
    for (int e = 0; e < entries; ++e) {
        const int x = gap + (e % per_row) * swatch_w, y = 2 * gap + h + (e / per_row) * swatch_h;
        const Rgb c = shown[std::size_t(e)];
        canvas.fill(x + 1, y + 1, swatch_w - 2, swatch_h - 2, c);
        const bool light = 299 * c.r + 587 * c.g + 114 * c.b > 128000;
        canvas.text(x + 4, y + 6, std::to_string(e), light ? Rgb{0, 0, 0} : Rgb{255, 255, 255});
    }
    return canvas.take();
}

} // namespace kpal
