// Step 4 of palette design: a descent over neighbouring device colours, for small palettes on
// coarse devices. Internal to palette design.
#pragma once

#include "points.h"

#include "kpal/histogram.h"
#include "kpal/palette_format.h"

#include <vector>

namespace kpal::kmeans {

// After the snapped run, on a coarse device: each entry in turn (past the `fixed` pinned ones)
// moves to the neighbouring device colour that most lowers the points' total squared error,
// until no move lowers it (see descent.cpp).
void descend_on_device(const Points& p, const DeviceLevels& levels, std::vector<Rgb>& palette,
                       int fixed);

// Whether the descent runs: K <= 32 in RGB on a device of 5 bits a channel or fewer, or a code
// format's set (see descent.cpp for the measurements).
bool descends(const DeviceLevels& levels, std::size_t k, ColorSpace space);

// The histogram's squared error, each colour at its nearest entry.
double nearest_error(const Histogram& h, const std::vector<Rgb>& palette);

} // namespace kpal::kmeans
