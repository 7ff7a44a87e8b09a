#include "descent.h"

#include "kpal/design.h"
#include "kpal/remap.h"

#include <algorithm>
#include <array>
#include <limits>

namespace kpal::kmeans {
namespace {

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

} // namespace

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

} // namespace kpal::kmeans
