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

#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

namespace po = boost::program_options;

namespace kpal::cli {
namespace {

constexpr const char* usage =
    R"(Usage: kpal preview DATA.bin -t TARGET --size WxH -o OUT.png [--palette DATA.pal]

Decodes framebuffer bytes (as written by 'kpal convert --format bin') and their palette with
TARGET's layout and palette format, and writes the picture the display would show as a PNG:
the round trip to check a binary before it goes into firmware.

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

std::vector<std::uint8_t> read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw_input_error(path, "cannot open");
    std::ostringstream bytes;
    bytes << in.rdbuf();
    if (in.bad()) throw_input_error(path, "cannot read");
    const std::string s = bytes.str();
    return {s.begin(), s.end()};
}

} // namespace

int preview_command(const std::vector<std::string>& args) {
    std::string data, target_name, size_text, output, palette, dac_name = "ideal", frame_text;
    unsigned tile_offset = 0, palette_bank = 0;
    std::string map_path, attr_path, compress_name, mask_path, master_palette;
    po::options_description visible("Options");
    visible.add_options()("help,h", "show this help")(
        "target,t", po::value(&target_name)->value_name("TARGET"),
        "the target the data was made for (a built-in name or a profile file)")(
        "size", po::value(&size_text)->value_name("WxH"), "the image's width and height in pixels")(
        "palette", po::value(&palette)->value_name("FILE"),
        "the palette bytes (default: DATA with the suffix .pal)")(
        "output,o", po::value(&output)->value_name("OUT.png"), "the PNG to write")(
        "dac", po::value(&dac_name)->value_name("MODEL"),
        "show the palette's codes as a display or emulator does, to compare with its "
        "screenshots: ideal (default: bit replication, e.g. (v << 2) | (v >> 4) for the VGA "
        "DAC); vga-dac: qemu, dosbox, bochs; bgr555-le: mgba, mednafen (v << 3), mednafen-gbc "
        "(the Game Boy Color's mixed channels); md9: mednafen (34 * v); pce9: mednafen (36 * v)")(
        "map", po::value(&map_path)->value_name("FILE"),
        "tile hardware: the map (default: DATA with the suffix .map)")(
        "attr", po::value(&attr_path)->value_name("FILE"),
        "Game Boy Color: the attribute map (default: DATA with the suffix .attr)")(
        "tile-offset", po::value(&tile_offset)->value_name("N"),
        "tile hardware: the map entries' tiles start at N")(
        "palette-bank", po::value(&palette_bank)->value_name("N"),
        "tile hardware: the palette is bank N")(
        "screen-blocks", "tile hardware: the map is laid out as 32x32 screen blocks")(
        "frame", po::value(&frame_text)->value_name("WxH"), "sprites: the frame size")(
        "compress", po::value(&compress_name)->value_name("METHOD"),
        "the data files are streams of this --compress method (gba-lz77, gba-rle, lz4, ...)")(
        "master-palette", po::value(&master_palette)->value_name("FILE.pal"),
        "codes (NES, Game Boy, panels): the colours they show, from an emulator's or TV's "
        ".pal, as in convert")(
        "mask", po::value(&mask_path)->value_name("FILE"),
        "framebuffers: the mask 'kpal convert --mask' wrote (DATA.mask beside a .bin); its 0 "
        "bits show as transparent, as in convert's --preview");
    po::options_description all;
    all.add(visible).add_options()("data", po::value(&data));
    po::variables_map vm;
    if (const auto status = parse(args, all, "data", 1, "preview", vm)) return *status;
    if (vm.count("help")) {
        std::cout << usage << visible;
        return 0;
    }
    if (data.empty()) return usage_error("preview needs DATA", "preview");
    if (target_name.empty()) return usage_error("preview needs -t TARGET", "preview");
    if (output.empty()) return usage_error("preview needs -o OUT.png", "preview");
    const auto size = parse_size(size_text);
    if (!size) return usage_error("preview needs --size WxH (for example 320x200)", "preview");
    if (palette.empty()) palette = replace_suffix(data, ".pal");

    for (const std::string& input :
         {data, palette, target_name, map_path, attr_path, mask_path, master_palette}) {
        std::error_code a, b;
        if (std::filesystem::weakly_canonical(output, a) ==
                std::filesystem::weakly_canonical(input, b) &&
            !a && !b)
            throw Error(ErrorKind::usage,
                        output + ": is also an input; kpal will not overwrite it");
    }
    const CompressMethod* method = nullptr;
    if (!compress_name.empty() && !(method = find_compress_method(compress_name)))
        return usage_error("--compress " + compress_name + " is not a method", "preview");
    if (method && method->lvgl)
        return usage_error("--compress " + compress_name +
                               " is inside LVGL's image files, which preview does not read",
                           "preview");
    Target target = load_target(target_name);
    if (!master_palette.empty()) set_master_palette(target, master_palette);
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
        return usage_error("--dac " + dac_name + " is not a model for " + std::string(format) +
                               " palettes (target " + target.name + "): one of " + known,
                           "preview");
    }
    const std::vector<Rgb> shown = dac ? shown_through(*dac, *target.palette_format, palette_bytes)
                                       : decode_palette(*target.palette_format, palette_bytes);
    if (target.tiles && !mask_path.empty())
        return usage_error("--mask is for framebuffers; on tile hardware colour 0 is transparent",
                           "preview");
    if (target.tiles) {
        TileOptions tile;
        tile.tile_offset = tile_offset;
        tile.palette_bank = palette_bank;
        tile.screen_blocks = vm.count("screen-blocks") > 0;
        if (!frame_text.empty() && !(tile.frame = parse_size(frame_text)))
            return usage_error("--frame " + frame_text + " is not WxH", "preview");
        std::vector<std::uint8_t> map;
        if (target.tiles->map) {
            const std::string map_file = map_path.empty() ? replace_suffix(data, ".map") : map_path;
            map = data_bytes(read_file(map_file), method, most, map_file);
            if (target.tiles->map->split) {
                const std::string attr_file =
                    attr_path.empty() ? replace_suffix(data, ".attr") : attr_path;
                const auto attr = data_bytes(read_file(attr_file), method, most, attr_file);
                map.insert(map.end(), attr.begin(), attr.end());
            }
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
            reserves_colour0(target, palette_bank) ? std::optional<int>(0) : std::nullopt;
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
