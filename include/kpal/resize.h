// Preparing an image for a screen before conversion: flattening its transparency, fitting its
// size.
#pragma once

#include "kpal/image.h"

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace kpal {

// The image composited over `background`: each pixel's colour blended with it by the pixel's
// alpha (in sRGB, as image editors flatten), every pixel then opaque. For a display that shows
// no transparency, so that anti-aliased edges fade into its background.
Image flatten(const Image& image, Rgb background);

// The image scaled to width x height by area averaging: each output pixel is the mean of the
// input area it covers (fractional pixels weighted by coverage), in every channel including alpha.
// Deterministic; the identity when the size is unchanged.
Image resize_area(const Image& image, int width, int height);

// Which part of an image fit_cover keeps, or where fit_letterbox puts it: on each axis 0 the
// start (left, top), 1 the centre, 2 the end (right, bottom).
struct Anchor {
    int x = 1, y = 1;
};

// "center", "top", "bottom", "left", "right", "top-left", "top-right", "bottom-left",
// "bottom-right"; nothing for any other text.
std::optional<Anchor> parse_anchor(std::string_view text);

// Every anchor's name, in the order above.
std::vector<std::string_view> anchor_names();

// The image made to fill width x height keeping its aspect: the window of it in the screen's
// aspect (the longer side cut, to whole pixels: equally at both ends for the centre, else at the
// end away from the anchor), then resize_area.
Image fit_cover(const Image& image, int width, int height, Anchor anchor = {});

// The whole image inside width x height keeping its aspect: scaled (resize_area) until its
// longer side fits, placed at the anchor, the rest of the screen `fill` (RGBA; alpha 0 for
// transparent).
Image fit_letterbox(const Image& image, int width, int height, Anchor anchor,
                    std::array<std::uint8_t, 4> fill);

} // namespace kpal
