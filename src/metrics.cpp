#include "kpal/metrics.h"

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

// A separable Gaussian blur (sigma 1, radius 3) of a w x h RGB image of doubles, edges clamped.
std::vector<double> blur(const std::vector<double>& rgb, int w, int h) {
    std::array<double, 7> k{};
    double sum = 0;
    for (int d = -3; d <= 3; ++d) sum += k[std::size_t(d + 3)] = std::exp(-0.5 * d * d);
    for (double& v : k) v /= sum;
    std::vector<double> across(rgb.size()), out(rgb.size());
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x)
            for (int ch = 0; ch < 3; ++ch) {
                double v = 0;
                for (int d = -3; d <= 3; ++d)
                    v += k[std::size_t(d + 3)] * rgb[(std::size_t(y) * w + std::clamp(x + d, 0, w - 1)) * 3 + ch];
                across[(std::size_t(y) * w + x) * 3 + ch] = v;
            }
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x)
            for (int ch = 0; ch < 3; ++ch) {
                double v = 0;
                for (int d = -3; d <= 3; ++d)
                    v += k[std::size_t(d + 3)] * across[(std::size_t(std::clamp(y + d, 0, h - 1)) * w + x) * 3 + ch];
                out[(std::size_t(y) * w + x) * 3 + ch] = v;
            }
    return out;
}

} // namespace

Quality measure(const Image& original, const IndexedImage& indexed, std::span<const Rgb> shown,
                std::optional<int> transparent) {
    std::uint64_t sum = 0; // exact: at most 3 * 255^2 a pixel
    std::size_t counted = 0;
    const std::size_t n = original.pixel_count();
    std::vector<double> a(n * 3), b(n * 3);
    for (std::size_t i = 0; i < n; ++i) {
        const Rgb p = original.rgb_at(i);
        const bool skip = transparent && indexed.indices[i] == *transparent;
        const Rgb q = skip ? p : shown[indexed.indices[i]];
        a[3 * i] = p.r, a[3 * i + 1] = p.g, a[3 * i + 2] = p.b;
        b[3 * i] = q.r, b[3 * i + 1] = q.g, b[3 * i + 2] = q.b;
        if (skip) continue;
        const int dr = p.r - q.r, dg = p.g - q.g, db = p.b - q.b;
        sum += std::uint64_t(dr * dr + dg * dg + db * db);
        ++counted;
    }
    Quality q;
    q.mse = counted ? double(sum) / (3.0 * double(counted)) : 0;
    q.psnr = psnr_of(q.mse);
    if (n > 0) {
        const auto ba = blur(a, original.width, original.height), bb = blur(b, original.width, original.height);
        double blurred = 0;
        for (std::size_t i = 0; i < ba.size(); ++i) blurred += (ba[i] - bb[i]) * (ba[i] - bb[i]);
        q.blurred_psnr = psnr_of(blurred / double(ba.size()));
    }
    return q;
}

} // namespace kpal
