// The points k-means clusters, in the space it measures in: the image's distinct colours, or the
// cells of a coarse RGB grid that stand for the colours inside them, each with exact integer
// moments. Internal to palette design (src/design.cpp and src/kmeans/).
#pragma once

#include "kpal/colorspace.h"
#include "kpal/histogram.h"
#include "kpal/palette_format.h"

#include <array>
#include <cmath>
#include <cstdint>
#include <vector>

namespace kpal::kmeans {

using Vec = std::array<double, 3>;

inline double dist2(const Vec& a, const Vec& b) {
    const double d0 = a[0] - b[0], d1 = a[1] - b[1], d2 = a[2] - b[2];
    return d0 * d0 + d1 * d1 + d2 * d2;
}

inline Vec to_vec(Rgb c) {
    return {double(c.r), double(c.g), double(c.b)};
}

// The space k-means works in, with whole-number coordinates so that cluster sums are exact
// integers: RGB as is, or OKLab scaled by 2^14 and shifted to be positive (a step of 0.00006,
// far below a visible difference). Snapping goes through the device's RGB levels.
class Space {
  public:
    Space(ColorSpace kind, const DeviceLevels& levels) : kind_(kind), levels_(levels) {}

    Vec coords(Rgb c) const {
        if (kind_ == ColorSpace::rgb) return to_vec(c);
        const auto lab = to_oklab(c);
        return {std::round((lab[0] + 0.5) * scale), std::round((lab[1] + 0.5) * scale),
                std::round((lab[2] + 0.5) * scale)};
    }
    // The device colour for a point of the space: per channel the nearest level in RGB.
    Rgb device(const Vec& v) const {
        if (kind_ == ColorSpace::rgb) return levels_.snap(v);
        return levels_.snap(
            oklab_to_srgb({v[0] / scale - 0.5, v[1] / scale - 0.5, v[2] / scale - 0.5}));
    }
    Vec snap(const Vec& v) const { return coords(device(v)); }
    // Coordinates shifted right by this fall in 0..255 (for the seeding's counting sort).
    int bucket_shift() const { return kind_ == ColorSpace::rgb ? 0 : 7; }

  private:
    static constexpr double scale = 16384;
    ColorSpace kind_;
    const DeviceLevels& levels_;
};

// Exact weighted moments of a set of colours: integers, so sums do not depend on their order.
struct Moments {
    std::uint64_t w = 0;
    std::array<std::uint64_t, 3> s{};  // sum of w * x per channel
    std::array<std::uint64_t, 3> s2{}; // sum of w * x^2 per channel

    // The moments of `weight` pixels at whole-number coordinates `x`.
    static Moments of(const Vec& x, std::uint32_t weight) {
        Moments m;
        const std::uint64_t v[3] = {std::uint64_t(x[0]), std::uint64_t(x[1]), std::uint64_t(x[2])};
        m.w = weight;
        for (int ch = 0; ch < 3; ++ch) m.s[ch] = weight * v[ch], m.s2[ch] = weight * v[ch] * v[ch];
        return m;
    }
    // Adds (or, with sign -1, removes) another set; unsigned wrap-around keeps removal exact.
    void add(const Moments& o, int sign = 1) {
        const std::uint64_t k = sign > 0 ? 1 : ~std::uint64_t(0); // multiplying by k negates
        w += k * o.w;
        for (int ch = 0; ch < 3; ++ch) s[ch] += k * o.s[ch], s2[ch] += k * o.s2[ch];
    }
    double variance_sum(int ch) const { return w ? s2[ch] - double(s[ch]) * s[ch] / w : 0; }
    double error() const { return variance_sum(0) + variance_sum(1) + variance_sum(2); }
    Vec mean() const { return {double(s[0]) / w, double(s[1]) / w, double(s[2]) / w}; }
};

inline Moments operator-(Moments a, const Moments& b) {
    a.add(b, -1);
    return a;
}

// The colours k-means clusters: each a point (the mean of the colours it stands for) with the
// exact moments of those colours. Either the image's distinct colours (whose moments follow from
// the point and its weight, so they are not stored), or cells of a coarse grid that stand for
// all the colours inside them.
struct Points {
    std::vector<Vec> x;
    std::vector<std::uint32_t> w;
    std::vector<Moments> cells; // empty for distinct colours
    int bucket_shift = 0;       // coordinate >> bucket_shift is in 0..255

    std::size_t size() const { return x.size(); }
    double weight(std::size_t i) const { return double(w[i]); }
    Moments moments(std::size_t i) const {
        return cells.empty() ? Moments::of(x[i], w[i]) : cells[i];
    }
    std::size_t bucket(std::size_t i, int axis) const {
        return std::size_t(x[i][axis]) >> bucket_shift;
    }
};

// The image's distinct colours as points.
Points distinct_points(const Histogram& h, const Space& space);

// The distinct colours gathered into cells of an RGB grid with `bits` bits a channel, in cell
// order; only occupied cells get moments.
Points grid_points(const Histogram& h, int bits, const Space& space);

// Photos with more distinct colours than this run the free-centre k-means on grid cells.
constexpr std::size_t large_histogram = std::size_t(1) << 17;

// The cells of the finest grid (7, 6, then 5 bits a channel) with at most large_histogram
// occupied cells (see points.cpp).
Points large_histogram_grid(const Histogram& h, const Space& space);

} // namespace kpal::kmeans
