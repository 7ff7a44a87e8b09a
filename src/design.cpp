// Palette design by weighted k-means over the distinct colours of the image.
//
// 1. Seeding (Wu 1991, on exact points instead of Wu's 32^3 grid): start from one box holding
//    every colour and split, K-1 times, the box with the largest weighted squared error along its
//    axis of largest variance at the cut that minimises the two halves' total error. No
//    randomness, and Celebi 2011 found variance-based splits among the best k-means starts.
//    For K <= 32 (the --effort table's swap trials) the start is instead a random swap search
//    (Franti 2000) on a 16x16x16 grid of cell means, from those seeds: a centre moved to a colour
//    drawn by pixel count, two Lloyd iterations, kept if the error fell (swap_search).
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
//
// The pieces, in the order they run, each in src/kmeans/: points (the colours or grid cells
// clustered, with exact moments), seeds (the splits, k-means++, the principal axis),
// swap_search (random swap, for small K), centre_index (the nearest-centre search), lloyd (the
// iterations and their bounds), descent (step 4), parallel (the chunks on threads).
#include "kpal/design.h"

#include "kmeans/descent.h"
#include "kmeans/lloyd.h"
#include "kmeans/swap_search.h"
#include "kpal/remap.h"

#include <algorithm>
#include <optional>

namespace kpal {
namespace {

using namespace kmeans;

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

std::vector<Rgb> spread_for_dithering(const std::vector<Rgb>& palette,
                                      const std::vector<std::uint64_t>& counts,
                                      const DeviceLevels& levels) {
    if (palette.size() < 2) return palette;
    std::array<double, 3> mean{0, 0, 0};
    double total = 0;
    for (std::size_t i = 0; i < palette.size(); ++i) {
        const Vec v = to_vec(palette[i]);
        for (int ch = 0; ch < 3; ++ch)
            mean[std::size_t(ch)] += v[std::size_t(ch)] * double(counts[i]);
        total += double(counts[i]);
    }
    if (total == 0) return palette;
    for (double& m : mean) m /= total;
    const double factor = 1 + 0.5 / double(palette.size() - 1);
    std::vector<Rgb> out = palette;
    for (std::size_t i = 0; i < palette.size(); ++i) {
        const Vec v = to_vec(palette[i]);
        std::array<double, 3> moved{};
        for (std::size_t ch = 0; ch < 3; ++ch)
            moved[ch] = std::clamp(mean[ch] + (v[ch] - mean[ch]) * factor, 0.0, 255.0);
        const Rgb spread = levels.snap(moved);
        if (std::find(out.begin(), out.end(), spread) == out.end()) out[i] = spread;
    }
    return out;
}

double weighted_error(const Histogram& h, const std::vector<Rgb>& palette,
                      const std::vector<std::uint8_t>& labels) {
    double sum = 0;
    for (std::size_t i = 0; i < h.size(); ++i)
        sum += h.counts[i] * dist2(to_vec(unpack_rgb(h.colors[i])), to_vec(palette[labels[i]]));
    return sum;
}

} // namespace kpal
