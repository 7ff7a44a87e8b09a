#include "kpal/decode.h"

#include "kpal/error.h"

#include <tuple>

namespace kpal {

void check_palette_bytes(const Target& target, std::span<const std::uint8_t> palette,
                         std::size_t max_entries, const std::string& origin) {
    const PaletteFormat& f = *target.palette_format;
    if (f.is_fixed()) {
        if (!palette.empty())
            throw_input_error(origin, "palette of " + std::to_string(palette.size()) +
                                          " bytes, but format " + std::string(f.name) +
                                          " is fixed: it has none");
        return;
    }
    const std::size_t entries = palette_entry_count(f, palette.size());
    if (entries == 0 || palette_byte_size(f, entries) != palette.size())
        throw_input_error(origin, "palette of " + std::to_string(palette.size()) +
                                      " bytes is not a whole number of " +
                                      (f.bytes ? std::to_string(f.bytes) + "-byte " : "") +
                                      std::string(f.name) + " entries");
    if (entries > max_entries)
        throw_input_error(origin, "palette of " + std::to_string(entries) +
                                      " entries is larger than target " + target.name + "'s " +
                                      std::to_string(max_entries));
}

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
    check_palette_bytes(target, palette, std::size_t(target.palette_size), origin);
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

IndexedImage decode_tiles(const Target& target, const TileOptions& options, int width, int height,
                          std::span<const std::uint8_t> tiles, std::span<const std::uint8_t> map,
                          int banks, const std::string& origin) {
    const TileHardware& hw = *target.tiles;
    const std::size_t tile_bytes = std::size_t(hw.format->bytes());
    if (tiles.size() % tile_bytes != 0)
        throw_input_error(origin, "holds " + std::to_string(tiles.size()) +
                                      " bytes, not a whole number of " +
                                      std::to_string(tile_bytes) + "-byte " +
                                      std::string(hw.format->name) + " tiles");
    TileSet set;
    for (std::size_t at = 0; at < tiles.size(); at += tile_bytes)
        set.tiles.push_back(decode_tile(*hw.format, tiles.subspan(at, tile_bytes)));
    if (hw.map) {
        std::tie(set.map_width, set.map_height) =
            map_size(*hw.map, width, height, options.screen_blocks);
        const std::size_t want =
            map_byte_size(*hw.map, std::size_t(set.map_width) * std::size_t(set.map_height));
        if (map.size() != want)
            throw_input_error(origin, "map of " + std::to_string(map.size()) + " bytes; a " +
                                          std::to_string(width) + "x" + std::to_string(height) +
                                          " picture for target " + target.name + " takes " +
                                          std::to_string(want));
        set.map = decode_map(*hw.map, map);
    }
    return draw_tiles(set, hw, options, width, height, 1 << hw.format->bpp, banks, origin);
}

namespace {
// clang-format off
constexpr DacModel dacs[] = {
    {"ideal",    "vga-dac",   [](unsigned v) { return std::uint8_t((v << 2) | (v >> 4)); }},
    {"qemu",     "vga-dac",   [](unsigned v) { return std::uint8_t((v << 2) | ((v & 1) * 3)); }},
    {"dosbox",   "vga-dac",   [](unsigned v) { return std::uint8_t((v << 2) | (v >> 4)); }},
    {"bochs",    "vga-dac",   [](unsigned v) { return std::uint8_t(v << 2); }},
    {"mgba",     "bgr555-le", [](unsigned v) { return std::uint8_t((v << 3) | (v >> 2)); }},
    {"mednafen", "bgr555-le", [](unsigned v) { return std::uint8_t(v << 3); }},
    {"mednafen", "md9",       [](unsigned v) { return std::uint8_t(34 * v); }},
    {"mednafen", "pce9",      [](unsigned v) { return std::uint8_t(36 * v); }},
    // mednafen's Game Boy Color (its gb module's colour mixing, a model of the GBC's LCD):
    // each channel a weighted sum of the three 5-bit codes.
    {"mednafen-gbc", "bgr555-le", [](unsigned v) { return std::uint8_t(v << 3); },
     [](unsigned r, unsigned g, unsigned b) {
         return Rgb{std::uint8_t((226 * r + 29 * g) / 31),
                    std::uint8_t((29 * r + 197 * g + 29 * b) / 31),
                    std::uint8_t((30 * r + 73 * g + 152 * b) / 31)};
     }},
};
// clang-format on
} // namespace

std::span<const DacModel> dac_models() {
    return dacs;
}

const DacModel* find_dac_model(std::string_view name, std::string_view format) {
    for (const DacModel& m : dacs)
        if (m.name == name && m.format == format) return &m;
    return nullptr;
}

std::vector<Rgb> shown_through(const DacModel& model, const PaletteFormat& format,
                               std::span<const std::uint8_t> palette) {
    // Decoding replicates each code's bits, so the code is the top bits of the decoded value.
    std::vector<Rgb> out = decode_palette(format, palette);
    const auto show = [&](std::uint8_t& channel, int bits) {
        channel = model.expand(unsigned(channel) >> (8 - bits));
    };
    for (Rgb& c : out) {
        if (model.mix) {
            c = model.mix(unsigned(c.r) >> (8 - format.bits[0]),
                          unsigned(c.g) >> (8 - format.bits[1]),
                          unsigned(c.b) >> (8 - format.bits[2]));
            continue;
        }
        show(c.r, format.bits[0]);
        show(c.g, format.bits[1]);
        show(c.b, format.bits[2]);
    }
    return out;
}

} // namespace kpal
