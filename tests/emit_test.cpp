#define BOOST_TEST_MODULE emit
#include "kpal/emit.h"
#include "kpal/error.h"
#include "kpal/target.h"
#include "support.h"

#include <boost/test/unit_test.hpp>

#include <iostream>

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

BOOST_AUTO_TEST_CASE(suffixes_are_replaced_in_the_file_name_only) {
    BOOST_TEST(replace_suffix("title.bin", ".pal") == "title.pal");
    BOOST_TEST(replace_suffix("out.v1/title", ".pal") == "out.v1/title.pal");
    BOOST_TEST(replace_suffix("a/b.c.bin", ".pal") == "a/b.c.pal");
}

BOOST_AUTO_TEST_CASE(output_formats_by_name_and_suffix) {
    BOOST_TEST(format_for_path("x.bin").name == "bin");
    BOOST_TEST(format_for_path("x.h").name == "c");
    BOOST_TEST(format_for_path("x.c").name == "c-source");
    BOOST_TEST(format_for_path("x.asm").name == "asm-nasm");
    BOOST_TEST(format_for_path("x.s").name == "asm-gas");
    BOOST_TEST(format_for_path("x.gpl").name == "gpl");
    BOOST_TEST(format_for_path("x.act").name == "act");
    BOOST_TEST(format_for_path("x.unknown").name == "c");
    BOOST_TEST(find_output_format("jasc-pal").name == "jasc-pal");
    BOOST_CHECK_EXCEPTION(find_output_format("xml"), Error, [](const Error& e) {
        return e.kind() == ErrorKind::usage &&
               std::string(e.what()).find("asm-gas") != std::string::npos;
    });
}

namespace {

bool have(const std::string& tool) {
    return test::have_tool(tool);
}

// Converts the golden parrot for `target` into `dir`: img.bin + img.pal, and img.<format>.
void convert(const test::ScratchDir& dir, const std::string& target, const std::string& output,
             std::vector<std::string> extra = {}) {
    const std::string input = (test::source_dir / "tests/golden/parrot.png").string();
    // 7 colours, or all the target has when it has fewer.
    const Target t = load_target(target);
    std::vector<std::string> args{
        "convert", input, "-t", target, "-q", "-o", (dir / output).string()};
    if (!t.palette_format->is_fixed()) // a fixed palette has no K
        args.insert(args.end(), {"-k", std::to_string(std::min(7, t.palette_size))});
    args.insert(args.end(), extra.begin(), extra.end());
    const test::Run r = test::run_kpal(args);
    BOOST_TEST_REQUIRE(r.status == 0, r.err);
}

// The expected bytes of every array: the binary output's pixels then its palette.
// The bin output's files in the order a header holds them: pixels (or tiles, map, attributes),
// then the palette.
std::string expected_bytes(const test::ScratchDir& dir, const std::string& target) {
    convert(dir, target, "img.bin");
    std::string bytes = test::read_text(dir / "img.bin");
    for (const char* beside : {"img.map", "img.attr"})
        if (std::filesystem::exists(dir / beside)) bytes += test::read_text(dir / beside);
    if (load_target(target).palette_format->is_fixed()) { // no palette file
        BOOST_TEST(!std::filesystem::exists(dir / "img.pal"));
        return bytes;
    }
    return bytes + test::read_text(dir / "img.pal");
}

const std::string program = R"(#include <stdio.h>
#include "img.h"
int main(void) {
    if (sizeof img_pixels != IMG_PIXELS_SIZE) return 10;
#if defined(IMG_PALETTE_ENTRY_BYTES)
    if (sizeof img_palette != (size_t)IMG_PALETTE_SIZE * IMG_PALETTE_ENTRY_BYTES) return 11;
#elif !defined(IMG_FIXED_PALETTE) /* entries packed into bytes: the Game Boy's 2-bit shades */
    if (sizeof img_palette != (size_t)(IMG_PALETTE_SIZE * 2 + 7) / 8) return 11;
#endif
    if (IMG_COLORS > IMG_PALETTE_SIZE) return 13;
    fwrite(img_pixels, 1, sizeof img_pixels, stdout);
#ifndef IMG_FIXED_PALETTE /* e-paper, OLEDs: the pixels are the codes, there is no palette */
    fwrite(img_palette, 1, sizeof img_palette, stdout);
#endif
    return 0;
}
)";

// The same for tile hardware: tiles, the map and attribute map where there are, the palette.
const std::string tile_program = R"(#include <stdio.h>
#include "img.h"
int main(void) {
    if (sizeof img_tiles != IMG_TILES_SIZE) return 10;
#ifdef IMG_PALETTE_ENTRY_BYTES
    if (sizeof img_palette != (size_t)IMG_PALETTE_SIZE * IMG_PALETTE_ENTRY_BYTES) return 11;
#else /* entries packed into bytes: the Game Boy's 2-bit shades */
    if (sizeof img_palette != (size_t)(IMG_PALETTE_SIZE * 2 + 7) / 8) return 11;
#endif
    if (IMG_TILES_SIZE % IMG_TILE_COUNT != 0) return 12;
    fwrite(img_tiles, 1, sizeof img_tiles, stdout);
#ifdef IMG_MAP_SIZE
    if (sizeof img_map != IMG_MAP_SIZE) return 13;
    /* whole entries of 1 or 2 bytes, or the NES's nametable of bytes and 64-byte attribute table */
    if (IMG_MAP_SIZE != IMG_MAP_WIDTH * IMG_MAP_HEIGHT * (IMG_MAP_SIZE / (IMG_MAP_WIDTH * IMG_MAP_HEIGHT)) &&
        IMG_MAP_SIZE != IMG_MAP_WIDTH * IMG_MAP_HEIGHT + 64) return 14;
    fwrite(img_map, 1, sizeof img_map, stdout);
#endif
#ifdef IMG_ATTR_SIZE
    fwrite(img_attr, 1, sizeof img_attr, stdout);
#endif
    fwrite(img_palette, 1, sizeof img_palette, stdout);
    return 0;
}
)";

// A program for small devices: sums the arrays so that they are kept.
const std::string device_program = R"(#include "img.h"
volatile unsigned long sum;
int main(void) {
    unsigned long i;
    for (i = 0; i < sizeof img_pixels; ++i) sum += img_pixels[i];
    for (i = 0; i < sizeof img_palette; ++i) sum += img_palette[i];
    return 0;
}
)";

std::string build(const test::ScratchDir& dir, const std::string& command) {
    const test::Run r = test::run_shell("cd " + test::quote(dir.path.string()) + " && " + command);
    BOOST_TEST(r.status == 0, command << ":\n" << r.out << r.err);
    return r.out;
}

} // namespace

// The emitted header, compiled by gcc as C89 and C99 and by g++ as C++98 with every warning an
// error, links into a program that prints its arrays: they must equal the bin output's bytes.
BOOST_AUTO_TEST_CASE(headers_compile_as_c89_c99_and_cxx98_and_hold_the_binary_bytes) {
    for (const std::string& target : builtin_target_names()) {
        if (load_target(target).screen) continue; // cells_test compiles the screens' headers
        BOOST_TEST_CONTEXT(target) {
            test::ScratchDir dir;
            const std::string expected = expected_bytes(dir, target);
            convert(dir, target, "img.h", {"--section", ".rodata.kpal", "--align", "4"});
            test::write_text(dir / "main.c", load_target(target).tiles ? tile_program : program);
            for (const std::string compile :
                 {"cc -std=c89 -pedantic -Wall -Wextra -Werror",
                  "cc -std=c99 -pedantic -Wall -Wextra -Werror",
                  "c++ -x c++ -std=c++98 -pedantic -Wall -Wextra -Werror"}) {
                build(dir, compile + " main.c -o show");
                BOOST_TEST((build(dir, "./show") == expected), compile);
            }
        }
    }
}

BOOST_AUTO_TEST_CASE(c_source_compiles_and_links_with_its_header) {
    test::ScratchDir dir;
    const std::string expected = expected_bytes(dir, "vga-mode12h");
    convert(dir, "vga-mode12h", "img.c");
    BOOST_TEST_REQUIRE(std::filesystem::exists(dir / "img.h"));
    test::write_text(dir / "main.c", program);
    build(dir, "cc -std=c89 -pedantic -Wall -Wextra -Werror main.c img.c -o show");
    BOOST_TEST((build(dir, "./show") == expected));
    build(dir, "c++ -x c++ -std=c++98 -pedantic -Wall -Werror -c main.c -o main.o && "
               "cc -std=c89 -c img.c -o img.o && c++ main.o img.o -o show2");
    BOOST_TEST((build(dir, "./show2") == expected));
}

// Headers for the toolchains of small devices: each compiles and links a program using them.
BOOST_AUTO_TEST_CASE(headers_build_for_cortex_m0_avr_and_z80) {
    test::ScratchDir dir;
    test::write_text(dir / "main.c", device_program);
    if (have("arm-none-eabi-gcc")) {
        convert(dir, "st7735-4bpp", "img.h", {"--section", ".rodata.assets", "--align", "4"});
        build(dir, "arm-none-eabi-gcc -mcpu=cortex-m0 -mthumb -Os -std=c99 -pedantic -Wall -Werror "
                   "-c main.c -o arm.o && arm-none-eabi-gcc -mcpu=cortex-m0 -mthumb "
                   "--specs=nosys.specs arm.o -o arm.elf");
        // The section asked for holds the arrays (the linker script then merges it).
        const std::string sections = build(dir, "arm-none-eabi-objdump -h arm.o");
        BOOST_TEST(sections.find(".rodata.assets") != std::string::npos);
    }
    if (have("avr-gcc")) {
        convert(dir, "generic-2bpp", "img.h", {"--progmem"});
        build(dir, "avr-gcc -mmcu=atmega328p -Os -std=c99 -Wall -Werror main.c -o avr.elf");
        // PROGMEM keeps the arrays in flash (a text symbol), not in RAM (.data: 'd').
        const std::string symbols = build(dir, "avr-nm avr.elf");
        const bool in_flash = symbols.find(" t img_pixels") != std::string::npos;
        BOOST_TEST(in_flash, symbols);
    }
    if (have("sdcc")) {
        convert(dir, "generic-4bpp", "img.h");
        build(dir, "sdcc -mz80 --std-c99 main.c -o z80.ihx");
        BOOST_TEST(std::filesystem::exists(dir / "z80.ihx"));
    }
}

// Assembler output, assembled by NASM (flat binary) and by GNU as, gives the binary's bytes.
BOOST_AUTO_TEST_CASE(assembler_output_assembles_to_the_binary_bytes) {
    test::ScratchDir dir;
    const std::string expected = expected_bytes(dir, "vga-modex");
    if (have("nasm")) {
        convert(dir, "vga-modex", "img.asm");
        build(dir, "nasm -f bin img.asm -o nasm.out");
        BOOST_TEST((test::read_text(dir / "nasm.out") == expected));
    }
    convert(dir, "vga-modex", "img.s");
    build(dir, "cc -c img.s -o gas.o && objcopy -O binary -j .rodata gas.o gas.out");
    BOOST_TEST((test::read_text(dir / "gas.out") == expected));
}

// The 8-bit computers' assemblers: pasmo (Z80) and ca65 with ld65 (6502) give the binary's bytes,
// for a framebuffer with its palette and for a screen of cells (its pieces: the file less its
// load address).
BOOST_AUTO_TEST_CASE(z80_and_6502_assembler_output_assembles_to_the_binary_bytes) {
    test::ScratchDir dir;
    const std::string expected = expected_bytes(dir, "vga-modex");
    const std::string input = (test::source_dir / "tests/golden/parrot.png").string();
    const auto screen = [&](const char* target, const std::string& output, const char* format) {
        const test::Run r = test::run_kpal({"convert", input, "-t", target, "--fit", "screen", "-q",
                                            "--format", format, "-o", (dir / output).string()});
        BOOST_TEST_REQUIRE(r.status == 0, r.err);
    };
    struct Assembler {
        const char *tool, *format, *assemble; // `assemble` makes OUT.out of OUT.asm
        const char* screen;                   // a target whose file it holds
        std::size_t load_address;             // the bytes before the file's pieces
    };
    const Assembler assemblers[] = {
        {"pasmo", "asm-z80", "pasmo --bin OUT.asm OUT.out", "zx-spectrum", 0},
        {"ld65", "asm-ca65", "ca65 OUT.asm -o OUT.o && ld65 -t none -o OUT.out OUT.o",
         "c64-multicolor", 2}};
    for (const Assembler& a : assemblers) {
        if (!have(a.tool)) continue;
        BOOST_TEST_CONTEXT(a.format) {
            const auto assemble = [&](const std::string& out) {
                std::string command = a.assemble;
                for (std::size_t at; (at = command.find("OUT")) != std::string::npos;)
                    command.replace(at, 3, out);
                build(dir, command);
                return test::read_text(dir / (out + ".out"));
            };
            convert(dir, "vga-modex", "img.asm", {"--format", a.format});
            BOOST_TEST((assemble("img") == expected));
            screen(a.screen, "screen.bin", "bin");
            screen(a.screen, "screen.asm", a.format);
            BOOST_TEST(
                (assemble("screen") == test::read_text(dir / "screen.bin").substr(a.load_address)));
        }
    }
}
