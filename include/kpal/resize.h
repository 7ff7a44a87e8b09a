// Fitting an image to a screen before conversion.
#pragma once

#include "kpal/image.h"

namespace kpal {

// The image scaled to width x height by area averaging: each output pixel is the mean of the
// input area it covers (fractional pixels weighted by coverage), in every channel including alpha.
// Deterministic; the identity when the size is unchanged.
Image resize_area(const Image& image, int width, int height);

// The image made to fill width x height keeping its aspect: the centre of it in the screen's
// aspect (the longer side cut equally at both ends, to whole pixels), then resize_area.
Image fit_cover(const Image& image, int width, int height);

} // namespace kpal
