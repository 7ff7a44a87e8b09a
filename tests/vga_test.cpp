#define BOOST_TEST_MODULE vga
#include "kpal/load.h"
#include "support.h"

#include <boost/test/unit_test.hpp>

#include <fstream>

namespace fs = std::filesystem;
using kpal::Image;

namespace {

struct Case {
    std::string image, bin, target, size, mode;
};

std::vector<Case> manifest() {
    std::ifstream in(KPAL_VGA_MANIFEST);
    std::vector<Case> cases;
    for (Case c; in >> c.image >> c.bin >> c.target >> c.size >> c.mode;) cases.push_back(c);
    return cases;
}

std::string q(const std::string& s) {
    return test::quote(s);
}

// Boots a floppy image in QEMU and returns its screendump.
Image capture(const std::string& floppy, const test::ScratchDir& dir) {
    const std::string out = (dir / "capture.png").string();
    const test::Run r = test::run_shell(q((test::source_dir / "tools/vga-capture.sh").string()) +
                                        " " + q(floppy) + " " + q(out));
    BOOST_TEST_REQUIRE(r.status == 0, r.err);
    return kpal::load_image(out);
}

// What kpal says an emulator shows: `kpal preview --dac MODEL` of the binaries.
Image expected(const Case& c, const std::string& palette, const test::ScratchDir& dir,
               const std::string& dac = "qemu") {
    const std::string out = (dir / "expected.png").string();
    const test::Run r = test::run_kpal({"preview", c.bin, "-t", c.target, "--size", c.size,
                                        "--palette", palette, "--dac", dac, "-o", out});
    BOOST_TEST_REQUIRE(r.status == 0, r.err);
    return kpal::load_image(out);
}

// Pixels of `screen` (QEMU doubles 320-wide modes to 640: every second row and column is taken)
// that differ from `want`.
std::size_t mismatches(const Image& screen, const Image& want) {
    const int sx = screen.width / want.width, sy = screen.height / want.height;
    BOOST_TEST_REQUIRE(screen.width == sx * want.width);
    BOOST_TEST_REQUIRE(screen.height == sy * want.height);
    std::size_t bad = 0;
    for (int y = 0; y < want.height; ++y)
        for (int x = 0; x < want.width; ++x)
            bad += !(screen.rgb_at(std::size_t(y * sy) * screen.width + std::size_t(x * sx)) ==
                     want.rgb_at(std::size_t(y) * want.width + std::size_t(x)));
    return bad;
}

std::string palette_of(const Case& c) {
    return c.bin.substr(0, c.bin.size() - 4) + ".pal";
}

} // namespace

// Every floppy (three modes, three photos) shows exactly kpal's preview under QEMU's DAC.
BOOST_AUTO_TEST_CASE(qemu_shows_the_preview_pixel_for_pixel) {
    const auto cases = manifest();
    BOOST_TEST_REQUIRE(cases.size() == 12u);
    for (const Case& c : cases) {
        if (c.mode == "dos") continue;
        BOOST_TEST_CONTEXT(fs::path(c.image).filename()) {
            test::ScratchDir dir;
            BOOST_TEST(mismatches(capture(c.image, dir), expected(c, palette_of(c), dir)) == 0u);
        }
    }
}

// The comparison can fail: the same program with two palette entries swapped no longer matches.
BOOST_AUTO_TEST_CASE(a_swapped_palette_entry_is_caught) {
    for (const Case& c : manifest()) {
        if (c.image.find("kodim23") == std::string::npos || c.mode == "dos") continue;
        BOOST_TEST_CONTEXT(c.mode) {
            test::ScratchDir dir;
            std::string pal = test::read_text(palette_of(c));
            std::swap_ranges(pal.begin(), pal.begin() + 3, pal.begin() + 3); // entries 0 and 1
            test::write_text(dir / "swapped.pal", pal);
            const std::string floppy = (dir / "swapped.img").string();
            const test::Run built = test::run_shell(
                q(KPAL_NASM) + " -f bin " + q(KPAL_VGA_BOOT) + " -DMODE=" + c.mode + " " +
                q("-DPIXELS=\"" + c.bin + "\"") + " " +
                q("-DPALETTE=\"" + (dir / "swapped.pal").string() + "\"") + " -o " + q(floppy));
            BOOST_TEST_REQUIRE(built.status == 0, built.err);
            BOOST_TEST(mismatches(capture(floppy, dir), expected(c, palette_of(c), dir)) > 0u);
        }
    }
}

// Mode 13h as a DOS program: DOSBox (under a virtual X server) shows exactly kpal's preview under
// DOSBox's DAC.
BOOST_AUTO_TEST_CASE(dosbox_shows_the_preview_pixel_for_pixel) {
    if (!test::have_tool("dosbox") || !test::have_tool("xvfb-run") || !test::have_tool("xdotool"))
        return;
    int programs = 0;
    for (const Case& c : manifest()) {
        if (c.mode != "dos") continue;
        ++programs;
        BOOST_TEST_CONTEXT(fs::path(c.image).filename()) {
            test::ScratchDir dir;
            const std::string out = (dir / "dosbox.png").string();
            const test::Run r =
                test::run_shell(q((test::source_dir / "tools/dosbox-capture.sh").string()) + " " +
                                q(c.image) + " " + q(out));
            BOOST_TEST_REQUIRE(r.status == 0, r.err);
            BOOST_TEST(
                mismatches(kpal::load_image(out), expected(c, palette_of(c), dir, "dosbox")) == 0u);
        }
    }
    BOOST_TEST(programs == 3);
}
