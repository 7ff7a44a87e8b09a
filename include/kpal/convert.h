// The whole job: the palette (designed, given, or shared by several images), then each image's
// pixels mapped to it (with optional dithering) and both encoded for a target.
#pragma once

#include "kpal/compress.h"
#include "kpal/design.h"
#include "kpal/dither.h"
#include "kpal/histogram.h"
#include "kpal/image.h"
#include "kpal/metasprite.h"
#include "kpal/target.h"
#include "kpal/tile_seed.h"
#include "kpal/tiles.h"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kpal {

// How designed entries are ordered in the palette (pinned and transparent entries keep their
// indices): as designed, by luminance (darkest first), or by pixel count (most used first).
enum class PaletteOrder { designed, luminance, frequency };

// The order called `name` (designed, luminance, frequency), or nothing.
std::optional<PaletteOrder> parse_palette_order(std::string_view name);

// Every order's name (designed, luminance, frequency).
std::vector<std::string_view> palette_order_names();

// Who designs the palette and maps the pixels: the k-means engine (design.h, remap.h, dither.h)
// or the C core a device runs (fixed_engine.h).
enum class Engine { kmeans, fixed };

struct ConvertOptions {
    Engine engine = Engine::kmeans;
    std::optional<int> refine_passes; // --engine fixed: passes over the pixels (the core's default)
    std::optional<int> colors;        // K; by default as many as the target's palette holds
    std::uint64_t seed = 0;           // see DesignOptions
    int effort = 2;                   // see DesignOptions
    ColorSpace space = ColorSpace::rgb; // where palette design measures distances
    int threads = 0;                    // 0: every core; the output is the same for any number
    DitherOptions dither;
    std::vector<Rgb> given_palette;         // not empty: these entries, in order; no design
    std::vector<std::pair<int, Rgb>> fixed; // pinned entries: index and colour
    Transparency transparency;              // which pixels are transparent
    std::optional<int> transparent_index;   // their index (0 when not given and there are any)
    PaletteOrder order = PaletteOrder::designed;
    TileOptions tile;      // tile hardware: dedup, flips, offsets, screen blocks, sprite frames
    bool redesign = false; // design a palette even for art drawn in the target's own colours
    const CompressMethod* compress = nullptr; // pack the data arrays (not the palette)
    bool mask = false; // framebuffers: also a 1-bit mask, 1 where the pixel is opaque
    // --merge-tiles: merge the most alike tiles until they fit the tile limit (tile_merge.h).
    bool merge_tiles = false;
    // Tile hardware with a map: banks designed together (tile_palettes.h); 0: palette_banks.
    int palettes = 0;
    // --tileset-in: tiles and palette entries already in video memory (tile_seed.h). The palette
    // is designed around them (new banks after the seed's, or the seed's entries pinned) and
    // holds them first; the picture's cells that show as a seed tile take it. Its tiles must also
    // be tile.seed, where the tile stage starts.
    std::optional<TilesetSeed> tileset;
};

// A palette before any pixel is mapped to it.
struct PaletteChoice {
    std::vector<Rgb> entries;       // by index; device colours; at most the target's size
    std::optional<int> transparent; // the index reserved for transparent pixels
    bool own_indices = false;       // the image keeps its own indices (see keeps_own_palette)
    // The entries opaque pixels may take (empty: all but the transparent one). A fixed palette
    // leaves out the codes that are not colours, and keeps the transparent one usable.
    std::vector<bool> usable;
    // Several banks (options.palettes > 1): entries hold the banks one after another, bank_size
    // entries each, and every cell of the picture (`cell` pixels a side: a tile, or the NES's
    // 16x16 attribute area; row-major, cells_across a row) draws only from its bank's.
    std::vector<int> cell_bank;
    int cells_across = 0;
    int cell = 8;
    int bank_size = 0;
    int bank_at(int x, int y) const {
        return cell_bank[std::size_t(y / cell) * std::size_t(cells_across) + std::size_t(x / cell)];
    }
};

struct Conversion {
    IndexedImage indexed;                    // one palette index a pixel
    std::size_t merged_from = 0;             // --merge-tiles: the distinct tiles before merging
    std::optional<IndexedImage> unmerged;    // and the picture they drew (for --stats)
    std::vector<Rgb> palette;                // the entries (PaletteChoice::entries)
    std::optional<int> transparent;          // the transparent index, if reserved
    std::vector<std::uint8_t> pixel_bytes;   // the framebuffer bytes, in the target's layout
    std::vector<std::uint8_t> palette_bytes; // target.palette_size entries, zero-filled past K
    std::vector<Rgb> shown_palette;          // decoded from palette_bytes: what the display shows
    int colors_used = 0;                     // distinct indices that occur in the image
    int stride = 0;                          // bytes a row of pixel_bytes (see PixelLayout)
    // Tile hardware: pixel_bytes holds the tiles, map_bytes the map (for a split map format, the
    // map and then the attribute map); `indexed` is decoded back from those bytes.
    std::optional<TileSet> tiles;
    std::vector<std::uint8_t> map_bytes;
    // --compress: the method, and each data array packed with it (the pixels or the tiles, then
    // the map, then the attribute map), checked to unpack through the C core to the raw arrays
    // above, which the preview shows. LVGL's methods pack its image data instead (lvgl.h), and
    // leave `packed` empty.
    const CompressMethod* compression = nullptr;
    std::vector<std::vector<std::uint8_t>> packed;
    // --mask: 1 bit a pixel, 1 where opaque, in the target's layout when it is a 1-bit one
    // (pages for the Arduboy, packed rows for XBM-style masks), else packed-msb rows (the masks
    // of Adafruit GFX's drawRGBBitmap); mask_stride bytes a row.
    std::vector<std::uint8_t> mask_bytes;
    int mask_stride = 0;
    // A fixed palette with transparent pixels: a byte a pixel, 0 where transparent (what --mask
    // marks). Their code is the panel's background, which opaque pixels show too, so the
    // preview marks these pixels, not an entry.
    std::vector<std::uint8_t> opaque;
    // A screen of wide pixels (the C64's multicolour): the preview shows each this many times.
    int pixel_width = 1;
    // An animation's frames, stacked top to bottom (Image::frame_ms): each one's duration in
    // milliseconds, and the same as 16-bit little-endian words (the durations array).
    std::vector<int> frame_ms;
    std::vector<std::uint8_t> duration_bytes;
    // --metasprite: the pieces that cover each frame, and the data's piece and frame tables
    // (metasprite.h); pixel_bytes holds the pieces' tiles.
    std::optional<Metasprites> metasprites;
    std::vector<std::uint8_t> piece_bytes, frame_bytes;

    // The entry whose pixels are transparent, where no mask says which are (`opaque` empty).
    std::optional<int> transparent_entry() const {
        return opaque.empty() ? transparent : std::nullopt;
    }
};

// The preview PNG of a conversion: what the display shows, transparent where the conversion's
// transparent entry or, for a fixed palette, its mask says; for an animation an animated PNG of
// its frames, each for its duration.
std::vector<std::uint8_t> preview_png(const Conversion& c);

// The layout a --mask of `target` is packed in (see Conversion::mask_bytes).
const PixelLayout& mask_layout(const Target& target);

// The number of entries a conversion fills: options.colors, or the target's palette size.
// Throws Error{usage} when options.colors is outside 1..palette size.
int palette_colors(const Target& target, const ConvertOptions& options);

// The dithering that measured best for the family of `target` (docs/bench-dither.md), what
// --dither auto picks: one row of a table for each family, the first that fits; its kind,
// whether it adds up errors in light and, for some families, its strength, the rest of
// options.dither as it was.
DitherOptions default_dither(const Target& target, const ConvertOptions& options);

// The palette for the opaque colours of one image or several (a merged histogram);
// `any_transparent` says whether some pixel is transparent. Throws Error{usage} for K, pinned
// or transparent indices that do not fit, or a given palette larger than the target's. A target
// with a fixed palette (PaletteFormat::is_fixed) gets its codes' colours, no design; its
// transparent pixels take the format's first code unless --transparent-index names another.
PaletteChoice choose_palette(const Histogram& opaque, bool any_transparent, const Target& target,
                             const ConvertOptions& options);

// Whether `image` keeps its own indices and palette order (palette swaps and colour cycling
// depend on them): a palette PNG for tile hardware whose PLTE has no more entries than the
// target's palette and only colours the hardware shows exactly, converted with no option that
// asks for another palette (--palette, -k, --fix, --dither, --order, --engine fixed, --redesign).
bool keeps_own_palette(const Image& image, const Target& target, const ConvertOptions& options);

// The palette banks one image's conversion designs: options.palettes when given, else the
// target's (TileHardware::banks) from --palette-bank on, or 1 where the options ask for one
// palette (--palette, --fix, --order, --engine fixed) or the image keeps its own.
int palette_banks(const Image& image, const Target& target, const ConvertOptions& options);

// The palette for one image: its own (keeps_own_palette), the fixed engine's, or designed from
// its opaque histogram.
PaletteChoice choose_palette_for(const Image& image, const Histogram& opaque, const Target& target,
                                 const ConvertOptions& options);

// The palette several images share (--shared-palette), one choice an image, the same entries in
// each: with several banks (palette_banks, the least of the images'), the banks designed over
// all the images' cells at once and each image's cells in their banks; else one palette from
// their merged histogram `pooled`. Does not depend on the order of the images.
std::vector<PaletteChoice> choose_shared_palette(std::span<const Image> images,
                                                 const Histogram& pooled, bool any_transparent,
                                                 const Target& target,
                                                 const ConvertOptions& options);

// Maps `image` (whose opaque histogram is `opaque`) to `palette` and encodes it for `target`;
// for tile hardware also cuts the tiles and builds the map. `origin` names the image in errors
// (Error{input} when its tiles do not fit the target).
Conversion render(const Image& image, const Histogram& opaque, const PaletteChoice& palette,
                  const Target& target, const ConvertOptions& options,
                  const std::string& origin = "the image");

// render for the screens of a level sharing one tileset (--shared-tiles), in order: each screen's
// tiles start from those of the screens before it (the first's from options.tile.seed), so that
// a tile repeated or mirrored anywhere is stored once; the last conversion's tiles are the
// whole set. With options.merge_tiles the screens' tiles are merged together to the set's
// budget first. `origins` name the images in errors.
std::vector<Conversion> render_shared_tiles(std::span<const Image> images,
                                            std::span<const Histogram> opaque,
                                            std::span<const PaletteChoice> palettes,
                                            const Target& target, const ConvertOptions& options,
                                            std::span<const std::string> origins);

// Whether index 0 is kept from the picture's opaque colours: for tile hardware whose colour 0 is
// transparent (sprites), or shows the backdrop and the palette is not in bank 0.
bool reserves_colour0(const Target& target, unsigned palette_bank);

// choose_palette and render for one image.
Conversion convert(const Image& image, const Target& target, const ConvertOptions& options);

// True when some pixel of `image` is transparent under `transparency`.
bool has_transparency(const Image& image, const Transparency& transparency);

} // namespace kpal
