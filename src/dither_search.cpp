#include "dither_search.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>

namespace kpal {
namespace {

using Vec = Colour;
// What the error field stores a pixel: single precision halves its memory (48 bytes a pixel in
// all), and the same operations in the same order give the same result everywhere.
using Stored = std::array<float, 3>;

// The eye's blur, in pixels, and the weight of each pixel's own error beside the blurred one:
// measured on photos with 4 and 16 colours, 1-bit and e-paper (docs/bench-dither.md).
constexpr double eye_sigma = 0.7;
constexpr double own_weight = 0.15;
constexpr int max_passes = 8;

Vec difference(const Vec& a, const Vec& b) {
    return {a[0] - b[0], a[1] - b[1], a[2] - b[2]};
}

// One axis of the Gaussian's autocorrelation (the blur applied twice: what the blurred squared
// error is made of), times sqrt(weight) so that the 2-D kernel c[dx] * c[dy] carries `weight`.
std::vector<double> blur_twice(double sigma, double weight) {
    const int r = int(std::ceil(3 * sigma));
    std::vector<double> g(std::size_t(2 * r + 1));
    double sum = 0;
    for (int k = -r; k <= r; ++k)
        sum += g[std::size_t(k + r)] = std::exp(-k * k / (2 * sigma * sigma));
    std::vector<double> c(std::size_t(4 * r + 1), 0.0);
    for (int a = 0; a <= 2 * r; ++a)
        for (int b = 0; b <= 2 * r; ++b)
            c[std::size_t(a - b + 2 * r)] += g[std::size_t(a)] * g[std::size_t(b)] / (sum * sum);
    for (double& v : c) v *= std::sqrt(weight);
    return c;
}

// Each pixel's error (shown less wanted) and its correlation with the blur applied twice, kept
// up to date as pixels change: the gain of a change is then a few products.
class ErrorField {
  public:
    ErrorField(const Wanted& wanted, const std::vector<Vec>& shown, const IndexedImage& start,
               const std::vector<bool>& skip, double strength)
        : w_(wanted.width), h_(wanted.height), c_(blur_twice(eye_sigma, strength)),
          r_(int(c_.size() / 2)), err_(wanted.pixels.size(), {0, 0, 0}),
          blurred_(wanted.pixels.size(), {0, 0, 0}) {
        for (std::size_t i = 0; i < err_.size(); ++i) {
            if (!skip.empty() && skip[i]) continue;
            const auto& w = wanted.pixels[i];
            const Vec d = difference(shown[start.indices[i]], {w[0], w[1], w[2]});
            err_[i] = {float(d[0]), float(d[1]), float(d[2])};
        }
        correlate();
    }

    // How much the error grows when pixel p's colour moves by d (negative: an improvement).
    double change_gain(std::size_t p, const Vec& d) const {
        double gain = 0;
        for (int ch = 0; ch < 3; ++ch)
            gain += 2 * d[ch] * (blurred_[p][ch] + own_weight * err_[p][ch]) +
                    d[ch] * d[ch] * (kernel(0, 0) + own_weight);
        return gain;
    }

    // The same when p moves by d and its neighbour q, at (dx, dy) from it, by -d.
    double swap_gain(std::size_t p, std::size_t q, int dx, int dy, const Vec& d) const {
        double gain = 0;
        for (int ch = 0; ch < 3; ++ch)
            gain +=
                2 * d[ch] *
                    (blurred_[p][ch] - blurred_[q][ch] + own_weight * (err_[p][ch] - err_[q][ch])) +
                2 * d[ch] * d[ch] * (kernel(0, 0) + own_weight - kernel(dx, dy));
        return gain;
    }

    void move(std::size_t p, const Vec& d) {
        const int px = int(p % std::size_t(w_)), py = int(p / std::size_t(w_));
        for (int y = std::max(0, py - r_); y <= std::min(h_ - 1, py + r_); ++y)
            for (int x = std::max(0, px - r_); x <= std::min(w_ - 1, px + r_); ++x) {
                const double k = kernel(x - px, y - py);
                auto& b = blurred_[std::size_t(y) * std::size_t(w_) + std::size_t(x)];
                for (std::size_t ch = 0; ch < 3; ++ch) b[ch] += float(k * d[ch]);
            }
        for (std::size_t ch = 0; ch < 3; ++ch) err_[p][ch] += float(d[ch]);
    }

  private:
    double kernel(int dx, int dy) const {
        return c_[std::size_t(dx + r_)] * c_[std::size_t(dy + r_)];
    }

    // blurred = the 2-D kernel applied to err, one axis at a time.
    void correlate() {
        std::vector<Stored> rows(err_.size(), {0, 0, 0});
        const auto pass = [&](const std::vector<Stored>& from, std::vector<Stored>& to, int sx,
                              int sy) {
            for (int y = 0; y < h_; ++y)
                for (int x = 0; x < w_; ++x)
                    for (int k = -r_; k <= r_; ++k) {
                        const int fx = x + k * sx, fy = y + k * sy;
                        if (fx < 0 || fx >= w_ || fy < 0 || fy >= h_) continue;
                        const Stored& e = from[std::size_t(fy) * std::size_t(w_) + std::size_t(fx)];
                        Stored& t = to[std::size_t(y) * std::size_t(w_) + std::size_t(x)];
                        for (std::size_t ch = 0; ch < 3; ++ch)
                            t[ch] += float(c_[std::size_t(k + r_)] * e[ch]);
                    }
        };
        pass(err_, rows, 1, 0);
        pass(rows, blurred_, 0, 1);
    }

    int w_, h_;
    std::vector<double> c_;
    int r_;
    std::vector<Stored> err_, blurred_;
};

struct Step {
    double gain = -1e-9; // only real improvements
    int entry = -1;      // a new entry for p, or
    std::size_t swap_with = 0;
    Vec d{};
};

class Search {
  public:
    Search(const Wanted& wanted, const std::vector<Vec>& shown, IndexedImage& out,
           const EntrySets& entries, const std::vector<bool>& skip, double strength)
        : w_(wanted.width), h_(wanted.height), shown_(shown), out_(out), entries_(entries),
          skip_(skip), field_(wanted, shown, out, skip, strength) {}

    // One pass in raster order; the number of pixels changed.
    std::size_t pass() {
        std::size_t changed = 0;
        for (std::size_t p = 0; p < out_.indices.size(); ++p) {
            if (skipped(p)) continue;
            const Step s = best_step(p);
            if (s.gain >= -1e-9) continue;
            ++changed;
            field_.move(p, s.d);
            if (s.entry >= 0) {
                out_.indices[p] = std::uint8_t(s.entry);
                continue;
            }
            std::swap(out_.indices[p], out_.indices[s.swap_with]);
            field_.move(s.swap_with, {-s.d[0], -s.d[1], -s.d[2]});
        }
        return changed;
    }

  private:
    bool skipped(std::size_t i) const { return !skip_.empty() && skip_[i]; }
    int set_of(std::size_t i) const { return entries_.set_of.empty() ? 0 : entries_.set_of[i]; }

    // The entries pixel p may change to: those of its set that a neighbour shows, so that no
    // colour appears alone as a speck (measured: as good by the metrics, and cleaner to see).
    std::vector<std::uint8_t> candidates(std::size_t p, int x, int y) const {
        const std::vector<std::uint8_t>& mine = entries_.sets[std::size_t(set_of(p))];
        std::vector<std::uint8_t> out;
        for (int dy = -1; dy <= 1; ++dy)
            for (int dx = -1; dx <= 1; ++dx) {
                if (x + dx < 0 || x + dx >= w_ || y + dy < 0 || y + dy >= h_) continue;
                const std::uint8_t e =
                    out_.indices[std::size_t(y + dy) * std::size_t(w_) + std::size_t(x + dx)];
                if (e != out_.indices[p] && std::ranges::find(out, e) == out.end() &&
                    std::ranges::binary_search(mine, e))
                    out.push_back(e);
            }
        std::ranges::sort(out); // the same order of trial as the set's
        return out;
    }

    Step best_step(std::size_t p) const {
        Step best;
        const Vec& now = shown_[out_.indices[p]];
        const int x = int(p % std::size_t(w_)), y = int(p / std::size_t(w_));
        for (const std::uint8_t e : candidates(p, x, y)) {
            const Vec d = difference(shown_[e], now);
            if (const double g = field_.change_gain(p, d); g < best.gain) best = {g, e, 0, d};
        }
        for (int dy = -1; dy <= 1; ++dy)
            for (int dx = -1; dx <= 1; ++dx) {
                if ((dx == 0 && dy == 0) || x + dx < 0 || x + dx >= w_ || y + dy < 0 ||
                    y + dy >= h_)
                    continue;
                const std::size_t q = std::size_t(y + dy) * std::size_t(w_) + std::size_t(x + dx);
                if (skipped(q) || out_.indices[q] == out_.indices[p] || set_of(q) != set_of(p))
                    continue;
                const Vec d = difference(shown_[out_.indices[q]], now);
                if (const double g = field_.swap_gain(p, q, dx, dy, d); g < best.gain)
                    best = {g, -1, q, d};
            }
        return best;
    }

    int w_, h_;
    const std::vector<Vec>& shown_;
    IndexedImage& out_;
    const EntrySets& entries_;
    const std::vector<bool>& skip_;
    ErrorField field_;
};

} // namespace

IndexedImage refine_by_search(const Wanted& wanted, const std::vector<Colour>& shown,
                              IndexedImage start, const EntrySets& entries,
                              const std::vector<bool>& skip, double strength) {
    Search search(wanted, shown, start, entries, skip, strength);
    for (int pass = 0; pass < max_passes && search.pass() > 0; ++pass) {
    }
    return start;
}

} // namespace kpal
