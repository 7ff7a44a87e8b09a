#include "kpal/remap.h"

#include <algorithm>
#include <limits>

namespace kpal {
namespace {
int distance2(Rgb a, int r, int g, int b) {
    const int dr = a.r - r, dg = a.g - g, db = a.b - b;
    return dr * dr + dg * dg + db * db;
}
} // namespace

NearestSearch::NearestSearch(std::span<const Rgb> palette, const std::vector<bool>& usable) {
    for (std::size_t i = 0; i < palette.size() && i < 256; ++i)
        if (usable.empty() || usable[i])
            sorted_.push_back({palette[i].r, palette[i].g, palette[i].b, std::uint8_t(i)});
    std::sort(sorted_.begin(), sorted_.end(), [](const Entry& a, const Entry& b) {
        return a.r != b.r ? a.r < b.r : a.index < b.index;
    });
    std::size_t at = 0;
    for (int v = 0; v <= 256; ++v) {
        while (at < sorted_.size() && sorted_[at].r < v) ++at;
        by_red_[v] = std::uint16_t(at);
    }
}

std::uint8_t NearestSearch::nearest(Rgb c) const {
    // Walk outwards from the entries of the query's red; a side stops once its red difference
    // alone exceeds the best distance found (strictly, so equal distances are still compared).
    int best = std::numeric_limits<int>::max();
    int best_index = 0;
    const auto visit = [&](const Entry& e) {
        const int d =
            (e.r - c.r) * (e.r - c.r) + (e.g - c.g) * (e.g - c.g) + (e.b - c.b) * (e.b - c.b);
        if (d < best || (d == best && e.index < best_index)) best = d, best_index = e.index;
    };
    const int n = int(sorted_.size());
    int up = by_red_[c.r], down = up - 1;
    while (up < n || down >= 0) {
        if (up < n) {
            const int dr = sorted_[up].r - c.r;
            if (dr * dr > best)
                up = n;
            else
                visit(sorted_[up++]);
        }
        if (down >= 0) {
            const int dr = c.r - sorted_[down].r;
            if (dr * dr > best)
                down = -1;
            else
                visit(sorted_[down--]);
        }
    }
    return std::uint8_t(best_index);
}

std::uint8_t nearest_exhaustive(std::span<const Rgb> palette, Rgb c) {
    int best = std::numeric_limits<int>::max();
    std::uint8_t best_index = 0;
    for (std::size_t i = 0; i < palette.size(); ++i) {
        const int d = distance2(palette[i], c.r, c.g, c.b);
        if (d < best) best = d, best_index = std::uint8_t(i);
    }
    return best_index;
}

IndexedImage remap(const Image& image, const Histogram& histogram,
                   const std::vector<std::uint8_t>& labels, const std::vector<bool>& skip) {
    // An open-addressing table from colour to label, twice the histogram's size: one probe or
    // two a pixel instead of a binary search. Keys are stored plus one so that 0 means empty.
    std::size_t size = 16;
    while (size < 2 * histogram.size()) size *= 2;
    const std::size_t mask = size - 1;
    const auto slot_of = [mask](std::uint32_t key) {
        return std::size_t((key * 2654435761u) >> 8) & mask; // Knuth's multiplicative hash
    };
    std::vector<std::uint32_t> keys(size, 0);
    std::vector<std::uint8_t> values(size);
    for (std::size_t i = 0; i < histogram.size(); ++i) {
        std::size_t at = slot_of(histogram.colors[i]);
        while (keys[at]) at = (at + 1) & mask;
        keys[at] = histogram.colors[i] + 1;
        values[at] = labels[i];
    }
    IndexedImage out{image.width, image.height, std::vector<std::uint8_t>(image.pixel_count())};
    for (std::size_t i = 0; i < out.indices.size(); ++i) {
        if (!skip.empty() && skip[i]) continue;
        const std::uint32_t key = pack_rgb(image.rgb_at(i)) + 1;
        std::size_t at = slot_of(key - 1);
        while (keys[at] != key) at = (at + 1) & mask; // every pixel's colour is in the table
        out.indices[i] = values[at];
    }
    return out;
}

} // namespace kpal
