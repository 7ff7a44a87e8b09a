#include "kpal/metrics.h"

#include "kpal/error.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <vector>

namespace kpal {
namespace {

double psnr_of(double mse) {
    return mse > 0 ? 10 * std::log10(255.0 * 255.0 / mse) : std::numeric_limits<double>::infinity();
}

// One pass of a Gaussian blur (sigma 1, radius 3) of a w x h RGB image of doubles, along x or
// along y, edges clamped.
std::vector<double> blur_pass(const std::vector<double>& rgb, int w, int h, bool along_x) {
    std::array<double, 7> k{};
    double sum = 0;
    for (int d = -3; d <= 3; ++d) sum += k[std::size_t(d + 3)] = std::exp(-0.5 * d * d);
    for (double& v : k) v /= sum;
    std::vector<double> out(rgb.size());
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x)
            for (int ch = 0; ch < 3; ++ch) {
                double v = 0;
                for (int d = -3; d <= 3; ++d) {
                    const int sx = along_x ? std::clamp(x + d, 0, w - 1) : x;
                    const int sy = along_x ? y : std::clamp(y + d, 0, h - 1);
                    v += k[std::size_t(d + 3)] * rgb[(std::size_t(sy) * w + sx) * 3 + ch];
                }
                out[(std::size_t(y) * w + x) * 3 + ch] = v;
            }
    return out;
}

// The separable blur: rows, then columns.
std::vector<double> blur(const std::vector<double>& rgb, int w, int h) {
    return blur_pass(blur_pass(rgb, w, h, true), w, h, false);
}

// MSE over the pixels not marked in `skip`, and blurred PSNR over all, of two RGB buffers.
Quality score(const std::vector<double>& a, const std::vector<double>& b, int w, int h,
              const std::vector<bool>& skip) {
    double sum = 0;
    std::size_t counted = 0;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (!skip.empty() && skip[i / 3]) continue;
        sum += (a[i] - b[i]) * (a[i] - b[i]);
        ++counted;
    }
    Quality q;
    q.mse = counted ? sum / double(counted) : 0;
    q.psnr = psnr_of(q.mse);
    if (!a.empty()) {
        const auto ba = blur(a, w, h), bb = blur(b, w, h);
        double blurred = 0;
        for (std::size_t i = 0; i < ba.size(); ++i) blurred += (ba[i] - bb[i]) * (ba[i] - bb[i]);
        q.blurred_psnr = psnr_of(blurred / double(ba.size()));
    }
    return q;
}

std::vector<double> rgb_of(const Image& image) {
    std::vector<double> out(image.pixel_count() * 3);
    for (std::size_t i = 0; i < image.pixel_count(); ++i)
        for (int ch = 0; ch < 3; ++ch) out[3 * i + ch] = image.rgba[4 * i + ch];
    return out;
}

} // namespace

Quality measure(const Image& original, const IndexedImage& indexed, std::span<const Rgb> shown,
                std::optional<int> transparent) {
    const std::vector<double> a = rgb_of(original);
    std::vector<double> b = a;
    std::vector<bool> skip(original.pixel_count(), false);
    for (std::size_t i = 0; i < original.pixel_count(); ++i) {
        if (transparent && indexed.indices[i] == *transparent) {
            skip[i] = true; // counts as the original: no error
            continue;
        }
        const Rgb q = shown[indexed.indices[i]];
        b[3 * i] = q.r, b[3 * i + 1] = q.g, b[3 * i + 2] = q.b;
    }
    return score(a, b, original.width, original.height, skip);
}

Quality compare(const Image& reference, const Image& test) {
    if (reference.width != test.width || reference.height != test.height)
        throw Error(ErrorKind::input,
                    "the images differ in size (" + std::to_string(reference.width) + "x" +
                        std::to_string(reference.height) + " and " + std::to_string(test.width) +
                        "x" + std::to_string(test.height) + ")");
    return score(rgb_of(reference), rgb_of(test), reference.width, reference.height, {});
}

} // namespace kpal
