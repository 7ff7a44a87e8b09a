#include "kpal/dither.h"
#include "table.h"

#include "kpal/remap.h"

#include <algorithm>
#include <array>
#include <cmath>
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

// The largest error a pixel passes on, per channel: enough to render gradients, small enough
// that one far-off pixel does not streak across a flat area.
constexpr double error_limit = 64;

const Kernel* kernel_for(DitherKind kind) {
    for (const Kernel& k : kernels)
        if (k.kind == kind) return &k;
    return nullptr;
}

Rgb clamp_round(const std::array<double, 3>& v) {
    const auto c = [](double x) { return std::uint8_t(std::clamp(std::lround(x), 0l, 255l)); };
    return {c(v[0]), c(v[1]), c(v[2])};
}

// `choose(i, colour)` gives pixel i's index for a colour: the nearest usable entry (of the
// pixel's bank, with several).
template <class Choose>
IndexedImage diffuse(const Image& image, std::span<const Rgb> shown, const Choose& choose,
                     const std::vector<bool>& skip, const Kernel& kernel, double strength) {
    const int w = image.width, h = image.height;
    IndexedImage out{w, h, std::vector<std::uint8_t>(image.pixel_count(), 0)};
    // Error rows for this row and the next two, with a margin of two pixels on each side.
    std::array<std::vector<std::array<double, 3>>, 3> rows;
    for (auto& r : rows) r.assign(std::size_t(w) + 4, {0, 0, 0});
    for (int y = 0; y < h; ++y) {
        const bool forward = y % 2 == 0; // serpentine: odd rows run right to left
        for (int n = 0; n < w; ++n) {
            const int x = forward ? n : w - 1 - n;
            const std::size_t i = std::size_t(y) * w + x;
            if (!skip.empty() && skip[i]) continue;
            const Rgb c = image.rgb_at(i);
            const auto& e = rows[0][std::size_t(x) + 2];
            const std::array<double, 3> want{c.r + e[0], c.g + e[1], c.b + e[2]};
            const std::uint8_t index = choose(i, clamp_round(want));
            out.indices[i] = index;
            const Rgb got = shown[index];
            const double error[3] = {want[0] - got.r, want[1] - got.g, want[2] - got.b};
            for (const Tap& t : kernel.taps) {
                const int tx = forward ? x + t.dx : x - t.dx;
                if (tx < 0 || tx >= w || y + t.dy >= h) continue;
                auto& to = rows[std::size_t(t.dy)][std::size_t(tx) + 2];
                for (int ch = 0; ch < 3; ++ch)
                    to[ch] += std::clamp(error[ch] * strength, -error_limit, error_limit) *
                              t.weight / kernel.divisor;
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

// The typical gap between usable palette colours: the median distance from each to its nearest.
double palette_spacing(std::span<const Rgb> shown, const std::vector<bool>& usable) {
    std::vector<double> gaps;
    for (std::size_t a = 0; a < shown.size(); ++a) {
        if (!usable.empty() && !usable[a]) continue;
        double best = 1e9;
        for (std::size_t b = 0; b < shown.size(); ++b) {
            if (a == b || (!usable.empty() && !usable[b])) continue;
            const double dr = shown[a].r - shown[b].r, dg = shown[a].g - shown[b].g,
                         db = shown[a].b - shown[b].b;
            best = std::min(best, std::sqrt(dr * dr + dg * dg + db * db));
        }
        if (best < 1e9) gaps.push_back(best);
    }
    if (gaps.empty()) return 0;
    std::nth_element(gaps.begin(), gaps.begin() + std::ptrdiff_t(gaps.size() / 2), gaps.end());
    return gaps[gaps.size() / 2];
}

// `spacing` is the typical gap between the entries a pixel may take.
template <class Choose>
IndexedImage ordered(const Image& image, double spacing, const Choose& choose,
                     const std::vector<bool>& skip, int n, double strength) {
    const std::vector<int> matrix = bayer(n);
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
    {"none", DitherKind::none}, {"bayer4", DitherKind::bayer4}, {"bayer8", DitherKind::bayer8}};

std::optional<DitherKind> parse_dither(std::string_view name) {
    if (const auto kind = value_named(other_kinds, name)) return kind;
    for (const Kernel& k : kernels)
        if (k.name == name) return k.kind;
    return std::nullopt;
}

std::vector<std::string_view> dither_names() {
    std::vector<std::string_view> names{other_kinds[0].first};
    for (const Kernel& k : kernels) names.push_back(k.name);
    for (const auto& [other, kind] : std::span(other_kinds).subspan(1)) names.push_back(other);
    return names;
}

namespace {

template <class Choose>
IndexedImage run(const Image& image, std::span<const Rgb> shown, double spacing,
                 const Choose& choose, const std::vector<bool>& skip,
                 const DitherOptions& options) {
    const double strength = std::clamp(options.strength, 0.0, 1.0);
    if (const Kernel* k = kernel_for(options.kind))
        return diffuse(image, shown, choose, skip, *k, strength);
    if (options.kind == DitherKind::bayer4 || options.kind == DitherKind::bayer8)
        return ordered(image, spacing, choose, skip, options.kind == DitherKind::bayer4 ? 4 : 8,
                       strength);
    return ordered(image, spacing, choose, skip, 1, 0.0); // none: plain nearest
}

} // namespace

IndexedImage dither(const Image& image, std::span<const Rgb> shown, const std::vector<bool>& usable,
                    const std::vector<bool>& skip, const DitherOptions& options) {
    const NearestSearch nearest(shown, usable);
    return run(
        image, shown, palette_spacing(shown, usable),
        [&](std::size_t, Rgb c) { return nearest.nearest(c); }, skip, options);
}

IndexedImage dither_in_banks(const Image& image, std::span<const Rgb> shown,
                             const std::vector<bool>& usable, const std::vector<bool>& skip,
                             const DitherOptions& options, const std::vector<int>& bank_of,
                             int bank_size) {
    const std::size_t size = std::size_t(bank_size), banks = shown.size() / size;
    std::vector<NearestSearch> searches;
    std::vector<double> spacings;
    for (std::size_t b = 0; b < banks; ++b) {
        const std::vector<bool> mine(usable.begin() + std::ptrdiff_t(b * size),
                                     usable.begin() + std::ptrdiff_t((b + 1) * size));
        searches.emplace_back(shown.subspan(b * size, size), mine);
        spacings.push_back(palette_spacing(shown.subspan(b * size, size), mine));
    }
    // Ordered dithering's one spread: the banks' median spacing.
    std::vector<double> sorted = spacings;
    std::nth_element(sorted.begin(), sorted.begin() + std::ptrdiff_t(sorted.size() / 2),
                     sorted.end());
    const double spacing = sorted.empty() ? 0 : sorted[sorted.size() / 2];
    return run(
        image, shown, spacing,
        [&](std::size_t i, Rgb c) {
            const auto b = std::size_t(bank_of[i]);
            return std::uint8_t(b * size + searches[b].nearest(c));
        },
        skip, options);
}

} // namespace kpal
