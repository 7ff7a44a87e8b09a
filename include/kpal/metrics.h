// How far what the display shows is from the input: MSE and PSNR over R, G and B.
#pragma once

#include "kpal/image.h"

#include <span>

namespace kpal {

struct Quality {
    double mse = 0;  // mean over pixels and the three channels of the squared difference
    double psnr = 0; // 10 log10(255^2 / mse) in dB; infinity when mse is 0
};

// Compares `original` with `indexed` shown through `shown` (same size; indices < shown.size()).
Quality measure(const Image& original, const IndexedImage& indexed, std::span<const Rgb> shown);

} // namespace kpal
