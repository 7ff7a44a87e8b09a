#define BOOST_TEST_MODULE package
#include "support.h"

#include <boost/test/unit_test.hpp>

#include <thread>

namespace fs = std::filesystem;

namespace {

const fs::path consumer = test::source_dir / "tests/consumer";

using test::must;
using test::q;

// Configures and builds the consumer project in `build`, returning the second build's output.
void configure_and_build(const fs::path& build, const std::string& how) {
    must("cmake -S " + q(consumer) + " -B " + q(build) + " " + how);
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

// The build is incremental: nothing to do after a build; a changed image is converted again.
void check_incremental(const fs::path& build, const fs::path& image, const test::ScratchDir& dir) {
    const fs::path asset = build / "kpal/firmware/sprite.h";
    BOOST_TEST_REQUIRE(fs::exists(asset));
    const auto stamp = fs::last_write_time(asset);
    const test::Run again = must("cmake --build " + q(build));
    BOOST_TEST(again.out.find("kpal:") == std::string::npos, "a second build converted again:\n"
                                                                 << again.out);
    BOOST_TEST(again.out.find("Building") == std::string::npos, "a second build compiled again:\n"
                                                                    << again.out);
    BOOST_TEST((fs::last_write_time(asset) == stamp));

    std::this_thread::sleep_for(std::chrono::milliseconds(1100)); // coarse file times
    fs::copy_file(test::source_dir / "tests/golden/gradient.png", image,
                  fs::copy_options::overwrite_existing);
    const test::Run changed = must("cmake --build " + q(build));
    BOOST_TEST(changed.out.find("kpal:") != std::string::npos, changed.out);
    BOOST_TEST(firmware_output(build) == expected(image, dir));
}

} // namespace

BOOST_AUTO_TEST_CASE(find_package_after_install) {
    test::ScratchDir dir;
    fs::copy_file(test::source_dir / "tests/golden/parrot.png", dir / "sprite.png");
    must("cmake --install " + test::quote(KPAL_BUILD_DIR) + " --prefix " + q(dir / "prefix"));
    BOOST_TEST(fs::exists(dir / "prefix/share/kpal/targets/vga-mode13h.ini"));
    BOOST_TEST(fs::exists(dir / "prefix/include/kpal/convert.h"));
    configure_and_build(dir / "build",
                        "-DKPAL_VIA=package -DCMAKE_PREFIX_PATH=" + q(dir / "prefix") +
                            " -DKPAL_IMAGE=" + q(dir / "sprite.png"));
    BOOST_TEST(firmware_output(dir / "build") == expected(dir / "sprite.png", dir));
    BOOST_TEST(must(q(dir / "build/tool")).out == "4 rgb565-be\n");

    // A second build folder gives the same bytes: no paths or times in the output.
    configure_and_build(dir / "build2",
                        "-DKPAL_VIA=package -DCMAKE_PREFIX_PATH=" + q(dir / "prefix") +
                            " -DKPAL_IMAGE=" + q(dir / "sprite.png"));
    BOOST_TEST((test::read_bytes(dir / "build/kpal/firmware/sprite.h") ==
                test::read_bytes(dir / "build2/kpal/firmware/sprite.h")));
    check_incremental(dir / "build", dir / "sprite.png", dir);
}

BOOST_AUTO_TEST_CASE(add_subdirectory_of_the_repository) {
    test::ScratchDir dir;
    fs::copy_file(test::source_dir / "tests/golden/parrot.png", dir / "sprite.png");
    configure_and_build(dir / "build",
                        "-DKPAL_VIA=subdirectory -DKPAL_SOURCE=" + q(test::source_dir) +
                            " -DKPAL_IMAGE=" + q(dir / "sprite.png"));
    BOOST_TEST(firmware_output(dir / "build") == expected(dir / "sprite.png", dir));
    BOOST_TEST(must(q(dir / "build/tool")).out == "4 rgb565-be\n");
    check_incremental(dir / "build", dir / "sprite.png", dir);
}
