#include "kpal/tile_seed.h"

#include "kpal/error.h"
#include "kpal/tiles.h"

#include <algorithm>
#include <map>
#include <optional>

namespace kpal {
namespace {

// The colours a tile shows, three bytes a pixel: a key that tiles equal on screen share.
std::string shown_key(const Tile& tile, std::span<const Rgb> shown) {
    std::string key;
    for (const std::uint8_t index : tile) {
        const Rgb c = shown[index];
        key += {char(c.r), char(c.g), char(c.b)};
    }
    return key;
}

// The colours the cell whose top-left pixel is (x0, y0) shows on the device, as shown_key gives
// a tile's; nothing when a pixel is transparent.
std::optional<std::string> cell_key(const Image& image, const Transparency& transparency,
                                    const DeviceLevels& levels, int x0, int y0) {
    std::string key;
    for (int y = y0; y < y0 + 8; ++y)
        for (int x = x0; x < x0 + 8; ++x) {
            const std::size_t i = std::size_t(y) * std::size_t(image.width) + std::size_t(x);
            if (transparency.at(image, i)) return std::nullopt;
            const Rgb c = levels.snap(image.rgb_at(i));
            key += {char(c.r), char(c.g), char(c.b)};
        }
    return key;
}

// The palette banks the seed keeps: all that its bytes hold but the unused ones at the end, at
// least one. An unused bank's bytes are zero but for entry 0's, which kpal fills in every bank
// it designs (the backdrop's colour, or the transparent one's).
int kept_banks(std::span<const std::uint8_t> palette, std::size_t bank_bytes, std::size_t entry_0) {
    int banks = int((palette.size() + bank_bytes - 1) / bank_bytes);
    const auto unused = [&](int bank) {
        const std::size_t start = std::size_t(bank) * bank_bytes + entry_0;
        const auto end = std::min(palette.size(), std::size_t(bank + 1) * bank_bytes);
        return std::all_of(palette.begin() + std::ptrdiff_t(std::min(start, end)),
                           palette.begin() + std::ptrdiff_t(end),
                           [](std::uint8_t b) { return b == 0; });
    };
    while (banks > 1 && unused(banks - 1)) --banks;
    return banks;
}

} // namespace

TilesetSeed read_tileset_seed(std::span<const std::uint8_t> tiles,
                              std::span<const std::uint8_t> palette, const Target& target,
                              const std::string& origin) {
    const TileHardware& hw = *target.tiles;
    const auto tile_bytes = std::size_t(hw.format->bytes());
    if (tiles.empty() || tiles.size() % tile_bytes)
        throw_input_error(origin, "holds " + std::to_string(tiles.size()) +
                                      " bytes, not whole tiles of format " +
                                      std::string(hw.format->name) + " (" +
                                      std::to_string(tile_bytes) + " bytes each)");
    TilesetSeed seed;
    for (std::size_t at = 0; at < tiles.size(); at += tile_bytes)
        seed.tiles.push_back(decode_tile(*hw.format, tiles.subspan(at, tile_bytes)));

    const PaletteFormat& f = *target.palette_format;
    const std::string beside = origin + "'s palette";
    const std::size_t entries = palette_entry_count(f, palette.size());
    if (palette.empty() || palette_byte_size(f, entries) != palette.size())
        throw_input_error(beside, "holds " + std::to_string(palette.size()) +
                                      " bytes, not whole entries of format " + std::string(f.name));
    seed.entries = decode_palette(f, palette);
    if (hw.banks > 1) {
        seed.banks = kept_banks(palette, palette_byte_size(f, std::size_t(target.palette_size)),
                                palette_byte_size(f, 1));
        if (seed.banks >= hw.banks)
            throw Error(ErrorKind::usage,
                        "--tileset-in " + origin + ": its palette fills " +
                            std::to_string(seed.banks) + " of target " + target.name + "'s " +
                            std::to_string(hw.banks) +
                            " banks, leaving none for new tiles: convert the seed with fewer "
                            "(--palettes N)");
        seed.entries.resize(std::size_t(seed.banks) * std::size_t(target.palette_size));
        return seed;
    }
    std::size_t used = 0;
    for (const Tile& t : seed.tiles)
        used = std::max<std::size_t>(used, *std::max_element(t.begin(), t.end()) + 1u);
    if (used > seed.entries.size())
        throw_input_error(beside, "holds " + std::to_string(seed.entries.size()) +
                                      " entries; the tiles use entry " + std::to_string(used - 1));
    seed.entries.resize(used);
    return seed;
}

void place_seed_tiles(const Image& image, const Transparency& transparency, const TilesetSeed& seed,
                      std::span<const Rgb> shown, int bank_size, const Target& target,
                      IndexedImage& indexed) {
    const MapFormat& map = *target.tiles->map;
    if (map.attribute_table || seed.tiles.empty()) return;
    // Every seed tile in every bank and orientation, by the colours it shows; the first met wins.
    std::map<std::string, Tile> known;
    const bool flips = map.has_flips();
    for (int bank = 0; bank < std::max(seed.banks, 1); ++bank)
        for (const Tile& t : seed.tiles)
            for (int way = 0; way < (flips ? 4 : 1); ++way) {
                Tile placed = flipped(t, way & 1, way & 2);
                for (std::uint8_t& v : placed) v = std::uint8_t(v + bank * bank_size);
                known.emplace(shown_key(placed, shown), placed);
            }
    const DeviceLevels levels = device_levels(*target.palette_format);
    for (int ty = 0; ty + 8 <= image.height; ty += 8)
        for (int tx = 0; tx + 8 <= image.width; tx += 8) {
            const std::optional<std::string> key = cell_key(image, transparency, levels, tx, ty);
            if (!key) continue;
            const auto it = known.find(*key);
            if (it == known.end()) continue;
            for (int y = 0; y < 8; ++y)
                for (int x = 0; x < 8; ++x)
                    indexed.indices[std::size_t(ty + y) * std::size_t(image.width) +
                                    std::size_t(tx + x)] = it->second[std::size_t(8 * y + x)];
        }
}

} // namespace kpal
