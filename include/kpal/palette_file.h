// Palettes from files and names, for --palette (remap to a given palette) and --fix-palette.
#pragma once

#include "kpal/image.h"

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace kpal {

// The colours of a palette: a built-in name (vga-default: the VGA BIOS's 256-colour palette;
// ega16: the 16 EGA/CGA text colours; cga: CGA mode 04h palette 1, high intensity), or a file:
// GIMP .gpl, JASC-PAL, Adobe .act (768 or 772 bytes), or a PNG (its PLTE, or else its distinct
// colours in the order they first appear, at most 256). Throws Error{input} naming the file.
std::vector<Rgb> read_palette(const std::string& name_or_path);

// The colours of a palette file's bytes (GIMP, JASC-PAL, ACT or PNG); `name` names it in errors.
std::vector<Rgb> parse_palette(std::span<const std::uint8_t> bytes, const std::string& name);

// The names read_palette knows without a file.
std::vector<std::string> builtin_palette_names();

} // namespace kpal
