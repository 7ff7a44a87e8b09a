#define BOOST_TEST_MODULE package
#include "support.h"

#include <boost/test/unit_test.hpp>

#include <thread>

namespace fs = std::filesystem;

namespace {

const fs::path consumer = test::source_dir / "tests/consumer";

using test::must;
using test::q;

// The two generators firmware projects build with: Ninja (ESP-IDF, Zephyr, Pico SDK) and Make.
struct Generator {
    const char* name;
    std::string option;
};
const Generator ninja{"Ninja", "-G Ninja"}, make{"Make", "-G 'Unix Makefiles'"};

// The consumer's own files in `dir`: its image, a profile file and a palette file.
std::string consumer_files(const test::ScratchDir& dir) {
    fs::copy_file(test::source_dir / "tests/golden/parrot.png", dir / "sprite.png");
    fs::copy_file(test::source_dir / "targets/st7735-4bpp.ini", dir / "mine.ini");
    std::string gpl = "GIMP Palette\nName: greys\n";
    for (int i = 0; i < 16; ++i)
        gpl += std::to_string(17 * i) + " " + std::to_string(17 * i) + " " +
               std::to_string(17 * i) + "\tgrey\n";
    std::ofstream(dir / "mine.gpl") << gpl;
    // The levels' screens and the other formats' image: none of them is touched later.
    fs::create_directories(dir / "assets");
    for (const char* name : {"a.png", "b.png", "c.png", "d.png"})
        fs::copy_file(test::source_dir / "tests/golden/parrot.png", dir / "assets" / name);
    // A world's two screens, each with a HUD line, and the HUD's font converted alone: the seed.
    fs::create_directories(dir / "world");
    test::write_level_screens(dir / "world", 2, "SCORE 0120");
    test::write_png(dir / "font.png", test::hud_font());
    must(test::quote(KPAL_EXE) + " convert " + q(dir / "font.png") +
         " -t gba-bg-4bpp --palettes 1 -q -o " + q(dir / "font.bin"));
    return " -DKPAL_IMAGE=" + q(dir / "sprite.png") + " -DKPAL_PROFILE=" + q(dir / "mine.ini") +
           " -DKPAL_PALETTE=" + q(dir / "mine.gpl") + " -DKPAL_ASSETS=" + q(dir / "assets") +
           " -DKPAL_WORLD=" + q(dir / "world") + " -DKPAL_SEED=" + q(dir / "font.bin");
}

// Configures and builds the consumer project in `build`.
void configure_and_build(const fs::path& build, const Generator& g, const std::string& how) {
    must("cmake -S " + q(consumer) + " -B " + q(build) + " " + g.option + " " + how);
    must("cmake --build " + q(build) + " -j 2");
}

// What the consumer's firmware prints: the converted arrays.
std::string firmware_output(const fs::path& build) {
    return must(q(build / "firmware")).out;
}

// The same conversion by the program directly.
std::string expected(const fs::path& image, const test::ScratchDir& dir) {
    must(test::quote(KPAL_EXE) + " convert " + q(image) + " -t st7735-4bpp -q -o " +
         q(dir / "e.bin"));
    return test::read_text(dir / "e.bin") + test::read_text(dir / "e.pal");
}

// A build now has nothing to do. Ninja: `ninja -n` lists no step. Make: a build prints no kpal
// line and compiles nothing.
void check_nothing_to_do(const fs::path& build, const Generator& g, const std::string& after) {
    BOOST_TEST_CONTEXT(g.name << ", after " << after) {
        if (&g == &ninja) {
            const test::Run dry = must("ninja -C " + q(build) + " -n");
            BOOST_TEST(dry.out.find("ninja: no work to do.") != std::string::npos,
                       "ninja would run:\n"
                           << dry.out << must("ninja -C " + q(build) + " -n -d explain").err);
        } else {
            const test::Run again = must("cmake --build " + q(build));
            BOOST_TEST(again.out.find("kpal:") == std::string::npos, "converted again:\n"
                                                                         << again.out);
            BOOST_TEST(again.out.find("Building") == std::string::npos, "compiled again:\n"
                                                                            << again.out);
        }
    }
}

// Touching `file` (a newer time, the same bytes) converts again exactly the assets whose build
// lines contain the `converted` marks (one each), and then the build has nothing to do.
void check_touch_converts(const fs::path& build, const Generator& g, const fs::path& file,
                          const std::vector<std::string>& converted) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1100)); // coarse file times
    fs::last_write_time(file, fs::file_time_type::clock::now());
    const test::Run r = must("cmake --build " + q(build));
    BOOST_TEST_CONTEXT(g.name << ", touched " << file.filename()) {
        std::size_t lines = 0;
        for (std::size_t at = 0; (at = r.out.find("kpal: ", at)) != std::string::npos; ++at)
            ++lines;
        BOOST_TEST(lines == converted.size(), r.out);
        for (const std::string& mark : converted)
            BOOST_TEST(r.out.find(mark) != std::string::npos, r.out);
    }
    check_nothing_to_do(build, g, "touching " + file.filename().string());
}

// The build is incremental: nothing to do after a build; touching the image converts both
// assets, the palette file or the profile file the one that names it; a changed image is
// converted again.
void check_incremental(const fs::path& build, const Generator& g, const test::ScratchDir& dir) {
    // Two shared-palette sets on one target, each its own palette of 256 BGR555 entries.
    BOOST_TEST(must(q(build / "levels")).out.starts_with("512 512 "));
    for (const char* file : {"format_lvgl/a.c", "format_lvgl/a.h", "format_xbm/a_mask.xbm",
                             "format_bin-tiles/a.attr", "format_arduboy/a.h"})
        BOOST_TEST(fs::exists(build / "kpal" / file), file);
    BOOST_TEST(!fs::exists(build / "kpal/format_bin-panel/a.pal"));
    const fs::path asset = build / "kpal/firmware/sprite.h";
    BOOST_TEST_REQUIRE(fs::exists(asset));
    BOOST_TEST_REQUIRE(fs::exists(build / "kpal/logo/sprite.h"));
    const auto stamp = fs::last_write_time(asset);
    check_nothing_to_do(build, g, "a build");
    BOOST_TEST((fs::last_write_time(asset) == stamp));

    const std::string sprite = "for st7735-4bpp", logo = "for " + (dir / "mine.ini").string();
    check_touch_converts(build, g, dir / "sprite.png", {sprite, logo});
    check_touch_converts(build, g, dir / "mine.gpl", {logo});
    check_touch_converts(build, g, dir / "mine.ini", {logo});
    // The world: its tileset starts with the font's tiles; the seed's tiles and its palette are
    // dependencies, through the depfile.
    const std::string world = must(q(build / "world")).out;
    BOOST_TEST(world.ends_with(" 2048 2048\n"), world);
    BOOST_TEST(std::stoul(world) > test::read_bytes(dir / "font.bin").size() / 32);
    check_touch_converts(build, g, dir / "font.bin", {"for gba-bg-4bpp"});
    check_touch_converts(build, g, dir / "font.pal", {"for gba-bg-4bpp"});

    std::this_thread::sleep_for(std::chrono::milliseconds(1100));
    fs::copy_file(test::source_dir / "tests/golden/gradient.png", dir / "sprite.png",
                  fs::copy_options::overwrite_existing);
    const test::Run changed = must("cmake --build " + q(build));
    BOOST_TEST(changed.out.find("kpal:") != std::string::npos, changed.out);
    BOOST_TEST(firmware_output(build) == expected(dir / "sprite.png", dir));
    check_nothing_to_do(build, g, "a changed image");
}

void find_package_after_install(const Generator& g) {
    test::ScratchDir dir;
    const std::string files = consumer_files(dir);
    must("cmake --install " + test::quote(KPAL_BUILD_DIR) + " --prefix " + q(dir / "prefix"));
    BOOST_TEST(fs::exists(dir / "prefix/share/kpal/targets/vga-mode13h.ini"));
    BOOST_TEST(fs::exists(dir / "prefix/include/kpal/convert.h"));
    const std::string how = "-DKPAL_VIA=package -DCMAKE_PREFIX_PATH=" + q(dir / "prefix") + files;
    configure_and_build(dir / "build", g, how);
    BOOST_TEST(firmware_output(dir / "build") == expected(dir / "sprite.png", dir));
    BOOST_TEST(must(q(dir / "build/tool")).out == "4 rgb565-be\n");
    // The logo is the picture in the project's palette: 16 greys, so 4 bits a pixel.
    BOOST_TEST(must(q(dir / "build/logo")).out.size() == 21u * 30);

    // A second build folder gives the same bytes: no paths or times in the output.
    configure_and_build(dir / "build2", g, how);
    BOOST_TEST((test::read_bytes(dir / "build/kpal/firmware/sprite.h") ==
                test::read_bytes(dir / "build2/kpal/firmware/sprite.h")));
    check_incremental(dir / "build", g, dir);
}

void add_subdirectory_of_the_repository(const Generator& g) {
    test::ScratchDir dir;
    const std::string files = consumer_files(dir);
    configure_and_build(dir / "build", g,
                        "-DKPAL_VIA=subdirectory -DKPAL_SOURCE=" + q(test::source_dir) + files);
    BOOST_TEST(firmware_output(dir / "build") == expected(dir / "sprite.png", dir));
    BOOST_TEST(must(q(dir / "build/tool")).out == "4 rgb565-be\n");
    check_incremental(dir / "build", g, dir);
}

} // namespace

BOOST_AUTO_TEST_CASE(find_package_after_install_with_ninja) {
    find_package_after_install(ninja);
}

BOOST_AUTO_TEST_CASE(find_package_after_install_with_make) {
    find_package_after_install(make);
}

BOOST_AUTO_TEST_CASE(add_subdirectory_with_ninja) {
    add_subdirectory_of_the_repository(ninja);
}

BOOST_AUTO_TEST_CASE(add_subdirectory_with_make) {
    add_subdirectory_of_the_repository(make);
}
