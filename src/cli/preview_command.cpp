// `kpal preview`: emitted binaries back into a picture, exactly as the display shows them.
#include "cli.h"
#include "kpal/decode.h"
#include "kpal/emit.h"
#include "kpal/error.h"
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

)";

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
    std::string data, target_name, size_text, output, palette, dac_name = "ideal";
    po::options_description visible("Options");
    visible.add_options()("help,h", "show this help")(
        "target,t", po::value(&target_name)->value_name("TARGET"),
        "the target the data was made for (a built-in name or a profile file)")(
        "size", po::value(&size_text)->value_name("WxH"), "the image's width and height in pixels")(
        "palette", po::value(&palette)->value_name("FILE"),
        "the palette bytes (default: DATA with the suffix .pal)")(
        "output,o", po::value(&output)->value_name("OUT.png"), "the PNG to write")(
        "dac", po::value(&dac_name)->value_name("MODEL"),
        "vga-dac targets: show 6-bit values as ideal (default, (v << 2) | (v >> 4)), qemu, "
        "dosbox or bochs do, to compare with an emulator's screenshot");
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

    for (const std::string& input : {data, palette, target_name}) {
        std::error_code a, b;
        if (std::filesystem::weakly_canonical(output, a) ==
                std::filesystem::weakly_canonical(input, b) &&
            !a && !b)
            throw Error(ErrorKind::usage,
                        output + ": is also an input; kpal will not overwrite it");
    }
    const Target target = load_target(target_name);
    const auto pixels = read_file(data);
    const auto palette_bytes = read_file(palette);
    const DacModel* dac = find_dac_model(dac_name);
    if (!dac)
        return usage_error("--dac " + dac_name + " is not one of: ideal, qemu, dosbox, bochs",
                           "preview");
    if (dac_name != "ideal" && target.palette_format->name != "vga-dac")
        return usage_error("--dac applies to vga-dac palettes; target " + target.name + " has " +
                               std::string(target.palette_format->name),
                           "preview");
    Decoded decoded =
        decode_framebuffer(target, size->first, size->second, pixels, palette_bytes, data);
    if (dac_name != "ideal") decoded.shown = shown_through(*dac, palette_bytes);
    OutputSet outputs;
    outputs.add(output, encode_preview_png(decoded.indexed, decoded.shown));
    outputs.commit();
    return 0;
}

} // namespace kpal::cli
