#include "kpal/dither.h"
#include "dither_search.h"
#include "table.h"

#include "kpal/remap.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <utility>

namespace kpal {
namespace {

struct Tap {
    int dy, dx, weight;
};

struct Kernel {
    DitherKind kind;
    std::string_view name;
    std::vector<Tap> taps; // to the right and below, for a left-to-right row
    int divisor;
};

// clang-format off
const Kernel kernels[] = {
    {DitherKind::fs,          "fs",          {{0, 1, 7}, {1, -1, 3}, {1, 0, 5}, {1, 1, 1}}, 16},
    {DitherKind::sierra_lite, "sierra-lite", {{0, 1, 2}, {1, -1, 1}, {1, 0, 1}}, 4},
    // Atkinson passes on 6/8 of the error: less bleeding, more contrast.
    {DitherKind::atkinson,    "atkinson",    {{0, 1, 1}, {0, 2, 1}, {1, -1, 1}, {1, 0, 1}, {1, 1, 1}, {2, 0, 1}}, 8},
};
// clang-format on

using Vec = std::array<double, 3>;

double squared(const Vec& v) {
    return v[0] * v[0] + v[1] * v[1] + v[2] * v[2];
}

Vec minus(const Vec& a, const Vec& b) {
    return {a[0] - b[0], a[1] - b[1], a[2] - b[2]};
}

// Where error diffusion adds up its errors, in levels of 0 to 255: the sRGB values themselves,
// or light (linear sRGB), which is what the eye averages over neighbouring pixels.
class Space {
  public:
    explicit Space(bool light) : light_(light) {
        for (int v = 0; v < 256; ++v) {
            const double x = v / 255.0;
            level_[std::size_t(v)] =
                light ? 255 * (x <= 0.04045 ? x / 12.92 : std::pow((x + 0.055) / 1.055, 2.4)) : v;
        }
    }
    Vec of(Rgb c) const { return {level_[c.r], level_[c.g], level_[c.b]}; }
    // Back to 8-bit sRGB, rounded and clamped: what the nearest entry is chosen for.
    Rgb encoded(const Vec& v) const {
        const auto one = [&](double x) {
            if (light_) {
                x = std::clamp(x / 255, 0.0, 1.0);
                x = 255 * (x <= 0.0031308 ? x * 12.92 : 1.055 * std::pow(x, 1 / 2.4) - 0.055);
            }
            return std::uint8_t(std::clamp(std::lround(x), 0l, 255l));
        };
        return {one(v[0]), one(v[1]), one(v[2])};
    }

  private:
    bool light_;
    std::array<double, 256> level_{};
};

double median(std::vector<double> v) {
    if (v.empty()) return 0;
    std::nth_element(v.begin(), v.begin() + std::ptrdiff_t(v.size() / 2), v.end());
    return v[v.size() / 2];
}

// The typical gap between the entries a pixel may take: for each set of entries, the median
// distance from each entry to its nearest; then the median over the sets.
double spacing_of(const std::vector<Vec>& colours, const EntrySets& entries) {
    std::vector<double> per_set;
    for (const std::vector<std::uint8_t>& set : entries.sets) {
        std::vector<double> gaps;
        for (const std::uint8_t a : set) {
            double best = 1e9;
            for (const std::uint8_t b : set)
                if (a != b)
                    best = std::min(best, std::sqrt(squared(minus(colours[a], colours[b]))));
            if (best < 1e9) gaps.push_back(best);
        }
        per_set.push_back(median(gaps));
    }
    return median(per_set);
}

// How much error a pixel takes and passes on, after the remapper of pngquant's libimagequant
// (damping large errors, ignoring tiny ones): relative to the palette, not a fixed clamp, so
// that a 1-bit panel keeps every grey level and a 16-colour palette does not speckle. Unlike
// libimagequant, no error leaks away (its 15/16 turns a 1-bit panel's shadows black).
struct ErrorControl {
    // A squared error this large is damped: the larger of the palette's typical gap squared and
    // 6 times the image's mean squared error without dithering (at least 16), so a stray pixel
    // far from every entry does not streak, while every error between neighbouring entries is
    // passed on whole.
    double large = 16;
    // The share of the error carried to a pixel that it takes: the strength.
    double level = 1;
    // How far beyond black or white a channel may aim: the palette's typical gap along one
    // channel, at least a tenth of the range.
    double overflow = 25.5;

    // The colour a pixel of colour c aims for with `carried` error: of the level's share of
    // the error, none when too small to see (under 1.5 levels), 0.8 of it when large, and no
    // more than takes a channel `overflow` beyond black or white.
    Vec aim(const Vec& v, const Vec& carried) const {
        const Vec e{carried[0] * level, carried[1] * level, carried[2] * level};
        const double size = squared(e);
        double share = size < 2 ? 0.0 : size > large ? 0.8 : 1.0;
        for (int ch = 0; ch < 3; ++ch) {
            if (v[ch] + e[ch] > 255 + overflow)
                share = std::min(share, (255 + overflow - v[ch]) / e[ch]);
            if (v[ch] + e[ch] < -overflow) share = std::min(share, (-overflow - v[ch]) / e[ch]);
        }
        return {v[0] + e[0] * share, v[1] + e[1] * share, v[2] + e[2] * share};
    }
    // The error a pixel passes on: three quarters of it when large.
    Vec passed(const Vec& error) const {
        if (squared(error) <= large) return error;
        return {error[0] * 0.75, error[1] * 0.75, error[2] * 0.75};
    }
};

// The error control for an image and palette, all in `space`: `seen` holds the entries' colours
// there.
template <class Choose>
ErrorControl control_for(const Image& image, const Space& space, const std::vector<Vec>& seen,
                         const EntrySets& entries, const Choose& choose,
                         const std::vector<bool>& skip, double strength) {
    double sum = 0;
    std::size_t n = 0;
    for (std::size_t i = 0; i < image.pixel_count(); ++i) {
        if (!skip.empty() && skip[i]) continue;
        const Rgb c = image.rgb_at(i);
        sum += squared(minus(space.of(c), seen[choose(i, c)])), ++n;
    }
    const double spacing = spacing_of(seen, entries);
    return {std::max({16.0, 6 * sum / double(std::max<std::size_t>(n, 1)), spacing * spacing}),
            strength, std::max(25.5, spacing / std::sqrt(3.0))};
}

const Kernel* kernel_for(DitherKind kind) {
    for (const Kernel& k : kernels)
        if (k.kind == kind) return &k;
    return nullptr;
}

Rgb clamp_round(const Vec& v) {
    const auto c = [](double x) { return std::uint8_t(std::clamp(std::lround(x), 0l, 255l)); };
    return {c(v[0]), c(v[1]), c(v[2])};
}

// `choose(i, colour)` gives pixel i's index for a colour: the nearest usable entry (of the
// pixel's bank, with several).
template <class Choose>
IndexedImage diffuse(const Image& image, std::span<const Rgb> shown, const EntrySets& entries,
                     const Choose& choose, const std::vector<bool>& skip, const Kernel& kernel,
                     double strength, bool light) {
    const Space space(light);
    std::vector<Vec> seen; // each entry's colour in the space
    for (const Rgb c : shown) seen.push_back(space.of(c));
    const ErrorControl control = control_for(image, space, seen, entries, choose, skip, strength);
    const int w = image.width, h = image.height;
    IndexedImage out{w, h, std::vector<std::uint8_t>(image.pixel_count(), 0)};
    // Error rows for this row and the next two, with a margin of two pixels on each side.
    std::array<std::vector<Vec>, 3> rows;
    for (auto& r : rows) r.assign(std::size_t(w) + 4, {0, 0, 0});
    for (int y = 0; y < h; ++y) {
        const bool forward = y % 2 == 0; // serpentine: odd rows run right to left
        for (int n = 0; n < w; ++n) {
            const int x = forward ? n : w - 1 - n;
            const std::size_t i = std::size_t(y) * w + x;
            if (!skip.empty() && skip[i]) continue;
            const Vec want = control.aim(space.of(image.rgb_at(i)), rows[0][std::size_t(x) + 2]);
            const std::uint8_t index = choose(i, space.encoded(want));
            out.indices[i] = index;
            const Vec error = control.passed(minus(want, seen[index]));
            for (const Tap& t : kernel.taps) {
                const int tx = forward ? x + t.dx : x - t.dx;
                if (tx < 0 || tx >= w || y + t.dy >= h) continue;
                auto& to = rows[std::size_t(t.dy)][std::size_t(tx) + 2];
                for (int ch = 0; ch < 3; ++ch) to[ch] += error[ch] * t.weight / kernel.divisor;
            }
        }
        std::rotate(rows.begin(), rows.begin() + 1, rows.end());
        rows[2].assign(std::size_t(w) + 4, {0, 0, 0});
    }
    return out;
}

// The Bayer matrix of size n (a power of two), values 0..n*n-1.
std::vector<int> bayer(int n) {
    std::vector<int> m{0};
    for (int size = 1; size < n; size *= 2) {
        std::vector<int> next(std::size_t(4 * size * size));
        for (int y = 0; y < size; ++y)
            for (int x = 0; x < size; ++x) {
                const int v = 4 * m[std::size_t(y * size + x)];
                next[std::size_t(y * 2 * size + x)] = v;
                next[std::size_t(y * 2 * size + x + size)] = v + 2;
                next[std::size_t((y + size) * 2 * size + x)] = v + 3;
                next[std::size_t((y + size) * 2 * size + x + size)] = v + 1;
            }
        m = std::move(next);
    }
    return m;
}

// A void-and-cluster energy field on an n x n torus: each cell's sum of a Gaussian (sigma 1.5)
// of the distance to every set cell, within 7 cells (beyond, the Gaussian is under 2e-5). Kept
// up to date as cells are set and cleared.
class Energy {
  public:
    static constexpr int reach = 7;
    explicit Energy(int n) : n_(n), field_(std::size_t(n) * std::size_t(n), 0.0) {
        for (int dy = -reach; dy <= reach; ++dy)
            for (int dx = -reach; dx <= reach; ++dx)
                kernel_.push_back(std::exp(-(dx * dx + dy * dy) / (2 * 1.5 * 1.5)));
    }
    void add(std::size_t cell, double sign) {
        const int cx = int(cell) % n_, cy = int(cell) / n_;
        std::size_t k = 0;
        for (int dy = -reach; dy <= reach; ++dy)
            for (int dx = -reach; dx <= reach; ++dx, ++k) {
                const int x = (cx + dx + n_) % n_, y = (cy + dy + n_) % n_;
                field_[std::size_t(y * n_ + x)] += sign * kernel_[k];
            }
    }
    // The set cell of most energy (the tightest cluster), or the clear cell of least (the
    // largest void); the lowest index on a tie.
    std::size_t extreme(const std::vector<bool>& set, bool cluster) const {
        std::size_t best = field_.size();
        for (std::size_t i = 0; i < field_.size(); ++i)
            if (set[i] == cluster &&
                (best == field_.size() ||
                 (cluster ? field_[i] > field_[best] : field_[i] < field_[best])))
                best = i;
        return best;
    }

  private:
    int n_;
    std::vector<double> field_, kernel_;
};

} // namespace

std::vector<int> blue_noise(int n) {
    const std::size_t cells = std::size_t(n) * std::size_t(n), start = cells / 10;
    // A start of a tenth of the cells set, drawn by a fixed xorshift, then relaxed: the tightest
    // cluster's cell moves to the largest void until that is where it came from.
    std::vector<bool> set(cells, false);
    Energy energy(n);
    std::uint64_t state = 0x9E3779B97F4A7C15ull;
    for (std::size_t placed = 0; placed < start;) {
        state ^= state << 13, state ^= state >> 7, state ^= state << 17;
        const std::size_t cell = std::size_t(state % cells);
        if (set[cell]) continue;
        set[cell] = true, energy.add(cell, 1), ++placed;
    }
    for (std::size_t moves = 0; moves < cells; ++moves) {
        const std::size_t cluster = energy.extreme(set, true);
        set[cluster] = false, energy.add(cluster, -1);
        const std::size_t gap = energy.extreme(set, false);
        set[gap] = true, energy.add(gap, 1);
        if (gap == cluster) break;
    }
    std::vector<int> rank(cells, 0);
    // Ranks below the start: its cells removed tightest cluster first, each taking the highest
    // rank left; above: the largest void filled in turn.
    {
        std::vector<bool> left = set;
        Energy e = energy;
        for (std::size_t r = start; r-- > 0;) {
            const std::size_t cluster = e.extreme(left, true);
            left[cluster] = false, e.add(cluster, -1);
            rank[cluster] = int(r);
        }
    }
    for (std::size_t r = start; r < cells; ++r) {
        const std::size_t gap = energy.extreme(set, false);
        set[gap] = true, energy.add(gap, 1);
        rank[gap] = int(r);
    }
    return rank;
}

namespace {

// `spacing` is the typical gap between the entries a pixel may take; `matrix` holds the ranks
// 0..n*n-1 of an n x n threshold map.
template <class Choose>
IndexedImage ordered(const Image& image, double spacing, const Choose& choose,
                     const std::vector<bool>& skip, const std::vector<int>& matrix, int n,
                     double strength) {
    // The same offset goes to all three channels, so a 3-D gap d between entries is d / sqrt(3)
    // along each.
    const double spread = spacing / std::sqrt(3.0) * strength;
    IndexedImage out{image.width, image.height, std::vector<std::uint8_t>(image.pixel_count(), 0)};
    for (int y = 0; y < image.height; ++y)
        for (int x = 0; x < image.width; ++x) {
            const std::size_t i = std::size_t(y) * image.width + x;
            if (!skip.empty() && skip[i]) continue;
            const double t = (matrix[std::size_t((y % n) * n + x % n)] + 0.5) / (n * n) - 0.5;
            const Rgb c = image.rgb_at(i);
            out.indices[i] =
                choose(i, clamp_round({c.r + t * spread, c.g + t * spread, c.b + t * spread}));
        }
    return out;
}

} // namespace

// The ordered kinds and none, beside the kernels' names.
constexpr std::pair<std::string_view, DitherKind> other_kinds[] = {
    {"none", DitherKind::none},
    {"search", DitherKind::search},
    {"bayer4", DitherKind::bayer4},
    {"bayer8", DitherKind::bayer8},
    {"blue-noise", DitherKind::blue_noise}};

// The blue-noise map's side: 64 x 64 ranks, large enough that its tiling does not show.
constexpr int blue_noise_side = 64;

std::optional<DitherKind> parse_dither(std::string_view name) {
    if (const auto kind = value_named(other_kinds, name)) return kind;
    for (const Kernel& k : kernels)
        if (k.name == name) return k.kind;
    return std::nullopt;
}

bool adds_up_errors(DitherKind kind) {
    return kind == DitherKind::search || kernel_for(kind) != nullptr;
}

std::string_view dither_name(DitherKind kind) {
    for (const auto& [name, k] : other_kinds)
        if (k == kind) return name;
    return kernel_for(kind)->name;
}

std::vector<std::string_view> dither_names() {
    std::vector<std::string_view> names{other_kinds[0].first};
    for (const Kernel& k : kernels) names.push_back(k.name);
    for (const auto& [other, kind] : std::span(other_kinds).subspan(1)) names.push_back(other);
    return names;
}

namespace {

// Floyd-Steinberg, refined by the search, both in the same space.
template <class Choose>
IndexedImage search(const Image& image, std::span<const Rgb> shown, const EntrySets& entries,
                    const Choose& choose, const std::vector<bool>& skip, double strength,
                    bool light) {
    const Space space(light);
    Wanted wanted{image.width, image.height, {}};
    wanted.pixels.reserve(image.pixel_count());
    for (std::size_t i = 0; i < image.pixel_count(); ++i) {
        const Vec v = space.of(image.rgb_at(i));
        wanted.pixels.push_back({float(v[0]), float(v[1]), float(v[2])});
    }
    std::vector<Colour> seen;
    for (const Rgb c : shown) seen.push_back(space.of(c));
    return refine_by_search(
        wanted, seen,
        diffuse(image, shown, entries, choose, skip, *kernel_for(DitherKind::fs), strength, light),
        entries, skip, strength);
}

template <class Choose>
IndexedImage run(const Image& image, std::span<const Rgb> shown, const Choose& choose,
                 const EntrySets& entries, const std::vector<bool>& skip,
                 const DitherOptions& options) {
    // Ordered dithering's spread: the typical gap between entries (the banks' median).
    const Space values(false);
    std::vector<Vec> colours;
    for (const Rgb c : shown) colours.push_back(values.of(c));
    const double spacing = spacing_of(colours, entries);
    const double strength = std::clamp(options.strength, 0.0, 1.0);
    if (options.kind == DitherKind::search) // Floyd-Steinberg, refined
        return search(image, shown, entries, choose, skip, strength, options.light);
    if (const Kernel* k = kernel_for(options.kind))
        return diffuse(image, shown, entries, choose, skip, *k, strength, options.light);
    if (options.kind == DitherKind::bayer4 || options.kind == DitherKind::bayer8) {
        const int n = options.kind == DitherKind::bayer4 ? 4 : 8;
        return ordered(image, spacing, choose, skip, bayer(n), n, strength);
    }
    if (options.kind == DitherKind::blue_noise && options.tile > 0) {
        const std::vector<int> map = blue_noise(options.tile);
        return ordered(image, spacing, choose, skip, map, options.tile, strength);
    }
    if (options.kind == DitherKind::blue_noise) {
        static const std::vector<int> map = blue_noise(blue_noise_side);
        return ordered(image, spacing, choose, skip, map, blue_noise_side, strength);
    }
    return ordered(image, spacing, choose, skip, {0}, 1, 0.0); // none: plain nearest
}

std::vector<std::uint8_t> usable_entries(std::size_t first, std::size_t count,
                                         const std::vector<bool>& usable) {
    std::vector<std::uint8_t> entries;
    for (std::size_t i = first; i < first + count; ++i)
        if (usable.empty() || usable[i]) entries.push_back(std::uint8_t(i));
    return entries;
}

// Whether the panel shows only greys. Dithering then aims at the image's luma (Rec. 601 on the
// sRGB values, as PIL's convert("L") and the panel's own grey levels): aiming at the colour
// would turn a blue sky mid grey (nearest by RGB distance) though the eye sees it dark.
bool all_grey(std::span<const Rgb> shown, const std::vector<bool>& usable) {
    for (std::size_t i = 0; i < shown.size(); ++i)
        if ((usable.empty() || usable[i]) && (shown[i].r != shown[i].g || shown[i].g != shown[i].b))
            return false;
    return true;
}

Image luma_of(const Image& image) {
    Image grey{image.width, image.height, image.rgba};
    for (std::size_t i = 0; i < image.pixel_count(); ++i) {
        const Rgb c = image.rgb_at(i);
        const auto y = std::uint8_t(std::lround(0.299 * c.r + 0.587 * c.g + 0.114 * c.b));
        grey.rgba[4 * i] = grey.rgba[4 * i + 1] = grey.rgba[4 * i + 2] = y;
    }
    return grey;
}

// The picture to dither toward: the image, or its luma on a grey panel (plain nearest keeps
// the image, so --dither none's bytes do not change).
Image wanted_of(const Image& image, std::span<const Rgb> shown, const std::vector<bool>& usable,
                DitherKind kind) {
    if (kind == DitherKind::none || !all_grey(shown, usable)) return image;
    return luma_of(image);
}

} // namespace

IndexedImage dither(const Image& image, std::span<const Rgb> shown, const std::vector<bool>& usable,
                    const std::vector<bool>& skip, const DitherOptions& options) {
    const NearestSearch nearest(shown, usable);
    const EntrySets entries{{usable_entries(0, shown.size(), usable)}, {}};
    return run(
        wanted_of(image, shown, usable, options.kind), shown,
        [&](std::size_t, Rgb c) { return nearest.nearest(c); }, entries, skip, options);
}

IndexedImage dither_in_banks(const Image& image, std::span<const Rgb> shown,
                             const std::vector<bool>& usable, const std::vector<bool>& skip,
                             const DitherOptions& options, const std::vector<int>& bank_of,
                             int bank_size) {
    const std::size_t size = std::size_t(bank_size), banks = shown.size() / size;
    std::vector<NearestSearch> searches;
    EntrySets entries{{}, bank_of};
    for (std::size_t b = 0; b < banks; ++b) {
        entries.sets.push_back(usable_entries(b * size, size, usable));
        const std::vector<bool> mine(usable.begin() + std::ptrdiff_t(b * size),
                                     usable.begin() + std::ptrdiff_t((b + 1) * size));
        searches.emplace_back(shown.subspan(b * size, size), mine);
    }
    return run(
        wanted_of(image, shown, usable, options.kind), shown,
        [&](std::size_t i, Rgb c) {
            const auto b = std::size_t(bank_of[i]);
            return std::uint8_t(b * size + searches[b].nearest(c));
        },
        entries, skip, options);
}

IndexedImage dither_in_sets(const Image& image, std::span<const Rgb> shown,
                            const DitherOptions& options,
                            const std::vector<std::vector<std::uint8_t>>& sets,
                            const std::vector<int>& set_of) {
    const EntrySets entries{sets, set_of};
    const auto choose = [&](std::size_t i, Rgb c) {
        const std::vector<std::uint8_t>& set = sets[std::size_t(set_of[i])];
        std::uint8_t best = set.front();
        int least = std::numeric_limits<int>::max();
        for (const std::uint8_t e : set) {
            const int dr = c.r - shown[e].r, dg = c.g - shown[e].g, db = c.b - shown[e].b;
            const int d = dr * dr + dg * dg + db * db;
            if (d < least) least = d, best = e;
        }
        return best;
    };
    return run(image, shown, choose, entries, {}, options);
}

} // namespace kpal
