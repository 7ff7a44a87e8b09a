#include "seeds.h"

#include <algorithm>
#include <array>
#include <limits>
#include <numeric>

namespace kpal::kmeans {

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

std::size_t pick(const std::vector<double>& cumulative, double r) {
    const auto it = std::upper_bound(cumulative.begin(), cumulative.end(), r);
    return std::min(std::size_t(it - cumulative.begin()), cumulative.size() - 1);
}

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

Seeds start(const Points& p, int k, std::uint64_t seed, Random& random) {
    return seed == 0 ? split_seeds(p, k) : Seeds{plus_plus_seeds(p, k, random), {}};
}

} // namespace kpal::kmeans
