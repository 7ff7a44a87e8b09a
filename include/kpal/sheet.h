// A picture to look at: the original, what the display shows, and the palette as numbered
// swatches, side by side in one image.
#pragma once

#include "kpal/image.h"

#include <optional>
#include <span>

namespace kpal {

// The comparison sheet: `original` and `indexed` shown through `shown` next to each other
// (transparent pixels as a checkerboard), and below them the first `entries` palette colours as
// swatches numbered by index, 16 to a row.
Image make_sheet(const Image& original, const IndexedImage& indexed, std::span<const Rgb> shown,
                 int entries, std::optional<int> transparent);

} // namespace kpal
