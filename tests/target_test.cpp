#define BOOST_TEST_MODULE target
#include "kpal/error.h"
#include "kpal/target.h"
#include "support.h"

#include <boost/test/unit_test.hpp>

using namespace kpal;
namespace fs = std::filesystem;

namespace {
const char* good = "# a comment\n"
                   "description = Test panel\n"
                   "layout = packed-lsb\n"
                   "bpp = 2\n"
                   "palette_format = bgr555-le\n"
                   "palette_size = 3\n"
                   "width = 96\n"
                   "height = 64\n"
                   "row_align = 2\n";

// The message of the Error that parsing `text` throws ("" when it parses).
std::string error_of(const std::string& text) {
    try {
        parse_target(text, "panel.ini", "panel");
    } catch (const Error& e) {
        BOOST_TEST((e.kind() == ErrorKind::input));
        return e.what();
    }
    return "";
}

std::string replace(std::string text, const std::string& from, const std::string& to) {
    return text.replace(text.find(from), from.size(), to);
}
} // namespace

BOOST_AUTO_TEST_CASE(a_profile_sets_every_field) {
    const Target t = parse_target(good, "panel.ini", "panel");
    BOOST_TEST(t.name == "panel");
    BOOST_TEST(t.description == "Test panel");
    BOOST_TEST(t.layout->name == "packed-lsb");
    BOOST_TEST(t.bpp == 2);
    BOOST_TEST(t.palette_format->name == "bgr555-le");
    BOOST_TEST(t.palette_size == 3);
    BOOST_TEST(t.screen_width == 96);
    BOOST_TEST(t.screen_height == 64);
    BOOST_TEST(t.row_align == 2);
}

BOOST_AUTO_TEST_CASE(optional_keys_have_defaults) {
    const Target t = parse_target("layout = linear\nbpp = 8\npalette_format = rgb888\n", "x", "x");
    BOOST_TEST(t.palette_size == 256);
    BOOST_TEST(t.row_align == 1);
    BOOST_TEST(t.screen_width == 0);
}

BOOST_AUTO_TEST_CASE(errors_name_the_file_the_line_and_the_key) {
    BOOST_TEST(error_of(good).empty());
    BOOST_TEST(error_of(std::string(good) + "colour = red\n") ==
               "panel.ini:10: 'colour': unknown key (known: description, layout, bpp, row_align, "
               "palette_format, palette_size, width, height, tile_format, map_format, "
               "sprite_order, max_tiles, color0, screen_blocks, master_palette, shown_colors, "
               "decoders, palettes, sprite_sizes, screen_format)");
    BOOST_TEST(error_of(replace(good, "bpp = 2", "bpp = two")) ==
               "panel.ini:4: 'bpp': 'two' is not a whole number");
    BOOST_TEST(error_of(replace(good, "bpp = 2", "bpp = 3")) ==
               "panel.ini:4: 'bpp': layout 'packed-lsb' does not take 3 bits a pixel");
    BOOST_TEST(error_of(replace(good, "palette_size = 3", "palette_size = 5")) ==
               "panel.ini:6: 'palette_size': 5 is out of range 1..4");
    BOOST_TEST(
        error_of(replace(good, "bgr555-le", "bgr999"))
            .starts_with(
                "panel.ini:5: 'palette_format': unknown palette format 'bgr999' (known: rgb888,"));
    BOOST_TEST(error_of(replace(good, "packed-lsb", "zigzag"))
                   .starts_with("panel.ini:3: 'layout': unknown layout 'zigzag' (known: linear,"));
    BOOST_TEST(error_of(replace(good, "layout = packed-lsb\n", "")) ==
               "panel.ini: 'layout': missing (every profile must set it)");
    BOOST_TEST(error_of(std::string(good) + "bpp = 4\n") ==
               "panel.ini:4: 'bpp': set more than once");
    BOOST_TEST(error_of(replace(good, "width = 96", "just some words")) ==
               "panel.ini:7: 'just some words' is not a 'key = value' line");
}

BOOST_AUTO_TEST_CASE(every_builtin_target_is_its_file_in_targets) {
    const auto names = builtin_target_names();
    for (const char* name : {"vga-mode13h", "st7735-4bpp", "generic-8bpp", "generic-4bpp"})
        BOOST_TEST((std::find(names.begin(), names.end(), name) != names.end()), name);
    for (const std::string& name : names) {
        const Target builtin = load_target(name);
        const Target file = load_target((test::source_dir / "targets" / (name + ".ini")).string());
        BOOST_TEST(builtin.name == file.name);
        BOOST_TEST(builtin.layout == file.layout);
        BOOST_TEST(builtin.bpp == file.bpp);
        BOOST_TEST(builtin.palette_format == file.palette_format);
        BOOST_TEST(builtin.palette_size == file.palette_size);
        BOOST_TEST(!builtin.description.empty());
    }
}

BOOST_AUTO_TEST_CASE(the_builtin_targets_say_what_the_hardware_takes) {
    const Target vga = load_target("vga-mode13h");
    BOOST_TEST(vga.palette_format->name == "vga-dac");
    BOOST_TEST(vga.bpp == 8);
    BOOST_TEST(vga.screen_width == 320);
    const Target st = load_target("st7735-4bpp");
    BOOST_TEST(st.palette_format->name == "rgb565-be");
    BOOST_TEST(st.layout->name == "packed-msb");
    BOOST_TEST(st.palette_size == 16);
}

BOOST_AUTO_TEST_CASE(unknown_names_and_missing_files_are_input_errors) {
    BOOST_CHECK_EXCEPTION(load_target("no-such-target"), Error, [](const Error& e) {
        return e.kind() == ErrorKind::input &&
               std::string(e.what()).find("kpal targets") != std::string::npos;
    });
    BOOST_CHECK_EXCEPTION(load_target("/nonexistent/panel.ini"), Error,
                          [](const Error& e) { return e.kind() == ErrorKind::input; });
    BOOST_CHECK_EXCEPTION(load_target("/tmp"), Error,
                          [](const Error& e) { return e.kind() == ErrorKind::input; });
}

// Tile hardware: tile_format in place of layout (and bpp), a map or sprites, limits and colour 0.
BOOST_AUTO_TEST_CASE(tile_keys_are_read_and_checked) {
    const std::string tiles = "tile_format = md-4bpp\nmap_format = md\npalette_format = md9\n"
                              "palette_size = 16\nmax_tiles = 1500\ncolor0 = backdrop\n";
    const Target t = parse_target(tiles, "md.ini", "md");
    BOOST_TEST_REQUIRE(t.tiles.has_value());
    BOOST_TEST(t.layout == nullptr);
    BOOST_TEST(t.bpp == 4);
    BOOST_TEST(t.tiles->format->name == "md-4bpp");
    BOOST_TEST(t.tiles->map->name == "md");
    BOOST_TEST(t.tiles->max_tiles == 1500u);
    BOOST_TEST((t.tiles->colour0 == Colour0::backdrop));
    BOOST_TEST(t.tiles->banks == 1); // one palette unless the profile says
    BOOST_TEST(parse_target(tiles + "palettes = 4\n", "md.ini", "md").tiles->banks == 4);
    const Target sprites =
        parse_target("tile_format = gba-4bpp\nmap_format = none\nsprite_order = rows-8x16\n"
                     "palette_format = bgr555-le\n",
                     "s.ini", "s");
    BOOST_TEST(sprites.tiles->map == nullptr);
    BOOST_TEST(sprites.tiles->order->name == "rows-8x16");
    BOOST_TEST((sprites.tiles->colour0 == Colour0::transparent)); // the default for sprites
    const auto error = [&](const std::string& text) {
        try {
            parse_target(text, "p.ini", "p");
        } catch (const Error& e) {
            return std::string(e.what());
        }
        return std::string();
    };
    BOOST_TEST(error(replace(tiles, "md-4bpp", "md-5bpp"))
                   .starts_with("p.ini:1: 'tile_format': unknown tile format 'md-5bpp' (known: "
                                "gba-4bpp,"));
    BOOST_TEST(error(replace(tiles, "map_format = md", "map_format = atari"))
                   .starts_with("p.ini:2: 'map_format': unknown map format 'atari' (known: none,"));
    BOOST_TEST(error(replace(tiles, "1500", "4096")) ==
               "p.ini:5: 'max_tiles': 4096 is out of range 1..2048");
    BOOST_TEST(error(replace(tiles, "backdrop", "pink")) ==
               "p.ini:6: 'color0': 'pink' is not one of: own, backdrop, transparent");
    BOOST_TEST(error(tiles + "layout = linear\n") ==
               "p.ini:7: 'layout': tile hardware has a tile_format, not a layout");
    BOOST_TEST(error(tiles + "bpp = 2\n") ==
               "p.ini:7: 'bpp': tile format 'md-4bpp' has 4 bits a pixel");
    BOOST_TEST(error(tiles + "sprite_order = rows\n") ==
               "p.ini:7: 'sprite_order': goes with map_format = none (sprites)");
    BOOST_TEST(error(tiles + "palettes = 5\n") ==
               "p.ini:7: 'palettes': 5 is out of range 1..4"); // the map's 2-bit palette field
    BOOST_TEST(error(replace(tiles, "map_format = md", "map_format = none") + "palettes = 2\n") ==
               "p.ini:7: 'palettes': goes with a map_format (each map entry names its bank)");
    BOOST_TEST(error_of(std::string(good) + "max_tiles = 4\n") ==
               "panel.ini:10: 'max_tiles': goes with tile_format (tile hardware)");
}

// master_palette: a code format's colours from an emulator's .pal file, beside the profile; a
// file of the wrong size, a missing one, or the key on a channel format are errors.
BOOST_AUTO_TEST_CASE(a_profile_can_replace_the_master_palette) {
    const test::ScratchDir dir;
    std::string pal(192, '\0');
    for (int c = 0; c < 64; ++c) pal[std::size_t(3 * c)] = char(4 * c); // a red ramp
    fs::create_directories(dir / "pal");
    test::write_text(dir / "pal/ramp.pal", pal);
    const std::string nes = test::read_text(test::source_dir / "targets/nes-bg.ini");
    test::write_text(dir / "nes.ini", nes + "master_palette = pal/ramp.pal\n");
    const Target t = load_target((dir / "nes.ini").string());
    BOOST_TEST(t.palette_format->name == "nes");
    BOOST_TEST(t.palette_format != find_palette_format("nes"));
    BOOST_TEST((t.palette_format->shown[0x21] == Rgb{0x84, 0, 0}));
    BOOST_TEST(t.files == std::vector<std::string>{(dir / "pal/ramp.pal").string()});
    BOOST_TEST((load_target("nes-bg").palette_format->shown[0x21] != Rgb{0x84, 0, 0}));
    const Target copy = t; // the copy keeps the table alive
    BOOST_TEST((copy.palette_format->shown[0x21] == Rgb{0x84, 0, 0}));

    const auto error = [&](const std::string& text) {
        test::write_text(dir / "bad.ini", text);
        try {
            load_target((dir / "bad.ini").string());
        } catch (const Error& e) {
            return std::string(e.what());
        }
        return std::string();
    };
    test::write_text(dir / "short.pal", pal.substr(0, 190));
    BOOST_TEST(error(nes + "master_palette = short.pal\n") ==
               (dir / "short.pal").string() +
                   ": master palette of 190 bytes; format nes takes 192 (R, G, B for 64 codes)");
    BOOST_TEST(error(nes + "master_palette = none.pal\n") ==
               (dir / "none.pal").string() + ": cannot open the master palette named by " +
                   (dir / "bad.ini").string());
    BOOST_TEST(error("layout = linear\nbpp = 8\npalette_format = rgb888\nmaster_palette = x\n") ==
               (dir / "bad.ini").string() +
                   ":4: 'master_palette': goes with a palette format of colour codes (gb-shades, "
                   "nes, mono, epd-bw, epd-bwr, epd-bwy, epd-4grey, grey4, grey16, acep7, "
                   "spectra6, zx-spectrum, tms9918, c64), not rgb888");
}
