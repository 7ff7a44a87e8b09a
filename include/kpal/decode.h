// The reverse of encoding: framebuffer and palette bytes -> what the display shows. Used by
// `kpal preview` to check a binary, and by the tests for round trips.
#pragma once

#include "kpal/image.h"
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

// Unpacks `pixels` (width x height in the target's layout) and decodes `palette` (whole entries
// of the target's format). `origin` names the data in errors: Error{input} when the byte counts
// do not fit the target, or an index has no palette entry.
Decoded decode_framebuffer(const Target& target, int width, int height,
                           std::span<const std::uint8_t> pixels,
                           std::span<const std::uint8_t> palette, const std::string& origin);

// How a VGA DAC, real or emulated, shows a 6-bit value as 8 bits: one row of a table each.
// ideal: (v << 2) | (v >> 4), nearest to a real DAC's v/63 of full scale; qemu (7.2, -vga std):
// (v << 2) | ((v & 1) * 3); dosbox (0.74, svga_s3): (v << 2) | (v >> 4); bochs (2.7): v << 2.
struct DacModel {
    std::string_view name;
    std::uint8_t (*expand)(unsigned v);
};

// Every DAC model, and the one called `name` (nullptr when there is none).
std::span<const DacModel> dac_models();
const DacModel* find_dac_model(std::string_view name);

// The colours a vga-dac palette's bytes (R, G, B of 0..63) show through `model`.
std::vector<Rgb> shown_through(const DacModel& model, std::span<const std::uint8_t> palette);

} // namespace kpal
