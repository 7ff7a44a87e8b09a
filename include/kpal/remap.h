// Stage 4: pixels -> palette indices, each pixel to its nearest palette entry.
#pragma once

#include "kpal/histogram.h"
#include "kpal/image.h"

#include <array>
#include <cstdint>
#include <span>
#include <vector>

namespace kpal {

// Exact nearest-entry search over a fixed palette: squared RGB distance, the lowest index on a
// tie. Entries are kept sorted by red so a query only visits entries whose red is close enough
// to beat the best found (partial distance search); the answer equals an exhaustive scan.
class NearestSearch {
  public:
    // Searches the entries of `palette` marked in `usable` (every entry when it is empty).
    explicit NearestSearch(std::span<const Rgb> palette, const std::vector<bool>& usable = {});
    std::uint8_t nearest(Rgb c) const;

  private:
    struct Entry {
        std::uint8_t r, g, b, index;
    };
    std::vector<Entry> sorted_;               // by red, then index
    std::array<std::uint16_t, 257> by_red_{}; // first sorted entry with red >= v
};

// Index of the nearest palette entry by exhaustive scan (the reference NearestSearch must equal).
std::uint8_t nearest_exhaustive(std::span<const Rgb> palette, Rgb c);

// Each pixel's palette index, looked up through the label of its colour in `histogram`. Pixels
// marked in `skip` (when it is not empty) are not in the histogram and get index 0.
IndexedImage remap(const Image& image, const Histogram& histogram,
                   const std::vector<std::uint8_t>& labels, const std::vector<bool>& skip = {});

} // namespace kpal
