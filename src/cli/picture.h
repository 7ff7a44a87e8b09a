// How an image is prepared before conversion, from the options that say so (--flatten,
// --resize, --fit and its mode, anchor and fill): shared by `kpal convert` and kpal studio, which
// shows the prepared picture beside what the device shows.
#pragma once

#include "kpal/animation.h"
#include "kpal/image.h"
#include "kpal/load.h"
#include "kpal/resize.h"
#include "kpal/target.h"
#include "options.h"

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>

namespace kpal::cli {

// --flatten onto a colour, then sized by --resize (stretched) or --fit (cropped to the screen's
// aspect, or letterboxed inside it), at --anchor.
struct Picture {
    std::optional<Rgb> flatten;
    std::optional<std::pair<int, int>> size;
    bool fit = false, letterbox = false;
    int pixel_width = 1; // the target's pixels are this many times wider than high
    Anchor anchor;
    std::array<std::uint8_t, 4> fill{0, 0, 0, 255};
    FramePick frames; // an animation's (--tag, --frames)
};

// The preparation the options ask for; "screen" is settled to the target's size (and recorded
// in `args` for the provenance). Throws Error{usage} for --fit with --resize, or "screen" on a
// target without one.
Picture settle_picture(Args& args, const Target& target);

// The image file loaded and prepared; an animation (GIF, Aseprite) as the frames picked, each
// prepared, stacked top to bottom (Image::frame_ms). Throws Error{usage} for --tag or --frames
// on a still picture.
Image load_for(const std::string& input, const Picture& picture, const LoadLimits& limits);

// `image` prepared: flattened, then resized or fitted.
Image prepared(Image image, const Picture& picture);

} // namespace kpal::cli
