// Helpers shared by the tests: scratch folders, files, running the kpal program, images.
#pragma once

#include "kpal/image.h"
#include "kpal/preview.h"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <sys/wait.h>
#include <vector>

namespace test {

namespace fs = std::filesystem;

inline const fs::path shared_images = KPAL_SHARED_IMAGES;
inline const fs::path source_dir = KPAL_SOURCE_DIR;

// A fresh empty folder, removed when the object goes.
struct ScratchDir {
    fs::path path;
    ScratchDir() {
        std::string tmpl = (fs::temp_directory_path() / "kpal-test-XXXXXX").string();
        path = ::mkdtemp(tmpl.data());
    }
    ~ScratchDir() { fs::remove_all(path); }
    fs::path operator/(const std::string& name) const { return path / name; }
    std::vector<std::string> files() const {
        std::vector<std::string> names;
        for (const auto& e : fs::directory_iterator(path)) names.push_back(e.path().filename());
        std::sort(names.begin(), names.end()); // directory order is the file system's
        return names;
    }
};

inline std::string read_text(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

inline std::vector<std::uint8_t> read_bytes(const fs::path& p) {
    const std::string s = read_text(p);
    return {s.begin(), s.end()};
}

inline void write_text(const fs::path& p, const std::string& text) {
    std::ofstream out(p, std::ios::binary);
    out << text;
}

inline std::string quote(const std::string& s) {
    std::string q = "'";
    for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return q + "'";
}

struct Run {
    int status = -1; // the exit status
    std::string out, err;
};

// Runs a shell command line, capturing stdout and stderr.
inline Run run_shell(const std::string& command) {
    ScratchDir io;
    const int raw = std::system(
        (command + " >" + quote((io / "out").string()) + " 2>" + quote((io / "err").string()))
            .c_str());
    Run r;
    r.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
    r.out = read_text(io / "out");
    r.err = read_text(io / "err");
    return r;
}

// Runs a shell command line that must succeed (the test stops with its output otherwise).
inline Run must(const std::string& command) {
    const Run r = run_shell(command);
    BOOST_TEST_REQUIRE(r.status == 0, command << "\n" << r.out << r.err);
    return r;
}

// A path quoted for the shell.
inline std::string q(const fs::path& p) {
    return quote(p.string());
}

// Runs the kpal program with arguments (each quoted).
inline Run run_kpal(const std::vector<std::string>& args) {
    std::string command = quote(KPAL_EXE);
    for (const std::string& a : args) command += " " + quote(a);
    return run_shell(command);
}

// Runs `kpal convert IMAGE -o OUTPUT ARGS...`, which must be refused as wrong usage (status 1)
// with a message holding `says`, and write no OUTPUT.
inline void convert_refused(const std::string& image, const fs::path& output,
                            const std::vector<std::string>& args, const std::string& says) {
    std::vector<std::string> all{"convert", image, "-o", output.string()};
    all.insert(all.end(), args.begin(), args.end());
    const Run r = run_kpal(all);
    BOOST_TEST(r.status == 1, r.err);
    BOOST_TEST(r.err.find(says) != std::string::npos, r.err);
    BOOST_TEST(!fs::exists(output));
}

// Whether a tool the test needs is on the PATH. Missing on a developer's machine the test says
// "skipped: no TOOL" and goes on; in CI (CI set) a missing tool is an error, never a silent pass.
inline bool have_tool(const std::string& tool) {
    if (run_shell("command -v " + tool).status == 0) return true;
    if (std::getenv("CI"))
        BOOST_ERROR("no " + tool + " (CI must install it)");
    else
        std::printf("skipped: no %s\n", tool.c_str());
    return false;
}

// A deterministic pseudo-random generator for test data (xorshift64*).
struct Random {
    std::uint64_t state;
    explicit Random(std::uint64_t seed) : state(seed * 2654435761u + 1) {}
    std::uint32_t next() {
        state ^= state >> 12, state ^= state << 25, state ^= state >> 27;
        return std::uint32_t((state * 2685821657736338717ull) >> 32);
    }
    int below(int n) { return int(next() % std::uint32_t(n)); }
};

inline kpal::Image make_image(int w, int h, auto&& color_at) {
    kpal::Image img{w, h, std::vector<std::uint8_t>(std::size_t(w) * h * 4)};
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) {
            const kpal::Rgb c = color_at(x, y);
            std::uint8_t* p = &img.rgba[(std::size_t(y) * w + x) * 4];
            p[0] = c.r, p[1] = c.g, p[2] = c.b, p[3] = 255;
        }
    return img;
}

// A side-scrolling game's level, `width` x 160, drawn as its artist would on an 8x8 grid: flat
// sky, ground and brick platforms on the grid, so that their tiles repeat; symmetric hills, whose
// halves are mirrored tiles; clouds and coins off the grid, whose tiles are their own.
inline kpal::Image game_level(int width) {
    const kpal::Rgb sky{88, 144, 248}, cloud{248, 248, 248}, hill{0, 168, 64}, grass{0, 200, 0},
        soil{144, 96, 40}, brick{200, 72, 16}, mortar{64, 24, 0}, coin{248, 208, 0};
    const auto bricks = [&](int x, int y) {
        const int shift = (y / 4) % 2 ? 4 : 0;
        return y % 4 == 3 || (x + shift) % 8 == 0 ? mortar : brick;
    };
    return make_image(width, 160, [&](int x, int y) {
        if (y >= 136) return bricks(x, y);
        if (y >= 128) return y < 131 || (x + y) % 3 == 0 ? grass : soil;
        for (int cx = 60; cx < width; cx += 216) // hills 40 high, 80 wide at the base
            if (y >= 88 && std::abs(x - cx) <= y - 88) return hill;
        for (int px = 48; px + 24 <= width; px += 168) // platforms of three bricks
            if (y >= 96 && y < 104 && x >= px && x < px + 24) return bricks(x, y);
        for (int i = 0; 23 + 97 * i < width; ++i) { // clouds 40x16, off the grid
            const int cx = 43 + 97 * i, cy = 18 + 13 * (i % 3);
            const double dx = (x - cx) / 20.0, dy = (y - cy) / 8.0;
            if (dx * dx + dy * dy < 1) return cloud;
        }
        for (int i = 0; 13 + 61 * i < width; ++i) { // coins of radius 3
            const int cx = 13 + 61 * i, cy = 77;
            if ((x - cx) * (x - cx) + (y - cy) * (y - cy) <= 9) return coin;
        }
        return sky;
    });
}

// A HUD's font of 5x7 glyphs in 8x8 cells, white on dark blue, colours the GBA shows exactly:
// the glyphs of `hud_font_glyphs`, one a cell, left to right. `draw_hud` writes a line of them
// over the top row of cells of `image`, from the second cell, on the font's background.
inline const std::string hud_font_glyphs = " SCORE012";
inline void draw_glyph(kpal::Image& image, int x0, int y0, char glyph) {
    static const std::vector<std::pair<char, std::vector<std::string>>> rows{
        {' ', {"00000", "00000", "00000", "00000", "00000", "00000", "00000"}},
        {'S', {"01111", "10000", "10000", "01110", "00001", "00001", "11110"}},
        {'C', {"01110", "10001", "10000", "10000", "10000", "10001", "01110"}},
        {'O', {"01110", "10001", "10001", "10001", "10001", "10001", "01110"}},
        {'R', {"11110", "10001", "10001", "11110", "10100", "10010", "10001"}},
        {'E', {"11111", "10000", "10000", "11110", "10000", "10000", "11111"}},
        {'0', {"01110", "10011", "10101", "10101", "11001", "10001", "01110"}},
        {'1', {"00100", "01100", "00100", "00100", "00100", "00100", "01110"}},
        {'2', {"01110", "10001", "00001", "00010", "00100", "01000", "11111"}}};
    const auto it =
        std::find_if(rows.begin(), rows.end(), [&](const auto& r) { return r.first == glyph; });
    for (int y = 0; y < 8; ++y)
        for (int x = 0; x < 8; ++x) {
            const bool ink =
                y < 7 && x >= 1 && x < 6 && it->second[std::size_t(y)][std::size_t(x - 1)] == '1';
            std::uint8_t* p =
                &image.rgba[(std::size_t(y0 + y) * std::size_t(image.width) + std::size_t(x0 + x)) *
                            4];
            p[0] = ink ? 255 : 0, p[1] = ink ? 255 : 0, p[2] = ink ? 255 : 132, p[3] = 255;
        }
}
inline kpal::Image hud_font() {
    kpal::Image font = make_image(8 * int(hud_font_glyphs.size()), 8, [](int, int) {
        return kpal::Rgb{0, 0, 132};
    });
    for (std::size_t i = 0; i < hud_font_glyphs.size(); ++i)
        draw_glyph(font, 8 * int(i), 0, hud_font_glyphs[i]);
    return font;
}
inline void draw_hud(kpal::Image& image, const std::string& text) {
    for (int x = 0; x + 8 <= image.width; x += 8) draw_glyph(image, x, 0, ' ');
    for (std::size_t i = 0; i < text.size(); ++i) draw_glyph(image, 8 + 8 * int(i), 0, text[i]);
}

// Writes `image` as an RGBA PNG.
inline void write_png(const fs::path& path, const kpal::Image& image) {
    const std::vector<std::uint8_t> png = kpal::encode_rgba_png(image);
    write_text(path, std::string(png.begin(), png.end()));
}

// The first `count` 240x160 screens of a game_level, written into `dir` as screenN.png; with
// `hud` text, each with that HUD line over its top row.
inline std::vector<std::string> write_level_screens(const fs::path& dir, int count,
                                                    const std::string& hud = "") {
    const kpal::Image level = game_level(240 * count);
    std::vector<std::string> out;
    for (int s = 0; s < count; ++s) {
        kpal::Image screen = make_image(240, 160, [&](int x, int y) {
            return level.rgb_at(std::size_t(y) * std::size_t(level.width) +
                                std::size_t(x + 240 * s));
        });
        if (!hud.empty()) draw_hud(screen, hud);
        out.push_back((dir / ("screen" + std::to_string(s) + ".png")).string());
        write_png(out.back(), screen);
    }
    return out;
}

} // namespace test
