#define BOOST_TEST_MODULE examples
#include "support.h"

#include <boost/test/unit_test.hpp>

#include <numeric>

namespace fs = std::filesystem;

namespace {

const fs::path example = test::source_dir / "firmware_examples/cmake-asset-pipeline";

using test::must;
using test::q;

std::string line(const std::string& name, const fs::path& file) {
    const auto bytes = test::read_bytes(file);
    return name + " " + std::to_string(bytes.size()) + " " +
           std::to_string(std::accumulate(bytes.begin(), bytes.end(), 0ul)) + "\n";
}

} // namespace

// The example's sprites, converted through kpal_add_asset and linked into a program, hold the
// same bytes as kpal's own binaries; the same project cross-compiles for a Cortex-M0.
BOOST_AUTO_TEST_CASE(cmake_asset_pipeline_builds_for_the_host_and_for_cortex_m0) {
    test::ScratchDir dir;
    must("cmake --install " + test::quote(KPAL_BUILD_DIR) + " --prefix " + q(dir / "prefix"));
    const std::string package = " -Dkpal_DIR=" + q(dir / "prefix/lib/cmake/kpal");
    must("cmake -S " + q(example) + " -B " + q(dir / "host") + package);
    must("cmake --build " + q(dir / "host"));
    const std::string shown = must(q(dir / "host/game")).out;

    const std::string sprites = q(example / "sprites");
    must(
        test::quote(KPAL_EXE) + " convert " + sprites + "/ghost.png " + sprites + "/hats.png " +
        sprites +
        "/parrot.png -t gba-tiles-4bpp --shared-palette --transparent-index 0 --format bin -q -o " +
        q(dir / "bin") + "/");
    BOOST_TEST(shown ==
               line("palette", dir / "bin/palette.bin") + line("ghost", dir / "bin/ghost.bin") +
                   line("hats", dir / "bin/hats.bin") + line("parrot", dir / "bin/parrot.bin"));

    if (test::have_tool("arm-none-eabi-gcc")) {
        must("cmake -S " + q(example) + " -B " + q(dir / "arm") + package +
             " -DCMAKE_TOOLCHAIN_FILE=" + q(example / "arm-none-eabi.cmake"));
        must("cmake --build " + q(dir / "arm"));
        const std::string sections =
            must("arm-none-eabi-objdump -h " + q(dir / "arm/CMakeFiles/game.dir/main.c.obj")).out;
        BOOST_TEST(sections.find(".rodata.sprites") != std::string::npos);
        BOOST_TEST(must("arm-none-eabi-readelf -h " + q(dir / "arm/game")).out.find("ARM") !=
                   std::string::npos);
    }
}
