#include "kpal/metrics.h"

#include <cmath>
#include <limits>

namespace kpal {

Quality measure(const Image& original, const IndexedImage& indexed, std::span<const Rgb> shown) {
    std::uint64_t sum = 0; // exact: at most 3 * 255^2 a pixel
    const std::size_t n = original.pixel_count();
    for (std::size_t i = 0; i < n; ++i) {
        const Rgb a = original.rgb_at(i), b = shown[indexed.indices[i]];
        const int dr = a.r - b.r, dg = a.g - b.g, db = a.b - b.b;
        sum += std::uint64_t(dr * dr + dg * dg + db * db);
    }
    Quality q;
    q.mse = n ? double(sum) / (3.0 * double(n)) : 0;
    q.psnr = q.mse > 0 ? 10 * std::log10(255.0 * 255.0 / q.mse)
                       : std::numeric_limits<double>::infinity();
    return q;
}

} // namespace kpal
