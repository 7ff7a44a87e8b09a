// Palette design by weighted k-means over the distinct colours of the image.
//
// 1. Seeding (Wu 1991, on exact points instead of Wu's 32^3 grid): start from one box holding
//    every colour and split, K-1 times, the box with the largest weighted squared error along its
//    axis of largest variance at the cut that minimises the two halves' total error. No
//    randomness, and Celebi 2011 found variance-based splits among the best k-means starts.
// 2. Lloyd's iterations, weighted by pixel counts, until no colour changes cluster. Hamerly's
//    2010 bounds (an upper bound on the distance to the own centre, a lower bound on the distance
//    to any other) let most colours skip the search once the centres settle; a lower bound is
//    loosened only by the moves of centres near the colour's own, not by the largest anywhere.
//    Cluster sums are exact integers, so centres do not depend on summation order. Each colour
//    keeps its two nearest centres and a bound on the third: a colour between two clusters is
//    checked against both rather than searched, and a search walks out from the colour's own
//    centre through its row of the others (see CentreIndex). Steps are over-relaxed (see
//    over_relaxation), and --effort below 3 stops once an iteration gains little (see efforts).
// 3. The same iterations with each centre snapped to the nearest colour the device can show (the
//    best representable centre of a cluster under squared error, channel by channel), so the
//    palette is designed for the device rather than rounded after the fact.
// 4. For small palettes on coarse devices, a descent: entries move one device level at a time
//    where that lowers the error (descend_on_device), then step 3 again.
// Empty clusters, and in step 3 centres that snap onto each other, are re-seeded at the colour
// with the largest weighted error; each repair lowers the total error.
#include "kpal/design.h"

#include "kpal/colorspace.h"
#include "kpal/remap.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <limits>
#include <numeric>
#include <thread>

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

Moments operator-(Moments a, const Moments& b) {
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

Points distinct_points(const Histogram& h, const Space& space) {
    Points p;
    p.bucket_shift = space.bucket_shift();
    p.x.reserve(h.size());
    p.w = h.counts;
    for (std::size_t i = 0; i < h.size(); ++i) {
        p.x.push_back(space.coords(unpack_rgb(h.colors[i])));
    }
    return p;
}

// The cell of colour c in an RGB grid with `bits` bits a channel, in cell order.
std::size_t grid_cell(Rgb c, int bits) {
    const int shift = 8 - bits;
    return (std::size_t(c.r >> shift) << (2 * bits)) | (std::size_t(c.g >> shift) << bits) |
           std::size_t(c.b >> shift);
}

// Which cells of that grid hold at least one of the colours, as one bit a cell, and each
// occupied cell's number in cell order (its rank: the occupied cells before it). 320 KiB at
// 7 bits, where a table of numbers would take 8 MiB.
class OccupiedCells {
  public:
    OccupiedCells(const Histogram& h, int bits)
        : bits_(bits), words_(((std::size_t(1) << (3 * bits)) + 63) / 64, 0),
          before_(words_.size(), 0) {
        for (std::uint32_t c : h.colors) {
            const std::size_t cell = grid_cell(unpack_rgb(c), bits_);
            words_[cell / 64] |= std::uint64_t(1) << (cell % 64);
        }
        for (std::size_t w = 0; w < words_.size(); ++w)
            before_[w] = count_ = std::uint32_t(count_ + (w ? std::popcount(words_[w - 1]) : 0));
        if (!words_.empty()) count_ += std::uint32_t(std::popcount(words_.back()));
    }
    std::size_t count() const { return count_; }
    std::uint32_t number(Rgb c) const {
        const std::size_t cell = grid_cell(c, bits_);
        const std::uint64_t below = words_[cell / 64] & ((std::uint64_t(1) << (cell % 64)) - 1);
        return before_[cell / 64] + std::uint32_t(std::popcount(below));
    }

  private:
    int bits_;
    std::vector<std::uint64_t> words_;
    std::vector<std::uint32_t> before_;
    std::uint32_t count_ = 0;
};

// The distinct colours gathered into cells of an RGB grid with `bits` bits a channel, in cell
// order; only occupied cells get moments.
Points grid_points(const Histogram& h, int bits, const Space& space) {
    const OccupiedCells occupied(h, bits);
    Points p;
    p.bucket_shift = space.bucket_shift();
    p.cells.resize(occupied.count());
    for (std::size_t i = 0; i < h.size(); ++i) {
        const Rgb c = unpack_rgb(h.colors[i]);
        p.cells[occupied.number(c)].add(Moments::of(space.coords(c), h.counts[i]));
    }
    p.x.reserve(p.cells.size());
    p.w.reserve(p.cells.size());
    for (const Moments& m : p.cells) p.x.push_back(m.mean()), p.w.push_back(std::uint32_t(m.w));
    return p;
}

// Photos with more distinct colours than this run the free-centre k-means on grid cells.
constexpr std::size_t large_histogram = std::size_t(1) << 17;

// The cells of the finest grid (7, 6, then 5 bits a channel) with at most large_histogram
// occupied cells. Clustering them instead of every colour bounds the time and memory of
// k-means, so both grow linearly with the image (the histogram and the final labels still see
// every colour). Measured at K = 256 on the 1920x1280 photos of shared/images/scaling with
// 3x10^5 and 7x10^5 colours: 0.09 and 0.17 dB below clustering every colour, in a sixth of the
// time (0.3 s instead of 1.8 s and 5.5 s). The grid is chosen by counting occupied cells first:
// building a too-fine grid only to discard it cost 56 MB at 1920x1280.
Points large_histogram_grid(const Histogram& h, const Space& space) {
    int bits = 7;
    while (bits > 5 && OccupiedCells(h, bits).count() > large_histogram) --bits;
    return grid_points(h, bits, space);
}

// The start of k-means: its centres and, where known, the centre each colour starts nearest to
// (its box, for the splits), which makes the first search a walk out from it.
struct Seeds {
    std::vector<Vec> centres;
    std::vector<int> near; // for each colour, or empty
};

// Step 1: K boxes by variance-minimising splits; their means are the seeds.
Seeds split_seeds(const Points& p, int k) {
    struct Box {
        std::size_t lo, hi;
        Moments m;
        double error;
    };
    std::vector<std::uint32_t> order(p.x.size());
    std::iota(order.begin(), order.end(), 0u);
    std::vector<std::uint32_t> scratch(order.size());
    Moments all;
    for (std::size_t i = 0; i < p.size(); ++i) all.add(p.moments(i));
    std::vector<Box> boxes{{0, order.size(), all, all.error()}};

    while (int(boxes.size()) < k) {
        // The box with the largest error that can still be split (the first on a tie).
        std::size_t pick = boxes.size();
        for (std::size_t b = 0; b < boxes.size(); ++b)
            if (boxes[b].hi - boxes[b].lo > 1 &&
                (pick == boxes.size() || boxes[b].error > boxes[pick].error))
                pick = b;
        if (pick == boxes.size()) break;
        Box& box = boxes[pick];
        int axis = 0;
        for (int ch = 1; ch < 3; ++ch)
            if (box.m.variance_sum(ch) > box.m.variance_sum(axis)) axis = ch;

        // Stable counting sort of the box along the axis, with the moments of each axis value.
        std::array<std::size_t, 257> start{};
        std::array<Moments, 256> at{};
        for (std::size_t i = box.lo; i < box.hi; ++i) {
            const std::size_t v = p.bucket(order[i], axis);
            ++start[v + 1];
            at[v].add(p.moments(order[i]));
        }
        for (int v = 1; v < 257; ++v) start[v] += start[v - 1];
        const std::array<std::size_t, 257> first = start;
        for (std::size_t i = box.lo; i < box.hi; ++i)
            scratch[box.lo + start[p.bucket(order[i], axis)]++] = order[i];
        std::copy(scratch.begin() + box.lo, scratch.begin() + box.hi, order.begin() + box.lo);

        // The cut between two different axis values that minimises the halves' total error.
        Moments left, best_left;
        std::size_t best_cut = 0;
        double best_error = std::numeric_limits<double>::infinity();
        for (std::size_t v = 0; v < 256; ++v) {
            if (at[v].w == 0) continue;
            left.add(at[v]);
            const std::size_t cut = box.lo + first[v + 1];
            if (cut == box.hi) break; // no colour beyond this value
            const double e = left.error() + (box.m - left).error();
            if (e < best_error) best_error = e, best_cut = cut, best_left = left;
        }
        if (best_cut == 0) { // every colour in the box shares the axis value: never split it
            box.hi = box.lo + 1;
            continue;
        }
        Box right{best_cut, box.hi, box.m - best_left, (box.m - best_left).error()};
        box.hi = best_cut;
        box.m = best_left;
        box.error = best_left.error();
        boxes.push_back(right);
    }
    Seeds seeds;
    seeds.near.resize(p.size());
    for (const Box& b : boxes) {
        for (std::size_t i = b.lo; i < b.hi; ++i) seeds.near[order[i]] = int(seeds.centres.size());
        seeds.centres.push_back(b.m.mean());
    }
    return seeds;
}

// The number of chunks parallel_for splits n items into: one a thread, each of at least `grain`
// items so that small inputs stay on one thread.
std::size_t parallel_chunks(std::size_t n, int threads, std::size_t grain = 8192) {
    // Asked once: glibc reads /sys for it, which cost 5 % of a tile design's many small palettes.
    static const unsigned cores = std::clamp(std::thread::hardware_concurrency(), 1u, 8u);
    const std::size_t most = threads > 0 ? std::size_t(threads) : cores;
    return std::clamp<std::size_t>(n / grain, 1, most);
}

// Runs f(begin, end, chunk) over contiguous chunks of [0, n), one thread a chunk.
template <class F> void parallel_for(std::size_t n, int threads, F&& f, std::size_t grain = 8192) {
    const std::size_t chunks = parallel_chunks(n, threads, grain);
    std::vector<std::thread> workers;
    for (std::size_t c = 1; c < chunks; ++c)
        workers.emplace_back([&f, n, chunks, c] { f(n * c / chunks, n * (c + 1) / chunks, c); });
    f(0, n / chunks, 0);
    for (std::thread& t : workers) t.join();
}

// Exact search for the nearest centres of a colour, two ways. Centres are sorted by their
// projection on the data's principal axis; a query walks outwards from its own projection and
// stops on each side once the projection gap alone exceeds the distance it needs (|gap| <=
// distance, since the axis has unit length). A query that knows a centre a near it walks a's
// nearest other centres instead, nearest first, and stops once their distance from a exceeds
// d(colour, a) plus the distance it needs: every centre that near the colour is within that of a
// (triangle inequality). At K = 256 the ball around a holds far fewer centres than the slab
// around the projection: on kodim05, 580 instructions a search instead of 1380, and the first
// assignment, from the split boxes, a third of the projection walk's.
class CentreIndex {
  public:
    CentreIndex(const Vec& axis, int threads) : axis_(axis), threads_(threads) {}

    void build(const std::vector<Vec>& centres, const std::vector<int>& alive) {
        centres_ = &centres;
        order_.clear();
        for (std::size_t j = 0; j < centres.size(); ++j)
            if (alive[j]) order_.push_back({project(centres[j]), int(j)});
        std::sort(order_.begin(), order_.end(), [](const Key& a, const Key& b) {
            return a.at != b.at ? a.at < b.at : a.index < b.index;
        });
        build_neighbours(alive);
    }

    // The nearest centres to a colour: the nearest (the lowest index on a tie) and a second
    // nearest, with squared distances; d3 is the third nearest's (infinity where there is none),
    // found only when asked for.
    struct Nearest {
        int best = -1, second = -1;
        double d1 = std::numeric_limits<double>::infinity(), d2 = d1, d3 = d1;
    };

    Nearest search(const Vec& x, bool third = false) const {
        Nearest n;
        const double at = project(x);
        const int size = int(order_.size());
        int up = int(std::lower_bound(order_.begin(), order_.end(), at,
                                      [](const Key& k, double v) { return k.at < v; }) -
                     order_.begin());
        int down = up - 1;
        while (up < size || down >= 0) {
            if (up < size) {
                if (beyond(n, third, order_[up].at - at))
                    up = size;
                else
                    visit(n, x, order_[up++].index);
            }
            if (down >= 0) {
                if (beyond(n, third, at - order_[down].at))
                    down = -1;
                else
                    visit(n, x, order_[down--].index);
            }
        }
        return n;
    }

    // The same answer as search(x, third), walking out from live centre a.
    Nearest search_near(const Vec& x, int a, bool third = false) const {
        Nearest n;
        visit(n, x, a);
        const double from_a = std::sqrt(n.d1);
        const Neighbour* row = rows_.data() + std::size_t(a) * row_length_;
        for (std::size_t q = 0; q < row_length_; ++q) {
            const double gap = row[q].distance - from_a;
            if (gap > 0 && beyond(n, third, gap)) break;
            visit(n, x, row[q].index);
        }
        return n;
    }

    // The distance from live centre a to its nearest other centre (infinity when alone).
    double nearest_other(int a) const {
        return row_length_ ? rows_[std::size_t(a) * row_length_].distance
                           : std::numeric_limits<double>::infinity();
    }

    // The largest `moved` of the live centres other than a within `reach` of it.
    double largest_move_within(int a, double reach, const std::vector<double>& moved) const {
        double most = 0;
        const Neighbour* row = rows_.data() + std::size_t(a) * row_length_;
        for (std::size_t q = 0; q < row_length_ && row[q].distance < reach; ++q)
            most = std::max(most, moved[std::size_t(row[q].index)]);
        return most;
    }

  private:
    struct Key {
        double at;
        int index;
    };
    struct Neighbour {
        double distance;
        int index;
    };
    double project(const Vec& v) const {
        return v[0] * axis_[0] + v[1] * axis_[1] + v[2] * axis_[2];
    }

    void visit(Nearest& n, const Vec& x, int j) const {
        const double d = dist2(x, (*centres_)[std::size_t(j)]);
        if (d < n.d1 || (d == n.d1 && j < n.best)) {
            n.d3 = n.d2, n.d2 = n.d1, n.second = n.best, n.d1 = d, n.best = j;
        } else if (d < n.d2) {
            n.d3 = n.d2, n.d2 = d, n.second = j;
        } else if (d < n.d3) {
            n.d3 = d;
        }
    }
    // Whether a centre `gap` farther than the query's reach can be left out: beyond the second
    // nearest, or with `third` the third.
    static bool beyond(const Nearest& n, bool third, double gap) {
        const double stop = third ? n.d3 : n.d2;
        return gap * gap > stop * (1 + 1e-12) + 1e-9;
    }

    // Each live centre's row of the other live centres, nearest first. Centres move little
    // from one iteration to the next, so a row is re-sorted from its last order by insertion,
    // close to linear time; a change in which centres are alive sorts every row afresh.
    void build_neighbours(const std::vector<int>& alive) {
        const std::vector<Vec>& c = *centres_;
        const bool fresh = alive != rows_alive_;
        if (fresh) {
            rows_alive_ = alive;
            row_length_ = order_.empty() ? 0 : order_.size() - 1;
            rows_.assign(c.size() * row_length_, {});
        }
        // Rows are independent: chunks of them are sorted in parallel.
        parallel_for(
            order_.size(), threads_,
            [&](std::size_t begin, std::size_t end, std::size_t) {
                for (std::size_t r = begin; r < end; ++r) sort_row(order_[r].index, fresh);
            },
            rows_a_chunk);
    }

    // The fewest rows a thread sorts (fewer do not pay for starting it).
    static constexpr std::size_t rows_a_chunk = 64;

    // Lays out (when fresh) and sorts the row of centre a.
    void sort_row(int a, bool fresh) {
        const std::vector<Vec>& c = *centres_;
        Neighbour* row = rows_.data() + std::size_t(a) * row_length_;
        if (fresh) {
            std::size_t q = 0;
            for (const Key& j : order_)
                if (j.index != a) row[q++].index = j.index;
        }
        const Vec& at = c[std::size_t(a)];
        for (std::size_t q = 0; q < row_length_; ++q)
            row[q].distance = std::sqrt(dist2(at, c[std::size_t(row[q].index)]));
        if (fresh) {
            std::sort(row, row + row_length_, [](const Neighbour& p, const Neighbour& q) {
                return p.distance < q.distance;
            });
            return;
        }
        for (std::size_t q = 1; q < row_length_; ++q) { // insertion: the row is nearly sorted
            const Neighbour v = row[q];
            std::size_t r = q;
            for (; r > 0 && v.distance < row[r - 1].distance; --r) row[r] = row[r - 1];
            row[r] = v;
        }
    }

    Vec axis_;
    int threads_;
    const std::vector<Vec>* centres_ = nullptr;
    std::vector<Key> order_;
    std::vector<Neighbour> rows_; // row_length_ for each centre, by centre index
    std::size_t row_length_ = 0;  // the live centres but one
    std::vector<int> rows_alive_; // which centres were alive when the rows were laid out
};

// The principal axis (unit length) of the weighted colours, by power iteration on their
// covariance: the direction along which projections separate centres best.
Vec principal_axis(const Points& p) {
    Moments m;
    double cross[3] = {}; // sum w x_a x_b for (r,g), (r,b), (g,b)
    for (std::size_t i = 0; i < p.x.size(); ++i) {
        m.add(p.moments(i));
        cross[0] += p.weight(i) * p.x[i][0] * p.x[i][1];
        cross[1] += p.weight(i) * p.x[i][0] * p.x[i][2];
        cross[2] += p.weight(i) * p.x[i][1] * p.x[i][2];
    }
    if (m.w == 0) return {1, 0, 0};
    const Vec mean = m.mean();
    const double w = double(m.w);
    double cov[3][3];
    for (int a = 0; a < 3; ++a) cov[a][a] = m.s2[a] / w - mean[a] * mean[a];
    cov[0][1] = cov[1][0] = cross[0] / w - mean[0] * mean[1];
    cov[0][2] = cov[2][0] = cross[1] / w - mean[0] * mean[2];
    cov[1][2] = cov[2][1] = cross[2] / w - mean[1] * mean[2];
    Vec v{0.577, 0.577, 0.577};
    for (int it = 0; it < 50; ++it) {
        Vec next{};
        for (int a = 0; a < 3; ++a)
            next[a] = cov[a][0] * v[0] + cov[a][1] * v[1] + cov[a][2] * v[2];
        const double len = std::sqrt(next[0] * next[0] + next[1] * next[1] + next[2] * next[2]);
        if (len == 0) return {1, 0, 0};
        for (int a = 0; a < 3; ++a) v[a] = next[a] / len;
    }
    return v;
}

// Steps 2 and 3: Lloyd's iterations with Hamerly's bounds.
class Lloyd {
  public:
    // The first `fixed` centres are pinned: they take colours but never move.
    // Each free step moves a centre `relax` times the way to its cluster's mean (1: Lloyd's).
    // `near`, if given, names for each colour a centre near it (any: only the first search's
    // time depends on it).
    Lloyd(const Points& p, std::vector<Vec> centres, int threads, int fixed = 0, double relax = 1,
          std::vector<int> near = {})
        : p_(p), threads_(threads), fixed_(fixed), relax_(relax),
          index_(principal_axis(p), threads), c_(std::move(centres)), label_(std::move(near)),
          upper_(p.x.size()), lower_(p.x.size()), third_(p.x.size()), second_(p.x.size(), -1) {
        labelled_ = !label_.empty();
        label_.resize(p.x.size());
        for (std::size_t i = 0; i < p.x.size(); ++i) total_s2_ += sum_s2(i);
        assign_all();
    }

    // Runs to convergence (or `cap` iterations, or until an iteration lowers the error by less
    // than `stop` times it). With `snap`, centres are device colours.
    void run(const Space* snap, int cap, std::vector<double>& trace, int& iterations,
             double stop = 0) {
        snap_ = snap;
        if (snap_) { // snapping is one more move of each centre: the bounds carry over
            std::vector<double> moved(c_.size(), 0);
            for (std::size_t j = 0; j < c_.size(); ++j) {
                const Vec at = snap_->snap(c_[j]);
                moved[j] = std::sqrt(dist2(at, c_[j]));
                c_[j] = at;
            }
            centres_moved(moved);
            assign_bounded();
        }
        for (int it = 0; it < cap; ++it) {
            const bool repaired = update_centres(
                trace.empty() ? std::numeric_limits<double>::infinity() : trace.back());
            trace.push_back(error(c_));
            ++iterations;
            const std::size_t changed = repaired ? assign_all() : assign_bounded();
            const bool settled =
                (changed == 0 && !repaired) ||
                (it > 0 && trace[trace.size() - 2] - trace.back() < stop * trace.back());
            if (settled && relax_ == 1) break;
            if (settled) relax_ = 1; // the last steps plain, so centres end at their means
        }
    }

    const std::vector<Vec>& centres() const { return c_; }
    std::vector<Vec> live_centres() const {
        std::vector<Vec> out;
        for (std::size_t j = 0; j < c_.size(); ++j)
            if (alive_[j]) out.push_back(c_[j]);
        return out;
    }
    std::vector<Rgb> live_palette(const Space& space) const {
        std::vector<Rgb> out;
        for (const Vec& c : live_centres()) out.push_back(space.device(c));
        return out;
    }
    // Each colour's label as an index into live_centres().
    std::vector<std::uint8_t> live_labels() const {
        std::vector<std::uint8_t> live(c_.size(), 0);
        for (std::size_t j = 0, n = 0; j < c_.size(); ++j)
            if (alive_[j]) live[j] = std::uint8_t(n++);
        std::vector<std::uint8_t> out(label_.size());
        for (std::size_t i = 0; i < label_.size(); ++i) out[i] = live[std::size_t(label_[i])];
        return out;
    }

  private:
    static constexpr double slack = 1e-9; // keeps the rounded bounds on the safe side
    // A centre's move counts for the colours of centres within this many half-gaps of it (see
    // loosen_bounds). Any value is correct; measured on the Kodak photos at K = 256, 4 and 10
    // search more often than 6.
    static constexpr double reach_gaps = 6;

    double sum_s2(std::size_t i) const {
        const Moments m = p_.moments(i);
        return double(m.s2[0]) + double(m.s2[1]) + double(m.s2[2]);
    }

    void rebuild_sums() {
        m_.assign(c_.size(), Moments{});
        for (std::size_t i = 0; i < p_.x.size(); ++i) m_[label_[i]].add(p_.moments(i));
    }

    // Half the distance from each centre to its nearest other centre: a colour nearer than
    // that to its own centre cannot be nearer to any other.
    void measure_gaps() {
        half_gap_.assign(c_.size(), std::numeric_limits<double>::infinity());
        for (std::size_t j = 0; j < c_.size(); ++j) {
            if (!alive_[j]) continue;
            half_gap_[j] = index_.nearest_other(int(j)) / 2;
        }
    }

    // Full assignment; returns the number of colours whose cluster changed.
    std::size_t assign_all() {
        if (alive_.size() != c_.size()) alive_.assign(c_.size(), 1);
        index_.build(c_, alive_);
        measure_gaps();
        std::vector<std::size_t> changed(parallel_chunks(p_.size(), threads_), 0);
        parallel_for(p_.size(), threads_,
                     [&](std::size_t begin, std::size_t end, std::size_t chunk) {
                         for (std::size_t i = begin; i < end; ++i) {
                             const int a = label_[i];
                             const CentreIndex::Nearest n =
                                 labelled_ && alive_[a] ? index_.search_near(p_.x[i], a, true)
                                                        : index_.search(p_.x[i], true);
                             changed[chunk] += label_[i] != n.best;
                             label_[i] = n.best;
                             second_[i] = n.second;
                             upper_[i] = std::sqrt(n.d1) + slack;
                             lower_[i] = std::sqrt(n.d2) - slack;
                             third_[i] = std::sqrt(n.d3) - slack;
                         }
                     });
        rebuild_sums();
        labelled_ = true;
        shift_pending_ = false; // the bounds are new
        return std::accumulate(changed.begin(), changed.end(), std::size_t(0));
    }

    // Hamerly's pass: a colour is searched only when its bounds cannot rule a change out. On the
    // Kodak photos at K = 256 half the colours searched under Hamerly's own loosening rule are
    // spared by loosen_bounds: the whole run takes a fifth less time, with the same result.
    std::size_t assign_bounded() {
        // Colours are independent, so chunks of them are searched in parallel; the moves are
        // applied to the cluster sums afterwards in colour order (exact integers: the result
        // does not depend on the number of threads).
        std::vector<std::vector<std::pair<std::size_t, int>>> moves(
            parallel_chunks(p_.size(), threads_));
        parallel_for(
            p_.size(), threads_, [&](std::size_t begin, std::size_t end, std::size_t chunk) {
                for (std::size_t i = begin; i < end; ++i) {
                    if (shift_pending_) loosen(i);
                    const int a = label_[i];
                    const double bound = std::max(half_gap_[a], lower_[i]);
                    if (upper_[i] < bound) continue;
                    const double da = dist2(p_.x[i], c_[a]);
                    upper_[i] = std::sqrt(da) + slack;
                    if (upper_[i] < bound) continue;
                    // The two nearest centres of the last search, and a lower bound on
                    // the others: a colour between two clusters needs no search while
                    // no third centre comes near.
                    const int b = second_[i];
                    if (b >= 0 && alive_[b]) {
                        const double db = dist2(p_.x[i], c_[b]);
                        const bool to_b = db < da || (db == da && b < a);
                        const double near = std::sqrt(to_b ? db : da);
                        if (near < third_[i]) {
                            upper_[i] = near + slack;
                            lower_[i] = std::min(std::sqrt(to_b ? da : db) - slack, third_[i]);
                            if (to_b) {
                                second_[i] = a, label_[i] = b;
                                moves[chunk].push_back({i, a});
                            }
                            continue;
                        }
                    }
                    const CentreIndex::Nearest n = index_.search_near(p_.x[i], a, true);
                    upper_[i] = std::sqrt(n.d1) + slack;
                    lower_[i] = std::sqrt(n.d2) - slack;
                    third_[i] = std::sqrt(n.d3) - slack;
                    second_[i] = n.second;
                    if (n.best != a) moves[chunk].push_back({i, a});
                    label_[i] = n.best;
                }
            });
        shift_pending_ = false;
        std::size_t changed = 0;
        for (const auto& chunk : moves)
            for (const auto& [i, from] : chunk) {
                m_[from].add(p_.moments(i), -1);
                m_[label_[i]].add(p_.moments(i));
                ++changed;
            }
        return changed;
    }

    // Moves each centre to its cluster's (snapped) mean, shifts the bounds by how far centres
    // moved, and repairs empty or duplicate clusters. Returns true when a repair happened (the
    // bounds are then stale and the next assignment must be a full one).
    bool update_centres(double previous) {
        const int k = int(c_.size());
        std::vector<Vec> next = c_;
        for (int pass = 0; pass < 2; ++pass) {
            for (int j = fixed_; j < k; ++j) {
                if (!alive_[j] || m_[j].w == 0) continue;
                next[j] = m_[j].mean();
                if (snap_)
                    next[j] = snap_->snap(next[j]);
                else // over-relaxed: past the mean, `relax_` times the step to it
                    for (int ch = 0; ch < 3; ++ch)
                        next[j][ch] = c_[j][ch] + relax_ * (next[j][ch] - c_[j][ch]);
            }
            // Never a higher error than the iteration before: else the plain step from here on.
            if (relax_ == 1 || error(next) <= previous) break;
            relax_ = 1;
        }
        std::vector<double> moved(k, 0);
        for (int j = fixed_; j < k; ++j) moved[j] = std::sqrt(dist2(next[j], c_[j]));
        c_ = std::move(next);
        bool repaired = false;
        for (int j = fixed_; j < k; ++j)
            if (alive_[j] && (m_[j].w == 0 || duplicate_of_lower(j))) {
                repair(j);
                repaired = true;
            }
        if (repaired) return true;
        centres_moved(moved);
        return false;
    }

    // The centres moved by `moved`, with the labels kept: re-index them, loosen the bounds.
    void centres_moved(const std::vector<double>& moved) {
        index_.build(c_, alive_);
        measure_gaps();
        loosen_bounds(moved);
    }

    // Works out how far the bounds shift for the centres' moves; assign_bounded applies it to
    // each colour in its parallel pass. Hamerly lowers every colour's lower bound
    // by the largest move of any centre; at K = 256 a few centres still move by half a level
    // long after most have stopped, and that alone would send most colours back to a search.
    // Here a centre's move counts only for the colours of centres within `reach` of it (a few
    // times the gap to their nearest neighbour): every centre j other than a colour's own a is
    // either that near, and then at least (old lower bound - its move) from the colour, or at
    // least reach - d(colour, a) from it by the triangle inequality.
    void loosen_bounds(const std::vector<double>& moved) {
        const std::size_t k = c_.size();
        std::vector<double> reach(k), near_move(k, 0);
        for (std::size_t a = 0; a < k; ++a) {
            reach[a] = reach_gaps * half_gap_[a];
            if (alive_[a]) near_move[a] = index_.largest_move_within(int(a), reach[a], moved);
        }
        // Hamerly's own rule, the largest move of any other centre, is the better bound for
        // colours far from every centre, for which `reach` says little.
        std::size_t top = 0;
        for (std::size_t j = 1; j < k; ++j)
            if (moved[j] > moved[top]) top = j;
        double runner_up = 0;
        for (std::size_t j = 0; j < k; ++j)
            if (j != top) runner_up = std::max(runner_up, moved[j]);
        shift_.resize(k);
        for (std::size_t a = 0; a < k; ++a)
            shift_[a] = {moved[a], a == top ? runner_up : moved[top], near_move[a], reach[a]};
        shift_pending_ = true;
    }

    // How the bounds of a colour of centre a change (see loosen_bounds).
    struct Shift {
        double own;  // a's move
        double any;  // the largest move of any other centre
        double near; // the largest move of the others within reach of a
        double reach;
        double lower(double bound, double upper) const {
            return std::max(bound - any, std::min(bound - near, reach - upper)) - slack;
        }
    };

    void loosen(std::size_t i) {
        const Shift& s = shift_[std::size_t(label_[i])];
        upper_[i] += s.own + slack;
        lower_[i] = s.lower(lower_[i], upper_[i]);
        third_[i] = s.lower(third_[i], upper_[i]);
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
            const Vec at = snap_ ? snap_->snap(p_.x[i]) : p_.x[i];
            const double own = dist2(p_.x[i], c_[label_[i]]);
            if (dist2(p_.x[i], at) >= own) continue;
            const double gain = p_.weight(i) * own;
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

    // Weighted squared error of the current labels against `centres`, from the cluster
    // moments: sum of w|x|^2 - 2 c.S + W|c|^2.
    double error(const std::vector<Vec>& centres) const {
        double e = total_s2_;
        for (std::size_t j = 0; j < centres.size(); ++j) {
            if (!alive_[j]) continue;
            const Vec& c = centres[j];
            const Moments& m = m_[j];
            for (int ch = 0; ch < 3; ++ch)
                e += c[ch] * (double(m.w) * c[ch] - 2.0 * double(m.s[ch]));
        }
        return std::max(e, 0.0);
    }

    const Points& p_;
    int threads_;
    int fixed_;
    double relax_;
    CentreIndex index_;
    const Space* snap_ = nullptr;
    std::vector<Vec> c_;
    std::vector<int> alive_;
    std::vector<int> label_;
    std::vector<double> upper_, lower_, third_;
    std::vector<int> second_;
    bool labelled_ = false; // label_ holds a live centre for every colour (after assign_all)
    std::vector<double> half_gap_;
    std::vector<Shift> shift_; // for each centre, by loosen_bounds
    bool shift_pending_ = false;
    std::vector<Moments> m_;
    double total_s2_ = 0;
};

// The pinned colours followed by the distinct device colours the histogram's colours snap to,
// when they are no more than `limit` together; otherwise nothing.
std::vector<Rgb> distinct_snapped(const Histogram& h, const DeviceLevels& levels,
                                  const std::vector<Rgb>& pinned, std::size_t limit) {
    std::vector<std::uint32_t> seen;
    for (std::uint32_t c : h.colors) seen.push_back(pack_rgb(levels.snap(unpack_rgb(c))));
    for (Rgb c : pinned) seen.push_back(pack_rgb(c));
    std::sort(seen.begin(), seen.end());
    seen.erase(std::unique(seen.begin(), seen.end()), seen.end());
    if (seen.size() > limit || h.size() == 0) return {};
    std::vector<Rgb> out = pinned;
    for (std::uint32_t s : seen)
        if (std::find(pinned.begin(), pinned.end(), unpack_rgb(s)) == pinned.end())
            out.push_back(unpack_rgb(s));
    return out;
}

// Lloyd's iterations stop when no colour changes cluster; the caps only guard against a cycle
// of equal-error states, which exact arithmetic rules out in RGB. Snapping in OKLab goes through
// RGB rounding, which is not always the nearest device colour in OKLab, so there the snapped run
// may stop at its cap.
constexpr int iteration_cap = 10000;
constexpr int snapped_iteration_cap = 1000;

// A small PRNG of our own (SplitMix64, Steele et al. 2014): the same numbers on every platform,
// unlike the distributions of the standard library.
class Random {
  public:
    explicit Random(std::uint64_t seed) : state_(seed) {}
    std::uint64_t next() {
        std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ull);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
        return z ^ (z >> 31);
    }
    double unit() { return double(next() >> 11) / double(1ull << 53); } // in [0, 1)
    std::size_t below(std::size_t n) { return std::size_t(next() % n); }

  private:
    std::uint64_t state_;
};

// The index i with cumulative[i-1] <= r < cumulative[i] (cumulative ascending, r < back()).
std::size_t pick(const std::vector<double>& cumulative, double r) {
    const auto it = std::upper_bound(cumulative.begin(), cumulative.end(), r);
    return std::min(std::size_t(it - cumulative.begin()), cumulative.size() - 1);
}

// k-means++ (Arthur and Vassilvitskii 2007) over weighted colours: each next seed is drawn with
// probability proportional to weight times squared distance to the nearest seed so far.
std::vector<Vec> plus_plus_seeds(const Points& p, int k, Random& random) {
    std::vector<double> nearest(p.size(), std::numeric_limits<double>::infinity());
    std::vector<double> cumulative(p.size());
    std::vector<Vec> seeds;
    double total = 0;
    for (std::size_t i = 0; i < p.size(); ++i) cumulative[i] = total += p.weight(i);
    seeds.push_back(p.x[pick(cumulative, random.unit() * total)]);
    while (int(seeds.size()) < k) {
        total = 0;
        for (std::size_t i = 0; i < p.size(); ++i) {
            nearest[i] = std::min(nearest[i], dist2(p.x[i], seeds.back()));
            cumulative[i] = total += p.weight(i) * nearest[i];
        }
        if (total == 0) break; // every colour is a seed already
        seeds.push_back(p.x[pick(cumulative, random.unit() * total)]);
    }
    return seeds;
}

// The start of k-means: variance-minimising splits for seed 0, k-means++ driven by the seed
// otherwise (so a user can ask for another start and get the same bytes for the same seed).
Seeds start(const Points& p, int k, std::uint64_t seed, Random& random) {
    return seed == 0 ? split_seeds(p, k) : Seeds{plus_plus_seeds(p, k, random), {}};
}

// Random swap (Franti and Kivijarvi 2000; Franti 2018): move one centre, chosen at random, to a
// colour drawn by pixel count, run two Lloyd iterations, and keep the result only if the error
// fell. It escapes the local optimum one Lloyd run stops in. It runs on a 16x16x16 grid of cell
// means, where a trial is cheap, and only for small K, where each entry matters most: measured
// on the Kodak set at K = 16 it adds 0.07 dB, and neither 5 or 6 grid bits nor 3000 trials add
// more than 0.01 dB to that; at K = 256 its trials would cost more than the design itself.
constexpr int swap_grid_bits = 4;

// How hard design works, for --effort: palettes of K <= 32 get `swap_trials` random swaps
// first; the free run then stops once an iteration lowers the error by less than
// `stop_after_swaps` or `stop_after_splits` times it (0: when no colour changes cluster).
// After the swaps Lloyd starts near its optimum, so running it out costs little. Measured on the
// Kodak photos, one thread (README, "Palette quality and speed").
struct Effort {
    int swap_trials;
    double stop_after_swaps, stop_after_splits;
};
constexpr Effort efforts[] = {
    {50, 1e-3, 3e-3}, // 1
    {200, 0, 1e-3},   // 2, the default: at K = 256 about half of pngquant's time (issue #18)
    {200, 0, 0},      // 3: to convergence
};

// Lloyd's steps from the splits overshoot the mean by this factor (over-relaxation, as for
// centroidal Voronoi tessellations): the same fixed points, reached in fewer iterations, and
// on the Kodak photos at K = 256 a lower error at convergence (40.621 dB instead of 40.604).
// A step that would raise the error is taken plainly, and so is every step after it.
constexpr double over_relaxation = 1.8;

std::vector<Vec> swap_search(const Points& grid, std::vector<Vec> centres, int fixed, int trials,
                             Random& random) {
    std::vector<double> trace;
    int iterations = 0;
    Lloyd converge(grid, std::move(centres), 1, fixed);
    converge.run(nullptr, iteration_cap, trace, iterations);
    std::vector<Vec> best = converge.live_centres();
    double best_error = trace.back();
    std::vector<double> cumulative(grid.size());
    double total = 0;
    for (std::size_t i = 0; i < grid.size(); ++i) cumulative[i] = total += grid.weight(i);
    for (int t = 0; t < trials && best.size() > std::size_t(fixed); ++t) {
        std::vector<Vec> trial = best;
        const std::size_t moved =
            std::size_t(fixed) + random.below(trial.size() - std::size_t(fixed));
        trial[moved] = grid.x[pick(cumulative, random.unit() * total)];
        Lloyd lloyd(grid, std::move(trial), 1, fixed);
        trace.clear();
        lloyd.run(nullptr, 2, trace, iterations);
        if (trace.back() < best_error) best_error = trace.back(), best = lloyd.live_centres();
    }
    return best;
}

// The device colours next to c: a step of one level up, down or none in each channel (26), or
// for a code format the 12 nearest colours of its gamut.
std::vector<Rgb> device_neighbours(const DeviceLevels& levels, Rgb c) {
    std::vector<Rgb> out;
    const auto d2 = [](Rgb a, Rgb b) {
        const int dr = a.r - b.r, dg = a.g - b.g, db = a.b - b.b;
        return dr * dr + dg * dg + db * db;
    };
    if (!levels.gamut.empty()) {
        out = levels.gamut;
        std::erase(out, c);
        const std::size_t keep = std::min<std::size_t>(12, out.size());
        std::partial_sort(
            out.begin(), out.begin() + std::ptrdiff_t(keep), out.end(), [&](Rgb a, Rgb b) {
                return d2(a, c) < d2(b, c) || (d2(a, c) == d2(b, c) && pack_rgb(a) < pack_rgb(b));
            });
        out.resize(keep);
        return out;
    }
    const std::uint8_t v[3] = {c.r, c.g, c.b};
    std::array<std::vector<std::uint8_t>, 3> steps;
    for (int ch = 0; ch < 3; ++ch) {
        const auto& l = levels.channel[std::size_t(ch)];
        const auto at = std::find(l.begin(), l.end(), v[ch]);
        steps[std::size_t(ch)].push_back(v[ch]);
        if (at == l.end()) continue;
        if (at != l.begin()) steps[std::size_t(ch)].push_back(*(at - 1));
        if (at + 1 != l.end()) steps[std::size_t(ch)].push_back(*(at + 1));
    }
    for (std::uint8_t r : steps[0])
        for (std::uint8_t g : steps[1])
            for (std::uint8_t b : steps[2])
                if (Rgb n{r, g, b}; !(n == c)) out.push_back(n);
    return out;
}

// After the snapped run, on a coarse device: each entry in turn moves to the neighbouring
// device colour that most lowers the points' total squared error, every point going to its
// nearest entry, until no move lowers it. Lloyd's snapped step cannot make such a move: the
// cluster's mean still snaps to where the entry is, though the points it would win or give
// away make the move worth it. Points are colours or cells' means, in RGB.
void descend_on_device(const Points& p, const DeviceLevels& levels, std::vector<Rgb>& palette,
                       int fixed) {
    const std::size_t n = p.size(), k = palette.size();
    std::vector<double> d1(n), d2(n);
    std::vector<std::size_t> own(n);
    const auto dist = [](const Vec& x, Rgb c) { return dist2(x, to_vec(c)); };
    const auto assign = [&] {
        for (std::size_t i = 0; i < n; ++i) {
            double a = std::numeric_limits<double>::max(), b = a;
            for (std::size_t j = 0; j < k; ++j) {
                const double d = dist(p.x[i], palette[j]);
                if (d < a)
                    b = a, a = d, own[i] = j;
                else if (d < b)
                    b = d;
            }
            d1[i] = a, d2[i] = b;
        }
    };
    assign();
    for (bool moved = true; moved;) {
        moved = false;
        for (std::size_t e = std::size_t(fixed); e < k; ++e) {
            double best_gain = 0;
            Rgb best_colour = palette[e];
            for (Rgb c : device_neighbours(levels, palette[e])) {
                if (std::find(palette.begin(), palette.end(), c) != palette.end()) continue;
                double gain = 0;
                for (std::size_t i = 0; i < n; ++i)
                    gain += p.weight(i) *
                            (std::min(dist(p.x[i], c), own[i] == e ? d2[i] : d1[i]) - d1[i]);
                if (gain < best_gain) best_gain = gain, best_colour = c;
            }
            if (best_gain < 0) palette[e] = best_colour, assign(), moved = true;
        }
    }
}

// The descent is for small palettes on devices of few levels (5 bits a channel or fewer, or a
// code format's set), where one level is a large step: measured on kodim01-08 at K = 16, 3 bits
// a channel (md9) +0.22 dB, 4 bits +0.11 dB, RGB565 +0.01 dB; the VGA DAC's 6 bits gained
// 0.006 dB (with the descent on every colour rather than the grid's cells), so it is left out.
bool descends(const DeviceLevels& levels, std::size_t k, ColorSpace space) {
    if (space != ColorSpace::rgb || k > 32) return false;
    return !levels.gamut.empty() ||
           std::any_of(levels.channel.begin(), levels.channel.end(),
                       [](const std::vector<std::uint8_t>& l) { return l.size() <= 32; });
}

// The histogram's squared error, each colour at its nearest entry.
double nearest_error(const Histogram& h, const std::vector<Rgb>& palette) {
    const NearestSearch nearest(palette);
    std::vector<std::uint8_t> labels;
    labels.reserve(h.size());
    for (std::uint32_t c : h.colors) labels.push_back(nearest.nearest(unpack_rgb(c)));
    return weighted_error(h, palette, labels);
}

} // namespace

Design design_palette(const Histogram& h, const DeviceLevels& levels,
                      const DesignOptions& options) {
    const std::size_t k = std::size_t(std::max({options.colors, 1, int(options.fixed.size())}));
    const int fixed = int(options.fixed.size());
    const Space space(options.space, levels);
    std::vector<Rgb> pinned;
    for (Rgb c : options.fixed) pinned.push_back(levels.snap(c));
    Design design;
    // When the device colours the image needs fit in K entries, they are the optimal palette.
    design.palette = distinct_snapped(h, levels, pinned, k);
    if (design.palette.empty() && h.size() > 0) {
        const Points points =
            h.size() > large_histogram ? large_histogram_grid(h, space) : distinct_points(h, space);
        Random random(options.seed);
        std::vector<Vec> centres;
        for (Rgb c : pinned) centres.push_back(space.coords(c));
        const int free = int(k) - fixed;
        const Effort& effort = efforts[std::clamp(options.effort, 1, 3) - 1];
        const int swaps = options.swap_trials.value_or(k <= 32 ? effort.swap_trials : 0);
        std::vector<int> near;      // for each colour a centre near it, where the start says
        std::optional<Points> grid; // the swap grid's cells, for the swaps and the descent
        const auto swap_grid = [&]() -> const Points& {
            if (!grid) grid = grid_points(h, swap_grid_bits, space);
            return *grid;
        };
        if (swaps > 0) {
            // Search on the coarse grid, where a trial is cheap; then refine on every colour.
            for (const Vec& c : start(swap_grid(), free, options.seed, random).centres)
                centres.push_back(c);
            centres = swap_search(swap_grid(), centres, fixed, swaps, random);
        } else {
            Seeds seeds = start(points, free, options.seed, random);
            for (const Vec& c : seeds.centres) centres.push_back(c);
            for (int& j : seeds.near) j += fixed;
            near = std::move(seeds.near);
        }
        // From the splits, over-relaxed steps; after the swap search, which ends near a good
        // optimum, plain ones (over-relaxing there measured 0.002 dB lower at K = 16).
        Lloyd lloyd(points, centres, options.threads, fixed, swaps > 0 ? 1 : over_relaxation,
                    std::move(near));
        lloyd.run(nullptr, iteration_cap, design.error_trace, design.iterations,
                  swaps > 0 ? effort.stop_after_swaps : effort.stop_after_splits);
        design.snapped_from = int(design.error_trace.size());
        lloyd.run(&space, snapped_iteration_cap, design.error_trace, design.iterations);
        design.palette = lloyd.live_palette(space);
        // Clustering every distinct colour, Lloyd's last labels are already each colour's
        // nearest entry (the lowest index on a tie, like the searches below).
        if (points.cells.empty()) design.labels = lloyd.live_labels();
        // On a coarse device, the descent on the cells of the swap grid (fast, and close: the
        // device's steps are larger than the cells), kept only if every colour's error is lower;
        // then the snapped iterations again from there, so that the palette ends at their fixed
        // point as before.
        if (options.descend && descends(levels, k, options.space)) {
            std::vector<Rgb> moved = design.palette;
            descend_on_device(swap_grid(), levels, moved, fixed);
            if (moved != design.palette &&
                nearest_error(h, moved) < nearest_error(h, design.palette)) {
                std::vector<Vec> at;
                for (Rgb c : moved) at.push_back(space.coords(c));
                Lloyd again(points, std::move(at), options.threads, fixed);
                again.run(&space, snapped_iteration_cap, design.error_trace, design.iterations);
                design.palette = again.live_palette(space);
                design.labels.clear();
                if (points.cells.empty()) design.labels = again.live_labels();
            }
        }
    }
    if (!design.labels.empty()) return design;
    design.labels.reserve(h.size());
    if (options.space == ColorSpace::rgb) {
        const NearestSearch nearest(design.palette);
        for (std::uint32_t c : h.colors) design.labels.push_back(nearest.nearest(unpack_rgb(c)));
    } else {
        std::vector<Vec> entries;
        for (Rgb c : design.palette) entries.push_back(space.coords(c));
        CentreIndex index({1, 0, 0}, 1);
        index.build(entries, std::vector<int>(entries.size(), 1));
        for (std::uint32_t c : h.colors)
            design.labels.push_back(std::uint8_t(index.search(space.coords(unpack_rgb(c))).best));
    }
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
