// A target profile: what one display needs (pixel layout, bits a pixel, palette format and
// size), read from an INI file with Boost.Program_options' config-file parser.
#pragma once

#include "kpal/cells.h"
#include "kpal/layout.h"
#include "kpal/palette_format.h"
#include "kpal/tiles.h"

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kpal {

struct Target {
    std::string name;                     // the built-in name, or the profile file's stem
    std::string origin;                   // "built-in" or the profile's path, for messages
    std::string description;              // one line for people
    const PixelLayout* layout = nullptr;  // a framebuffer's layout; nullptr for tile hardware
    std::optional<TileHardware> tiles;    // tile hardware: tiles (and a map), no layout
    const ScreenFormat* screen = nullptr; // a screen of cells (cells.h): no layout, no tiles
    int bpp = 8;
    int row_align = 1;
    const PaletteFormat* palette_format = nullptr; // a built-in row, or own_palette_format
    std::shared_ptr<const PaletteFormat> own_palette_format; // with the profile's master_palette
    std::string master_palette;     // the profile's master_palette path, as written
    std::vector<std::string> files; // files the profile reads (for depfiles)
    int palette_size = 256;         // entries the hardware's palette holds (at most 2^bpp)
    int screen_width = 0;           // informative: images of any size convert
    int screen_height = 0;
    // The --compress methods the platform decodes itself (the GBA BIOS, LVGL), preferred first:
    // what `--compress platform` picks. Empty: none (the C core unpacks every method anyway).
    std::vector<std::string> decoders;
};

// Parses a profile's text; `origin` names it in errors. Throws Error{input} naming origin, line
// and key for an unknown key, a missing key or a bad value.
Target parse_target(std::string_view text, const std::string& origin, const std::string& name);

// A built-in target by name, or a profile file when `name_or_path` names a file (it contains a
// '/' or ends in ".ini"), with the master palette file it names (a path relative to the
// profile's folder) read in. Throws Error{input} when neither exists or the profile or its
// master palette is malformed.
Target load_target(const std::string& name_or_path);

// Replaces a code format's colours with those of an emulator's or TV's master palette file
// (R, G, B bytes a code, the .pal emulators share; a file of eight tables, the NES's colour
// emphasis, gives its first), and lists the file in `target.files`. Throws Error{usage} when the
// target's palette is not colour codes, Error{input} for a file of the wrong size (naming the
// profile that named it, if any).
void set_master_palette(Target& target, const std::string& path, const std::string& named_by = "");

// The names of the built-in targets, sorted.
std::vector<std::string> builtin_target_names();

} // namespace kpal
