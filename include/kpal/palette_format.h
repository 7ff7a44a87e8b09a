// How a display stores one palette entry. Two kinds of format, each a table row:
// - channel formats, one table in the C core (src/core/palette.c: bytes per entry, where each
//   channel's bits sit, constant bits, byte order), to which this header adds a description and
//   C++ types. Decoding expands each channel by bit replication, which is what the hardware shows
//   (the VGA DAC's 6-bit v is shown as (v << 2) | (v >> 4); EGA's 2-bit levels as 0, 85, 170, 255);
// - code formats, where an entry is a code for one of a fixed set of colours (the Game Boy's four
//   shades, the NES's 64-colour master palette): a table of the colour each code shows, which a
//   profile may replace (emulators' .pal files), and the codes that encoding may choose;
// - fixed palettes, code formats with no palette memory: the pixels hold the codes (e-paper
//   panels, mono and grey OLEDs), and the table gives the colour each looks like.
// Encoding picks the code whose shown colour is nearest.
#pragma once

#include "kpal/image.h"

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace kpal {

struct PaletteFormat {
    std::string_view name;
    int bytes;               // bytes a palette entry (0: several entries share a byte)
    std::array<int, 3> bits; // code width of red, green, blue (channel formats)
    std::string_view use;    // where the format is found
    std::uint8_t id;         // the row of the C core's table (kpal_palette_formats), which
                             // holds where each bit sits; both libraries encode through it.
                             // KPAL_FORMAT_COUNT for a code format, which the core lacks.
    int entry_bits;          // bits an entry; below 8, entries are packed low bits first
    std::vector<Rgb> shown;  // code formats: the colour code c shows (empty: a channel format)
    std::vector<std::uint8_t> codes; // code formats: the codes encoding may pick, preferred first

    bool is_code_format() const { return !shown.empty(); }
    // A fixed palette: the pixels hold the codes and nothing else is stored (e-paper, OLEDs).
    bool is_fixed() const;
    bool in_core() const;
};

// Every palette format kpal knows, in a stable order.
std::span<const PaletteFormat> palette_formats();

// The format called `name`, or nullptr when there is none.
const PaletteFormat* find_palette_format(std::string_view name);

// The bytes `entries` entries take, and the entries that `bytes` bytes hold.
std::size_t palette_byte_size(const PaletteFormat& format, std::size_t entries);
std::size_t palette_entry_count(const PaletteFormat& format, std::size_t bytes);

// How big an entry is, for people: "2 bytes", "2 bits".
std::string entry_size_text(const PaletteFormat& format);

// A code format with its table replaced by `shown`, which holds as many colours as its own.
PaletteFormat with_shown_colours(const PaletteFormat& format, std::vector<Rgb> shown);

// The 8-bit value a display shows for a channel code of `bits` bits (bit replication).
std::uint8_t expand_channel(unsigned code, int bits);

// The code of `bits` bits whose expanded value is nearest to `value` (the lower one on a tie).
unsigned reduce_channel(std::uint8_t value, int bits);

// Appends the encoded entries of `colors` to `out` (palette_byte_size bytes).
void encode_palette(const PaletteFormat& format, std::span<const Rgb> colors,
                    std::vector<std::uint8_t>& out);

// The colours the display shows for encoded palette bytes (palette_entry_count entries; a
// trailing part of an entry is ignored).
std::vector<Rgb> decode_palette(const PaletteFormat& format, std::span<const std::uint8_t> bytes);

// The colours this format can show, which palette design snaps to: for a channel format the
// grid of the 8-bit values each channel can show, ascending; for a code format the colours of
// its codes (nearest by squared RGB distance, the first on a tie).
struct DeviceLevels {
    std::array<std::vector<std::uint8_t>, 3> channel;
    std::array<std::array<std::uint8_t, 256>, 3> nearest; // 8-bit value -> nearest level
    std::vector<Rgb> gamut;                               // a code format's colours
    // Nearest representable colour to an 8-bit colour / to a real-valued mean.
    Rgb snap(Rgb c) const;
    Rgb snap(const std::array<double, 3>& c) const;
};
DeviceLevels device_levels(const PaletteFormat& format);

} // namespace kpal
