// Stage 5: encoded pixels and palette -> the files a build consumes (C header, binaries).
#pragma once

#include "kpal/convert.h"
#include "kpal/target.h"

#include <string>
#include <string_view>

namespace kpal {

enum class OutputFormat { c, bin };

// The format named `name` ("c" or "bin"), throws Error{usage} otherwise.
OutputFormat parse_output_format(std::string_view name);

// The format an output path implies by its suffix (".h" -> c, ".bin" -> bin), else c.
OutputFormat format_for_path(const std::string& path);

// A valid C identifier made from a file name: its stem, lower-cased, other characters as '_'.
std::string symbol_from_path(const std::string& path);

// True when `name` is a valid C identifier.
bool is_c_identifier(std::string_view name);

// What an emitter writes into its comment so a reader can reproduce the file.
struct Provenance {
    std::string input;   // the input's file name, without directories
    std::string options; // the command-line options that shaped the output
};

// A C header (C89, C99 and C++ clean): include guard, <NAME>_WIDTH/_HEIGHT/_BPP/_STRIDE/
// _PALETTE_SIZE/_COLORS macros, static const unsigned char <name>_pixels[] and <name>_palette[].
std::string emit_c_header(const Conversion& conversion, const Target& target,
                          const std::string& symbol, const Provenance& provenance);

// The path of the palette file written beside a `bin` output: its suffix replaced by ".pal".
std::string palette_path_for(const std::string& bin_path);

} // namespace kpal
