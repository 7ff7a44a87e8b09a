// The option table and what reads it: the parser and its checks, --help, the provenance words,
// and the JSON description.
#include "options.h"

#include "../table.h"
#include "cli.h"
#include "kpal/colorspace.h"
#include "kpal/compress.h"
#include "kpal/convert.h"
#include "kpal/decode.h"
#include "kpal/dither.h"
#include "kpal/emit.h"
#include "kpal/error.h"
#include "kpal/palette_file.h"
#include "kpal/resize.h"
#include "kpal/target.h"

#include <boost/program_options.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <limits>
#include <sstream>
#include <stdexcept>

namespace po = boost::program_options;

namespace kpal::cli {
namespace {

constexpr double all_of_64_bits = 18446744073709551615.0;

// The groups of --help, in the order they are printed.
constexpr std::string_view groups[] = {
    "Options", "Palette", "Tile hardware (targets with tiles: see 'kpal targets')", "Output"};
constexpr std::string_view main_group = groups[0], palette_group = groups[1],
                           tile_group = groups[2], output_group = groups[3];

template <class Names> std::vector<Choice> named(const Names& names) {
    std::vector<Choice> out;
    for (const auto& name : names) out.push_back({std::string(name), ""});
    return out;
}

std::vector<Choice> targets() {
    std::vector<Choice> out;
    for (const std::string& name : builtin_target_names())
        out.push_back({name, load_target(name).description});
    return out;
}
std::vector<Choice> palettes() {
    return named(builtin_palette_names());
}
std::vector<Choice> dithers() {
    std::vector<Choice> out{{"auto", ""}};
    for (Choice& c : named(dither_names())) out.push_back(std::move(c));
    return out;
}
std::vector<Choice> dither_spaces() {
    return {{"srgb", ""}, {"light", ""}};
}
std::vector<Choice> spaces() {
    return named(color_space_names());
}
std::vector<Choice> orders() {
    return named(palette_order_names());
}
std::vector<Choice> anchors() {
    return named(anchor_names());
}
std::vector<Choice> fit_modes() {
    return {{"crop", "fill the screen, cutting the longer side"},
            {"letterbox", "keep the whole picture, with bars of --fill beside it"}};
}
std::vector<Choice> engines() {
    return {{"kmeans", "the best palette"},
            {"fixed", "the integer C core a device runs, byte for byte"}};
}
std::vector<Choice> screen() {
    return {{"screen", "the target's screen size"}};
}
std::vector<Choice> transparent() {
    return {{"transparent", "no colour: the bars are transparent pixels"}};
}

// Each format, with the suffix that picks it where it is the first of that suffix.
std::vector<Choice> formats() {
    std::vector<Choice> out;
    for (const OutputFormat& f : output_formats()) {
        const bool picked =
            !f.suffix.empty() && &format_for_path("x" + std::string(f.suffix)) == &f;
        out.push_back(
            {std::string(f.name),
             std::string(f.description) + (picked ? " (" + std::string(f.suffix) + ")" : "")});
    }
    return out;
}

std::vector<Choice> compressions() {
    std::vector<Choice> out{{"platform", "the first method the target's platform decodes itself "
                                         "(its profile's decoders: GBA BIOS, LVGL)"}};
    for (const CompressMethod& m : compress_methods())
        out.push_back({std::string(m.name), std::string(m.description)});
    return out;
}

// preview reads plain streams: not LVGL's, which live inside its image files.
std::vector<Choice> stream_compressions() {
    std::vector<Choice> out;
    for (const CompressMethod& m : compress_methods())
        if (!m.lvgl) out.push_back({std::string(m.name), std::string(m.description)});
    return out;
}

std::vector<Choice> dac_names() {
    std::vector<Choice> out{{"ideal", "bit replication, what every preview shows"}};
    for (const DacModel& m : dac_models())
        if (std::none_of(out.begin(), out.end(), [&](const Choice& c) { return c.name == m.name; }))
            out.push_back({std::string(m.name), ""});
    return out;
}

constexpr unsigned both = Command::convert | Command::preview;
constexpr unsigned convert = Command::convert, preview = Command::preview;

// clang-format off
const Option table[] = {
    {"help", 'h', both, main_group, Type::flag, "", "", "show this help"},
    {"target", 't', both, main_group, Type::file, "TARGET", "",
     "a built-in target (see 'kpal targets') or the path of a profile file", 0, 0, targets},
    {"output", 'o', convert, main_group, Type::text, "OUTPUT", "",
     "the file to write (/dev/stdout prints it), or a folder (ending in '/') for several images"},
    {"output", 'o', preview, main_group, Type::text, "OUT.png", "", "the PNG to write"},
    {"size", 0, preview, main_group, Type::size, "WxH", "", "the image's width and height in pixels"},
    {"palette", 0, preview, main_group, Type::file, "FILE", "",
     "the palette bytes (default: DATA with the suffix .pal)"},
    {"dac", 0, preview, main_group, Type::choice, "MODEL", "ideal",
     "show the palette's codes as a display or emulator does, to compare with its screenshots: "
     "ideal (default: bit replication, e.g. (v << 2) | (v >> 4) for the VGA DAC); vga-dac: qemu, "
     "dosbox, bochs; bgr555-le: mgba, mednafen (v << 3), mednafen-gbc (the Game Boy Color's "
     "mixed channels); md9: mednafen (34 * v); pce9: mednafen (36 * v)", 0, 0, dac_names},
    {"map", 0, preview, main_group, Type::file, "FILE", "",
     "tile hardware: the map (default: DATA with the suffix .map)", 0, 0, nullptr, Fits::map},
    {"attr", 0, preview, main_group, Type::file, "FILE", "",
     "Game Boy Color: the attribute map (default: DATA with the suffix .attr)", 0, 0, nullptr,
     Fits::map},
    {"colors", 'k', convert, main_group, Type::whole, "K", "",
     "palette entries to fill, 1..the target's palette size (default: all of them)", 1, 256},
    {"resize", 0, convert, main_group, Type::size, "WxH|screen", "",
     "scale the image to W x H pixels (or the target's screen) first, stretched (area average)",
     0, 0, screen, Fits::any, "", Record::changed},
    {"fit", 0, convert, main_group, Type::size, "WxH|screen", "",
     "make the image W x H (or the target's screen) keeping its aspect, scaled by area average: "
     "by default the longer side is cut (--fit-mode crop)", 0, 0, screen, Fits::any, "",
     Record::changed},
    {"fit-mode", 0, convert, main_group, Type::choice, "crop|letterbox", "crop",
     "--fit: crop (default) fills the screen, cutting the longer side; letterbox keeps the whole "
     "picture, bars of --fill beside it (a portrait on a wide OLED keeps its head)", 0, 0,
     fit_modes, Fits::any, "fit", Record::changed},
    {"fill", 0, convert, main_group, Type::colour, "#RRGGBB|transparent", "#000000",
     "--fit-mode letterbox: the colour of the bars (default #000000), or transparent", 0, 0,
     transparent, Fits::any, "fit-mode=letterbox", Record::changed},
    {"anchor", 0, convert, main_group, Type::choice, "WHERE", "center",
     "--fit: the part kept (crop) or where the picture sits (letterbox): center (default), top, "
     "bottom, left, right, top-left, top-right, bottom-left, bottom-right", 0, 0, anchors,
     Fits::any, "fit", Record::changed},
    {"flatten", 0, convert, main_group, Type::colour, "#RRGGBB", "",
     "composite the image over this colour first, blended by its alpha, so every pixel is "
     "opaque: for a display without transparency, where anti-aliased edges should fade into its "
     "background", 0, 0, nullptr, Fits::any, "", Record::changed},
    {"preview", 0, convert, main_group, Type::text, "FILE.png", "",
     "also write an indexed PNG of exactly what the display will show (a folder for several)"},
    {"sheet", 0, convert, main_group, Type::text, "FILE.png", "",
     "also write a comparison sheet: original, display, numbered palette swatches"},
    {"stats", 0, convert, main_group, Type::flag, "", "",
     "print colours used, MSE, PSNR (also after a blur: what the eye sees of dithering) and the "
     "time of the whole conversion, stage by stage: load, histogram, design, render (remap or "
     "dither, pack, encode), emit (format the files), write"},
    {"quiet", 'q', convert, main_group, Type::flag, "", "", "print nothing but errors"},
    {"mask", 0, convert, output_group, Type::flag, "", "",
     "also write a 1-bit mask, 1 where the pixel is opaque (alpha at least --alpha-threshold, "
     "not --key): NAME_mask in C, NAME.mask beside a .bin; in the target's layout if it has 1 "
     "bit a pixel (pages: Arduboy), else rows of bits, leftmost in bit 7 (Adafruit GFX "
     "drawRGBBitmap)", 0, 0, nullptr, Fits::framebuffer, "", Record::changed},
    {"mask", 0, preview, main_group, Type::file, "FILE", "",
     "framebuffers: the mask 'kpal convert --mask' wrote (DATA.mask beside a .bin); its 0 bits "
     "show as transparent, as in convert's --preview", 0, 0, nullptr, Fits::framebuffer},
    {"palettes", 0, convert, tile_group, Type::whole, "N", "",
     "design N palette banks together, each 8x8 tile (NES: 16x16 area) drawing from the one that "
     "shows it best; default: all the target's, from --palette-bank on (GBA 16, SNES 8, Mega "
     "Drive 4, GBC 8, PC Engine 16, SMS 2, NES 4), or 1 with --palette, --fix, --order or "
     "--engine fixed; --palettes 1: one palette", 1, 256, nullptr, Fits::any, "",
     Record::changed},
    {"row-align", 0, convert, output_group, Type::whole, "N", "",
     "pad every row of pixels to a multiple of N bytes (the target's row_align; LVGL 9: the "
     "stride)", 1, 4096, nullptr, Fits::framebuffer, "", Record::changed},
    {"lvgl", 0, convert, output_group, Type::whole, "9|8", "9",
     "lvgl, lvgl-bin: the LVGL version to write for (default 9)", 8, 9, nullptr, Fits::any, "",
     Record::changed},
    {"dither", 0, convert, palette_group, Type::choice, "KIND", "none",
     "none (default); auto, or --dither alone: the kind measured best for the display "
     "(blue-noise on tile hardware, bayer8 with --engine fixed, sierra-lite in light on two "
     "colours and a panel's own colours, search in light on designed palettes: see "
     "--dither-space); fs (Floyd-Steinberg), sierra-lite, atkinson: error diffusion; search: "
     "Floyd-Steinberg refined to the least error the eye sees (the cleanest on 4 to 16 "
     "colours; on two colours as far apart as black and white it darkens shadows, so auto "
     "takes sierra-lite there); bayer4, bayer8, blue-noise: ordered, stable in animation (blue-noise: a 64x64 "
     "void-and-cluster map, even dots without Bayer's crosshatch; on tile hardware 8x8, so "
     "repeated tiles stay deduplicated)", 0, 0, dithers, Fits::any, "", Record::changed, "auto"},
    {"dither-space", 0, convert, palette_group, Type::choice, "srgb|light", "srgb",
     "where error diffusion and search add up their errors: srgb (default: the values) or "
     "light (linear sRGB, as the eye averages neighbouring pixels; far truer tones on two "
     "colours, where a 50 % checkerboard looks like sRGB 188, not 128)",
     0, 0, dither_spaces, Fits::any, "dither", Record::changed},
    {"dither-strength", 0, convert, palette_group, Type::real, "0..1", "1",
     "how much to dither (default 1)", 0, 1, nullptr, Fits::any, "dither", Record::changed},
    {"order", 0, convert, palette_group, Type::choice, "ORDER", "designed",
     "designed (default), luminance (darkest first) or frequency (most used first)", 0, 0,
     orders, Fits::any, "", Record::changed},
    {"colorspace", 0, convert, palette_group, Type::choice, "rgb|oklab", "rgb",
     "where k-means measures colour differences: rgb (default; what PSNR measures) or oklab "
     "(perceptual: closer to what the eye sees)", 0, 0, spaces, Fits::any, "", Record::changed},
    {"seed", 0, convert, palette_group, Type::whole, "N", "0",
     "0 (default) starts k-means from variance-minimising splits; any other N from k-means++ "
     "draws made with N. The same N always gives the same bytes", 0, all_of_64_bits, nullptr,
     Fits::any, "", Record::changed},
    {"effort", 0, convert, palette_group, Type::whole, "1|2|3", "2",
     "how long k-means runs: 3 to convergence (the lowest error); 2 (default) the same up to 32 "
     "colours, above that until an iteration gains under 0.1 % (on photos at 256 colours about "
     "0.015 dB lower in 60 % of the time); 1 until it gains under 0.1 % (0.3 % above 32 "
     "colours), with fewer swap trials (fastest). The same bytes for the same level", 1, 3,
     nullptr, Fits::any, "", Record::changed},
    {"shared-palette", 0, convert, palette_group, Type::flag, "", "",
     "several images: one palette for all, written once", 0, 0, nullptr, Fits::any, "",
     Record::changed},
    {"engine", 0, convert, palette_group, Type::choice, "kmeans|fixed", "kmeans",
     "kmeans (default): the best palette; fixed: the integer C core a device runs "
     "(include/kpal/core.h), so the output equals the device's byte for byte (opaque images; "
     "dither none, bayer4 or bayer8)", 0, 0, engines, Fits::any, "", Record::changed},
    {"refine-passes", 0, convert, palette_group, Type::whole, "N", "",
     "--engine fixed: passes over the pixels after the colour-cell design, 0..255 (default 2, as "
     "the core's KPAL_DEFAULT_REFINE_PASSES); give the device's kpal_params value to get its "
     "bytes. More cost time and help most at 256 colours", 0, 255, nullptr, Fits::any,
     "engine=fixed", Record::changed},
    {"no-dedup", 0, convert, tile_group, Type::flag, "", "",
     "keep every tile, repeated ones too (the map still names one tile a cell)", 0, 0, nullptr,
     Fits::map, "", Record::changed},
    {"no-flip", 0, convert, tile_group, Type::flag, "", "",
     "remove only exact repeats, not mirrored tiles (on maps with flip bits)", 0, 0, nullptr,
     Fits::map, "", Record::changed},
    {"screen-blocks", 0, both, tile_group, Type::flag, "", "",
     "lay the map out as the hardware's 32x32 screen blocks (GBA, SNES): rows padded to 32 with "
     "a blank tile, wider maps as further blocks", 0, 0, nullptr, Fits::map, "",
     Record::changed},
    {"merge-tiles", 0, convert, tile_group, Type::flag, "", "",
     "where the distinct tiles are more than the limit (the target's, or --max-tiles), merge the "
     "most alike (least added error) until they fit, instead of failing", 0, 0, nullptr,
     Fits::map, "", Record::changed},
    {"tag", 0, convert, main_group, Type::text, "NAME", "",
     "an Aseprite file: convert the frames of its tag NAME (default: every frame)", 0, 0, nullptr,
     Fits::any, "", Record::changed},
    {"frames", 0, convert, main_group, Type::text, "FIRST-LAST", "",
     "an animation (GIF, Aseprite): convert frames FIRST to LAST, counted from 1 as Aseprite "
     "shows them (default: every frame)", 0, 0, nullptr, Fits::any, "", Record::changed},
    {"shared-tiles", 0, convert, tile_group, Type::flag, "", "",
     "several images (the screens of a level): one tileset for all, repeated and flipped tiles "
     "found across them, written once with their shared palette as DIR/palette.SUFFIX; each "
     "image's file holds its map (--stats: the tiles each adds); --merge-tiles merges all "
     "their tiles together to the limit", 0, 0, nullptr, Fits::map, "",
     Record::changed},
    {"tileset-in", 0, convert, tile_group, Type::file, "TILES.bin", "",
     "start from tiles already in video memory (a font, a HUD, the last level's): TILES.bin in "
     "the target's tile format and TILES.pal beside it, as kpal writes them. They keep their "
     "indices and bytes, cells that show exactly as one of them use it, new tiles follow; the "
     "palette keeps the seed's banks and designs new ones after them (one-bank targets: the "
     "seed's entries pinned) and is written whole, so the output seeds the next run",
     0, 0, nullptr, Fits::map, "", Record::file},
    {"tile-offset", 0, both, tile_group, Type::whole, "N", "0",
     "the tiles go after N others in video memory: every map entry adds N", 0, 65535, nullptr,
     Fits::map, "", Record::changed},
    {"max-tiles", 0, convert, tile_group, Type::whole, "N", "",
     "at most N tiles, fewer than the target holds (video memory shared with sprites)", 1,
     65535, nullptr, Fits::map, "", Record::changed},
    {"palette-bank", 0, both, tile_group, Type::whole, "N", "0",
     "the palette goes in bank N: map entries carry N (index 0 of a bank other than 0 shows the "
     "backdrop, so it is kept free)", 0, 255, nullptr, Fits::map, "", Record::changed},
    {"frame", 0, both, tile_group, Type::size, "WxH", "",
     "sprite targets (and --format arduboy): the sheet cut into W x H frames in reading order, "
     "each frame's tiles together in the hardware's sprite order (default: the whole image is "
     "one frame)", 0, 0, nullptr, Fits::frames, "", Record::changed},
    {"metasprite", 0, convert, tile_group, Type::flag, "", "",
     "sprite targets: cover each frame (--frame, or an animation's) with the fewest hardware "
     "sprites of the target's sizes, over the tiles that show something, so a frame may be any "
     "whole number of tiles; writes NAME_pieces and NAME_frames beside the tiles (--stats: "
     "pieces against a greedy cover, the most on one scanline)",
     0, 0, nullptr, Fits::frames, "", Record::changed},
    {"master-palette", 0, both, palette_group, Type::file, "FILE.pal", "",
     "targets whose palette is colour codes (NES, Game Boy, mono and e-paper panels): the "
     "colours each code shows, from an emulator's or TV's .pal (R, G, B bytes a code), for "
     "design, remapping and the preview (default: the profile's; the NES's is an NTSC decoding "
     "of the PPU's signal, see the README)", 0, 0, nullptr, Fits::any, "", Record::file},
    {"redesign", 0, convert, palette_group, Type::flag, "", "",
     "tile targets: design a palette even for a palette PNG drawn in the target's colours, "
     "which otherwise keeps its own indices and palette order", 0, 0, nullptr, Fits::any, "",
     Record::changed},
    {"compress", 0, convert, output_group, Type::choice, "METHOD", "",
     "pack the pixel data (tiles, map: each array; not the palette) so the device unpacks it "
     "with its own decoder or the C core's kpal_unpack; the header gives each array's "
     "_COMPRESSED_SIZE and _DECOMPRESSED_SIZE:", 0, 0, compressions, Fits::any, "",
     Record::changed},
    {"compress", 0, preview, main_group, Type::choice, "METHOD", "",
     "the data files are streams of this --compress method (its own decoder's, as the device "
     "unpacks them)", 0, 0, stream_compressions},
    {"alpha-threshold", 0, convert, palette_group, Type::whole, "N", "128",
     "pixels with alpha below N are transparent (default 128; 0 for none)", 0, 256, nullptr,
     Fits::any, "", Record::changed},
    {"key", 0, convert, palette_group, Type::colour, "#RRGGBB", "",
     "pixels of this colour are transparent too", 0, 0, nullptr, Fits::any, "",
     Record::changed},
    {"transparent-index", 0, convert, palette_group, Type::whole, "N", "",
     "the entry transparent pixels take, reserved for them (default 0)", 0, 255, nullptr,
     Fits::any, "", Record::changed},
    {"palette", 0, convert, palette_group, Type::file, "FILE", "",
     "use this palette, design none: a .gpl, JASC-PAL, .act or PNG file, or vga-default, ega16, "
     "cga", 0, 0, palettes},
    {"fix", 0, convert, palette_group, Type::list, "INDEX=#RRGGBB", "",
     "pin palette entry INDEX to a colour; k-means designs the others around it (repeatable)"},
    {"fix-palette", 0, convert, palette_group, Type::file, "FILE", "",
     "pin the first entries to the colours of a palette file (or built-in name)", 0, 0,
     palettes},
    {"palette-out", 0, convert, palette_group, Type::text, "FILE", "",
     "also save the palette as .gpl, .act or (any other name) JASC-PAL, for --palette later"},
    {"threads", 0, convert, palette_group, Type::whole, "N", "0",
     "threads for palette design (0, the default: every core); the output does not depend on "
     "it", 0, 1024},
    {"format", 0, convert, output_group, Type::choice, "FORMAT", "",
     "what to write (default: by OUTPUT's suffix, else c):", 0, 0, formats},
    {"name", 0, convert, output_group, Type::text, "SYMBOL", "",
     "C and assembler name of the data (default: from OUTPUT's file name)"},
    {"section", 0, convert, output_group, Type::text, "NAME", "",
     "c, c-source, asm: put the data in this linker section (GCC, GNU as, NASM)"},
    {"progmem", 0, convert, output_group, Type::flag, "", "",
     "c, c-source: keep the data in flash on AVR (PROGMEM) when built by avr-gcc"},
    {"align", 0, convert, output_group, Type::whole, "N", "",
     "c, c-source, asm: align the arrays to N bytes (a power of two)", 1, 65536},
    {"jobs", 'j', convert, output_group, Type::whole, "N", "1",
     "convert N images at a time (default 1)", 1, 1024},
    {"max-pixels", 0, convert, output_group, Type::whole, "N", "67108864",
     "refuse images of more than N pixels, before decoding them (default 67108864, 8192 x 8192; "
     "also at most 32768 wide or high)", 1, all_of_64_bits},
    {"depfile", 0, convert, output_group, Type::text, "FILE", "",
     "also write a Make/Ninja depfile: the outputs depend on the images, the target profile and "
     "palette files"},
};
// clang-format on

bool takes(const Option& o, unsigned command) {
    return (o.commands & command) != 0;
}

const Option* find_row(unsigned command, std::string_view name) {
    for (const Option& o : table)
        if (o.name == name && takes(o, command)) return &o;
    return nullptr;
}

// A bound of a whole or real row as it is typed.
std::string number_text(const Option& o, double v) {
    if (o.type == Type::whole) return std::to_string(std::uint64_t(v));
    std::ostringstream s;
    s << v;
    return s.str();
}

std::string range_text(const Option& o) {
    return o.max >= 1e18 ? number_text(o, o.min) + " or more"
                         : number_text(o, o.min) + ".." + number_text(o, o.max);
}

bool is_choice(const Option& o, std::string_view value) {
    for (const Choice& c : choices_of(o))
        if (c.name == value) return true;
    return false;
}

std::string choice_list(const Option& o) {
    std::string out;
    for (const Choice& c : choices_of(o)) out += (out.empty() ? "" : ", ") + c.name;
    return out;
}

// The row's check of one value; throws Error{usage} naming the option and the value.
void check_value(const Option& o, const std::string& value) {
    const std::string said = o.shown() + " " + value;
    switch (o.type) {
    case Type::whole: {
        std::uint64_t v = 0;
        const auto r = std::from_chars(value.data(), value.data() + value.size(), v);
        if (r.ec != std::errc() || r.ptr != value.data() + value.size() || value.empty())
            throw Error(ErrorKind::usage, said + " is not a whole number (" + range_text(o) + ")");
        if (double(v) < o.min || double(v) > o.max)
            throw Error(ErrorKind::usage, said + " is out of range: " + range_text(o));
        return;
    }
    case Type::real: {
        std::size_t used = 0;
        double v = NAN;
        try {
            v = std::stod(value, &used);
        } catch (const std::exception&) {
            used = 0;
        }
        if (used != value.size() || value.empty() || !std::isfinite(v))
            throw Error(ErrorKind::usage, said + " is not a number (" + range_text(o) + ")");
        if (v < o.min || v > o.max)
            throw Error(ErrorKind::usage, said + " is out of range: " + range_text(o));
        return;
    }
    case Type::choice:
        if (!is_choice(o, value)) {
            std::vector<std::string> names;
            for (const Choice& c : choices_of(o)) names.push_back(c.name);
            const std::string near = closest_name(value, names);
            throw Error(ErrorKind::usage,
                        said + " is not one of: " + choice_list(o) +
                            (near.empty() ? "" : " (did you mean " + near + "?)"));
        }
        return;
    case Type::size:
        if (!is_choice(o, value) && !parse_size(value))
            throw Error(ErrorKind::usage, said + " is not WxH (for example 320x200)" +
                                              (o.choices ? " or " + choice_list(o) : ""));
        return;
    case Type::colour:
        if (!is_choice(o, value) && !parse_hex_colour(value))
            throw Error(ErrorKind::usage,
                        said + " is not #RRGGBB" + (o.choices ? " or " + choice_list(o) : ""));
        return;
    default:
        return;
    }
}

// "fit" or "engine=fixed": the option `needs` names is given (with that value).
bool met(const Args& args, std::string_view needs) {
    const std::size_t eq = needs.find('=');
    const std::string name(needs.substr(0, eq));
    if (!args.given(name)) return false;
    return eq == std::string_view::npos || args.text(name) == needs.substr(eq + 1);
}

po::options_description boost_options(unsigned command, std::string_view group,
                                      const std::string& caption) {
    po::options_description out(caption);
    for (const Option& o : table) {
        if (!takes(o, command) || (!group.empty() && o.group != group)) continue;
        const std::string names =
            std::string(o.name) + (o.letter ? std::string(",") + o.letter : "");
        std::string help(o.help);
        if (o.help.ends_with(':')) // the help names its choices and what each does
            for (const Choice& c : choices_of(o))
                if (!c.description.empty()) help += "\n" + c.name + ": " + c.description;
        if (o.type == Type::flag)
            out.add_options()(names.c_str(), help.c_str());
        else if (o.type == Type::list)
            out.add_options()(
                names.c_str(),
                po::value<std::vector<std::string>>()->value_name(std::string(o.value)),
                help.c_str());
        else
            out.add_options()(names.c_str(),
                              po::value<std::string>()->value_name(std::string(o.value)),
                              help.c_str());
    }
    return out;
}

// Boost's own messages are built by substituting the user's text into a template, which loops
// forever when that text holds a placeholder such as "%value%" (found by fuzzing): kpal words
// the messages itself from the error's type and option name.
std::string describe(const po::error& e) {
    const auto* named = dynamic_cast<const po::error_with_option_name*>(&e);
    const std::string option = named ? named->get_option_name() : "";
    if (dynamic_cast<const po::unknown_option*>(&e)) return "unrecognised option '" + option + "'";
    if (dynamic_cast<const po::invalid_option_value*>(&e) ||
        dynamic_cast<const po::validation_error*>(&e))
        return "the value given to " + option + " is not valid";
    if (dynamic_cast<const po::multiple_occurrences*>(&e))
        return option + " is given more than once";
    if (dynamic_cast<const po::ambiguous_option*>(&e)) return "'" + option + "' is ambiguous";
    if (const auto* syntax = dynamic_cast<const po::invalid_command_line_syntax*>(&e)) {
        if (syntax->kind() == po::invalid_syntax::missing_parameter)
            return option + " needs a value";
        if (syntax->kind() == po::invalid_syntax::extra_parameter)
            return option + " takes no value";
    }
    return "the command line is not valid" + (option.empty() ? std::string() : " at " + option);
}

// Boost's parse of the options and up to `positional_max` positionals; throws Error{usage}.
po::variables_map parse(const std::vector<std::string>& args,
                        const po::options_description& options, const char* positional,
                        int positional_max, const std::string& command) {
    po::positional_options_description positionals;
    positionals.add(positional, positional_max);
    po::variables_map vm;
    try {
        po::store(po::command_line_parser(args).options(options).positional(positionals).run(), vm);
        po::notify(vm);
    } catch (const po::too_many_positional_options_error&) {
        std::string name = positional;
        for (char& c : name) c = char(std::toupper(static_cast<unsigned char>(c)));
        throw Error(ErrorKind::usage,
                    command + " takes " + (positional_max == 1 ? "one " : "") + name);
    } catch (const po::error& e) {
        throw Error(ErrorKind::usage, describe(e));
    }
    return vm;
}

constexpr std::pair<Type, std::string_view> type_names[] = {
    {Type::flag, "flag"},     {Type::whole, "whole"},   {Type::real, "real"},
    {Type::choice, "choice"}, {Type::text, "text"},     {Type::file, "file"},
    {Type::size, "size"},     {Type::colour, "colour"}, {Type::list, "list"}};
constexpr std::pair<Fits, std::string_view> fits_names[] = {{Fits::any, "any"},
                                                            {Fits::framebuffer, "framebuffer"},
                                                            {Fits::map, "map"},
                                                            {Fits::frames, "frames"}};

template <class Key, std::size_t N>
std::string_view name_in(const std::pair<Key, std::string_view> (&names)[N], Key key) {
    for (const auto& [k, name] : names)
        if (k == key) return name;
    return "";
}

// One row as a JSON object (one line).
std::string json_row(const Option& o) {
    std::string commands;
    if (takes(o, Command::convert)) commands += "\"convert\"";
    if (takes(o, Command::preview))
        commands += std::string(commands.empty() ? "" : ",") + "\"preview\"";
    std::string out = "{\"name\":" + json_string(o.name) +
                      ",\"short\":" + (o.letter ? json_string(std::string(1, o.letter)) : "null") +
                      ",\"commands\":[" + commands + "],\"group\":" + json_string(o.group) +
                      ",\"type\":" + json_string(name_in(type_names, o.type)) +
                      ",\"value_name\":" + json_string(o.value) +
                      ",\"default\":" + (o.fallback.empty() ? "null" : json_string(o.fallback)) +
                      ",\"help\":" + json_string(o.help);
    if (o.type == Type::whole || o.type == Type::real)
        out += ",\"min\":" + number_text(o, o.min) +
               ",\"max\":" + (o.max >= 1e18 ? "null" : number_text(o, o.max));
    out += ",\"choices\":[";
    bool first = true;
    for (const Choice& c : choices_of(o)) {
        out += std::string(first ? "" : ",") + "{\"name\":" + json_string(c.name) +
               ",\"description\":" + json_string(c.description) + "}";
        first = false;
    }
    out += "],\"targets\":" + json_string(name_in(fits_names, o.fits)) +
           ",\"needs\":" + (o.needs.empty() ? "null" : json_string(o.needs));
    // The output formats that honour it, for the options that shape the file.
    for (const EmitOption e : emit_options()) {
        if (emit_option_name(e).substr(2) != o.name || !takes(o, Command::convert)) continue;
        std::string names;
        for (const OutputFormat& f : output_formats())
            if (f.takes_option(e)) names += (names.empty() ? "" : ",") + json_string(f.name);
        out += ",\"formats\":[" + names + "]";
    }
    return out + ",\"repeatable\":" + (o.type == Type::list ? "true" : "false") + "}";
}

} // namespace

std::string Option::shown() const {
    return letter ? std::string("-") + letter : "--" + std::string(name);
}

std::string command_name(Command command) {
    return command == Command::preview ? "preview" : "convert";
}

std::span<const Option> option_table() {
    return table;
}

std::vector<Choice> choices_of(const Option& option) {
    return option.choices ? option.choices() : std::vector<Choice>{};
}

bool Args::given(std::string_view name) const {
    return values_.find(name) != values_.end();
}

std::string Args::text(std::string_view name) const {
    const auto it = values_.find(name);
    if (it != values_.end()) return it->second.back();
    const Option* row = find_row(command_, name);
    if (!row) throw std::logic_error("no option --" + std::string(name));
    return std::string(row->fallback);
}

std::uint64_t Args::whole(std::string_view name) const {
    const std::string value = text(name);
    std::uint64_t v = 0;
    std::from_chars(value.data(), value.data() + value.size(), v);
    return v;
}

double Args::real(std::string_view name) const {
    const std::string value = text(name);
    return value.empty() ? 0.0 : std::stod(value);
}

std::vector<std::string> Args::list(std::string_view name) const {
    const auto it = values_.find(name);
    return it == values_.end() ? std::vector<std::string>{} : it->second;
}

void Args::resolve(std::string_view name, std::string value) {
    values_[std::string(name)] = {std::move(value)};
}

namespace {

// `args` with the implicit value inserted after each bare option that has one: "--dither"
// followed by nothing, by an option or by a file name (a word with a '.' or a '/'). Any other
// word is its value, so that a misspelt kind is refused by name.
std::vector<std::string> with_implicit_values(Command command,
                                              const std::vector<std::string>& args) {
    std::vector<std::string> out;
    for (std::size_t i = 0; i < args.size(); ++i) {
        out.push_back(args[i]);
        const Option* row =
            args[i].starts_with("--") ? find_row(command, args[i].substr(2)) : nullptr;
        if (!row || row->implicit.empty()) continue;
        const bool valued = i + 1 < args.size() && !args[i + 1].starts_with("-") &&
                            args[i + 1].find_first_of("./") == std::string::npos;
        if (!valued) out.emplace_back(row->implicit);
    }
    return out;
}

} // namespace

Args parse_command_line(Command command, const std::vector<std::string>& args,
                        const char* positional, int positional_max) {
    po::options_description all = boost_options(command, "", "");
    all.add_options()(positional, po::value<std::vector<std::string>>());
    const po::variables_map vm = parse(with_implicit_values(command, args), all, positional,
                                       positional_max, command_name(command));
    Args out;
    out.command_ = command;
    for (const auto& [name, value] : vm) {
        if (name == positional) {
            out.positionals_ = value.as<std::vector<std::string>>();
            continue;
        }
        const Option& row = *find_row(command, name);
        if (row.type == Type::flag)
            out.values_[name] = {""};
        else if (row.type == Type::list)
            out.values_[name] = value.as<std::vector<std::string>>();
        else
            out.values_[name] = {value.as<std::string>()};
        for (const std::string& v : out.values_[name]) check_value(row, v);
    }
    for (const Option& o : table)
        if (takes(o, command) && !o.needs.empty() && out.given(o.name) && !met(out, o.needs)) {
            std::string needs(o.needs);
            std::replace(needs.begin(), needs.end(), '=', ' ');
            throw Error(ErrorKind::usage, o.shown() + " goes with --" + needs);
        }
    return out;
}

std::string options_help(Command command) {
    std::ostringstream out;
    for (const std::string_view group : groups) {
        const bool any = std::any_of(std::begin(table), std::end(table), [&](const Option& o) {
            return takes(o, command) && o.group == group;
        });
        if (any) out << boost_options(command, group, std::string(group)) << "\n";
    }
    return out.str();
}

void check_fits(const Args& args, Command command, const Target& target,
                const OutputFormat* format) {
    for (const Option& o : table) {
        if (!takes(o, command) || !args.given(o.name) || o.fits == Fits::any) continue;
        const bool sprites = target.tiles && !target.tiles->map;
        const std::string option = o.shown();
        if (o.fits == Fits::framebuffer && target.tiles)
            throw Error(ErrorKind::usage,
                        option + " is for framebuffers; " + target.name + " is tile hardware");
        if (o.fits == Fits::frames && (sprites || (format && format->cuts_frames))) continue;
        if (o.fits == Fits::framebuffer && target.screen)
            throw Error(ErrorKind::usage,
                        option + " is for framebuffers; " + target.name + " is a screen of cells");
        if ((o.fits == Fits::map || o.fits == Fits::frames) && !target.tiles)
            throw Error(ErrorKind::usage,
                        option + " is for tile hardware; " + target.name +
                            (target.screen ? " is a screen of cells" : " is a framebuffer"));
        if (o.fits == Fits::map && sprites)
            throw Error(ErrorKind::usage,
                        option + " does not go with target " + target.name + " (sprites: no map)");
        if (o.fits == Fits::frames)
            throw Error(ErrorKind::usage,
                        option + " does not go with target " + target.name + " (a map)");
    }
}

std::string recorded(const Args& args, Command command) {
    std::string out;
    for (const Option& o : table) {
        if (!takes(o, command) || o.record == Record::no || !args.given(o.name)) continue;
        const std::string value =
            o.type == Type::whole ? std::to_string(args.whole(o.name)) : args.text(o.name);
        if (o.type == Type::flag)
            out += " --" + std::string(o.name);
        else if (o.record == Record::file)
            out += " --" + std::string(o.name) + " " + base_name(value);
        else if (value != o.fallback)
            out += " --" + std::string(o.name) + " " + value;
    }
    return out;
}

std::string options_json() {
    std::string out = "{\"kpal_options\":1,\"options\":[\n";
    bool first = true;
    for (const Option& o : table) {
        out += (first ? "" : ",\n") + json_row(o);
        first = false;
    }
    return out + "\n]}\n";
}

TileOptions tile_options(const Args& args) {
    TileOptions t;
    t.dedup = !args.given("no-dedup");
    t.flips = !args.given("no-flip");
    if (args.given("max-tiles")) t.max_tiles = unsigned(args.whole("max-tiles"));
    t.tile_offset = unsigned(args.whole("tile-offset"));
    t.palette_bank = unsigned(args.whole("palette-bank"));
    t.screen_blocks = args.given("screen-blocks");
    if (args.given("frame")) t.frame = parse_size(args.text("frame"));
    t.metasprite = args.given("metasprite");
    return t;
}

std::optional<std::array<std::uint8_t, 3>> parse_hex_colour(std::string_view text) {
    if (text.size() != 7 || text[0] != '#') return std::nullopt;
    unsigned v = 0;
    const auto r = std::from_chars(text.data() + 1, text.data() + 7, v, 16);
    if (r.ec != std::errc() || r.ptr != text.data() + 7) return std::nullopt;
    return std::array<std::uint8_t, 3>{std::uint8_t(v >> 16), std::uint8_t(v >> 8),
                                       std::uint8_t(v)};
}

} // namespace kpal::cli
