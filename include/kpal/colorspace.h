// Where palette design measures the distance between colours: sRGB as stored, or OKLab
// (Ottosson 2020), a perceptual space where equal distances look about equally different.
#pragma once

#include "kpal/image.h"

#include <array>
#include <optional>
#include <string_view>
#include <vector>

namespace kpal {

enum class ColorSpace { rgb, oklab };

// The space called `name` ("rgb" or "oklab"), or nothing.
std::optional<ColorSpace> parse_color_space(std::string_view name);

// Every space's name ("rgb", "oklab").
std::vector<std::string_view> color_space_names();

// OKLab L, a, b of an 8-bit sRGB colour (L in 0..1).
std::array<double, 3> to_oklab(Rgb c);

// The sRGB colour, in 0..255 units and not clamped, of OKLab L, a, b.
std::array<double, 3> oklab_to_srgb(const std::array<double, 3>& lab);

} // namespace kpal
