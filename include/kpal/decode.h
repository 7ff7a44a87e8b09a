// The reverse of encoding: framebuffer and palette bytes -> what the display shows. Used by
// `kpal preview` to check a binary, and by the tests for round trips.
#pragma once

#include "kpal/image.h"
#include "kpal/target.h"

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace kpal {

struct Decoded {
    IndexedImage indexed;
    std::vector<Rgb> shown; // the palette as the display shows it
};

// Unpacks `pixels` (width x height in the target's layout) and decodes `palette` (whole entries
// of the target's format). `origin` names the data in errors: Error{input} when the byte counts
// do not fit the target, or an index has no palette entry.
Decoded decode_framebuffer(const Target& target, int width, int height,
                           std::span<const std::uint8_t> pixels,
                           std::span<const std::uint8_t> palette, const std::string& origin);

} // namespace kpal
