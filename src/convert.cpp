#include "kpal/convert.h"
#include "kpal/animation.h"
#include "kpal/preview.h"
#include "table.h"

#include "kpal/decode.h"
#include "kpal/error.h"
#include "kpal/fixed_engine.h"
#include "kpal/remap.h"
#include "kpal/tile_merge.h"
#include "kpal/tile_palettes.h"

#include <algorithm>
#include <array>
#include <cstdlib>
#include <future>
#include <map>
#include <numeric>
#include <stdexcept>

namespace kpal {
namespace {

[[noreturn]] void usage(const std::string& message) {
    throw Error(ErrorKind::usage, message);
}

// Orders the designed (free) entries; `counts` are their pixel counts.
std::vector<std::size_t> free_order(const std::vector<Rgb>& colors,
                                    const std::vector<std::uint64_t>& counts, PaletteOrder order) {
    std::vector<std::size_t> idx(colors.size());
    std::iota(idx.begin(), idx.end(), std::size_t(0));
    const auto luma = [&](std::size_t i) {
        return 299 * colors[i].r + 587 * colors[i].g + 114 * colors[i].b;
    };
    if (order == PaletteOrder::luminance)
        std::stable_sort(idx.begin(), idx.end(), [&](std::size_t a, std::size_t b) {
            return luma(a) != luma(b) ? luma(a) < luma(b)
                                      : pack_rgb(colors[a]) < pack_rgb(colors[b]);
        });
    if (order == PaletteOrder::frequency)
        std::stable_sort(idx.begin(), idx.end(),
                         [&](std::size_t a, std::size_t b) { return counts[a] > counts[b]; });
    return idx;
}

} // namespace

constexpr std::pair<std::string_view, PaletteOrder> order_names[] = {
    {"designed", PaletteOrder::designed},
    {"luminance", PaletteOrder::luminance},
    {"frequency", PaletteOrder::frequency}};

std::optional<PaletteOrder> parse_palette_order(std::string_view name) {
    return value_named(order_names, name);
}

std::vector<std::string_view> palette_order_names() {
    return names_of(order_names);
}

int palette_colors(const Target& target, const ConvertOptions& options) {
    if (!options.colors) return target.palette_size;
    if (*options.colors < 1 || *options.colors > target.palette_size)
        usage("-k " + std::to_string(*options.colors) + " is out of range: target " + target.name +
              " holds 1.." + std::to_string(target.palette_size) + " colours");
    return *options.colors;
}

namespace {

struct DitherFamily {
    std::string_view family;
    bool (*fits)(const Target&, const ConvertOptions&);
    DitherKind kind;
    bool light; // adds up errors in light (DitherOptions::light)
    // The strength it takes where the user gives none (nullptr: the user's, 1 by default).
    double (*strength)(const Target&) = nullptr;
};

// Measured by tools/bench --dither (docs/bench-dither.md), the best first.
const DitherFamily dither_families[] = {
    // The C core dithers by Bayer's maps only.
    {"--engine fixed",
     [](const Target&, const ConvertOptions& o) { return o.engine == Engine::fixed; },
     DitherKind::bayer8, false},
    // Screens of cells: Floyd-Steinberg choosing each cell's colours as it goes, at the
    // strength that keeps the plain PSNR at Dithertron's or above (6 photos, plain / blurred:
    // ZX Spectrum 12.43 / 22.67 dB, Dithertron 12.25 / 19.03; docs/bench-cells.md).
    {"screens of cells", [](const Target& t, const ConvertOptions&) { return t.screen != nullptr; },
     DitherKind::fs, false, [](const Target& t) { return t.screen->rule->dither_strength; }},
    // Ordered, repeating with the tiles: a level's repeated tiles stay deduplicated (36 tiles
    // on the bench's level, where error diffusion makes 649).
    {"tile hardware", [](const Target& t, const ConvertOptions&) { return bool(t.tiles); },
     DitherKind::blue_noise, false},
    // Error diffusion in light on two colours and on a panel's own colours (mono, grey and
    // colour e-paper): the tones the eye sees (a 1-bit OLED: SSIMULACRA2 32.9 against -39.3 in
    // sRGB values, butteraugli 20.6 against 40.7; ACeP butteraugli 16.6 against 18.9). The
    // search darkens a 1-bit panel's shadows.
    {"two colours or a panel's own",
     [](const Target& t, const ConvertOptions& o) {
         return palette_colors(t, o) <= 2 || t.palette_format->is_fixed();
     },
     DitherKind::sierra_lite, true},
    // Palettes designed for the picture, 3 to 256 colours: the least noise (16 colours
    // SSIMULACRA2 44.0, butteraugli 3.74; pngquant 41.3, 4.16).
    {"designed palettes", [](const Target&, const ConvertOptions&) { return true; },
     DitherKind::search, true},
};

} // namespace

DitherOptions default_dither(const Target& target, const ConvertOptions& options) {
    DitherOptions out = options.dither;
    for (const DitherFamily& f : dither_families)
        if (f.fits(target, options)) {
            out.kind = f.kind, out.light = f.light;
            if (f.strength) out.strength = f.strength(target);
            break;
        }
    return out;
}

bool has_transparency(const Image& image, const Transparency& transparency) {
    for (std::size_t i = 0; i < image.pixel_count(); ++i)
        if (transparency.at(image, i)) return true;
    return false;
}

bool reserves_colour0(const Target& target, unsigned palette_bank) {
    if (!target.tiles) return false;
    return target.tiles->colour0 == Colour0::transparent ||
           (target.tiles->colour0 == Colour0::backdrop && palette_bank != 0);
}

namespace {

// A fixed palette: every code's colour, only the format's codes usable, nothing to design.
PaletteChoice fixed_palette(bool any_transparent, const Target& target,
                            const ConvertOptions& options) {
    const PaletteFormat& f = *target.palette_format;
    const std::string why = ": target " + target.name + " shows a fixed set of colours (" +
                            std::string(f.name) + "); there is no palette to design";
    if (options.colors) usage("-k" + why);
    if (!options.fixed.empty()) usage("--fix" + why);
    if (!options.given_palette.empty() && !target.screen) usage("--palette" + why);
    PaletteChoice choice;
    choice.entries = f.shown;
    // A screen of cells takes another master palette (an emulator's colours) from --palette.
    if (!options.given_palette.empty()) {
        if (options.given_palette.size() != f.shown.size())
            usage("--palette replaces target " + target.name + "'s master palette of " +
                  std::to_string(f.shown.size()) + " colours; the file has " +
                  std::to_string(options.given_palette.size()));
        choice.entries = options.given_palette;
    }
    choice.usable.assign(f.shown.size(), false);
    for (std::uint8_t code : f.codes) choice.usable[code] = true;
    if (any_transparent || options.transparency.key || options.transparent_index) {
        choice.transparent = options.transparent_index.value_or(f.codes.front());
        const auto t = std::size_t(*choice.transparent);
        if (*choice.transparent < 0 || t >= choice.usable.size() || !choice.usable[t])
            usage("--transparent-index " + std::to_string(*choice.transparent) +
                  " is not one of the codes of " + std::string(f.name));
    }
    return choice;
}

} // namespace

PaletteChoice choose_palette(const Histogram& opaque, bool any_transparent, const Target& target,
                             const ConvertOptions& options) {
    if (target.palette_format->is_fixed()) return fixed_palette(any_transparent, target, options);
    const DeviceLevels levels = device_levels(*target.palette_format);
    const int k =
        options.given_palette.empty() ? palette_colors(target, options) : target.palette_size;
    PaletteChoice choice;
    if (target.tiles && target.tiles->colour0 != Colour0::own &&
        options.transparent_index.value_or(0) != 0)
        usage("--transparent-index: on target " + target.name +
              " the hardware makes index 0 transparent");
    if (any_transparent || options.transparency.key || options.transparent_index ||
        reserves_colour0(target, options.tile.palette_bank)) {
        choice.transparent = options.transparent_index.value_or(0);
        if (*choice.transparent < 0 || *choice.transparent >= k)
            usage("--transparent-index " + std::to_string(*choice.transparent) +
                  " is outside the palette (0.." + std::to_string(k - 1) + ")");
    }
    const Rgb transparent_colour = levels.snap(options.transparency.key.value_or(Rgb{}));

    if (!options.given_palette.empty()) {
        if (int(options.given_palette.size()) > target.palette_size)
            usage("the given palette has " + std::to_string(options.given_palette.size()) +
                  " colours; target " + target.name + " holds " +
                  std::to_string(target.palette_size));
        for (Rgb c : options.given_palette) choice.entries.push_back(levels.snap(c));
        if (choice.transparent) {
            if (int(choice.entries.size()) <= *choice.transparent)
                choice.entries.resize(std::size_t(*choice.transparent) + 1);
            choice.entries[std::size_t(*choice.transparent)] = transparent_colour;
        }
        return choice;
    }

    // Which indices are taken before design: the transparent one and the pinned ones.
    std::vector<int> taken(std::size_t(k), 0);
    if (choice.transparent) taken[std::size_t(*choice.transparent)] = 1;
    auto fixed = options.fixed;
    std::sort(fixed.begin(), fixed.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    DesignOptions design_options{k - (choice.transparent ? 1 : 0),
                                 options.seed,
                                 options.space,
                                 options.threads,
                                 {},
                                 options.effort,
                                 {}};
    for (const auto& [index, colour] : fixed) {
        if (index < 0 || index >= k)
            usage("--fix " + std::to_string(index) + " is outside the palette (0.." +
                  std::to_string(k - 1) + ")");
        if (taken[std::size_t(index)])
            usage("--fix " + std::to_string(index) + " is " +
                  (choice.transparent == index ? "the transparent index" : "pinned twice"));
        taken[std::size_t(index)] = 1;
        design_options.fixed.push_back(colour);
    }
    const Design design = design_palette(opaque, levels, design_options);

    // The designed entries after the pinned ones, ordered, fill the free indices from 0 up.
    const std::size_t pinned = fixed.size();
    std::vector<Rgb> free_colors(design.palette.begin() +
                                     std::ptrdiff_t(std::min(pinned, design.palette.size())),
                                 design.palette.end());
    std::vector<std::uint64_t> counts(design.palette.size(), 0);
    for (std::size_t i = 0; i < opaque.size(); ++i) counts[design.labels[i]] += opaque.counts[i];
    std::vector<std::uint64_t> free_counts(
        counts.begin() + std::ptrdiff_t(std::min(pinned, counts.size())), counts.end());
    if (options.dither.kind != DitherKind::none)
        free_colors = spread_for_dithering(free_colors, free_counts, levels);
    const std::vector<std::size_t> order = free_order(free_colors, free_counts, options.order);

    choice.entries.assign(std::size_t(k), Rgb{});
    if (choice.transparent) choice.entries[std::size_t(*choice.transparent)] = transparent_colour;
    for (std::size_t f = 0; f < fixed.size(); ++f)
        choice.entries[std::size_t(fixed[f].first)] = design.palette[f];
    std::size_t next = 0, last = 0;
    for (int index = 0; index < k; ++index) {
        if (taken[std::size_t(index)]) {
            last = std::size_t(index) + 1;
            continue;
        }
        if (next == order.size()) continue;
        choice.entries[std::size_t(index)] = free_colors[order[next++]];
        last = std::size_t(index) + 1;
    }
    choice.entries.resize(last);
    return choice;
}

bool keeps_own_palette(const Image& image, const Target& target, const ConvertOptions& options) {
    if (!target.tiles || image.source_indices.empty() || options.redesign ||
        !options.given_palette.empty() || !options.fixed.empty() || options.colors ||
        options.dither.kind != DitherKind::none || options.order != PaletteOrder::designed ||
        options.engine != Engine::kmeans ||
        image.source_palette.size() > std::size_t(target.palette_size))
        return false;
    const DeviceLevels levels = device_levels(*target.palette_format);
    return std::all_of(image.source_palette.begin(), image.source_palette.end(),
                       [&](Rgb c) { return levels.snap(c) == c; });
}

namespace {

// Several images as one picture for designing the banks they share: each below the last, from
// a whole cell row, in a canonical order (by size, then pixels) so that the banks do not depend
// on the order they were given in; transparent pixels (and the padding) alpha 0, others 255.
struct Picture {
    Image image;
    Transparency transparency;
    std::vector<int> rows; // the cell row each image starts at, in the order given
};

Picture stack(std::span<const Image> images, const Transparency& transparency, int cell) {
    std::vector<std::size_t> order(images.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        const Image &x = images[a], &y = images[b];
        return std::tie(x.width, x.height, x.rgba, a) < std::tie(y.width, y.height, y.rgba, b);
    });
    const auto cells = [cell](int pixels) { return (pixels + cell - 1) / cell; };
    Picture out{{}, Transparency{1, std::nullopt}, std::vector<int>(images.size())};
    int width = 0, rows = 0;
    for (const std::size_t i : order) {
        out.rows[i] = rows;
        rows += cells(images[i].height);
        width = std::max(width, cells(images[i].width) * cell);
    }
    out.image = {width, rows * cell,
                 std::vector<std::uint8_t>(std::size_t(width) * std::size_t(rows * cell) * 4, 0)};
    for (std::size_t i = 0; i < images.size(); ++i) {
        const Image& image = images[i];
        for (int y = 0; y < image.height; ++y)
            for (int x = 0; x < image.width; ++x) {
                const std::size_t from = std::size_t(y) * std::size_t(image.width) + std::size_t(x);
                std::uint8_t* to =
                    &out.image.rgba[(std::size_t(out.rows[i] * cell + y) * std::size_t(width) +
                                     std::size_t(x)) *
                                    4];
                std::copy_n(&image.rgba[4 * from], 3, to);
                to[3] = transparency.at(image, from) ? 0 : 255;
            }
    }
    return out;
}

// Several banks for tile hardware, designed with each cell's bank (tile_palettes.h), over one
// image or several (stacked), one choice an image. Entry 0 of every bank is kept for transparent
// pixels where the hardware makes colour 0 transparent or the backdrop (or where the picture has
// transparent pixels).
std::vector<PaletteChoice> choose_tile_palettes(std::span<const Image> images, const Target& target,
                                                const ConvertOptions& options, int banks) {
    const MapFormat& map = *target.tiles->map;
    const std::string why = " does not go with --palettes (one palette a bank, designed)";
    if (!options.given_palette.empty()) usage("--palette" + why);
    if (!options.fixed.empty()) usage("--fix" + why);
    if (options.engine == Engine::fixed) usage("--engine fixed" + why);
    if (options.order != PaletteOrder::designed) usage("--order" + why);
    if (banks > int(map.palette.max()) + 1 ||
        options.tile.palette_bank + unsigned(banks) > map.palette.max() + 1)
        usage("--palettes " + std::to_string(banks) + " from bank " +
              std::to_string(options.tile.palette_bank) + ": target " + target.name + " has " +
              std::to_string(map.palette.max() + 1) + " banks");
    const int bank_size = target.palette_size;
    const bool transparent = options.transparency.key.has_value() ||
                             std::any_of(images.begin(), images.end(), [&](const Image& image) {
                                 return has_transparency(image, options.transparency);
                             });
    const bool reserve0 = target.tiles->colour0 != Colour0::own || transparent;
    TilePaletteOptions o;
    // On backdrop hardware index 0 of every bank shows bank 0's colour 0: with nothing
    // transparent and the banks from 0, that is one more colour every tile can use.
    o.shared_colour = target.tiles->colour0 == Colour0::backdrop && !transparent &&
                      options.tile.palette_bank == 0;
    o.banks = banks;
    o.cell = map.palette_cell();
    o.colours = options.colors.value_or(bank_size) - (reserve0 ? 1 : 0);
    if (o.colours < 1 || o.colours + (reserve0 ? 1 : 0) > bank_size)
        usage("-k " + std::to_string(*options.colors) + " is out of range: a bank of target " +
              target.name + " holds " + std::to_string(bank_size) + " entries");
    o.design = {o.colours, options.seed, options.space, options.threads, {}, options.effort, {}};
    const DeviceLevels levels = device_levels(*target.palette_format);
    const bool one = images.size() == 1;
    const Picture whole = one ? Picture{{}, {}, {0}} : stack(images, options.transparency, o.cell);
    const TilePalettes designed = design_tile_palettes(
        one ? images[0] : whole.image, one ? options.transparency : whole.transparency, levels, o);
    PaletteChoice choice;
    choice.bank_size = bank_size;
    choice.cell = o.cell;
    const Rgb transparent_colour = levels.snap(options.transparency.key.value_or(Rgb{}));
    for (const std::vector<Rgb>& bank : designed.banks) {
        std::vector<Rgb> entries;
        if (reserve0) entries.push_back(designed.shared.value_or(transparent_colour));
        entries.insert(entries.end(), bank.begin(), bank.end());
        entries.resize(std::size_t(bank_size), Rgb{});
        const std::size_t used = bank.size() + (reserve0 ? 1 : 0);
        for (std::size_t j = 0; j < entries.size(); ++j)
            choice.usable.push_back(j < used && !(reserve0 && j == 0 && !designed.shared));
        choice.entries.insert(choice.entries.end(), entries.begin(), entries.end());
    }
    if (reserve0 && !designed.shared) choice.transparent = 0;
    // Each image's cells: its rows of the whole's.
    std::vector<PaletteChoice> out;
    for (std::size_t i = 0; i < images.size(); ++i) {
        PaletteChoice own = choice;
        const int cell = o.cell, row = whole.rows[i];
        own.cells_across = (images[i].width + cell - 1) / cell;
        for (int y = 0; y < (images[i].height + cell - 1) / cell; ++y)
            for (int x = 0; x < own.cells_across; ++x)
                own.cell_bank.push_back(
                    designed.cell_bank[std::size_t(row + y) * std::size_t(designed.cells_across) +
                                       std::size_t(x)]);
        out.push_back(std::move(own));
    }
    return out;
}

} // namespace

int palette_banks(const Image& image, const Target& target, const ConvertOptions& options) {
    if (options.palettes) return options.palettes;
    if (!target.tiles || !options.given_palette.empty() || !options.fixed.empty() ||
        options.order != PaletteOrder::designed || options.engine != Engine::kmeans ||
        keeps_own_palette(image, target, options))
        return 1;
    return std::max(1, target.tiles->banks - int(options.tile.palette_bank));
}

// Whether k-means designs a palette of 8 or more colours for dithering: it then counts pixels in
// flat areas more (weighted_by_flatness). Measured with 4, 8 and 16 colours: it helps every kind
// of dithering from 8 up, and at 4 it costs butteraugli more than it gains (docs/bench-dither.md).
namespace {
// The dithering asked for, its ordered maps repeating with the tiles on tile hardware.
DitherOptions dither_for(const Target& target, const ConvertOptions& options) {
    DitherOptions d = options.dither;
    if (target.tiles) d.tile = 8;
    return d;
}

// What a screen of cells cannot do, refused rather than ignored.
void check_screen_options(const Target& target, const ConvertOptions& options) {
    const std::string why = " does not go with target " + target.name +
                            " (a screen of cells: each cell's colours from a fixed palette)";
    if (options.engine == Engine::fixed) usage("--engine fixed" + why);
    if (options.mask) usage("--mask" + why + "; it has no transparency");
    if (options.transparent_index) usage("--transparent-index" + why + "; it has no transparency");
    if (options.transparency.key) usage("--key" + why + "; it has no transparency");
    if (options.dither.kind == DitherKind::fs && options.dither.light)
        usage("--dither-space light does not go with --dither fs on target " + target.name +
              ": its Floyd-Steinberg chooses each cell's colours in sRGB values");
}

bool designs_for_dithering(const Target& target, const ConvertOptions& options) {
    return options.dither.kind != DitherKind::none && !target.palette_format->is_fixed() &&
           options.given_palette.empty() && palette_colors(target, options) >= 8;
}
} // namespace

namespace {

// --tileset-in: the options the new palette is designed with. Where tiles choose a bank, the
// banks after the seed's; else the seed's entries pinned at their indices.
ConvertOptions around_seed(const Target& target, const ConvertOptions& options) {
    const std::string why = " does not go with --tileset-in, whose palette entries are kept";
    if (!options.given_palette.empty()) usage("--palette" + why);
    if (!options.fixed.empty()) usage("--fix" + why);
    if (options.engine == Engine::fixed) usage("--engine fixed" + why);
    if (!target.tiles || !target.tiles->map)
        usage("--tileset-in is for tile maps; target " + target.name + " has none");
    ConvertOptions o = options;
    o.tileset.reset();
    const TilesetSeed& seed = *options.tileset;
    if (seed.banks) {
        if (options.tile.palette_bank)
            usage("--palette-bank does not go with --tileset-in: the new banks follow the "
                  "seed's " +
                  std::to_string(seed.banks));
        o.tile.palette_bank = unsigned(seed.banks);
        return o;
    }
    for (std::size_t i = 0; i < seed.entries.size(); ++i)
        o.fixed.emplace_back(int(i), seed.entries[i]);
    return o;
}

// --tileset-in where tiles choose a bank: `designed` (in the banks after the seed's) with the
// seed's banks in front, each cell's bank counted from the first of them. A single palette
// designed becomes the bank every cell takes.
PaletteChoice after_seed_banks(PaletteChoice designed, const TilesetSeed& seed,
                               const Target& target, const Image& image, bool any_transparent) {
    if (!seed.banks) return designed;
    PaletteChoice out = std::move(designed);
    const auto size = std::size_t(target.palette_size);
    if (out.usable.empty()) {
        out.usable.assign(out.entries.size(), true);
        if (out.transparent) out.usable[std::size_t(*out.transparent)] = false;
    }
    if (out.cell_bank.empty()) {
        out.cell = target.tiles->map->palette_cell();
        out.bank_size = int(size);
        out.cells_across = (image.width + out.cell - 1) / out.cell;
        out.cell_bank.assign(std::size_t(out.cells_across) *
                                 std::size_t((image.height + out.cell - 1) / out.cell),
                             0);
        out.entries.resize(size);
        out.usable.resize(size, false);
    }
    for (int& bank : out.cell_bank) bank += seed.banks;
    out.entries.insert(out.entries.begin(), seed.entries.begin(), seed.entries.end());
    out.usable.insert(out.usable.begin(), seed.entries.size(), false);
    if (out.transparent && target.tiles->colour0 == Colour0::own)
        *out.transparent += int(seed.entries.size()); // in the first designed bank
    // On backdrop hardware index 0 of every bank shows the seed's first entry: the new banks'
    // entry 0 holds it too (the hardware never reads it), and a picture with no transparent
    // pixel shows it where index 0 is.
    if (target.tiles->colour0 == Colour0::backdrop) {
        for (std::size_t b = seed.entries.size(); b < out.entries.size(); b += size)
            out.entries[b] = seed.entries[0];
        if (!any_transparent) out.transparent.reset();
    }
    return out;
}

} // namespace

PaletteChoice choose_palette_for(const Image& image, const Histogram& opaque, const Target& target,
                                 const ConvertOptions& options) {
    if (options.tileset)
        return after_seed_banks(
            choose_palette_for(image, opaque, target, around_seed(target, options)),
            *options.tileset, target, image,
            opaque.total() < image.pixel_count() || options.transparency.key);
    if (const int banks = palette_banks(image, target, options); banks > 1) {
        if (!target.tiles || !target.tiles->map)
            usage("--palettes is for tile hardware with a map (each tile picks a bank)");
        return choose_tile_palettes(std::span(&image, 1), target, options, banks).front();
    }
    if (keeps_own_palette(image, target, options)) {
        PaletteChoice own{image.source_palette, std::nullopt, true, {}, {}, 0, 0};
        if (reserves_colour0(target, options.tile.palette_bank)) own.transparent = 0;
        return own;
    }
    if (target.screen) check_screen_options(target, options);
    if (options.engine == Engine::fixed) return choose_palette_fixed(image, target, options);
    const bool any_transparent = opaque.total() < image.pixel_count();
    if (designs_for_dithering(target, options))
        return choose_palette(weighted_by_flatness(opaque, image, &options.transparency),
                              any_transparent, target, options);
    return choose_palette(opaque, any_transparent, target, options);
}

std::vector<PaletteChoice> choose_shared_palette(std::span<const Image> images,
                                                 const Histogram& pooled, bool any_transparent,
                                                 const Target& target,
                                                 const ConvertOptions& options) {
    if (options.tileset) {
        std::vector<PaletteChoice> out = choose_shared_palette(
            images, pooled, any_transparent, target, around_seed(target, options));
        for (std::size_t i = 0; i < images.size(); ++i)
            out[i] = after_seed_banks(std::move(out[i]), *options.tileset, target, images[i],
                                      any_transparent || options.transparency.key);
        return out;
    }
    int banks = options.palettes;
    if (!banks) {
        banks = target.tiles ? target.tiles->banks : 1;
        for (const Image& image : images)
            banks = std::min(banks, palette_banks(image, target, options));
    }
    if (banks > 1) {
        if (!target.tiles || !target.tiles->map)
            usage("--palettes is for tile hardware with a map (each tile picks a bank)");
        return choose_tile_palettes(images, target, options, banks);
    }
    return std::vector<PaletteChoice>(images.size(),
                                      choose_palette(pooled, any_transparent, target, options));
}

namespace {

// Each pixel to the nearest usable entry of its cell's bank, as a global index (bank x
// bank_size + entry).
IndexedImage remap_in_banks(const Image& image, std::span<const Rgb> shown,
                            const std::vector<bool>& usable, const PaletteChoice& palette) {
    const std::size_t size = std::size_t(palette.bank_size);
    std::vector<NearestSearch> searches;
    for (std::size_t b = 0; b * size < palette.entries.size(); ++b)
        searches.emplace_back(shown.subspan(b * size, size),
                              std::vector<bool>(usable.begin() + std::ptrdiff_t(b * size),
                                                usable.begin() + std::ptrdiff_t((b + 1) * size)));
    IndexedImage out{image.width, image.height, std::vector<std::uint8_t>(image.pixel_count())};
    for (int y = 0; y < image.height; ++y)
        for (int x = 0; x < image.width; ++x) {
            const std::size_t i = std::size_t(y) * std::size_t(image.width) + std::size_t(x);
            const auto b = std::size_t(palette.bank_at(x, y));
            out.indices[i] = std::uint8_t(b * size + searches[b].nearest(image.rgb_at(i)));
        }
    return out;
}

// The data arrays a conversion emits, in order: a screen's pieces, or the pixels (or tiles), then
// the map and the attribute map.
std::vector<std::span<const std::uint8_t>> data_arrays(const Conversion& out,
                                                       const Target& target) {
    std::vector<std::span<const std::uint8_t>> raw;
    if (target.screen) {
        for (const ScreenPiece& p : target.screen->pieces)
            raw.push_back(std::span(out.pixel_bytes).subspan(p.offset, p.size));
        return raw;
    }
    raw.push_back(out.pixel_bytes);
    if (!out.map_bytes.empty()) {
        const auto pieces = split_map(*target.tiles->map, out.map_bytes);
        raw.insert(raw.end(), pieces.begin(), pieces.end());
    }
    return raw;
}

// --compress: packs each data array, and unpacks it through the C core, which must give the raw
// bytes back (what the preview shows is then what the device unpacks).
void pack_arrays(Conversion& out, const Target& target, const CompressMethod& method,
                 const std::string& origin) {
    const std::vector<std::span<const std::uint8_t>> raw = data_arrays(out, target);
    out.compression = &method;
    for (std::span<const std::uint8_t> bytes : raw) {
        out.packed.push_back(compress(method, bytes));
        const auto back = unpack(method, out.packed.back(), bytes.size(), origin);
        if (!std::equal(back.begin(), back.end(), bytes.begin(), bytes.end()))
            throw std::logic_error("kpal: " + std::string(method.name) +
                                   " does not unpack to its input (please report this)");
    }
}

// --merge-tiles: the tiles a picture (or the screens of a shared set, `margins` of which have a
// map with margins) may keep: the tile limit less the tile offset, the seed's tiles and the blank
// tile of the margins.
std::size_t merge_budget(const Target& target, const ConvertOptions& options, bool margins) {
    const TileHardware& hw = *target.tiles;
    if (!hw.map) usage("--merge-tiles is for tile maps; sprites keep every frame's tiles");
    if (!options.tile.dedup) usage("--merge-tiles does not go with --no-dedup");
    const std::size_t limit = tile_limit(hw, options.tile);
    const std::size_t taken = options.tile.tile_offset + options.tile.seed.size() + margins;
    if (limit <= taken)
        usage("--merge-tiles: target " + target.name + "'s " + std::to_string(limit) +
              " tiles leave none after --tile-offset " + std::to_string(options.tile.tile_offset) +
              (options.tile.seed.empty()
                   ? ""
                   : " and the seed's " + std::to_string(options.tile.seed.size())));
    return limit - taken;
}

// Whether the map of a width x height picture has margins (screen blocks, a fixed screen), which
// show a blank tile.
bool has_margins(const Target& target, const ConvertOptions& options, int width, int height) {
    const auto [map_width, map_height] =
        map_size(*target.tiles->map, width, height, options.tile.screen_blocks);
    return map_width > (width + 7) / 8 || map_height > (height + 7) / 8;
}

// A picture's pixels mapped to its palette, before the tile stage or the packing: the conversion
// so far, the entries opaque pixels may take and which pixels are transparent.
struct Mapped {
    Conversion out;
    std::vector<bool> usable, transparent;
    std::span<const Rgb> shown() const {
        return std::span(out.shown_palette.data(), out.palette.size());
    }
};

// The merge's options for `target`, keeping `budget` tiles.
TileMergeOptions merge_options(const Target& target, const ConvertOptions& options, const Mapped& m,
                               std::size_t budget) {
    TileMergeOptions o;
    o.budget = budget;
    o.bank_size = 1 << target.tiles->format->bpp;
    o.flips = options.tile.flips && target.tiles->map->has_flips();
    o.transparent = m.out.transparent.has_value();
    return o;
}

// --merge-tiles: the picture's tiles merged to the budget.
void merge_to_budget(Mapped& m, const Image& image, const Target& target,
                     const ConvertOptions& options) {
    const std::size_t budget =
        merge_budget(target, options, has_margins(target, options, image.width, image.height));
    const TileMerge merged = merge_tiles(image, m.out.indexed, m.shown(), m.usable, m.transparent,
                                         merge_options(target, options, m, budget));
    if (merged.tiles_after == merged.tiles_before) return;
    m.out.merged_from = merged.tiles_before;
    m.out.unmerged = std::move(m.out.indexed);
    m.out.indexed = merged.indexed;
}

// --merge-tiles with --shared-tiles: the screens' tiles merged together, as one picture of them
// stacked (each from a whole tile row, the padding skipped), to the shared set's budget.
void merge_together(std::vector<Mapped>& mapped, std::span<const Image> images,
                    const Target& target, const ConvertOptions& options) {
    int width = 0, height = 0;
    bool margins = false;
    std::vector<int> top;
    for (const Image& image : images) {
        top.push_back(height);
        width = std::max(width, (image.width + 7) / 8 * 8);
        height += (image.height + 7) / 8 * 8;
        margins = margins || has_margins(target, options, image.width, image.height);
    }
    const std::size_t budget = merge_budget(target, options, margins);
    Image stack{width, height, std::vector<std::uint8_t>(std::size_t(width) * height * 4, 0)};
    IndexedImage indexed{width, height, std::vector<std::uint8_t>(std::size_t(width) * height, 0)};
    std::vector<bool> skip(std::size_t(width) * height, true);
    for (std::size_t i = 0; i < images.size(); ++i)
        for (int y = 0; y < images[i].height; ++y)
            for (int x = 0; x < images[i].width; ++x) {
                const std::size_t from = std::size_t(y) * std::size_t(images[i].width) + x;
                const std::size_t to = std::size_t(top[i] + y) * std::size_t(width) + x;
                std::copy_n(&images[i].rgba[4 * from], 4, &stack.rgba[4 * to]);
                indexed.indices[to] = mapped[i].out.indexed.indices[from];
                skip[to] = !mapped[i].transparent.empty() && mapped[i].transparent[from];
            }
    const TileMerge merged = merge_tiles(stack, indexed, mapped[0].shown(), mapped[0].usable, skip,
                                         merge_options(target, options, mapped[0], budget));
    if (merged.tiles_after == merged.tiles_before) return;
    for (std::size_t i = 0; i < images.size(); ++i) {
        Conversion& out = mapped[i].out;
        out.merged_from = merged.tiles_before;
        out.unmerged = out.indexed;
        for (int y = 0; y < images[i].height; ++y)
            std::copy_n(&merged.indexed.indices[std::size_t(top[i] + y) * std::size_t(width)],
                        images[i].width,
                        &out.indexed.indices[std::size_t(y) * std::size_t(images[i].width)]);
    }
}

} // namespace

namespace {

// How many distinct indices a picture uses.
int distinct_indices(const IndexedImage& indexed) {
    std::array<bool, 256> used{};
    for (std::uint8_t i : indexed.indices) used[i] = true;
    return int(std::count(used.begin(), used.end(), true));
}

// The picture a screen of cells can hold: its size, nothing transparent.
void check_screen_image(const Image& image, const Target& target, const ConvertOptions& options,
                        const std::string& origin) {
    const ScreenFormat& f = *target.screen;
    const std::string size = std::to_string(f.width) + "x" + std::to_string(f.height);
    if (image.frame_ms.size() > 1)
        throw_input_error(origin, "is an animation of " + std::to_string(image.frame_ms.size()) +
                                      " frames; target " + target.name +
                                      " holds one screen: pick one with --frames N-N");
    if (image.width != f.width || image.height != f.height)
        throw_input_error(origin, "is " + std::to_string(image.width) + "x" +
                                      std::to_string(image.height) + "; target " + target.name +
                                      " holds a " + size + " screen: convert with --fit " + size);
    if (has_transparency(image, options.transparency))
        throw_input_error(origin, "has transparent pixels; target " + target.name +
                                      " shows none: convert with --flatten COLOUR");
}

// Each cell's colours and each pixel's code: Floyd-Steinberg choosing the cells as it goes, or
// the cells chosen first (for the nearest colours, or for dithering) and every other kind of
// dithering within each cell's colours.
CellPicture cell_picture(const Image& image, std::span<const Rgb> shown,
                         std::span<const std::uint8_t> codes, const CellRule& rule,
                         const DitherOptions& dither) {
    if (dither.kind == DitherKind::fs)
        return diffuse_in_cells(image, shown, codes, rule, std::clamp(dither.strength, 0.0, 1.0));
    const CellAim aim = dither.kind == DitherKind::none ? CellAim::nearest : CellAim::dithered;
    CellPicture out{choose_cells(image, shown, codes, rule, aim), {}};
    // Each cell's entries, as few distinct sets as there are.
    std::vector<std::vector<std::uint8_t>> sets;
    std::map<std::uint64_t, int> known; // a set's codes, a byte each
    const auto key = [](const std::vector<std::uint8_t>& set) {
        std::uint64_t k = 0;
        for (const std::uint8_t code : set) k = k << 8 | (code + 1u);
        return k;
    };
    std::vector<int> set_of(image.pixel_count());
    for (int y = 0; y < image.height; ++y)
        for (int x = 0; x < image.width; ++x) {
            const std::vector<std::uint8_t> entries =
                out.cells.entries(out.cells.cell_of(x, y, rule));
            const auto [at, added] = known.emplace(key(entries), int(sets.size()));
            if (added) sets.push_back(entries);
            set_of[std::size_t(y) * std::size_t(image.width) + std::size_t(x)] = at->second;
        }
    out.codes = dither_in_sets(image, shown, dither, sets, set_of);
    return out;
}

// A screen of cells: each cell's colours chosen for the picture (cells.h; for dithering when it
// dithers), each pixel mapped or dithered within its cell's, the screen encoded, and the picture
// decoded back from those bytes.
Conversion render_screen(const Image& image, const PaletteChoice& palette, const Target& target,
                         const ConvertOptions& options, const std::string& origin) {
    check_screen_options(target, options);
    check_screen_image(image, target, options, origin);
    const ScreenFormat& format = *target.screen;
    Conversion out;
    out.palette = out.shown_palette = palette.entries;
    std::vector<std::uint8_t> codes = target.palette_format->codes;
    std::sort(codes.begin(), codes.end());
    const CellPicture picture =
        cell_picture(image, out.shown_palette, codes, *format.rule, options.dither);
    out.pixel_bytes = encode_screen(format, picture.codes, picture.cells);
    out.pixel_width = format.pixel_width;
    if (options.compress) pack_arrays(out, target, *options.compress, origin); // each piece
    out.indexed = decode_screen(format, out.pixel_bytes, origin);
    out.colors_used = distinct_indices(out.indexed);
    return out;
}

} // namespace

namespace {

// The pixels mapped (or dithered) to `palette`, and the palette encoded.
Mapped map_pixels(const Image& image, const Histogram& opaque, const PaletteChoice& palette,
                  const Target& target, const ConvertOptions& options) {
    Mapped m;
    Conversion& out = m.out;
    out.frame_ms = image.frame_ms;
    for (const int ms : image.frame_ms)
        out.duration_bytes.insert(out.duration_bytes.end(),
                                  {std::uint8_t(ms & 0xFF), std::uint8_t(ms >> 8 & 0xFF)});
    out.palette = palette.entries;
    out.transparent = palette.transparent;
    std::vector<Rgb> entries = palette.entries;
    // Unused entries are black (all zero bytes); several banks fill as many entries as they hold.
    entries.resize(std::max(std::size_t(target.palette_size), palette.entries.size()));
    encode_palette(*target.palette_format, entries, out.palette_bytes);
    out.shown_palette = decode_palette(*target.palette_format, out.palette_bytes);

    // Opaque pixels may take any entry but the transparent one.
    std::vector<bool>& usable = m.usable;
    usable = palette.usable;
    if (usable.empty()) {
        usable.assign(palette.entries.size(), true);
        if (palette.transparent) usable[std::size_t(*palette.transparent)] = false;
    }
    const std::span<const Rgb> shown(out.shown_palette.data(), palette.entries.size());
    std::vector<bool>& transparent = m.transparent;
    if (palette.transparent) {
        transparent.resize(image.pixel_count());
        for (std::size_t i = 0; i < image.pixel_count(); ++i)
            transparent[i] = options.transparency.at(image, i);
    }
    if (palette.own_indices) {
        out.indexed = {image.width, image.height, image.source_indices};
        transparent.clear(); // the artist's indices stand, transparent ones included
    } else if (options.engine == Engine::fixed) {
        out.indexed = remap_fixed(image, shown, target, options);
    } else if (!palette.cell_bank.empty() && options.dither.kind != DitherKind::none) {
        // Each pixel dithered within its tile's bank; the bank chosen on the undithered error.
        std::vector<int> bank_of(image.pixel_count());
        for (int y = 0; y < image.height; ++y)
            for (int x = 0; x < image.width; ++x)
                bank_of[std::size_t(y) * std::size_t(image.width) + std::size_t(x)] =
                    palette.bank_at(x, y);
        out.indexed = dither_in_banks(image, shown, usable, transparent,
                                      dither_for(target, options), bank_of, palette.bank_size);
    } else if (!palette.cell_bank.empty()) {
        out.indexed = remap_in_banks(image, shown, usable, palette);
    } else if (options.dither.kind == DitherKind::none) {
        const NearestSearch nearest(shown, usable);
        std::vector<std::uint8_t> labels(opaque.size());
        const auto label = [&](std::size_t begin, std::size_t end) {
            for (std::size_t i = begin; i < end; ++i)
                labels[i] = nearest.nearest(unpack_rgb(opaque.colors[i]));
        };
        // Each colour's entry is its own: the two halves of a large histogram at once.
        const std::size_t half = opaque.size() / 2;
        std::future<void> second;
        if (options.threads != 1 && half >= 8192)
            second = std::async(std::launch::async, label, half, opaque.size());
        label(0, second.valid() ? half : opaque.size());
        if (second.valid()) second.get();
        out.indexed = remap(image, opaque, labels, transparent);
    } else {
        out.indexed = dither(image, shown, usable, transparent, dither_for(target, options));
    }
    if (palette.transparent)
        for (std::size_t i = 0; i < transparent.size(); ++i)
            if (transparent[i]) out.indexed.indices[i] = std::uint8_t(*palette.transparent);
    if (options.tileset && target.tiles && target.tiles->map)
        place_seed_tiles(image, options.transparency, *options.tileset, out.shown_palette,
                         palette.bank_size, target, out.indexed);
    return m;
}

// --metasprite: each frame covered by pieces of the hardware's sizes (metasprite.h), the
// pieces' tiles and tables encoded, and the picture drawn back from those bytes.
void cover_with_pieces(Conversion& out, const Image& image, const Target& target,
                       const ConvertOptions& options, const std::string& origin) {
    const TileHardware& hw = *target.tiles;
    if (options.compress) usage("--compress does not go with --metasprite");
    const auto [fw, fh] = options.tile.frame.value_or(std::pair{image.width, image.height});
    if (fw % 8 || fh % 8 || image.width % fw || image.height % fh)
        usage("--metasprite: frames of " + std::to_string(fw) + "x" + std::to_string(fh) +
              " are not whole 8x8 tiles that cut the " + std::to_string(image.width) + "x" +
              std::to_string(image.height) + " sheet: give --frame WxH");
    // Both sprite hardwares kpal knows (GBA objects, Mega Drive sprites) mirror a sprite.
    Metasprites m = make_metasprites(out.indexed, fw, fh, hw.sprite_sizes, *hw.order, true);
    const std::size_t limit = tile_limit(hw, options.tile);
    if (options.tile.tile_offset + m.tiles.size() > limit)
        throw_input_error(origin, std::to_string(m.tiles.size()) + " tiles of pieces do not fit " +
                                      "the " + std::to_string(limit) + " tiles of target " +
                                      target.name);
    for (const Tile& t : m.tiles) encode_tile(*hw.format, t, out.pixel_bytes);
    out.piece_bytes = piece_bytes(m);
    out.frame_bytes = frame_bytes(m);
    std::vector<Tile> tiles; // as the device reads them back
    for (std::size_t at = 0; at < out.pixel_bytes.size(); at += std::size_t(hw.format->bytes()))
        tiles.push_back(decode_tile(
            *hw.format, std::span(out.pixel_bytes).subspan(at, std::size_t(hw.format->bytes()))));
    out.indexed = draw_metasprites(tiles, out.piece_bytes, out.frame_bytes, *hw.order, image.width,
                                   image.height, fw, fh, origin);
    out.tiles = TileSet{m.tiles, {}, 0, 0, int(m.frames.size()), 0};
    out.metasprites = std::move(m);
}

// The rest of a picture's conversion once its pixels are mapped: the tile stage (the picture
// then decoded back from the tiles' bytes) or the packing of its pixels, the mask, compression.
Conversion finish(Mapped m, const Image& image, const PaletteChoice& palette, const Target& target,
                  const ConvertOptions& options, const std::string& origin) {
    Conversion& out = m.out;
    if (target.tiles && !target.tiles->map && options.tile.metasprite) {
        cover_with_pieces(out, image, target, options, origin);
    } else if (target.tiles) {
        // The tile stage, then the picture decoded back from the bytes, as the console shows it.
        out.tiles = make_tiles(out.indexed, *target.tiles, options.tile, origin);
        for (const Tile& t : out.tiles->tiles)
            encode_tile(*target.tiles->format, t, out.pixel_bytes);
        if (target.tiles->map) out.map_bytes = encode_map(*target.tiles->map, out.tiles->map);
        const int banks = palette.bank_size ? int(palette.entries.size()) / palette.bank_size : 1;
        out.indexed = decode_tiles(target, options.tile, image.width, image.height, out.pixel_bytes,
                                   out.map_bytes, banks, origin);
        // Where colour 0 is transparent (or the backdrop behind the layer), entry 0 of every
        // bank is: the transparent index.
        if (palette.transparent == 0 && palette.bank_size && target.tiles->colour0 != Colour0::own)
            for (std::uint8_t& v : out.indexed.indices)
                if (v % palette.bank_size == 0) v = 0;
    } else {
        const Geometry geometry{image.width, image.height, target.bpp, target.row_align};
        out.stride = int(target.layout->stride(geometry));
        target.layout->pack(geometry, out.indexed.indices, out.pixel_bytes);
    }

    std::vector<std::uint8_t> opaque_bits;
    if (options.mask || (palette.transparent && target.palette_format->is_fixed())) {
        opaque_bits.resize(image.pixel_count());
        for (std::size_t i = 0; i < image.pixel_count(); ++i)
            opaque_bits[i] = !options.transparency.at(image, i);
    }
    if (options.mask) {
        if (target.tiles) usage("--mask is for framebuffers; tile hardware has colour 0");
        const Geometry one_bit{image.width, image.height, 1, target.row_align};
        const PixelLayout& layout = mask_layout(target);
        layout.pack(one_bit, opaque_bits, out.mask_bytes);
        out.mask_stride = int(layout.stride(one_bit));
    }
    if (palette.transparent && target.palette_format->is_fixed())
        out.opaque = std::move(opaque_bits);

    out.colors_used = distinct_indices(out.indexed);
    if (options.compress && options.compress->lvgl)
        out.compression = options.compress; // inside LVGL's image: its emitters pack the data
    else if (options.compress)
        pack_arrays(out, target, *options.compress, origin);
    return std::move(m.out);
}

} // namespace

namespace {

// An animation on sprite hardware: each frame a sprite (--frame is the frame's size unless
// given).
ConvertOptions for_frames(const Image& image, const Target& target, const ConvertOptions& options) {
    ConvertOptions o = options;
    if (target.tiles && !target.tiles->map && !o.tile.frame && !image.frame_ms.empty())
        o.tile.frame = std::pair{image.width, image.height / frame_count(image)};
    return o;
}

} // namespace

Conversion render(const Image& image, const Histogram& opaque, const PaletteChoice& palette,
                  const Target& target, const ConvertOptions& options, const std::string& origin) {
    if (target.screen) return render_screen(image, palette, target, options, origin);
    if (options.tile.metasprite && (!target.tiles || target.tiles->map))
        usage("--metasprite is for sprite targets (gba-obj-4bpp, md-sprite); target " +
              target.name + " has no sprites");
    const ConvertOptions o = for_frames(image, target, options);
    Mapped m = map_pixels(image, opaque, palette, target, o);
    if (target.tiles && o.merge_tiles) merge_to_budget(m, image, target, o);
    return finish(std::move(m), image, palette, target, o, origin);
}

std::vector<Conversion> render_shared_tiles(std::span<const Image> images,
                                            std::span<const Histogram> opaque,
                                            std::span<const PaletteChoice> palettes,
                                            const Target& target, const ConvertOptions& options,
                                            std::span<const std::string> origins) {
    if (!target.tiles || !target.tiles->map)
        usage("--shared-tiles is for tile maps; target " + target.name + " has none");
    std::vector<Mapped> mapped;
    for (std::size_t i = 0; i < images.size(); ++i)
        mapped.push_back(map_pixels(images[i], opaque[i], palettes[i], target, options));
    if (options.merge_tiles) merge_together(mapped, images, target, options);
    std::vector<Conversion> out;
    ConvertOptions o = options;
    for (std::size_t i = 0; i < images.size(); ++i) {
        out.push_back(finish(std::move(mapped[i]), images[i], palettes[i], target, o, origins[i]));
        o.tile.seed = out.back().tiles->tiles; // the next screen starts from these
    }
    return out;
}

namespace {

// One frame of an animation's conversion: its rows of the picture and of the mask.
Conversion frame_of(const Conversion& c, int frame) {
    Conversion one;
    const int height = c.indexed.height / int(c.frame_ms.size());
    const auto rows = [&](const std::vector<std::uint8_t>& all) {
        const std::size_t size = std::size_t(c.indexed.width) * std::size_t(height);
        return std::vector<std::uint8_t>(all.begin() + std::ptrdiff_t(size * std::size_t(frame)),
                                         all.begin() +
                                             std::ptrdiff_t(size * std::size_t(frame + 1)));
    };
    one.indexed = {c.indexed.width, height, rows(c.indexed.indices)};
    if (!c.opaque.empty()) one.opaque = rows(c.opaque);
    one.shown_palette = c.shown_palette;
    one.transparent = c.transparent;
    one.pixel_width = c.pixel_width;
    return one;
}

} // namespace

std::vector<std::uint8_t> preview_png(const Conversion& c) {
    if (c.frame_ms.size() > 1) {
        std::vector<std::vector<std::uint8_t>> frames;
        for (int f = 0; f < int(c.frame_ms.size()); ++f)
            frames.push_back(preview_png(frame_of(c, f)));
        return assemble_apng(frames, c.frame_ms);
    }
    if (c.pixel_width > 1)
        return encode_preview_png(widened(c.indexed, c.pixel_width), c.shown_palette, std::nullopt);
    if (!c.opaque.empty()) return encode_masked_preview_png(c.indexed, c.shown_palette, c.opaque);
    return encode_preview_png(c.indexed, c.shown_palette, c.transparent_entry());
}

const PixelLayout& mask_layout(const Target& target) {
    if (target.layout && target.layout->supports(1) && target.bpp == 1) return *target.layout;
    return *find_pixel_layout("packed-msb");
}

Conversion convert(const Image& image, const Target& target, const ConvertOptions& options) {
    const Histogram opaque = build_histogram(image, &options.transparency, options.threads);
    return render(image, opaque, choose_palette_for(image, opaque, target, options), target,
                  options);
}

} // namespace kpal
