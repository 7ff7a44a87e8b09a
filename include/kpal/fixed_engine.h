// `--engine fixed`: palette design and remap by the C core (include/kpal/core.h), the code a
// device runs, so the PC's output is the device's byte for byte. The core works on opaque RGB
// pixels with its own k-means (integer, 4-bit cells then exact means) and Bayer dithering; the
// options it has no equivalent for are refused rather than approximated.
#pragma once

#include "kpal/convert.h"

#include <span>

namespace kpal {

// Throws Error{usage} naming the first option the fixed engine does not support.
void check_fixed_engine_options(const ConvertOptions& options);

// The core's palette for `image` (K entries, device colours). Throws Error{usage} when a pixel
// is transparent under options.transparency.
PaletteChoice choose_palette_fixed(const Image& image, const Target& target,
                                   const ConvertOptions& options);

// The core's indices for `image` mapped to `shown` (with its ordered dithering, if chosen).
IndexedImage remap_fixed(const Image& image, std::span<const Rgb> shown, const Target& target,
                         const ConvertOptions& options);

} // namespace kpal
