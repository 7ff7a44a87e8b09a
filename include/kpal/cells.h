// Screens of cells: each cell of the picture shows only a few colours of a fixed master palette
// (the ZX Spectrum's 8x8 ink and paper, the TMS9918 Graphics II's 8x1 rows of two colours, the
// Commodore 64's hires and multicolour bitmaps). The cell stage chooses each cell's colours;
// the screen formats store the picture and those colours as the hardware (or its file format)
// holds them, and read them back for the preview. One row of a table a screen mode, one a file.
#pragma once

#include "kpal/image.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace kpal {

// A screen mode's rule for its cells.
struct CellRule {
    std::string_view name;
    int width, height; // a cell, in pixels of the picture
    int colours;       // the colours each cell picks for itself
    // > 0: the master palette's codes come in groups of this many and a cell's colours are of
    // one group (the Spectrum's BRIGHT: codes 0-7 normal, 8-15 bright).
    int group;
    // One colour for the whole screen that every cell shows beside its own (the C64
    // multicolour background).
    bool background;
    // The Floyd-Steinberg strength --dither auto takes (diffuse_in_cells), measured by
    // tools/bench --cells: the most that keeps the plain PSNR at Dithertron's or above.
    double dither_strength;
};

// The colours each cell shows.
struct CellColours {
    int across = 0, down = 0; // cells
    // Each cell's own codes, ascending, rule.colours of them, row-major.
    std::vector<std::vector<std::uint8_t>> own;
    std::optional<std::uint8_t> background;

    std::size_t cell_of(int x, int y, const CellRule& rule) const {
        return std::size_t(y / rule.height) * std::size_t(across) + std::size_t(x / rule.width);
    }
    // The codes a pixel of cell `c` may take: its own and the background.
    std::vector<std::uint8_t> entries(std::size_t c) const;
};

// What the cells' colours are chosen for: the least error of each pixel's nearest colour (the
// exact optimum for an undithered picture), or for dithering: the least distance of each pixel
// to the mixtures the cell's colours can show (the segments between them), so that a cell
// whose pixels lie between two colours takes that pair, plus three times the nearest's error.
enum class CellAim { nearest, dithered };

// Each cell's colours from `codes` (the master palette's usable codes; `shown` their colours),
// by exhaustive search over every set the rule allows, squared RGB distance; with a background,
// the one that costs the least over the whole screen. The lowest codes win ties: the result
// depends only on the arguments. The image's size must be whole cells.
CellColours choose_cells(const Image& image, std::span<const Rgb> shown,
                         std::span<const std::uint8_t> codes, const CellRule& rule, CellAim aim);

// The background a rule's screen shows in every cell (the C64 multicolour's), chosen for the
// least error of the undithered screen (as choose_cells does); nothing for rules without one.
std::optional<std::uint8_t> screen_background(const Image& image, std::span<const Rgb> shown,
                                              std::span<const std::uint8_t> codes,
                                              const CellRule& rule);

// Every set of codes a cell may show under `rule` (its own colours, and the background when
// given), each ascending, in a fixed order.
std::vector<std::vector<std::uint8_t>> cell_sets(std::span<const std::uint8_t> codes,
                                                 const CellRule& rule,
                                                 std::optional<std::uint8_t> background);

// A screen's cells and the code each pixel shows.
struct CellPicture {
    CellColours cells;
    IndexedImage codes;
};

// Floyd-Steinberg that chooses each cell's colours as it reaches the cell: cells in raster
// order, each diffused with every set the rule allows (cell_sets) on its pixels plus the error
// carried in from the cells before it, and the set whose pixels end nearest to what they wanted
// taken; its error then flows on to the cells right and below. `strength` (0..1) scales the
// error carried. The background, where the rule has one, is chosen as for an undithered picture.
CellPicture diffuse_in_cells(const Image& image, std::span<const Rgb> shown,
                             std::span<const std::uint8_t> codes, const CellRule& rule,
                             double strength);

// A part of a screen file that a program places on its own (the bitmap, the attributes).
struct ScreenPiece {
    std::string_view name;
    std::size_t offset, size;
};

// How a screen of cells is stored: a file format (or the memory image) of fixed size.
struct ScreenFormat {
    std::string_view name;
    std::string_view description;
    std::string_view suffix; // its files' usual suffix
    const CellRule* rule;
    int width, height; // the picture it holds
    int pixel_width;   // how many times wider than high its pixels show (the C64's wide pixels)
    std::size_t size;  // bytes
    std::vector<ScreenPiece> pieces;
    // Writes the screen: `codes` one master palette code a pixel, each of its cell's entries.
    void (*encode)(const IndexedImage& codes, const CellColours& cells,
                   std::span<std::uint8_t> out);
    // The code each pixel shows.
    IndexedImage (*decode)(std::span<const std::uint8_t> bytes);
};

// `codes` with each pixel repeated `times` across: wide pixels as they show.
IndexedImage widened(const IndexedImage& codes, int times);

// Every screen format, in a stable order.
std::span<const ScreenFormat> screen_formats();

// The format called `name`, or nullptr.
const ScreenFormat* find_screen_format(std::string_view name);

// The screen's bytes. Throws std::logic_error when a pixel's code is not among its cell's.
std::vector<std::uint8_t> encode_screen(const ScreenFormat& format, const IndexedImage& codes,
                                        const CellColours& cells);

// The codes a screen's bytes show. Throws Error{input} naming `origin` when the byte count is
// not the format's.
IndexedImage decode_screen(const ScreenFormat& format, std::span<const std::uint8_t> bytes,
                           const std::string& origin);

} // namespace kpal
