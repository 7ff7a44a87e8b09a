#include "kpal/decode.h"
#include "table.h"

#include "kpal/error.h"

namespace kpal {

Decoded decode_framebuffer(const Target& target, int width, int height,
                           std::span<const std::uint8_t> pixels,
                           std::span<const std::uint8_t> palette, const std::string& origin) {
    const Geometry g{width, height, target.bpp, target.row_align};
    const std::size_t want = target.layout->size(g);
    if (pixels.size() != want)
        throw_input_error(origin, "holds " + std::to_string(pixels.size()) + " bytes, but a " +
                                      std::to_string(width) + "x" + std::to_string(height) +
                                      " image for target " + target.name + " takes " +
                                      std::to_string(want));
    const int entry = target.palette_format->bytes;
    if (palette.empty() || palette.size() % std::size_t(entry) != 0)
        throw_input_error(origin, "palette of " + std::to_string(palette.size()) +
                                      " bytes is not a whole number of " + std::to_string(entry) +
                                      "-byte " + std::string(target.palette_format->name) +
                                      " entries");
    if (palette.size() / std::size_t(entry) > std::size_t(target.palette_size))
        throw_input_error(origin, "palette of " +
                                      std::to_string(palette.size() / std::size_t(entry)) +
                                      " entries is larger than target " + target.name + "'s " +
                                      std::to_string(target.palette_size));
    Decoded d;
    d.indexed = {width, height, target.layout->unpack(g, pixels)};
    d.shown = decode_palette(*target.palette_format, palette);
    for (std::uint8_t i : d.indexed.indices)
        if (i >= d.shown.size())
            throw_input_error(origin, "pixel index " + std::to_string(i) +
                                          " is past the palette's " +
                                          std::to_string(d.shown.size()) + " entries");
    return d;
}

namespace {
// clang-format off
constexpr DacModel dacs[] = {
    {"ideal",  [](unsigned v) { return std::uint8_t((v << 2) | (v >> 4)); }},
    {"qemu",   [](unsigned v) { return std::uint8_t((v << 2) | ((v & 1) * 3)); }},
    {"dosbox", [](unsigned v) { return std::uint8_t((v << 2) | (v >> 4)); }},
    {"bochs",  [](unsigned v) { return std::uint8_t(v << 2); }},
};
// clang-format on
} // namespace

std::span<const DacModel> dac_models() {
    return dacs;
}

const DacModel* find_dac_model(std::string_view name) {
    return find_row<DacModel>(dacs, name);
}

std::vector<Rgb> shown_through(const DacModel& model, std::span<const std::uint8_t> palette) {
    std::vector<Rgb> out;
    for (std::size_t i = 0; i + 3 <= palette.size(); i += 3)
        out.push_back({model.expand(palette[i] & 63u), model.expand(palette[i + 1] & 63u),
                       model.expand(palette[i + 2] & 63u)});
    return out;
}

} // namespace kpal
