#include "kpal/resize.h"
#include "table.h"

#include <algorithm>
#include <cmath>
#include <utility>

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

constexpr std::pair<std::string_view, Anchor> anchors[] = {
    {"center", {1, 1}},    {"top", {1, 0}},         {"bottom", {1, 2}},
    {"left", {0, 1}},      {"right", {2, 1}},       {"top-left", {0, 0}},
    {"top-right", {2, 0}}, {"bottom-left", {0, 2}}, {"bottom-right", {2, 2}}};

Image flatten(const Image& image, Rgb background) {
    Image out = image;
    const std::array<int, 3> under{background.r, background.g, background.b};
    for (std::size_t i = 0; i < out.pixel_count(); ++i) {
        std::uint8_t* p = &out.rgba[4 * i];
        const int a = p[3];
        for (std::size_t ch = 0; ch < 3; ++ch)
            p[ch] = std::uint8_t((p[ch] * a + under[ch] * (255 - a) + 127) / 255);
        p[3] = 255;
    }
    return out;
}

std::optional<Anchor> parse_anchor(std::string_view text) {
    return value_named(anchors, text);
}

std::vector<std::string_view> anchor_names() {
    return names_of(anchors);
}

namespace {

// The offset along one axis of `size` within `space` for an anchor's 0, 1 or 2.
std::int64_t placed(std::int64_t space, int anchor) {
    return space * anchor / 2;
}

} // namespace

Image fit_cover(const Image& image, int width, int height, Anchor anchor) {
    // The largest window of the screen's aspect: cw / ch = width / height, in whole pixels
    // (rounded), exact integer arithmetic so every machine cuts the same pixels.
    const auto iw = std::int64_t(image.width), ih = std::int64_t(image.height);
    std::int64_t cw = iw, ch = ih;
    if (iw * height > ih * width)
        cw = std::max<std::int64_t>(1, (ih * width * 2 + height) / (2 * height));
    else
        ch = std::max<std::int64_t>(1, (iw * height * 2 + width) / (2 * width));
    const std::int64_t x0 = placed(iw - cw, anchor.x), y0 = placed(ih - ch, anchor.y);
    Image window{int(cw), int(ch), std::vector<std::uint8_t>(std::size_t(cw * ch) * 4)};
    for (std::int64_t y = 0; y < ch; ++y)
        std::copy_n(image.rgba.begin() + std::ptrdiff_t(((y0 + y) * iw + x0) * 4), cw * 4,
                    window.rgba.begin() + std::ptrdiff_t(y * cw * 4));
    return resize_area(window, width, height);
}

Image fit_letterbox(const Image& image, int width, int height, Anchor anchor,
                    std::array<std::uint8_t, 4> fill) {
    // The scaled size: the longer side (relative to the screen) fills it, the other rounded.
    const auto iw = std::int64_t(image.width), ih = std::int64_t(image.height);
    std::int64_t sw = width, sh = height;
    if (iw * height > ih * width)
        sh = std::clamp<std::int64_t>((ih * width * 2 + iw) / (2 * iw), 1, height);
    else
        sw = std::clamp<std::int64_t>((iw * height * 2 + ih) / (2 * ih), 1, width);
    const Image scaled = resize_area(image, int(sw), int(sh));
    Image out{width, height,
              std::vector<std::uint8_t>(std::size_t(width) * std::size_t(height) * 4)};
    for (std::size_t i = 0; i < out.rgba.size(); i += 4)
        std::copy(fill.begin(), fill.end(), &out.rgba[i]);
    const std::int64_t x0 = placed(width - sw, anchor.x), y0 = placed(height - sh, anchor.y);
    for (std::int64_t y = 0; y < sh; ++y)
        std::copy_n(scaled.rgba.begin() + std::ptrdiff_t(y * sw * 4), sw * 4,
                    out.rgba.begin() + std::ptrdiff_t(((y0 + y) * width + x0) * 4));
    return out;
}

} // namespace kpal
