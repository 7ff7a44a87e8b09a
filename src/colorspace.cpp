#include "kpal/colorspace.h"
#include "table.h"

#include <cmath>

namespace kpal {
namespace {

double srgb_to_linear(double v) {
    v /= 255.0;
    return v <= 0.04045 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4);
}

double linear_to_srgb(double v) {
    const double s = v <= 0.0031308 ? 12.92 * v : 1.055 * std::pow(v, 1 / 2.4) - 0.055;
    return 255.0 * s;
}

// The 256 linear values of the 8-bit sRGB codes, computed once.
struct LinearTable {
    std::array<double, 256> value;
    LinearTable() {
        for (int v = 0; v < 256; ++v) value[v] = srgb_to_linear(v);
    }
};
const LinearTable linear;

} // namespace

constexpr std::pair<std::string_view, ColorSpace> space_names[] = {{"rgb", ColorSpace::rgb},
                                                                   {"oklab", ColorSpace::oklab}};

std::optional<ColorSpace> parse_color_space(std::string_view name) {
    return value_named(space_names, name);
}

std::vector<std::string_view> color_space_names() {
    return names_of(space_names);
}

// The matrices are Ottosson's (https://bottosson.github.io/posts/oklab/).
std::array<double, 3> to_oklab(Rgb c) {
    const double r = linear.value[c.r], g = linear.value[c.g], b = linear.value[c.b];
    const double l = std::cbrt(0.4122214708 * r + 0.5363325363 * g + 0.0514459929 * b);
    const double m = std::cbrt(0.2119034982 * r + 0.6806995451 * g + 0.1073969566 * b);
    const double s = std::cbrt(0.0883024619 * r + 0.2817188376 * g + 0.6299787005 * b);
    return {0.2104542553 * l + 0.7936177850 * m - 0.0040720468 * s,
            1.9779984951 * l - 2.4285922050 * m + 0.4505937099 * s,
            0.0259040371 * l + 0.7827717662 * m - 0.8086757660 * s};
}

std::array<double, 3> oklab_to_srgb(const std::array<double, 3>& lab) {
    const double l_ = lab[0] + 0.3963377774 * lab[1] + 0.2158037573 * lab[2];
    const double m_ = lab[0] - 0.1055613458 * lab[1] - 0.0638541728 * lab[2];
    const double s_ = lab[0] - 0.0894841775 * lab[1] - 1.2914855480 * lab[2];
    const double l = l_ * l_ * l_, m = m_ * m_ * m_, s = s_ * s_ * s_;
    return {linear_to_srgb(+4.0767416621 * l - 3.3077115913 * m + 0.2309699292 * s),
            linear_to_srgb(-1.2684380046 * l + 2.6097574011 * m - 0.3413193965 * s),
            linear_to_srgb(-0.0041960863 * l - 0.7034186147 * m + 1.7076147010 * s)};
}

} // namespace kpal
