// libFuzzer target: --tileset-in's reader and the placing of its tiles (a seed's files come from
// anywhere). The first byte picks a tile-map target, the next two where the rest splits into the
// tiles file and the palette file, and the bytes left draw a small picture the seed's tiles are
// looked for in. A seed read holds whole tiles and as many entries as it keeps; placing its tiles
// writes only indices of its entries.
#include "kpal/error.h"
#include "kpal/target.h"
#include "kpal/tile_seed.h"

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const std::array<kpal::Target, 5> targets{
        kpal::load_target("gba-bg-4bpp"), kpal::load_target("gba-bg-8bpp"),
        kpal::load_target("nes-bg"), kpal::load_target("md-bg"), kpal::load_target("gb-bg")};
    if (size < 3) return 0;
    const kpal::Target& target = targets[data[0] % targets.size()];
    const std::size_t split = std::min<std::size_t>(size - 3, data[1] | std::size_t(data[2]) << 8);
    const std::span<const std::uint8_t> rest(data + 3, size - 3);
    kpal::TilesetSeed seed;
    try {
        seed = kpal::read_tileset_seed(rest.first(split), rest.subspan(split), target, "fuzz");
    } catch (const kpal::Error&) {
        return 0;
    }
    if (seed.tiles.size() * std::size_t(target.tiles->format->bytes()) != split) std::abort();
    const std::size_t entries = seed.entries.size();
    if (seed.banks && entries != std::size_t(seed.banks * target.palette_size)) std::abort();
    // A 16x16 picture of the palette's colours, and every index of it one of the seed's.
    kpal::Image image{16, 16, std::vector<std::uint8_t>(16 * 16 * 4, 255)};
    for (std::size_t i = 0; i < 256 && entries; ++i) {
        const kpal::Rgb c = seed.entries[rest[i % rest.size()] % entries];
        image.rgba[4 * i] = c.r, image.rgba[4 * i + 1] = c.g, image.rgba[4 * i + 2] = c.b;
    }
    kpal::IndexedImage indexed{16, 16, std::vector<std::uint8_t>(256, 0)};
    const int bank_size = seed.banks ? target.palette_size : 0;
    std::vector<kpal::Rgb> shown = seed.entries;
    shown.resize(std::max<std::size_t>(shown.size(), 1));
    kpal::place_seed_tiles(image, kpal::Transparency{}, seed, shown, bank_size, target, indexed);
    for (const std::uint8_t v : indexed.indices)
        if (v >= std::max<std::size_t>(entries, 1)) std::abort();
    return 0;
}
