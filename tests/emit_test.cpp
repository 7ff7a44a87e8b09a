#define BOOST_TEST_MODULE emit
#include "kpal/emit.h"
#include "kpal/error.h"
#include "kpal/target.h"
#include "support.h"

#include <boost/test/unit_test.hpp>

using namespace kpal;

BOOST_AUTO_TEST_CASE(symbols_come_from_file_names) {
    BOOST_TEST(symbol_from_path("out/Title Screen.h") == "title_screen");
    BOOST_TEST(symbol_from_path("assets/3d-logo.v2.h") == "image_3d_logo");
    BOOST_TEST(symbol_from_path("a.b/sprite") == "sprite");
    BOOST_TEST(is_c_identifier("_ok1"));
    BOOST_TEST(!is_c_identifier("1bad"));
    BOOST_TEST(!is_c_identifier("no-dash"));
    BOOST_TEST(!is_c_identifier(""));
}

BOOST_AUTO_TEST_CASE(the_palette_file_sits_beside_the_binary) {
    BOOST_TEST(palette_path_for("title.bin") == "title.pal");
    BOOST_TEST(palette_path_for("out.v1/title") == "out.v1/title.pal");
    BOOST_TEST(palette_path_for("a/b.c.bin") == "a/b.c.pal");
}

BOOST_AUTO_TEST_CASE(output_formats_by_name_and_suffix) {
    BOOST_TEST((format_for_path("x.bin") == OutputFormat::bin));
    BOOST_TEST((format_for_path("x.h") == OutputFormat::c));
    BOOST_TEST((parse_output_format("bin") == OutputFormat::bin));
    BOOST_CHECK_THROW(parse_output_format("xml"), Error);
}

// The emitted header, compiled by gcc as C89 and by g++ as C++98 with every warning an error,
// links into a program that prints its arrays; they must equal the bytes of the bin output, and
// its macros must describe them.
BOOST_AUTO_TEST_CASE(headers_compile_as_c89_and_cxx_and_hold_the_binary_bytes) {
    const std::string program = R"(#include <stdio.h>
#include "img.h"
int main(void) {
    if (sizeof img_pixels != (size_t)IMG_STRIDE * IMG_HEIGHT) return 10;
    if (sizeof img_palette != (size_t)IMG_PALETTE_SIZE * IMG_PALETTE_ENTRY_BYTES) return 11;
    if (IMG_STRIDE * 8 < IMG_WIDTH * IMG_BPP) return 12;
    if (IMG_COLORS > IMG_PALETTE_SIZE) return 13;
    fwrite(img_pixels, 1, sizeof img_pixels, stdout);
    fwrite(img_palette, 1, sizeof img_palette, stdout);
    return 0;
}
)";
    const std::string input = (test::source_dir / "tests/golden/parrot.png").string();
    for (const std::string& target : builtin_target_names()) {
        BOOST_TEST_CONTEXT(target) {
            test::ScratchDir dir;
            test::write_text(dir / "main.c", program);
            BOOST_TEST_REQUIRE(test::run_kpal({"convert", input, "-t", target, "-k", "7", "-o",
                                               (dir / "img.h").string(), "-q"})
                                   .status == 0);
            BOOST_TEST_REQUIRE(test::run_kpal({"convert", input, "-t", target, "-k", "7", "-o",
                                               (dir / "img.bin").string(), "-q"})
                                   .status == 0);
            const std::string expected =
                test::read_text(dir / "img.bin") + test::read_text(dir / "img.pal");
            const std::string d = test::quote(dir.path.string());
            for (const std::string compile :
                 {"cc -std=c89 -pedantic -Wall -Wextra -Werror",
                  "cc -std=c99 -pedantic -Wall -Wextra -Werror",
                  "c++ -x c++ -std=c++98 -pedantic -Wall -Wextra -Werror"}) {
                std::string command = compile;
                command.append(" -I")
                    .append(d)
                    .append(" ")
                    .append(d)
                    .append("/main.c -o ")
                    .append(d)
                    .append("/show");
                const test::Run built = test::run_shell(command);
                BOOST_TEST_REQUIRE(built.status == 0, compile << ":\n" << built.err);
                const test::Run shown = test::run_shell(d + "/show");
                BOOST_TEST(shown.status == 0);
                BOOST_TEST((shown.out == expected), compile);
            }
        }
    }
}
