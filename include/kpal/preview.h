// The preview: an indexed PNG of exactly what the display shows.
#pragma once

#include "kpal/image.h"

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace kpal {

// Encodes `indexed` as a palette PNG (PLTE from `shown`, 1, 2, 4 or 8 bits a pixel: the
// smallest that holds shown.size() entries), with entry `transparent`, if any, fully transparent
// (tRNS). Deterministic bytes: no time, no text chunks.
std::vector<std::uint8_t> encode_preview_png(const IndexedImage& indexed,
                                             std::span<const Rgb> shown,
                                             std::optional<int> transparent = std::nullopt);

// The same where a mask, not an entry, says which pixels are transparent (a fixed palette's
// transparent code also shows opaque pixels): `opaque` holds a byte a pixel, 0 where
// transparent. Those pixels take one more PLTE entry, the only one in tRNS (with 256 entries
// already, the PNG is RGBA instead).
std::vector<std::uint8_t> encode_masked_preview_png(const IndexedImage& indexed,
                                                    std::span<const Rgb> shown,
                                                    std::span<const std::uint8_t> opaque);

// Encodes an RGBA image as an 8-bit RGBA PNG, deterministically (for comparison sheets).
std::vector<std::uint8_t> encode_rgba_png(const Image& image);

// An animated PNG (APNG) of `frames`, PNGs of one size and colour type (the first one's palette
// serves all), each shown for its delay; it loops. Viewers without APNG show the first frame.
std::vector<std::uint8_t> assemble_apng(std::span<const std::vector<std::uint8_t>> frames,
                                        std::span<const int> delays_ms);

} // namespace kpal
