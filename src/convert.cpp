#include "kpal/convert.h"

#include "kpal/error.h"
#include "kpal/histogram.h"
#include "kpal/remap.h"

#include <array>

namespace kpal {

int palette_colors(const Target& target, const ConvertOptions& options) {
    if (!options.colors) return target.palette_size;
    if (*options.colors < 1 || *options.colors > target.palette_size)
        throw Error(ErrorKind::usage, "-k " + std::to_string(*options.colors) +
                                          " is out of range: target " + target.name + " holds 1.." +
                                          std::to_string(target.palette_size) + " colours");
    return *options.colors;
}

Conversion convert(const Image& image, const Target& target, const ConvertOptions& options) {
    const int k = palette_colors(target, options);
    const Histogram histogram = build_histogram(image);
    const Design design = design_palette(histogram, device_levels(*target.palette_format),
                                         {k, options.seed, options.space, options.threads});

    Conversion out;
    out.palette = design.palette;
    out.iterations = design.iterations;
    out.indexed = remap(image, histogram, design.labels);

    const Geometry geometry{image.width, image.height, target.bpp, target.row_align};
    out.stride = int(target.layout->stride(geometry));
    target.layout->pack(geometry, out.indexed.indices, out.pixel_bytes);

    std::vector<Rgb> entries = design.palette;
    entries.resize(std::size_t(target.palette_size)); // unused entries are black (all zero bytes)
    encode_palette(*target.palette_format, entries, out.palette_bytes);
    out.shown_palette = decode_palette(*target.palette_format, out.palette_bytes);

    std::array<bool, 256> used{};
    for (std::uint8_t i : out.indexed.indices) used[i] = true;
    for (bool u : used) out.colors_used += u;
    return out;
}

} // namespace kpal
