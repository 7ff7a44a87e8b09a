// Stage 4 with dithering: pixels -> palette indices, trading local error for a closer average.
// Error diffusion (Floyd and Steinberg 1976; Sierra Lite; Atkinson) runs serpentine and diffuses
// the difference to the colours the display shows, clamped so that a stray error does not streak;
// ordered dithering (Bayer 4x4, 8x8, or a 64x64 blue-noise map) adds a threshold that depends only
// on the pixel's position and so gives the same index for the same pixel whatever its neighbours
// (stable in animation).
#pragma once

#include "kpal/image.h"

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

namespace kpal {

enum class DitherKind { none, search, fs, sierra_lite, atkinson, bayer4, bayer8, blue_noise };

struct DitherOptions {
    DitherKind kind = DitherKind::none;
    double strength = 1.0; // 0..1: how much of the error (or threshold) is applied
    // Tile hardware's tile side (8), or 0: ordered maps then repeat with the tiles, so that
    // identical tiles of the image stay identical and deduplicate (blue-noise takes a map of
    // the tile's side instead of 64x64; Bayer's 4x4 and 8x8 already fit).
    int tile = 0;
    // Error diffusion and the search add up their errors in light (linear sRGB), as the eye
    // averages neighbouring pixels, rather than in sRGB values. On a panel of two colours far
    // apart this keeps the tones the eye sees (a 50 % checkerboard of black and white looks
    // like sRGB 188, not 128); ordered dithering does not take it.
    bool light = false;
};

// The kinds that take DitherOptions::light: error diffusion and the search.
bool adds_up_errors(DitherKind kind);

// The kind called `name` (none, fs, sierra-lite, atkinson, bayer4, bayer8, blue-noise), or
// nothing.
std::optional<DitherKind> parse_dither(std::string_view name);

// Every kind's name, in that order.
std::vector<std::string_view> dither_names();

// The name of `kind`.
std::string_view dither_name(DitherKind kind);

// The blue-noise threshold map of side `n` (a power of two, at least 8): the ranks 0..n*n-1,
// each once, made by void-and-cluster (Ulichney 1993) on a torus with a Gaussian of sigma 1.5,
// from a deterministic start: the same map on every run and machine. Ordered dithering by it
// has no Bayer crosshatch, and its dots spread evenly at every grey level.
std::vector<int> blue_noise(int n);

// Each pixel's palette index. Only entries marked in `usable` are chosen (all when it is empty);
// pixels marked in `skip` get index 0 and neither take nor pass on error.
IndexedImage dither(const Image& image, std::span<const Rgb> shown, const std::vector<bool>& usable,
                    const std::vector<bool>& skip, const DitherOptions& options);

// The same where each pixel takes only its bank's entries (tile hardware with several
// palettes): pixel i's bank is bank_of[i], and bank b owns entries b x bank_size up to the next
// bank's; the error diffused stays what the pixel shows.
IndexedImage dither_in_banks(const Image& image, std::span<const Rgb> shown,
                             const std::vector<bool>& usable, const std::vector<bool>& skip,
                             const DitherOptions& options, const std::vector<int>& bank_of,
                             int bank_size);

// The same where each pixel takes only the entries of its set (a screen of cells: each cell's
// colours): pixel i takes sets[set_of[i]], each set ascending; no pixel is skipped.
IndexedImage dither_in_sets(const Image& image, std::span<const Rgb> shown,
                            const DitherOptions& options,
                            const std::vector<std::vector<std::uint8_t>>& sets,
                            const std::vector<int>& set_of);

} // namespace kpal
