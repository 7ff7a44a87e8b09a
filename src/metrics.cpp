#include "kpal/metrics.h"

#include "kpal/error.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <functional>
#include <future>
#include <limits>
#include <vector>

namespace kpal {
namespace {

double psnr_of(double mse) {
    return mse > 0 ? 10 * std::log10(255.0 * 255.0 / mse) : std::numeric_limits<double>::infinity();
}

// The Gaussian kernel of sigma 1 and radius 3, normalised.
constexpr int radius = 3;
const std::array<float, 2 * radius + 1> kernel = [] {
    std::array<double, 2 * radius + 1> k{};
    double sum = 0;
    for (int d = -radius; d <= radius; ++d)
        sum += k[std::size_t(d + radius)] = std::exp(-0.5 * d * d);
    std::array<float, 2 * radius + 1> out{};
    for (std::size_t i = 0; i < k.size(); ++i) out[i] = float(k[i] / sum);
    return out;
}();

// The difference of two pictures a row at a time: `row(y, out)` writes row y's R, G, B
// differences (w x 3 values; 0 where a pixel is left out).
using DifferenceRow = std::function<void(int y, float* out)>;

// Row y of the difference blurred along x (edges clamped) into `out`.
void blurred_row(const DifferenceRow& row, int w, int y, std::vector<float>& scratch, float* out) {
    scratch.resize(std::size_t(w + 2 * radius) * 3);
    row(y, scratch.data() + radius * 3);
    for (int d = 1; d <= radius; ++d) // clamped edges
        for (int ch = 0; ch < 3; ++ch) {
            scratch[std::size_t(radius - d) * 3 + std::size_t(ch)] =
                scratch[radius * 3 + std::size_t(ch)];
            scratch[std::size_t(w - 1 + radius + d) * 3 + std::size_t(ch)] =
                scratch[std::size_t(w - 1 + radius) * 3 + std::size_t(ch)];
        }
    for (std::size_t i = 0; i < std::size_t(w) * 3; ++i) {
        float v = 0;
        for (int d = 0; d <= 2 * radius; ++d)
            v += kernel[std::size_t(d)] * scratch[i + std::size_t(d) * 3];
        out[i] = v;
    }
}

// The sum of squares of the blurred difference over rows [y0, y1): a ring of 2 * radius + 1
// rows blurred along x, blurred along y a row at a time (edges clamped). Memory: 7 rows.
double blurred_squares(const DifferenceRow& row, int w, int h, int y0, int y1) {
    const std::size_t n = std::size_t(w) * 3;
    std::vector<float> ring(n * std::size_t(2 * radius + 1)), scratch;
    constexpr int ring_rows = 2 * radius + 1;
    const auto slot = [&](int y) {
        return ring.data() + std::size_t((y % ring_rows + ring_rows) % ring_rows) * n;
    };
    for (int y = y0 - radius; y < y0 + radius; ++y)
        blurred_row(row, w, std::clamp(y, 0, h - 1), scratch, slot(y));
    double sum = 0;
    for (int y = y0; y < y1; ++y) {
        blurred_row(row, w, std::clamp(y + radius, 0, h - 1), scratch, slot(y + radius));
        std::array<const float*, 2 * radius + 1> rows{};
        for (int d = -radius; d <= radius; ++d) rows[std::size_t(d + radius)] = slot(y + d);
        double row_sum = 0;
        for (std::size_t i = 0; i < n; ++i) {
            float v = 0;
            for (std::size_t d = 0; d < rows.size(); ++d) v += kernel[d] * rows[d][i];
            row_sum += double(v) * double(v);
        }
        sum += row_sum;
    }
    return sum;
}

// MSE (exact: integer sums) over the pixels `row` does not leave out, and the blurred PSNR over
// all, computed in bands of 64 rows, two at a time: bounded memory, and the same sum for any
// thread count (each band's sum is its own, added in band order).
Quality score(const DifferenceRow& row, int w, int h, std::uint64_t squares, std::size_t counted) {
    Quality q;
    q.mse = counted ? double(squares) / double(counted) : 0;
    q.psnr = psnr_of(q.mse);
    if (w <= 0 || h <= 0) return q;
    constexpr int band = 64;
    const int bands = (h + band - 1) / band;
    std::vector<double> sums(static_cast<std::size_t>(bands));
    const auto run = [&](int first, int step) {
        for (int b = first; b < bands; b += step)
            sums[std::size_t(b)] =
                blurred_squares(row, w, h, b * band, std::min(h, (b + 1) * band));
    };
    std::future<void> other;
    if (bands > 1) other = std::async(std::launch::async, run, 1, 2);
    run(0, bands > 1 ? 2 : 1);
    if (other.valid()) other.get();
    double total = 0;
    for (double s : sums) total += s;
    q.blurred_psnr = psnr_of(total / (double(w) * double(h) * 3));
    return q;
}

} // namespace

Quality measure(const Image& original, const IndexedImage& indexed, std::span<const Rgb> shown,
                std::optional<int> transparent, std::span<const std::uint8_t> opaque) {
    const std::size_t w = std::size_t(original.width);
    const auto left_out = [&](std::size_t i) {
        return (transparent && indexed.indices[i] == *transparent) ||
               (!opaque.empty() && !opaque[i]); // counts as the original: no error
    };
    std::uint64_t squares = 0;
    std::size_t counted = 0;
    for (std::size_t i = 0; i < original.pixel_count(); ++i) {
        if (left_out(i)) continue;
        const Rgb q = shown[indexed.indices[i]];
        const std::uint8_t* p = &original.rgba[4 * i];
        const int dr = int(p[0]) - q.r, dg = int(p[1]) - q.g, db = int(p[2]) - q.b;
        squares += std::uint64_t(dr * dr + dg * dg + db * db);
        counted += 3;
    }
    const DifferenceRow row = [&](int y, float* out) {
        for (std::size_t x = 0, i = std::size_t(y) * w; x < w; ++x, ++i) {
            const Rgb q = shown[indexed.indices[i]];
            const std::uint8_t* p = &original.rgba[4 * i];
            const bool skip = left_out(i);
            out[3 * x] = skip ? 0.f : float(int(p[0]) - int(q.r));
            out[3 * x + 1] = skip ? 0.f : float(int(p[1]) - int(q.g));
            out[3 * x + 2] = skip ? 0.f : float(int(p[2]) - int(q.b));
        }
    };
    return score(row, original.width, original.height, squares, counted);
}

Quality compare(const Image& reference, const Image& test) {
    if (reference.width != test.width || reference.height != test.height)
        throw Error(ErrorKind::input,
                    "the images differ in size (" + std::to_string(reference.width) + "x" +
                        std::to_string(reference.height) + " and " + std::to_string(test.width) +
                        "x" + std::to_string(test.height) + ")");
    std::uint64_t squares = 0;
    for (std::size_t i = 0; i < reference.pixel_count(); ++i)
        for (int ch = 0; ch < 3; ++ch) {
            const int d = int(reference.rgba[4 * i + std::size_t(ch)]) -
                          int(test.rgba[4 * i + std::size_t(ch)]);
            squares += std::uint64_t(d * d);
        }
    const std::size_t w = std::size_t(reference.width);
    const DifferenceRow row = [&](int y, float* out) {
        for (std::size_t x = 0, i = std::size_t(y) * w; x < w; ++x, ++i)
            for (int ch = 0; ch < 3; ++ch)
                out[3 * x + std::size_t(ch)] = float(int(reference.rgba[4 * i + std::size_t(ch)]) -
                                                     int(test.rgba[4 * i + std::size_t(ch)]));
    };
    return score(row, reference.width, reference.height, squares, reference.pixel_count() * 3);
}

} // namespace kpal
