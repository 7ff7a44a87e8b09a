#include "kpal/palette_file.h"

#include "kpal/error.h"
#include "kpal/load.h"
#include "kpal/palette_format.h"

#include <filesystem>
#include <fstream>
#include <sstream>

namespace kpal {
namespace {

// The 16 colours of EGA and CGA text modes (IBM's "RGBI" with brown for dark yellow).
std::vector<Rgb> ega16() {
    std::vector<Rgb> out;
    for (int i = 0; i < 16; ++i) {
        const int hi = i & 8 ? 85 : 0;
        Rgb c{std::uint8_t((i & 4 ? 170 : 0) + hi), std::uint8_t((i & 2 ? 170 : 0) + hi),
              std::uint8_t((i & 1 ? 170 : 0) + hi)};
        if (i == 6) c.g = 85; // brown
        out.push_back(c);
    }
    return out;
}

// The VGA BIOS's default 256-colour palette (mode 13h after INT 10h AX=0013h), as 6-bit DAC
// values shown by bit replication: the 16 EGA colours, 16 greys, then 24 hues around the colour
// wheel at three saturations for each of three intensities, then 8 blacks.
std::vector<Rgb> vga_default() {
    std::vector<Rgb> out = ega16();
    const auto dac = [](int r, int g, int b) {
        return Rgb{expand_channel(unsigned(r), 6), expand_channel(unsigned(g), 6),
                   expand_channel(unsigned(b), 6)};
    };
    for (int v : {0, 5, 8, 11, 14, 17, 20, 24, 28, 32, 36, 40, 45, 50, 56, 63})
        out.push_back(dac(v, v, v));
    const int levels[3][3][5] = {
        {{0, 16, 31, 47, 63}, {31, 39, 47, 55, 63}, {45, 49, 54, 58, 63}},
        {{0, 7, 14, 21, 28}, {14, 17, 21, 24, 28}, {20, 22, 24, 26, 28}},
        {{0, 4, 8, 12, 16}, {8, 10, 12, 14, 16}, {11, 12, 13, 15, 16}},
    };
    // The hue walk blue -> magenta -> red -> yellow -> green -> cyan -> blue, as indexes into a
    // row of levels (0 lowest, 4 highest) for red, green and blue.
    const int walk[24][3] = {{0, 0, 4}, {1, 0, 4}, {2, 0, 4}, {3, 0, 4}, {4, 0, 4}, {4, 0, 3},
                             {4, 0, 2}, {4, 0, 1}, {4, 0, 0}, {4, 1, 0}, {4, 2, 0}, {4, 3, 0},
                             {4, 4, 0}, {3, 4, 0}, {2, 4, 0}, {1, 4, 0}, {0, 4, 0}, {0, 4, 1},
                             {0, 4, 2}, {0, 4, 3}, {0, 4, 4}, {0, 3, 4}, {0, 2, 4}, {0, 1, 4}};
    for (const auto& intensity : levels)
        for (const auto& row : intensity)
            for (const auto& step : walk)
                out.push_back(dac(row[step[0]], row[step[1]], row[step[2]]));
    for (int i = 0; i < 8; ++i) out.push_back({0, 0, 0});
    return out;
}

// CGA mode 04h, palette 1 at high intensity: black, light cyan, light magenta, white.
std::vector<Rgb> cga() {
    return {{0, 0, 0}, {85, 255, 255}, {255, 85, 255}, {255, 255, 255}};
}

int to_channel(const std::string& path, int line, const std::string& word) {
    try {
        std::size_t used = 0;
        const int v = std::stoi(word, &used);
        if (used == word.size() && v >= 0 && v <= 255) return v;
    } catch (const std::exception&) {
    }
    throw_input_error(path + ":" + std::to_string(line),
                      "'" + word + "' is not a colour value 0..255");
}

// GIMP: "GIMP Palette", optional Name:/Columns: lines and # comments, then "R G B name" lines.
std::vector<Rgb> parse_gpl(const std::string& path, const std::string& text) {
    std::istringstream in(text);
    std::string line;
    std::vector<Rgb> out;
    int number = 0;
    while (std::getline(in, line)) {
        ++number;
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (number == 1 || line.empty() || line[0] == '#' || line.starts_with("Name:") ||
            line.starts_with("Columns:"))
            continue;
        std::istringstream words(line);
        std::string r, g, b;
        if (!(words >> r >> g >> b))
            throw_input_error(path + ":" + std::to_string(number), "expected 'R G B [name]'");
        out.push_back({std::uint8_t(to_channel(path, number, r)),
                       std::uint8_t(to_channel(path, number, g)),
                       std::uint8_t(to_channel(path, number, b))});
    }
    return out;
}

// JASC-PAL: "JASC-PAL", "0100", the count, then one "R G B" line a colour.
std::vector<Rgb> parse_jasc(const std::string& path, const std::string& text) {
    std::istringstream in(text);
    std::string magic, version, count_text;
    in >> magic >> version >> count_text;
    int count = 0;
    try {
        count = std::stoi(count_text);
    } catch (const std::exception&) {
        count = -1;
    }
    if (version != "0100" || count < 1 || count > 256)
        throw_input_error(path, "is not a JASC-PAL file of 1 to 256 colours");
    std::vector<Rgb> out;
    for (int i = 0; i < count; ++i) {
        std::string r, g, b;
        if (!(in >> r >> g >> b))
            throw_input_error(path, "has " + std::to_string(i) + " colours, not the " + count_text +
                                        " it announces");
        out.push_back({std::uint8_t(to_channel(path, 4 + i, r)),
                       std::uint8_t(to_channel(path, 4 + i, g)),
                       std::uint8_t(to_channel(path, 4 + i, b))});
    }
    return out;
}

// Adobe Color Table: 256 RGB triples; 772-byte files add the colour count (big-endian).
std::vector<Rgb> parse_act(const std::string& text) {
    std::size_t count = 256;
    if (text.size() == 772)
        count =
            std::min<std::size_t>(256, (std::uint8_t(text[768]) << 8) | std::uint8_t(text[769]));
    std::vector<Rgb> out;
    for (std::size_t i = 0; i < count; ++i)
        out.push_back({std::uint8_t(text[3 * i]), std::uint8_t(text[3 * i + 1]),
                       std::uint8_t(text[3 * i + 2])});
    return out;
}

} // namespace

std::vector<std::string> builtin_palette_names() {
    return {"cga", "ega16", "vga-default"};
}

std::vector<Rgb> read_palette(const std::string& name_or_path) {
    if (name_or_path == "vga-default") return vga_default();
    if (name_or_path == "ega16") return ega16();
    if (name_or_path == "cga") return cga();
    std::error_code ec;
    if (!std::filesystem::is_regular_file(name_or_path, ec))
        throw_input_error(name_or_path,
                          "no such palette file (or built-in palette: cga, ega16, vga-default)");
    std::ifstream in(name_or_path, std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    const std::string text = bytes.str();
    return parse_palette({reinterpret_cast<const std::uint8_t*>(text.data()), text.size()},
                         name_or_path);
}

std::vector<Rgb> parse_palette(std::span<const std::uint8_t> bytes, const std::string& name) {
    const std::string text(bytes.begin(), bytes.end());
    std::vector<Rgb> colors;
    if (text.starts_with("GIMP Palette"))
        colors = parse_gpl(name, text);
    else if (text.starts_with("JASC-PAL"))
        colors = parse_jasc(name, text);
    else if (text.starts_with("\x89PNG"))
        colors = png_colors(bytes, name);
    else if (text.size() == 768 || text.size() == 772)
        colors = parse_act(text);
    else
        throw_input_error(name, "not a palette file (GIMP .gpl, JASC-PAL, Adobe .act or PNG)");
    if (colors.empty()) throw_input_error(name, "holds no colours");
    if (colors.size() > 256)
        throw_input_error(name,
                          "holds " + std::to_string(colors.size()) + " colours, more than 256");
    return colors;
}

} // namespace kpal
