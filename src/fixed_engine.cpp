#include "kpal/fixed_engine.h"

#include "kpal/core.h"
#include "kpal/error.h"

#include <string>
#include <vector>

namespace kpal {
namespace {

[[noreturn]] void usage(const std::string& message) {
    throw Error(ErrorKind::usage, message);
}

// The core reads RGB888 rows; the image is RGBA.
std::vector<std::uint8_t> rgb888(const Image& image) {
    std::vector<std::uint8_t> rgb;
    rgb.reserve(3 * image.pixel_count());
    for (std::size_t i = 0; i < image.pixel_count(); ++i) {
        const Rgb c = image.rgb_at(i);
        rgb.insert(rgb.end(), {c.r, c.g, c.b});
    }
    return rgb;
}

kpal_params core_params(const Target& target, const ConvertOptions& options, int colors) {
    if (!target.palette_format->in_core())
        usage("--engine fixed: target " + target.name + "'s palette format " +
              std::string(target.palette_format->name) +
              " is a set of colour codes, which the fixed-point core does not design for; use "
              "the default engine");
    kpal_params p{};
    p.colors = std::uint16_t(colors);
    p.palette_format = target.palette_format->id;
    p.refine_passes = std::uint8_t(options.refine_passes.value_or(KPAL_DEFAULT_REFINE_PASSES));
    p.dither = options.dither.kind == DitherKind::bayer4   ? KPAL_DITHER_BAYER4
               : options.dither.kind == DitherKind::bayer8 ? KPAL_DITHER_BAYER8
                                                           : KPAL_DITHER_NONE;
    return p;
}

void check(int err, const char* what) {
    if (err == KPAL_ERR_TOO_LARGE)
        usage("--engine fixed takes at most " + std::to_string(KPAL_MAX_PIXELS) +
              " pixels an image: use --resize, or the default engine");
    if (err)
        usage(std::string("--engine fixed: the core's ") + what + " failed (kpal_err " +
              std::to_string(err) + ")");
}

// A workspace of the size the core asks for, 4-byte aligned.
std::vector<std::uint32_t> workspace(const kpal_params& p) {
    return std::vector<std::uint32_t>((kpal_workspace_size(&p) + 3) / 4);
}

} // namespace

void check_fixed_engine_options(const ConvertOptions& o) {
    const auto refuse = [](const char* option) {
        usage(std::string("--engine fixed does not support ") + option +
              " (the core offers -k, --dither none|bayer4|bayer8 and the target's formats)");
    };
    if (o.space != ColorSpace::rgb) refuse("--colorspace");
    if (o.seed != 0) refuse("--seed");
    if (o.dither.kind == DitherKind::blue_noise)
        refuse("--dither blue-noise");
    else if (o.dither.kind == DitherKind::search)
        refuse("--dither search");
    else if (o.dither.kind != DitherKind::none && o.dither.kind != DitherKind::bayer4 &&
             o.dither.kind != DitherKind::bayer8)
        refuse("error-diffusion dithering");
    if (o.dither.strength != 1) refuse("--dither-strength");
    if (!o.given_palette.empty()) refuse("--palette");
    if (!o.fixed.empty()) refuse("--fix or --fix-palette");
    if (o.order != PaletteOrder::designed) refuse("--order");
    if (o.transparency.key || o.transparent_index) refuse("--key or --transparent-index");
}

PaletteChoice choose_palette_fixed(const Image& image, const Target& target,
                                   const ConvertOptions& options) {
    check_fixed_engine_options(options);
    if (has_transparency(image, options.transparency))
        usage("--engine fixed handles opaque images only: add --alpha-threshold 0 to treat every "
              "pixel as opaque");
    if (image.pixel_count() > KPAL_MAX_PIXELS) check(KPAL_ERR_TOO_LARGE, "palette design");
    const int k = palette_colors(target, options);
    const kpal_params p = core_params(target, options, k);
    std::vector<std::uint32_t> ws = workspace(p);
    const std::vector<std::uint8_t> pixels = rgb888(image);
    std::vector<std::uint8_t> rgb(3 * std::size_t(k));
    check(kpal_design_frame(ws.data(), ws.size() * 4, &p, pixels.data(), std::uint32_t(image.width),
                            std::uint32_t(image.height), std::uint32_t(3 * image.width),
                            KPAL_RGB888, rgb.data()),
          "palette design");
    PaletteChoice choice;
    for (int i = 0; i < k; ++i)
        choice.entries.push_back(
            {rgb[3 * std::size_t(i)], rgb[3 * std::size_t(i) + 1], rgb[3 * std::size_t(i) + 2]});
    return choice;
}

IndexedImage remap_fixed(const Image& image, std::span<const Rgb> shown, const Target& target,
                         const ConvertOptions& options) {
    const kpal_params p = core_params(target, options, int(shown.size()));
    std::vector<std::uint32_t> ws = workspace(p);
    std::vector<std::uint8_t> rgb;
    for (Rgb c : shown) rgb.insert(rgb.end(), {c.r, c.g, c.b});
    check(kpal_begin(ws.data(), ws.size() * 4, &p), "begin");
    check(kpal_set_palette(ws.data(), rgb.data()), "set palette");
    const std::vector<std::uint8_t> pixels = rgb888(image);
    IndexedImage out{image.width, image.height, std::vector<std::uint8_t>(image.pixel_count())};
    const std::size_t row = 3 * std::size_t(image.width);
    for (int y = 0; y < image.height; ++y)
        check(kpal_remap(ws.data(), pixels.data() + std::size_t(y) * row, 0, std::uint32_t(y),
                         std::uint32_t(image.width), KPAL_RGB888,
                         out.indices.data() + std::size_t(y) * std::size_t(image.width)),
              "remap");
    return out;
}

} // namespace kpal
