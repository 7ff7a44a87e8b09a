#include "kpal/histogram.h"

#include "kpal/error.h"

#include <algorithm>
#include <array>
#include <limits>

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

Histogram build_histogram(const Image& image, const Transparency* transparent) {
    // LSD radix sort of the 24-bit keys in two passes of 12 bits: linear time, and the sorted
    // order is what makes every later stage independent of pixel order.
    std::vector<std::uint32_t> keys;
    keys.reserve(image.pixel_count());
    for (std::size_t i = 0; i < image.pixel_count(); ++i)
        if (!transparent || !transparent->at(image, i)) keys.push_back(pack_rgb(image.rgb_at(i)));
    const std::size_t n = keys.size();
    std::vector<std::uint32_t> scratch(n);
    for (int shift : {0, 12}) {
        std::array<std::size_t, 4097> start{};
        for (std::uint32_t k : keys) ++start[((k >> shift) & 0xfff) + 1];
        for (std::size_t b = 1; b < start.size(); ++b) start[b] += start[b - 1];
        for (std::uint32_t k : keys) scratch[start[(k >> shift) & 0xfff]++] = k;
        keys.swap(scratch);
    }
    scratch.clear();
    scratch.shrink_to_fit();

    // Exactly as much room as there are distinct colours (push_back's doubling would leave up to
    // half of it unused for the rest of the run).
    std::size_t distinct = n > 0;
    for (std::size_t i = 1; i < n; ++i) distinct += keys[i] != keys[i - 1];
    Histogram h;
    h.colors.reserve(distinct);
    h.counts.reserve(distinct);
    for (std::size_t i = 0; i < n;) {
        std::size_t j = i + 1;
        while (j < n && keys[j] == keys[i]) ++j;
        h.colors.push_back(keys[i]);
        h.counts.push_back(std::uint32_t(j - i));
        i = j;
    }
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

} // namespace kpal
