// How far what the display shows is from the input: MSE and PSNR over R, G and B, plain and
// after a Gaussian blur (sigma 1 pixel) of both images, which judges dithered output the way the
// eye does.
#pragma once

#include "kpal/image.h"

#include <cstdint>
#include <optional>
#include <span>

namespace kpal {

struct Quality {
    double mse = 0;          // mean over pixels and the three channels of the squared difference
    double psnr = 0;         // 10 log10(255^2 / mse) in dB; infinity when mse is 0
    double blurred_psnr = 0; // the same after blurring both images (sigma 1)
};

// Compares `original` with `indexed` shown through `shown` (same size; indices < shown.size()).
// Pixels with index `transparent` are left out (in the blurred measure they count as the
// original on both sides).
// A fixed palette's transparent code also shows opaque pixels: there `opaque` (a byte a pixel,
// 0 where transparent) says which are left out instead. Bounded memory (a few rows at a time)
// and the same result for any thread count.
Quality measure(const Image& original, const IndexedImage& indexed, std::span<const Rgb> shown,
                std::optional<int> transparent = std::nullopt,
                std::span<const std::uint8_t> opaque = {});

// Compares two RGB(A) images of the same size, R, G and B only (as the benchmark scores every
// tool's output). Throws Error{input} when the sizes differ.
Quality compare(const Image& reference, const Image& test);

} // namespace kpal
