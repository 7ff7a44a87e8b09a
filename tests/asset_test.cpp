#define BOOST_TEST_MODULE asset
// kpal_add_asset declares as outputs exactly the files `kpal convert` writes, for every built-in
// target and every output format, one image or a shared set, with and without --mask: the
// outputs CMake computes (kpal_asset_outputs in cmake/kpal-functions.cmake, run in script mode)
// are compared with the files the program wrote. A declared file that is never written makes
// Ninja and Make convert again on every build; an undeclared one has no rule.
#include "kpal/emit.h"
#include "kpal/target.h"
#include "support.h"

#include <boost/test/unit_test.hpp>

#include <map>
#include <set>
#include <sstream>

using namespace kpal;
namespace fs = std::filesystem;

namespace {

struct Case {
    std::string target, format;
    bool shared = false, mask = false;
    bool fit = false;   // --fit screen: a screen of cells takes a picture of its size only
    bool tiles = false; // shared: --shared-tiles (SHARED_TILES)
    bool gif = false;   // the image an animation (a.gif): its durations beside it
    bool meta = false;  // --metasprite: the pieces' tables beside the tiles
    std::string key() const {
        return target + " " + format + (shared ? " shared" : "") + (tiles ? " tiles" : "") +
               (mask ? " mask" : "") + (gif ? " gif" : "") + (meta ? " metasprite" : "");
    }
    std::string image() const { return gif ? "a.gif" : "a.png"; }
};

// The file names (without folders) kpal writes for `c` into `dir`, or nothing when kpal refuses
// the combination (an XBM of a colour target, a mask on tile hardware, ...).
std::optional<std::set<std::string>> written(const Case& c, const fs::path& dir,
                                             const std::vector<fs::path>& images) {
    fs::remove_all(dir);
    fs::create_directories(dir);
    std::vector<std::string> args{"convert"};
    for (const fs::path& image : images) args.push_back(image.string());
    args.insert(args.end(), {"-t", c.target, "--format", c.format, "-q", "-o"});
    args.push_back(c.shared
                       ? dir.string() + "/"
                       : (dir / ("a" + std::string(find_output_format(c.format).suffix))).string());
    if (c.shared) args.insert(args.end(), {"--shared-palette", "--name", "set"});
    if (c.tiles) args.push_back("--shared-tiles");
    if (c.mask) args.push_back("--mask");
    if (c.meta) args.push_back("--metasprite");
    if (c.fit) args.insert(args.end(), {"--fit", "screen"});
    if (test::run_kpal(args).status != 0) return std::nullopt;
    std::set<std::string> names;
    for (const auto& e : fs::directory_iterator(dir)) names.insert(e.path().filename());
    return names;
}

} // namespace

BOOST_AUTO_TEST_CASE(the_declared_outputs_are_the_files_kpal_writes) {
    test::ScratchDir dir;
    test::write_png(dir / "a.png", test::make_image(24, 16, [](int x, int y) {
                        return Rgb{std::uint8_t(10 * x), std::uint8_t(15 * y), 60};
                    }));
    fs::copy_file(dir / "a.png", dir / "b.png");
    // One image for every target and format; shared sets and masks for one target of each kind.
    std::vector<Case> cases;
    for (const std::string& target : builtin_target_names())
        for (const OutputFormat& f : output_formats())
            cases.push_back(
                {target, std::string(f.name), false, false, load_target(target).screen != nullptr});
    for (const char* target : {"zx-spectrum", "c64-multicolor"}) // a set of screens
        for (const OutputFormat& f : output_formats())
            cases.push_back({target, std::string(f.name), true, false, true});
    for (const char* target : {"generic-4bpp", "ssd1306-128x64", "arduboy", "lvgl-i4",
                               "gba-bg-4bpp", "gbc-bg", "gba-obj-4bpp", "nes-bg", "epd-acep7"})
        for (const OutputFormat& f : output_formats()) {
            cases.push_back({target, std::string(f.name), true, false});
            cases.push_back({target, std::string(f.name), false, true});
        }
    for (const char* target : {"gba-bg-4bpp", "gbc-bg", "nes-bg", "md-bg"}) // a level's screens
        for (const OutputFormat& f : output_formats())
            cases.push_back({target, std::string(f.name), true, false, false, true});
    fs::copy_file(test::source_dir / "tests/golden/spin.gif", dir / "a.gif"); // an animation
    for (const char* target : {"generic-4bpp", "gba-obj-4bpp", "gba-bg-4bpp", "lvgl-i4"})
        for (const OutputFormat& f : output_formats())
            cases.push_back({target, std::string(f.name), false, false, false, false, true});
    for (const char* target : {"gba-obj-4bpp", "md-sprite"}) // metasprites
        for (const OutputFormat& f : output_formats())
            cases.push_back({target, std::string(f.name), false, false, false, false, false, true});

    std::string script = "cmake_minimum_required(VERSION 3.25)\ninclude(\"" +
                         (test::source_dir / "cmake/kpal-functions.cmake").string() + "\")\n";
    for (const Case& c : cases) {
        script += "kpal_asset_outputs(out DIR /o PROFILE \"" +
                  (test::source_dir / "targets" / (c.target + ".ini")).string() + "\" FORMAT " +
                  c.format + " IMAGE /i/" + c.image() + (c.shared ? " /i/b.png NAME set" : "") +
                  (c.shared ? (c.tiles ? " SHARED_TILES" : " SHARED_PALETTE") : "") +
                  (c.mask || c.fit || c.meta ? " OPTIONS" : "") + (c.mask ? " --mask" : "") +
                  (c.meta ? " --metasprite" : "") + (c.fit ? " --fit screen" : "") +
                  ")\nmessage(\"" + c.key() + "|${out}\")\n";
    }
    test::write_text(dir / "outputs.cmake", script);
    const test::Run declared = test::must("cmake -P " + test::q(dir / "outputs.cmake"));
    std::map<std::string, std::set<std::string>> by_key;
    std::istringstream lines(declared.err); // message() writes to stderr
    for (std::string line; std::getline(lines, line);) {
        const std::size_t bar = line.find('|');
        if (bar == std::string::npos) continue;
        std::set<std::string>& names = by_key[line.substr(0, bar)];
        std::istringstream files(line.substr(bar + 1));
        for (std::string file; std::getline(files, file, ';');)
            if (!file.empty()) names.insert(file.substr(3)); // after "/o/"
    }

    int compared = 0;
    for (const Case& c : cases) {
        std::vector<fs::path> images{dir / c.image()};
        if (c.shared) images.push_back(dir / "b.png");
        const auto made = written(c, dir / "out", images);
        if (!made) continue;
        ++compared;
        BOOST_TEST_CONTEXT(c.key()) {
            BOOST_TEST_REQUIRE(by_key.count(c.key()) == 1u);
            BOOST_TEST((by_key.at(c.key()) == *made));
        }
    }
    BOOST_TEST(compared > 300);
}

// Two shared-palette sets on one CMake target: without NAMEs both would write palette.h (Ninja
// stops at "multiple rules generate", Make builds one set against the other's palette), so the
// configuration stops and says to name them; with NAMEs each set has its palette.
BOOST_AUTO_TEST_CASE(two_shared_palette_sets_on_one_target_need_names) {
    const auto configure = [](const std::string& second_name) {
        test::ScratchDir dir;
        const std::string project =
            "cmake_minimum_required(VERSION 3.25)\nproject(sets LANGUAGES NONE)\n"
            "add_executable(kpal::cli IMPORTED)\n"
            "set_target_properties(kpal::cli PROPERTIES IMPORTED_LOCATION \"" KPAL_EXE "\")\n"
            "include(\"" +
            (test::source_dir / "cmake/kpal-functions.cmake").string() +
            "\")\n"
            "add_custom_target(game ALL)\n"
            "kpal_add_asset(game IMAGE a.png b.png TARGET gba-mode4 SHARED_PALETTE)\n"
            "kpal_add_asset(game IMAGE c.png d.png TARGET gba-mode4 SHARED_PALETTE " +
            second_name + ")\n";
        test::write_text(dir / "CMakeLists.txt", project);
        return test::run_shell("cmake -S " + test::q(dir.path) + " -B " + test::q(dir / "build") +
                               " -G Ninja");
    };
    const test::Run unnamed = configure("");
    BOOST_TEST(unnamed.status != 0);
    BOOST_TEST(unnamed.err.find("give this set a NAME of its own") != std::string::npos,
               unnamed.err);
    const test::Run named = configure("NAME level2");
    BOOST_TEST(named.status == 0, named.err);
}
