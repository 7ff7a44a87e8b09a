// Fitting an image to a screen before conversion.
#pragma once

#include "kpal/image.h"

namespace kpal {

// The image scaled to width x height by area averaging: each output pixel is the mean of the
// input area it covers (fractional pixels weighted by coverage), in every channel including alpha.
// Deterministic; the identity when the size is unchanged.
Image resize_area(const Image& image, int width, int height);

} // namespace kpal
