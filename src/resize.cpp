#include "kpal/resize.h"

#include <algorithm>
#include <cmath>

namespace kpal {
namespace {

// For each output position along one axis, the input positions it covers and their weights
// (coverage divided by the output cell's size, so each list sums to 1).
struct Tap {
    int from;
    double weight;
};

std::vector<std::vector<Tap>> taps(int in, int out) {
    std::vector<std::vector<Tap>> all(static_cast<std::size_t>(out));
    const double scale = double(in) / out;
    for (int o = 0; o < out; ++o) {
        const double lo = o * scale, hi = (o + 1) * scale;
        for (int i = int(std::floor(lo)); i < int(std::ceil(hi)) && i < in; ++i) {
            const double cover = std::min(hi, i + 1.0) - std::max(lo, double(i));
            if (cover > 0) all[std::size_t(o)].push_back({i, cover / scale});
        }
    }
    return all;
}

} // namespace

Image resize_area(const Image& image, int width, int height) {
    if (width == image.width && height == image.height) return image;
    const auto across = taps(image.width, width), down = taps(image.height, height);
    // Columns first, into a buffer of doubles, then rows.
    std::vector<double> rows(std::size_t(width) * image.height * 4, 0);
    for (int y = 0; y < image.height; ++y)
        for (int x = 0; x < width; ++x)
            for (const Tap& t : across[std::size_t(x)])
                for (int ch = 0; ch < 4; ++ch)
                    rows[(std::size_t(y) * width + x) * 4 + ch] +=
                        t.weight * image.rgba[(std::size_t(y) * image.width + t.from) * 4 + ch];
    Image out{width, height, std::vector<std::uint8_t>(std::size_t(width) * height * 4)};
    for (int y = 0; y < height; ++y)
        for (int x = 0; x < width; ++x)
            for (int ch = 0; ch < 4; ++ch) {
                double v = 0;
                for (const Tap& t : down[std::size_t(y)])
                    v += t.weight * rows[(std::size_t(t.from) * width + x) * 4 + ch];
                out.rgba[(std::size_t(y) * width + x) * 4 + ch] =
                    std::uint8_t(std::clamp(std::lround(v), 0l, 255l));
            }
    return out;
}

Image fit_cover(const Image& image, int width, int height) {
    // The largest centred window of the screen's aspect: cw / ch = width / height, in whole
    // pixels (rounded), exact integer arithmetic so every machine cuts the same pixels.
    const auto iw = std::int64_t(image.width), ih = std::int64_t(image.height);
    std::int64_t cw = iw, ch = ih;
    if (iw * height > ih * width)
        cw = std::max<std::int64_t>(1, (ih * width * 2 + height) / (2 * height));
    else
        ch = std::max<std::int64_t>(1, (iw * height * 2 + width) / (2 * width));
    const std::int64_t x0 = (iw - cw) / 2, y0 = (ih - ch) / 2;
    Image window{int(cw), int(ch), std::vector<std::uint8_t>(std::size_t(cw * ch) * 4)};
    for (std::int64_t y = 0; y < ch; ++y)
        std::copy_n(image.rgba.begin() + std::ptrdiff_t(((y0 + y) * iw + x0) * 4), cw * 4,
                    window.rgba.begin() + std::ptrdiff_t(y * cw * 4));
    return resize_area(window, width, height);
}

} // namespace kpal
