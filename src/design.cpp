// Palette design by weighted k-means over the distinct colours of the image.
//
// 1. Seeding (Wu 1991, on exact points instead of Wu's 32^3 grid): start from one box holding
//    every colour and split, K-1 times, the box with the largest weighted squared error along its
//    axis of largest variance at the cut that minimises the two halves' total error. No
//    randomness, and Celebi 2011 found variance-based splits among the best k-means starts.
// 2. Lloyd's iterations, weighted by pixel counts, until no colour changes cluster. Hamerly's
//    2010 bounds (an upper bound on the distance to the own centre, a lower bound on the distance
//    to any other) let most colours skip the search once the centres settle. Cluster sums are
//    exact integers, so centres do not depend on summation order.
// 3. The same iterations with each centre snapped to the nearest colour the device can show (the
//    best representable centre of a cluster under squared error, channel by channel), so the
//    palette is designed for the device rather than rounded after the fact.
// Empty clusters, and in step 3 centres that snap onto each other, are re-seeded at the colour
// with the largest weighted error; each repair lowers the total error.
#include "kpal/design.h"

#include "kpal/remap.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <numeric>

namespace kpal {
namespace {

using Vec = std::array<double, 3>;

double dist2(const Vec& a, const Vec& b) {
    const double d0 = a[0] - b[0], d1 = a[1] - b[1], d2 = a[2] - b[2];
    return d0 * d0 + d1 * d1 + d2 * d2;
}

Vec to_vec(Rgb c) {
    return {double(c.r), double(c.g), double(c.b)};
}
Rgb to_rgb(const Vec& v) {
    return {std::uint8_t(v[0]), std::uint8_t(v[1]), std::uint8_t(v[2])};
}

// Exact weighted moments of a set of colours.
struct Moments {
    std::uint64_t w = 0;
    std::array<std::uint64_t, 3> s{};  // sum of w * x per channel
    std::array<std::uint64_t, 3> s2{}; // sum of w * x^2 per channel

    void add(const Vec& x, std::uint32_t weight, int sign = 1) {
        const std::uint64_t sw = weight;
        for (int ch = 0; ch < 3; ++ch) {
            const auto v = std::uint64_t(x[ch]);
            s[ch] += sign > 0 ? sw * v : -(sw * v);
            s2[ch] += sign > 0 ? sw * v * v : -(sw * v * v);
        }
        w += sign > 0 ? sw : -sw;
    }
    double variance_sum(int ch) const { return w ? s2[ch] - double(s[ch]) * s[ch] / w : 0; }
    double error() const { return variance_sum(0) + variance_sum(1) + variance_sum(2); }
    Vec mean() const { return {double(s[0]) / w, double(s[1]) / w, double(s[2]) / w}; }
};

Moments operator-(Moments a, const Moments& b) {
    a.w -= b.w;
    for (int ch = 0; ch < 3; ++ch) a.s[ch] -= b.s[ch], a.s2[ch] -= b.s2[ch];
    return a;
}

struct Points {
    std::vector<Vec> x;
    std::vector<std::uint32_t> w;
};

// Step 1: K boxes by variance-minimising splits; their means are the seeds.
std::vector<Vec> split_seeds(const Points& p, int k) {
    struct Box {
        std::size_t lo, hi;
        Moments m;
    };
    std::vector<std::uint32_t> order(p.x.size());
    std::iota(order.begin(), order.end(), 0u);
    std::vector<std::uint32_t> scratch(order.size());
    Moments all;
    for (std::size_t i = 0; i < p.x.size(); ++i) all.add(p.x[i], p.w[i]);
    std::vector<Box> boxes{{0, order.size(), all}};

    while (int(boxes.size()) < k) {
        // The box with the largest error that can still be split (the first on a tie).
        std::size_t pick = boxes.size();
        for (std::size_t b = 0; b < boxes.size(); ++b)
            if (boxes[b].hi - boxes[b].lo > 1 &&
                (pick == boxes.size() || boxes[b].m.error() > boxes[pick].m.error()))
                pick = b;
        if (pick == boxes.size()) break;
        Box& box = boxes[pick];
        int axis = 0;
        for (int ch = 1; ch < 3; ++ch)
            if (box.m.variance_sum(ch) > box.m.variance_sum(axis)) axis = ch;

        // Stable counting sort of the box along the axis.
        std::array<std::size_t, 257> start{};
        for (std::size_t i = box.lo; i < box.hi; ++i) ++start[std::size_t(p.x[order[i]][axis]) + 1];
        for (int v = 1; v < 257; ++v) start[v] += start[v - 1];
        for (std::size_t i = box.lo; i < box.hi; ++i)
            scratch[box.lo + start[std::size_t(p.x[order[i]][axis])]++] = order[i];
        std::copy(scratch.begin() + box.lo, scratch.begin() + box.hi, order.begin() + box.lo);

        // The cut between two different axis values that minimises the halves' total error.
        Moments left, best_left;
        std::size_t best_cut = 0;
        double best_error = std::numeric_limits<double>::infinity();
        for (std::size_t i = box.lo; i + 1 < box.hi; ++i) {
            left.add(p.x[order[i]], p.w[order[i]]);
            if (p.x[order[i]][axis] == p.x[order[i + 1]][axis]) continue;
            const double e = left.error() + (box.m - left).error();
            if (e < best_error) best_error = e, best_cut = i + 1, best_left = left;
        }
        if (best_cut == 0) { // every colour in the box shares the axis value; never the largest
            box.hi =
                box.lo + 1; // error box when it has >1 colour, but stay safe: stop splitting it
            continue;
        }
        Box right{best_cut, box.hi, box.m - best_left};
        box.hi = best_cut;
        box.m = best_left;
        boxes.push_back(right);
    }
    std::vector<Vec> seeds;
    for (const Box& b : boxes) seeds.push_back(b.m.mean());
    return seeds;
}

// Steps 2 and 3: Lloyd's iterations with Hamerly's bounds.
class Lloyd {
  public:
    Lloyd(const Points& p, std::vector<Vec> centres)
        : p_(p), c_(std::move(centres)), label_(p.x.size()), upper_(p.x.size()),
          lower_(p.x.size()) {
        for (std::size_t i = 0; i < p.x.size(); ++i) total_s2_ += sum_s2(i);
        assign_all();
    }

    // Runs to convergence (or `cap` iterations). With `snap`, centres are device colours.
    void run(const DeviceLevels* snap, int cap, std::vector<double>& trace, int& iterations) {
        snap_ = snap;
        if (snap_) {
            for (Vec& c : c_) c = to_vec(snap_->snap(c));
            assign_all();
        }
        for (int it = 0; it < cap; ++it) {
            const bool repaired = update_centres();
            trace.push_back(error());
            ++iterations;
            const std::size_t changed = repaired ? assign_all() : assign_bounded();
            if (changed == 0 && !repaired) break;
        }
    }

    const std::vector<Vec>& centres() const { return c_; }
    const std::vector<int>& alive() const { return alive_; }

  private:
    static constexpr double slack = 1e-9; // keeps the rounded bounds on the safe side

    double sum_s2(std::size_t i) const {
        const Vec& x = p_.x[i];
        return p_.w[i] * (x[0] * x[0] + x[1] * x[1] + x[2] * x[2]);
    }

    // The nearest and second-nearest live centres to colour i: the lowest index on a tie.
    void search(std::size_t i, int& best, double& d_best, double& d_second) const {
        best = -1;
        d_best = d_second = std::numeric_limits<double>::infinity();
        for (int j = 0; j < int(c_.size()); ++j) {
            if (!alive_[j]) continue;
            const double d = dist2(p_.x[i], c_[j]);
            if (d < d_best)
                d_second = d_best, d_best = d, best = j;
            else if (d < d_second)
                d_second = d;
        }
    }

    void rebuild_sums() {
        m_.assign(c_.size(), Moments{});
        for (std::size_t i = 0; i < p_.x.size(); ++i) m_[label_[i]].add(p_.x[i], p_.w[i]);
    }

    // Full assignment; returns the number of colours whose cluster changed.
    std::size_t assign_all() {
        if (alive_.size() != c_.size()) alive_.assign(c_.size(), 1);
        std::size_t changed = 0;
        for (std::size_t i = 0; i < p_.x.size(); ++i) {
            int best;
            double d1, d2;
            search(i, best, d1, d2);
            changed += label_[i] != best;
            label_[i] = best;
            upper_[i] = std::sqrt(d1) + slack;
            lower_[i] = std::sqrt(d2) - slack;
        }
        rebuild_sums();
        return changed;
    }

    // Hamerly's pass: a colour is searched only when its bounds cannot rule a change out.
    std::size_t assign_bounded() {
        const int k = int(c_.size());
        std::vector<double> half_gap(k, std::numeric_limits<double>::infinity());
        for (int j = 0; j < k; ++j)
            for (int q = j + 1; q < k; ++q) {
                if (!alive_[j] || !alive_[q]) continue;
                const double d = std::sqrt(dist2(c_[j], c_[q])) / 2;
                half_gap[j] = std::min(half_gap[j], d);
                half_gap[q] = std::min(half_gap[q], d);
            }
        std::size_t changed = 0;
        for (std::size_t i = 0; i < p_.x.size(); ++i) {
            const int a = label_[i];
            const double bound = std::max(half_gap[a], lower_[i]);
            if (upper_[i] < bound) continue;
            upper_[i] = std::sqrt(dist2(p_.x[i], c_[a])) + slack;
            if (upper_[i] < bound) continue;
            int best;
            double d1, d2;
            search(i, best, d1, d2);
            upper_[i] = std::sqrt(d1) + slack;
            lower_[i] = std::sqrt(d2) - slack;
            if (best != a) {
                m_[a].add(p_.x[i], p_.w[i], -1);
                m_[best].add(p_.x[i], p_.w[i]);
                label_[i] = best;
                ++changed;
            }
        }
        return changed;
    }

    // Moves each centre to its cluster's (snapped) mean, shifts the bounds by how far centres
    // moved, and repairs empty or duplicate clusters. Returns true when a repair happened (the
    // bounds are then stale and the next assignment must be a full one).
    bool update_centres() {
        const int k = int(c_.size());
        std::vector<double> moved(k, 0);
        for (int j = 0; j < k; ++j) {
            if (!alive_[j] || m_[j].w == 0) continue;
            Vec next = m_[j].mean();
            if (snap_) next = to_vec(snap_->snap(next));
            moved[j] = std::sqrt(dist2(next, c_[j]));
            c_[j] = next;
        }
        bool repaired = false;
        for (int j = 0; j < k; ++j)
            if (alive_[j] && (m_[j].w == 0 || duplicate_of_lower(j))) {
                repair(j);
                repaired = true;
            }
        if (repaired) return true;
        int fastest = 0;
        for (int j = 1; j < k; ++j)
            if (moved[j] > moved[fastest]) fastest = j;
        double second = 0;
        for (int j = 0; j < k; ++j)
            if (j != fastest) second = std::max(second, moved[j]);
        for (std::size_t i = 0; i < p_.x.size(); ++i) {
            upper_[i] += moved[label_[i]] + slack;
            lower_[i] -= (label_[i] == fastest ? second : moved[fastest]) + slack;
        }
        return false;
    }

    bool duplicate_of_lower(int j) const {
        for (int q = 0; q < j; ++q)
            if (alive_[q] && c_[q] == c_[j]) return true;
        return false;
    }

    // Re-seeds cluster j at the colour with the largest weighted error whose (snapped) colour is
    // no centre yet and is nearer to it than its own centre. Its members, if any, join the lowest
    // cluster with the same centre. Without such a colour the slot is retired.
    void repair(int j) {
        int twin = -1;
        for (int q = 0; q < int(c_.size()) && twin < 0; ++q)
            if (q != j && alive_[q] && c_[q] == c_[j]) twin = q;
        if (twin >= 0)
            for (std::size_t i = 0; i < p_.x.size(); ++i)
                if (label_[i] == j) label_[i] = twin;
        alive_[j] = 0;
        std::size_t pick = p_.x.size();
        double worst = 0;
        Vec pick_at{};
        for (std::size_t i = 0; i < p_.x.size(); ++i) {
            const Vec at = snap_ ? to_vec(snap_->snap(to_rgb(p_.x[i]))) : p_.x[i];
            const double own = dist2(p_.x[i], c_[label_[i]]);
            if (dist2(p_.x[i], at) >= own) continue;
            const double gain = p_.w[i] * own;
            if (gain > worst && !is_centre(at)) worst = gain, pick = i, pick_at = at;
        }
        if (pick < p_.x.size()) {
            c_[j] = pick_at;
            alive_[j] = 1;
            label_[pick] = j;
        }
        rebuild_sums();
    }

    bool is_centre(const Vec& v) const {
        for (std::size_t q = 0; q < c_.size(); ++q)
            if (alive_[q] && c_[q] == v) return true;
        return false;
    }

    // Weighted squared error of the current labels against the current centres, from the
    // cluster moments: sum of w|x|^2 - 2 c.S + W|c|^2.
    double error() const {
        double e = total_s2_;
        for (std::size_t j = 0; j < c_.size(); ++j) {
            if (!alive_[j]) continue;
            const Vec& c = c_[j];
            const Moments& m = m_[j];
            for (int ch = 0; ch < 3; ++ch)
                e += c[ch] * (double(m.w) * c[ch] - 2.0 * double(m.s[ch]));
        }
        return std::max(e, 0.0);
    }

    const Points& p_;
    const DeviceLevels* snap_ = nullptr;
    std::vector<Vec> c_;
    std::vector<int> alive_;
    std::vector<int> label_;
    std::vector<double> upper_, lower_;
    std::vector<Moments> m_;
    double total_s2_ = 0;
};

// The distinct device colours the histogram's colours snap to, in histogram order.
std::vector<Rgb> distinct_snapped(const Histogram& h, const DeviceLevels& levels,
                                  std::size_t limit) {
    std::vector<std::uint32_t> seen;
    for (std::uint32_t c : h.colors) {
        const std::uint32_t s = pack_rgb(levels.snap(unpack_rgb(c)));
        seen.push_back(s);
    }
    std::sort(seen.begin(), seen.end());
    seen.erase(std::unique(seen.begin(), seen.end()), seen.end());
    std::vector<Rgb> out;
    if (seen.size() <= limit)
        for (std::uint32_t s : seen) out.push_back(unpack_rgb(s));
    return out;
}

constexpr int iteration_cap = 10000;

} // namespace

Design design_palette(const Histogram& h, const DeviceLevels& levels,
                      const DesignOptions& options) {
    const std::size_t k = std::size_t(std::max(options.colors, 1));
    Design design;
    // When the device colours the image needs fit in K entries, they are the optimal palette.
    design.palette = distinct_snapped(h, levels, k);
    if (design.palette.empty() && h.size() > 0) {
        Points p;
        p.x.reserve(h.size());
        for (std::uint32_t c : h.colors) p.x.push_back(to_vec(unpack_rgb(c)));
        p.w = h.counts;
        Lloyd lloyd(p, split_seeds(p, int(k)));
        lloyd.run(nullptr, iteration_cap, design.error_trace, design.iterations);
        design.snapped_from = int(design.error_trace.size());
        lloyd.run(&levels, iteration_cap, design.error_trace, design.iterations);
        for (std::size_t j = 0; j < lloyd.centres().size(); ++j)
            if (lloyd.alive()[j]) design.palette.push_back(to_rgb(lloyd.centres()[j]));
    }
    const NearestSearch nearest(design.palette);
    design.labels.reserve(h.size());
    for (std::uint32_t c : h.colors) design.labels.push_back(nearest.nearest(unpack_rgb(c)));
    return design;
}

double weighted_error(const Histogram& h, const std::vector<Rgb>& palette,
                      const std::vector<std::uint8_t>& labels) {
    double sum = 0;
    for (std::size_t i = 0; i < h.size(); ++i)
        sum += h.counts[i] * dist2(to_vec(unpack_rgb(h.colors[i])), to_vec(palette[labels[i]]));
    return sum;
}

} // namespace kpal
