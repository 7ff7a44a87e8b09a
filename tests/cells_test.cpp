// Screens of cells: the choice of each cell's colours against a brute force written here from the
// hardware's rules, the same bytes on any number of threads, and the C arrays of a screen
// compiled. The emulators' view of the same files: tests/retro/screens_test.py.
#define BOOST_TEST_MODULE cells
#include "kpal/cells.h"
#include "kpal/convert.h"
#include "kpal/palette_format.h"
#include "kpal/target.h"
#include "support.h"

#include <boost/test/unit_test.hpp>

#include <limits>
#include <set>

using namespace kpal;

namespace {

// A picture with smooth areas, edges and noise, the screen's size.
Image picture(int w, int h, std::uint64_t seed) {
    test::Random random(seed);
    return test::make_image(w, h, [&](int x, int y) {
        const int n = random.below(40);
        const int r = (x * 255 / w + n) % 256, g = (y * 255 / h + (x / 17) * 30) % 256;
        const int b = (x + y) % 64 < 32 ? 200 - n : 40 + n;
        return Rgb{std::uint8_t(r), std::uint8_t(g), std::uint8_t(std::clamp(b, 0, 255))};
    });
}

long long squared(Rgb a, Rgb b) {
    const int dr = a.r - b.r, dg = a.g - b.g, db = a.b - b.b;
    return dr * dr + dg * dg + db * db;
}

// The least error a screen can show undithered, cell by cell over every pair of codes its
// hardware allows: ZX Spectrum ink and paper of one brightness (codes 0-7 or 8-15), TMS9918
// two of codes 1-15, C64 hires two of 0-15.
long long optimum(const Image& image, const std::vector<Rgb>& colours, int cell_w, int cell_h,
                  const std::vector<std::vector<int>>& groups) {
    long long total = 0;
    for (int cy = 0; cy < image.height; cy += cell_h)
        for (int cx = 0; cx < image.width; cx += cell_w) {
            long long best = std::numeric_limits<long long>::max();
            for (const std::vector<int>& g : groups)
                for (const int a : g)
                    for (const int b : g) {
                        long long e = 0;
                        for (int y = cy; y < cy + cell_h; ++y)
                            for (int x = cx; x < cx + cell_w; ++x) {
                                const Rgb p = image.rgb_at(std::size_t(y * image.width + x));
                                e += std::min(squared(p, colours[std::size_t(a)]),
                                              squared(p, colours[std::size_t(b)]));
                            }
                        best = std::min(best, e);
                    }
            total += best;
        }
    return total;
}

long long shown_error(const Image& image, const Conversion& c) {
    long long e = 0;
    for (std::size_t i = 0; i < image.pixel_count(); ++i)
        e += squared(image.rgb_at(i), c.shown_palette[c.indexed.indices[i]]);
    return e;
}

std::vector<int> range(int from, int to) {
    std::vector<int> out;
    for (int i = from; i < to; ++i) out.push_back(i);
    return out;
}

} // namespace

BOOST_AUTO_TEST_CASE(undithered_cells_show_the_least_error_the_hardware_allows) {
    struct Case {
        const char* target;
        int cell_w, cell_h;
        std::vector<std::vector<int>> groups;
    };
    const Case cases[] = {{"zx-spectrum", 8, 8, {range(0, 8), range(8, 16)}},
                          {"tms9918-gfx2", 8, 1, {range(1, 16)}},
                          {"c64-hires", 8, 8, {range(0, 16)}}};
    for (const Case& k : cases) BOOST_TEST_CONTEXT(k.target) {
            const Target t = load_target(k.target);
            const Image image = picture(t.screen_width, t.screen_height, 7);
            const Conversion c = convert(image, t, {});
            BOOST_TEST(shown_error(image, c) ==
                       optimum(image, t.palette_format->shown, k.cell_w, k.cell_h, k.groups));
        }
}

// Multicolour: the background one of 16, then each 4x8 cell three more. For every other
// background, each cell's best three found by brute force must show no less error than kpal's
// choice (on five rows of cells, to keep the brute force short).
BOOST_AUTO_TEST_CASE(the_multicolour_background_is_the_best_for_the_whole_screen) {
    const Target t = load_target("c64-multicolor");
    const Image image = picture(160, 40, 3);
    const std::vector<Rgb>& shown = t.palette_format->shown;
    std::vector<std::uint8_t> codes;
    for (const int c : range(0, 16)) codes.push_back(std::uint8_t(c));
    const CellColours chosen = choose_cells(image, shown, codes, *t.screen->rule, CellAim::nearest);
    const auto error_with = [&](const CellColours& cells) {
        long long e = 0;
        for (int y = 0; y < 40; ++y)
            for (int x = 0; x < 160; ++x) {
                long long best = std::numeric_limits<long long>::max();
                for (const std::uint8_t code : cells.entries(cells.cell_of(x, y, *t.screen->rule)))
                    best = std::min(best,
                                    squared(image.rgb_at(std::size_t(y * 160 + x)), shown[code]));
                e += best;
            }
        return e;
    };
    const long long best = error_with(chosen);
    BOOST_TEST(chosen.background.has_value());
    for (std::uint8_t bg = 0; bg < 16; ++bg) {
        if (bg == chosen.background) continue;
        // Each cell's best three beside this background: the rule without the screen-wide
        // choice, on the picture with the background's colour added to every cell.
        CellColours other = chosen;
        other.background = bg;
        for (int cy = 0; cy < 5; ++cy)
            for (int cx = 0; cx < 40; ++cx) {
                long long least = std::numeric_limits<long long>::max();
                std::vector<std::uint8_t> pick;
                for (int a = 0; a < 16; ++a)
                    for (int b = a + 1; b < 16; ++b)
                        for (int c = b + 1; c < 16; ++c) {
                            long long e = 0;
                            for (int y = cy * 8; y < cy * 8 + 8; ++y)
                                for (int x = cx * 4; x < cx * 4 + 4; ++x) {
                                    const Rgb p = image.rgb_at(std::size_t(y * 160 + x));
                                    e += std::min({squared(p, shown[bg]),
                                                   squared(p, shown[std::size_t(a)]),
                                                   squared(p, shown[std::size_t(b)]),
                                                   squared(p, shown[std::size_t(c)])});
                                }
                            if (e < least)
                                least = e,
                                pick = {std::uint8_t(a), std::uint8_t(b), std::uint8_t(c)};
                        }
                other.own[std::size_t(cy * 40 + cx)] = pick;
            }
        BOOST_TEST(error_with(other) >= best, "background " << int(bg));
    }
}

BOOST_AUTO_TEST_CASE(the_same_bytes_on_any_number_of_threads) {
    for (const char* name : {"zx-spectrum", "msx-sc2", "c64-hires", "c64-multicolor"})
        BOOST_TEST_CONTEXT(name) {
            const Target t = load_target(name);
            const Image image = picture(t.screen_width, t.screen_height, 11);
            ConvertOptions one, two;
            one.threads = 1, two.threads = 2;
            one.dither.kind = two.dither.kind = DitherKind::search;
            BOOST_TEST((convert(image, t, one).pixel_bytes == convert(image, t, two).pixel_bytes));
        }
}

// The C header's arrays compile and hold the screen file's pieces; the bin output is the file.
BOOST_AUTO_TEST_CASE(a_screens_header_compiles_and_holds_the_files_pieces) {
    for (const char* name : {"zx-spectrum", "msx-sc2", "c64-multicolor"}) BOOST_TEST_CONTEXT(name) {
            const Target t = load_target(name);
            test::ScratchDir dir;
            test::write_png(dir / "in.png", picture(t.screen_width, t.screen_height, 5));
            for (const char* out : {"img.h", "img.bin"})
                BOOST_TEST_REQUIRE(test::run_kpal({"convert", (dir / "in.png").string(), "-t", name,
                                                   "-q", "-o", (dir / out).string()})
                                       .status == 0);
            const std::vector<std::uint8_t> file = test::read_bytes(dir / "img.bin");
            BOOST_TEST(file.size() == t.screen->size);
            std::string program = "#include <stdio.h>\n#include \"img.h\"\nint main(void) {\n"
                                  "    size_t i;\n";
            std::string expected;
            for (const ScreenPiece& p : t.screen->pieces) {
                const std::string array = "img_" + std::string(p.name);
                program +=
                    "    for (i = 0; i < sizeof " + array + "; ++i) putchar(" + array + "[i]);\n";
                expected.append(file.begin() + std::ptrdiff_t(p.offset),
                                file.begin() + std::ptrdiff_t(p.offset + p.size));
            }
            test::write_text(dir / "main.c", program + "    return 0;\n}\n");
            test::must("cd " + test::q(dir.path) +
                       " && cc -std=c99 -pedantic -Wall -Wextra -Werror main.c -o show");
            BOOST_TEST((test::must("cd " + test::q(dir.path) + " && ./show").out == expected));
        }
}

// Any screen file, here random bytes, decodes to cells its rule allows: choosing the cells again
// for its colours, encoding and decoding give the same colours back (ZX: one brightness a cell;
// C64 multicolour: one background), so the decoders and the encoders agree on every layout.
BOOST_AUTO_TEST_CASE(any_screen_file_encodes_again_to_the_same_colours) {
    const std::pair<const char*, const char*> formats[] = {{"zx-scr", "zx-spectrum"},
                                                           {"tms-gfx2", "tms9918"},
                                                           {"msx-sc2", "tms9918"},
                                                           {"c64-art-studio", "c64"},
                                                           {"c64-koala", "c64"}};
    test::Random random(21);
    for (const auto& [name, palette_name] : formats) BOOST_TEST_CONTEXT(name) {
            const ScreenFormat& f = *find_screen_format(name);
            const PaletteFormat& palette = *find_palette_format(palette_name);
            std::vector<std::uint8_t> bytes(f.size);
            for (std::uint8_t& b : bytes) b = std::uint8_t(random.next());
            const IndexedImage codes = decode_screen(f, bytes, name);
            Image image{codes.width, codes.height,
                        std::vector<std::uint8_t>(4 * codes.indices.size())};
            for (std::size_t i = 0; i < codes.indices.size(); ++i) {
                const Rgb c = palette.shown[codes.indices[i]];
                image.rgba[4 * i] = c.r, image.rgba[4 * i + 1] = c.g, image.rgba[4 * i + 2] = c.b;
                image.rgba[4 * i + 3] = 255;
            }
            std::vector<std::uint8_t> usable = palette.codes;
            std::sort(usable.begin(), usable.end());
            const CellColours cells =
                choose_cells(image, palette.shown, usable, *f.rule, CellAim::nearest);
            IndexedImage again = codes; // each pixel the code of its cell's that shows its colour
            int unshown = 0;
            for (int y = 0; y < codes.height; ++y)
                for (int x = 0; x < codes.width; ++x) {
                    std::uint8_t& code = again.indices[std::size_t(y * codes.width + x)];
                    const Rgb want = palette.shown[code];
                    const auto entries = cells.entries(cells.cell_of(x, y, *f.rule));
                    const auto at =
                        std::find_if(entries.begin(), entries.end(),
                                     [&](std::uint8_t c) { return palette.shown[c] == want; });
                    if (at == entries.end())
                        ++unshown;
                    else
                        code = *at;
                }
            BOOST_TEST(unshown == 0);
            const IndexedImage back = decode_screen(f, encode_screen(f, again, cells), name);
            int differ = 0;
            for (std::size_t i = 0; i < back.indices.size(); ++i)
                differ += !(palette.shown[back.indices[i]] == palette.shown[codes.indices[i]]);
            BOOST_TEST(differ == 0);
        }
}

// Screens converted together (--shared-palette) as binaries: each image's file, and no palette
// file (the master palette is fixed: an empty palette.bin was written once).
BOOST_AUTO_TEST_CASE(screens_converted_together_write_their_files_only) {
    test::ScratchDir dir;
    const Target t = load_target("zx-spectrum");
    test::write_png(dir / "a.png", picture(256, 192, 1));
    test::write_png(dir / "b.png", picture(256, 192, 2));
    const test::Run r = test::run_kpal(
        {"convert", (dir / "a.png").string(), (dir / "b.png").string(), "-t", "zx-spectrum",
         "--shared-palette", "--format", "bin", "-q", "-o", (dir / "out").string() + "/"});
    BOOST_TEST_REQUIRE(r.status == 0, r.err);
    std::set<std::string> names;
    for (const auto& e : std::filesystem::directory_iterator(dir / "out")) {
        names.insert(e.path().filename().string());
        BOOST_TEST(std::filesystem::file_size(e.path()) == t.screen->size);
    }
    BOOST_TEST((names == std::set<std::string>{"a.bin", "b.bin"}));
}

// --compress packs each of a screen's pieces: a C program built with the header and the C core's
// unpacker (the device's code) gets the file's pieces back; a binary is refused (it is the file).
BOOST_AUTO_TEST_CASE(a_compressed_screens_pieces_unpack_on_the_device) {
    const Target t = load_target("c64-multicolor");
    test::ScratchDir dir;
    test::write_png(dir / "in.png", picture(160, 200, 9));
    for (const char* out : {"img.h", "img.bin"}) {
        std::vector<std::string> args{"convert", (dir / "in.png").string(), "-t", t.name, "-q",
                                      "-o",      (dir / out).string()};
        if (std::string(out) == "img.h") args.insert(args.end(), {"--compress", "lz4"});
        BOOST_TEST_REQUIRE(test::run_kpal(args).status == 0);
    }
    const std::vector<std::uint8_t> file = test::read_bytes(dir / "img.bin");
    std::string program = "#include <stdio.h>\n#include \"kpal/core.h\"\n#include \"img.h\"\n"
                          "static uint8_t out[8192];\nint main(void) {\n    int32_t n, i;\n";
    std::string expected;
    for (const ScreenPiece& p : t.screen->pieces) {
        const std::string array = "img_" + std::string(p.name);
        program += "    n = kpal_unpack(KPAL_METHOD_LZ4, " + array + ", sizeof " + array +
                   ", out, sizeof out);\n    for (i = 0; i < n; ++i) putchar(out[i]);\n";
        expected.append(file.begin() + std::ptrdiff_t(p.offset),
                        file.begin() + std::ptrdiff_t(p.offset + p.size));
    }
    test::write_text(dir / "main.c", program + "    return 0;\n}\n");
    const std::string core = (test::source_dir / "src/core").string();
    test::must("cd " + test::q(dir.path) + " && cc -std=c99 -Wall -Werror -I" +
               test::q(test::source_dir / "include") + " main.c " + test::q(core + "/unpack.c") +
               " -o show");
    BOOST_TEST((test::must("cd " + test::q(dir.path) + " && ./show").out == expected));
    const test::Run refused =
        test::run_kpal({"convert", (dir / "in.png").string(), "-t", t.name, "--compress", "lz4",
                        "-o", (dir / "packed.bin").string()});
    BOOST_TEST(refused.status == 1);
    BOOST_TEST(!std::filesystem::exists(dir / "packed.bin"));
}
