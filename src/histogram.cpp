#include "kpal/histogram.h"

#include "kpal/error.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <functional>
#include <future>
#include <limits>
#include <thread>

namespace kpal {

std::uint64_t Histogram::total() const {
    std::uint64_t sum = 0;
    for (std::uint32_t c : counts) sum += c;
    return sum;
}

std::size_t Histogram::find(std::uint32_t rgb) const {
    auto it = std::lower_bound(colors.begin(), colors.end(), rgb);
    return it != colors.end() && *it == rgb ? std::size_t(it - colors.begin()) : colors.size();
}

namespace {

// The packed colours of pixels [begin, end) that `transparent` leaves in, sorted: an LSD radix
// sort of the 24-bit keys in two passes of 12 bits (linear time; three passes of 8 bits measured
// slower). The sorted order is what makes every later stage independent of pixel order.
std::vector<std::uint32_t> sorted_keys(const Image& image, const Transparency* transparent,
                                       std::size_t begin, std::size_t end) {
    std::vector<std::uint32_t> keys;
    keys.reserve(end - begin);
    for (std::size_t i = begin; i < end; ++i)
        if (!transparent || !transparent->at(image, i)) keys.push_back(pack_rgb(image.rgb_at(i)));
    std::vector<std::uint32_t> scratch(keys.size());
    for (int shift : {0, 12}) {
        std::array<std::size_t, 4097> start{};
        for (std::uint32_t k : keys) ++start[((k >> shift) & 0xfff) + 1];
        for (std::size_t b = 1; b < start.size(); ++b) start[b] += start[b - 1];
        for (std::uint32_t k : keys) scratch[start[(k >> shift) & 0xfff]++] = k;
        keys.swap(scratch);
    }
    return keys;
}

// Calls f(colour, count) for each distinct colour of two sorted key lists, in order.
template <class F>
void each_colour(const std::vector<std::uint32_t>& a, const std::vector<std::uint32_t>& b, F&& f) {
    std::size_t i = 0, j = 0;
    while (i < a.size() || j < b.size()) {
        const std::uint32_t c = j == b.size() || (i < a.size() && a[i] < b[j]) ? a[i] : b[j];
        std::uint32_t count = 0;
        for (; i < a.size() && a[i] == c; ++i) ++count;
        for (; j < b.size() && b[j] == c; ++j) ++count;
        f(c, count);
    }
}

// Images smaller than this are sorted on one thread.
constexpr std::size_t parallel_pixels = std::size_t(1) << 16;

} // namespace

Histogram build_histogram(const Image& image, const Transparency* transparent, int threads) {
    const std::size_t n = image.pixel_count();
    const bool two = threads != 1 && n >= parallel_pixels &&
                     (threads > 1 || std::thread::hardware_concurrency() > 1);
    std::future<std::vector<std::uint32_t>> second;
    if (two)
        second =
            std::async(std::launch::async, sorted_keys, std::cref(image), transparent, n / 2, n);
    const std::vector<std::uint32_t> first = sorted_keys(image, transparent, 0, two ? n / 2 : n);
    const std::vector<std::uint32_t> rest = two ? second.get() : std::vector<std::uint32_t>{};

    // Exactly as much room as there are distinct colours (push_back's doubling would leave up to
    // half of it unused for the rest of the run).
    std::size_t distinct = 0;
    each_colour(first, rest, [&](std::uint32_t, std::uint32_t) { ++distinct; });
    Histogram h;
    h.colors.reserve(distinct);
    h.counts.reserve(distinct);
    each_colour(first, rest, [&](std::uint32_t c, std::uint32_t count) {
        h.colors.push_back(c);
        h.counts.push_back(count);
    });
    return h;
}

void merge_histogram(Histogram& into, const Histogram& more) {
    Histogram out;
    out.colors.reserve(into.size() + more.size());
    out.counts.reserve(into.size() + more.size());
    std::size_t i = 0, j = 0;
    while (i < into.size() || j < more.size()) {
        const std::uint32_t a = i < into.size() ? into.colors[i] : 0xffffffffu;
        const std::uint32_t b = j < more.size() ? more.colors[j] : 0xffffffffu;
        std::uint64_t count = 0;
        if (a <= b) count += into.counts[i++];
        if (b <= a) count += more.counts[j++];
        if (count > std::numeric_limits<std::uint32_t>::max())
            throw Error(ErrorKind::usage, "too many pixels of one colour across the images");
        out.colors.push_back(std::min(a, b));
        out.counts.push_back(std::uint32_t(count));
    }
    into = std::move(out);
}

namespace {

// How flat pixel (x, y) is, 0 (an edge, texture) to 1 (flat): from the second differences of
// its row and column neighbours (edges of the image repeat their pixels), the larger channel's.
double flatness(const Image& image, int x, int y) {
    const auto at = [&](int px, int py, int ch) {
        px = std::clamp(px, 0, image.width - 1), py = std::clamp(py, 0, image.height - 1);
        return image.rgba[4 * (std::size_t(py) * std::size_t(image.width) + std::size_t(px)) +
                          std::size_t(ch)] /
               255.0;
    };
    double across = 0, down = 0;
    for (int ch = 0; ch < 3; ++ch) {
        across = std::max(across, std::abs(at(x - 1, y, ch) + at(x + 1, y, ch) - 2 * at(x, y, ch)));
        down = std::max(down, std::abs(at(x, y - 1, ch) + at(x, y + 1, ch) - 2 * at(x, y, ch)));
    }
    const double edge = std::max(across, down);
    const double z = std::clamp(
        1 - std::max(edge - std::abs(across - down) / 2, std::min(across, down)), 0.0, 1.0);
    return z * z * z * z;
}

} // namespace

Histogram weighted_by_flatness(const Histogram& histogram, const Image& image,
                               const Transparency* transparent) {
    std::vector<std::uint64_t> weights(histogram.size(), 0);
    for (int y = 0; y < image.height; ++y)
        for (int x = 0; x < image.width; ++x) {
            const std::size_t i = std::size_t(y) * std::size_t(image.width) + std::size_t(x);
            if (transparent && transparent->at(image, i)) continue;
            const std::size_t at = histogram.find(pack_rgb(image.rgb_at(i)));
            if (at < histogram.size())
                weights[at] += 1 + std::uint64_t(std::lround(2 * flatness(image, x, y)));
        }
    Histogram out{histogram.colors, {}};
    for (const std::uint64_t w : weights)
        out.counts.push_back(std::uint32_t(std::min<std::uint64_t>(w, UINT32_MAX)));
    return out;
}

} // namespace kpal
