// `kpal preview`: emitted binaries back into a picture, exactly as the display shows them.
#include "cli.h"
#include "kpal/compress.h"
#include "kpal/convert.h"
#include "kpal/decode.h"
#include "kpal/emit.h"
#include "kpal/error.h"
#include "kpal/layout.h"
#include "kpal/output.h"
#include "kpal/preview.h"
#include "kpal/target.h"
#include "options.h"

#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

namespace kpal::cli {
namespace {

constexpr const char* usage =
    R"(Usage: kpal preview DATA.bin -t TARGET --size WxH -o OUT.png [--palette DATA.pal]

Decodes framebuffer bytes (as written by 'kpal convert --format bin') and their palette with
TARGET's layout and palette format, and writes the picture the display would show as a PNG:
the round trip to check a binary before it goes into firmware.

For a screen of cells (zx-spectrum, tms9918-gfx2, msx-sc2, c64-hires, c64-multicolor) DATA is
the screen file (.scr, the pattern and colour tables, .sc2, .art, .kla), kpal's or another
program's, and --size may be left out.

For tile hardware DATA.bin holds the tiles, DATA.map the map (DATA.attr the attribute map of
the Game Boy Color), DATA.pal the palette; give the --tile-offset, --palette-bank,
--screen-blocks or --frame that the conversion had. Index 0 shows as transparent where the
hardware makes it so (sprites, banks other than 0 on backdrop hardware).

With --compress METHOD the data files (not the palette) are the compressed streams 'kpal convert
--compress METHOD' wrote; they are unpacked through the C core first, as the device would.

)";

// The bytes of a data file, unpacked when --compress names a method (at most `limit` bytes).
std::vector<std::uint8_t> data_bytes(std::vector<std::uint8_t> bytes, const CompressMethod* method,
                                     std::size_t limit, const std::string& path) {
    return method ? unpack(*method, bytes, limit, path) : bytes;
}

[[noreturn]] void usage_error_thrown(const std::string& message) {
    throw Error(ErrorKind::usage, message);
}

// A screen of cells (a .scr, .sc2, .art or .kla file, kpal's or another program's): its size is
// the format's, its colours the master palette's.
int preview_screen(const Args& args, const Target& target, const std::string& data,
                   const std::string& output) {
    const ScreenFormat& f = *target.screen;
    for (const char* option : {"compress", "palette", "map", "attr", "mask", "dac"})
        if (args.given(option))
            usage_error_thrown("--" + std::string(option) + " does not go with target " +
                               target.name + " (a screen of cells, stored whole)");
    if (args.given("size") && parse_size(args.text("size")) != std::pair(f.width, f.height))
        usage_error_thrown("--size " + args.text("size") + ": a " + std::string(f.name) +
                           " screen is " + std::to_string(f.width) + "x" +
                           std::to_string(f.height));
    const IndexedImage codes = decode_screen(f, read_file(data), data);
    OutputSet outputs;
    outputs.add(output, encode_preview_png(widened(codes, f.pixel_width),
                                           target.palette_format->shown, std::nullopt));
    outputs.commit();
    return 0;
}

} // namespace

int preview_command(const std::vector<std::string>& arguments) {
    const Args args = parse_command_line(Command::preview, arguments, "data", 1);
    if (args.given("help")) {
        std::cout << usage << options_help(Command::preview);
        return 0;
    }
    if (args.positionals().empty()) usage_error_thrown("preview needs DATA");
    if (!args.given("target")) usage_error_thrown("preview needs -t TARGET");
    if (!args.given("output")) usage_error_thrown("preview needs -o OUT.png");
    const std::string data = args.positionals()[0], output = args.text("output");
    const std::string palette =
        args.given("palette") ? args.text("palette") : replace_suffix(data, ".pal");
    const std::string map_path = args.text("map"), attr_path = args.text("attr");
    const std::string mask_path = args.text("mask"), dac_name = args.text("dac");
    for (const std::string& input : {data, palette, args.text("target"), map_path, attr_path,
                                     mask_path, args.text("master-palette")}) {
        std::error_code a, b;
        if (std::filesystem::weakly_canonical(output, a) ==
                std::filesystem::weakly_canonical(input, b) &&
            !a && !b)
            throw Error(ErrorKind::usage,
                        output + ": is also an input; kpal will not overwrite it");
    }
    const CompressMethod* method =
        args.given("compress") ? find_compress_method(args.text("compress")) : nullptr;
    Target target = load_target(args.text("target"));
    if (args.given("master-palette")) set_master_palette(target, args.text("master-palette"));
    check_fits(args, Command::preview, target, nullptr);
    if (target.screen) return preview_screen(args, target, data, output);
    if (!args.given("size")) usage_error_thrown("preview needs --size WxH (for example 320x200)");
    const std::string size_text = args.text("size");
    const auto size = parse_size(size_text);
    if (args.given("attr") && target.tiles && map_pieces(*target.tiles->map).size() < 2)
        usage_error_thrown("--attr: target " + target.name + "'s map has no attribute map");
    // A framebuffer's size is known; tiles and maps are at most what a stream can say.
    const std::size_t most = std::size_t(1) << 24;
    const auto pixels = data_bytes(
        read_file(data), method,
        target.layout
            ? target.layout->size({size->first, size->second, target.bpp, target.row_align})
            : most,
        data);
    // A fixed palette has no bytes: the pixels are the codes.
    const auto palette_bytes =
        target.palette_format->is_fixed() ? std::vector<std::uint8_t>{} : read_file(palette);
    // "ideal" is bit replication, what every preview shows; other models are per format.
    const std::string_view format = target.palette_format->name;
    const DacModel* dac = dac_name == "ideal" ? nullptr : find_dac_model(dac_name, format);
    if (dac_name != "ideal" && !dac) {
        std::string known = "ideal";
        for (const DacModel& m : dac_models())
            if (m.format == format && m.name != "ideal") known += ", " + std::string(m.name);
        usage_error_thrown("--dac " + dac_name + " is not a model for " + std::string(format) +
                           " palettes (target " + target.name + "): one of " + known);
    }
    const std::vector<Rgb> shown = dac ? shown_through(*dac, *target.palette_format, palette_bytes)
                                       : decode_palette(*target.palette_format, palette_bytes);
    if (target.tiles) {
        const TileOptions tile = tile_options(args);
        std::vector<std::uint8_t> map;
        if (target.tiles->map) // each piece from --map, --attr or beside DATA
            for (const MapPiece& piece : map_pieces(*target.tiles->map)) {
                const std::string file = args.given(piece.name)
                                             ? args.text(piece.name)
                                             : replace_suffix(data, piece.suffix);
                const auto bytes = data_bytes(read_file(file), method, most, file);
                map.insert(map.end(), bytes.begin(), bytes.end());
            }
        check_palette_bytes(target, palette_bytes, 256, data); // banks: up to 256 entries
        const int bank = 1 << target.bpp;
        const int banks = int((shown.size() + std::size_t(bank) - 1) / std::size_t(bank));
        const IndexedImage picture =
            decode_tiles(target, tile, size->first, size->second, pixels, map, banks, data);
        for (std::uint8_t i : picture.indices)
            if (i >= shown.size())
                throw_input_error(palette, "has " + std::to_string(shown.size()) +
                                               " entries; the picture uses index " +
                                               std::to_string(i));
        const std::optional<int> transparent =
            reserves_colour0(target, tile.palette_bank) ? std::optional<int>(0) : std::nullopt;
        OutputSet outputs;
        outputs.add(output, encode_preview_png(picture, shown, transparent));
        outputs.commit();
        return 0;
    }
    Decoded decoded =
        decode_framebuffer(target, size->first, size->second, pixels, palette_bytes, data);
    decoded.shown = shown;
    OutputSet outputs;
    if (!mask_path.empty()) {
        const Geometry one_bit{size->first, size->second, 1, target.row_align};
        const PixelLayout& layout = mask_layout(target);
        const std::vector<std::uint8_t> mask = read_file(mask_path);
        if (mask.size() != layout.size(one_bit))
            throw_input_error(mask_path, "mask of " + std::to_string(mask.size()) + " bytes; a " +
                                             size_text + " mask for target " + target.name +
                                             " takes " + std::to_string(layout.size(one_bit)));
        outputs.add(output, encode_masked_preview_png(decoded.indexed, decoded.shown,
                                                      layout.unpack(one_bit, mask)));
    } else {
        outputs.add(output, encode_preview_png(decoded.indexed, decoded.shown));
    }
    outputs.commit();
    return 0;
}

} // namespace kpal::cli
