// Stage 5: encoded pixels and palette -> the files a build or an artist consumes. One row of a
// table per output format (name, suffix, what it writes).
#pragma once

#include "kpal/convert.h"
#include "kpal/target.h"

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace kpal {

// Where emitted C data goes, for the toolchains of small devices.
struct CodeOptions {
    std::string section;  // GCC section name ("" for the default)
    bool progmem = false; // AVR: keep the arrays in flash (PROGMEM) when compiled by avr-gcc
    int align = 0;        // byte alignment of the arrays (0 for the default)
};

// What an emitter writes into its comment so a reader can reproduce the file.
struct Provenance {
    std::string input;   // the input's file name, without directories
    std::string options; // the command-line options that shaped the output
};

// Everything an emitter needs.
struct EmitRequest {
    const Conversion& conversion;
    const Target& target;
    std::string symbol; // C / assembler name prefix
    Provenance provenance;
    CodeOptions code;
    std::string output;  // the path the user named
    bool pixels = true;  // write the pixel data (false: the palette of a shared set)
    bool palette = true; // write the palette (false: one image of a shared set)
    // Tile maps (--shared-tiles): the shared set's file holds the tiles and no map (`map`
    // false), each image's file its map and no tiles (`tiles` false).
    bool tiles = true, map = true;
    TileOptions tile{}; // tile hardware: the offset and bank the map entries carry
    int lvgl = 9;       // lvgl, lvgl-bin: the LVGL version whose header to write (9 or 8)
};

struct OutputFile {
    std::string path;
    std::vector<std::uint8_t> bytes;
};

// The options that shape an emitted file; each format takes some of them (OutputFormat::takes)
// and the program refuses the others, so no option is ever silently ignored.
enum class EmitOption : unsigned {
    name = 1,       // --name: the symbol
    section = 2,    // --section
    progmem = 4,    // --progmem
    align = 8,      // --align
    mask = 16,      // --mask: a 1-bit mask written beside the pixels
    compress = 32,  // --compress: the data arrays packed
    row_align = 64, // --row-align: the rows as the target lays them out
    lvgl = 128,     // --lvgl: the LVGL version (the format is an LVGL image)
};
constexpr unsigned operator|(EmitOption a, EmitOption b) {
    return unsigned(a) | unsigned(b);
}
constexpr unsigned operator|(unsigned a, EmitOption b) {
    return a | unsigned(b);
}

struct OutputFormat {
    std::string_view name;
    // The suffix of its files in a folder; an output of this suffix selects the first format
    // in the table that has it (.h: c, not arduboy; .c: c-source; .bin: bin).
    std::string_view suffix;
    std::string_view description;
    std::vector<OutputFile> (*emit)(const EmitRequest&);
    unsigned takes = 0;       // the EmitOptions it honours
    bool cuts_frames = false; // it cuts the picture into --frame sized frames
    bool one_picture = false; // it holds one picture: not an animation's frames and durations
    bool takes_option(EmitOption o) const { return (takes & unsigned(o)) != 0; }
};

// The command-line name of an emit option ("--section").
std::string_view emit_option_name(EmitOption o);

// Every emit option, in a stable order.
std::span<const EmitOption> emit_options();

// Every output format, in a stable order.
std::span<const OutputFormat> output_formats();

// The format named `name`; throws Error{usage} listing the known ones otherwise.
const OutputFormat& find_output_format(std::string_view name);

// The format an output path implies by its suffix (".h" gives c, ".bin" bin, ...), else c.
const OutputFormat& format_for_path(const std::string& path);

// A valid C identifier made from a file name: its stem, lower-cased, other characters as '_'.
std::string symbol_from_path(const std::string& path);

// True when `name` is a valid C identifier.
bool is_c_identifier(std::string_view name);

// `path` with its suffix (if any) replaced by `suffix` ("title.bin", ".pal" gives "title.pal").
std::string replace_suffix(const std::string& path, std::string_view suffix);

} // namespace kpal
