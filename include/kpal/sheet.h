// A picture to look at: the original, what the display shows, and the palette as numbered
// swatches, side by side in one image.
#pragma once

#include "kpal/image.h"

#include <optional>
#include <span>

namespace kpal {

// The comparison sheet: `original` and `indexed` shown through `shown` next to each other
// (transparent pixels, those of entry `transparent` or marked 0 in `opaque` (a byte a pixel,
// for a fixed palette whose transparent code also shows opaque pixels), as a checkerboard), and
// below them the first `entries` palette colours as
// swatches numbered by index, 16 to a row. With banks (tile hardware, `banks.size` entries each,
// fewer than `entries`), a third panel colours each cell by the bank it draws from, and the
// swatches are one row a bank, led by the bank's number on its colour in that panel.
struct SheetBanks {
    int size = 0;                 // entries a bank (0: one palette)
    int cell = 8;                 // the side in pixels of the square that picks a bank
    int across = 0;               // cells a row
    std::span<const int> of_cell; // each cell's bank, row-major
};
Image make_sheet(const Image& original, const IndexedImage& indexed, std::span<const Rgb> shown,
                 int entries, std::optional<int> transparent, const SheetBanks& banks = {},
                 std::span<const std::uint8_t> opaque = {});

} // namespace kpal
