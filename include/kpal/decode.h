// The reverse of encoding: framebuffer and palette bytes -> what the display shows. Used by
// `kpal preview` to check a binary, and by the tests for round trips.
#pragma once

#include "kpal/image.h"
#include "kpal/palette_format.h"
#include "kpal/target.h"

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace kpal {

struct Decoded {
    IndexedImage indexed;
    std::vector<Rgb> shown; // the palette as the display shows it
};

// Throws Error{input} naming `origin` unless `palette` is whole entries of the target's format,
// at least one and at most `max_entries`.
void check_palette_bytes(const Target& target, std::span<const std::uint8_t> palette,
                         std::size_t max_entries, const std::string& origin);

// Unpacks `pixels` (width x height in the target's layout) and decodes `palette` (whole entries
// of the target's format). `origin` names the data in errors: Error{input} when the byte counts
// do not fit the target, or an index has no palette entry.
Decoded decode_framebuffer(const Target& target, int width, int height,
                           std::span<const std::uint8_t> pixels,
                           std::span<const std::uint8_t> palette, const std::string& origin);

// The picture tile hardware shows from its tile bytes and map bytes (for a split map format,
// the map and then the attribute map; none for sprites): width x height pixels, each the
// entry's index plus the bank size (2^bpp) times its bank's place among the `banks` given.
// Throws Error{input} naming `origin` when the byte counts do not fit, or an entry names a
// tile or bank that is not there.
IndexedImage decode_tiles(const Target& target, const TileOptions& options, int width, int height,
                          std::span<const std::uint8_t> tiles, std::span<const std::uint8_t> map,
                          int banks, const std::string& origin);

// How a display or an emulator shows a palette format's channel codes as 8 bits, one row of a
// table each; kpal's previews use bit replication, the `ideal` of every format. VGA DACs
// (vga-dac, 6 bits): ideal (v << 2) | (v >> 4), nearest to a real DAC's v/63 of full scale;
// qemu (7.2, -vga std) (v << 2) | ((v & 1) * 3); dosbox (0.74, svga_s3) (v << 2) | (v >> 4);
// bochs (2.7) v << 2. Consoles, measured in ../shared/CONSOLES.md: mgba (0.10, 5 bits)
// (v << 3) | (v >> 2); mednafen (1.29) v << 3 for 5 bits (gba, snes modules) and 34 * v for the
// Mega Drive's 3 (md module).
struct DacModel {
    std::string_view name;
    std::string_view format; // the palette format it shows
    std::uint8_t (*expand)(unsigned v);
    // Where the channels mix (a screen's colour response), the colour the codes r, g, b show;
    // nullptr where each channel is expand()ed alone.
    Rgb (*mix)(unsigned r, unsigned g, unsigned b) = nullptr;
};

// Every model, and the one called `name` for palette format `format` (nullptr when there is
// none; "ideal" is every format's bit replication).
std::span<const DacModel> dac_models();
const DacModel* find_dac_model(std::string_view name, std::string_view format);

// The colours `format`'s palette bytes show through `model`.
std::vector<Rgb> shown_through(const DacModel& model, const PaletteFormat& format,
                               std::span<const std::uint8_t> palette);

} // namespace kpal
