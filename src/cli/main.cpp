// The kpal program: dispatches to a command, and turns every failure into one line on stderr and
// a documented exit status.
#include "cli.h"
#include "kpal/error.h"
#include "kpal/version.h"

#include <malloc.h>

#include <iostream>
#include <string>
#include <vector>

namespace {

constexpr const char* overview =
    R"(kpal turns 24-bit images into indexed pixel data and a palette in the exact
format a display wants (VGA modes, EGA, SPI LCD panels, GBA, LVGL, ...), as C, assembler or
binaries, with a preview PNG of what the display will show.

Usage:
  kpal convert IMAGE... -t TARGET -o OUTPUT [options]  convert PNG or JPEG images (several:
                                                       -o DIR/, one palette each or shared)
  kpal preview DATA.bin -t TARGET --size WxH -o OUT.png
                                                       show emitted binaries as the display would
  kpal targets [--names]                               list the built-in targets (screen,
                                                       colours, layout)
  kpal studio [IMAGE|FOLDER...] [--port N]             see it live in the browser: any target
                                                       and option, the device's picture beside
                                                       the original, the command line to copy
  kpal options [--json]                                every option of convert and preview
                                                       (JSON: for programs and kpal studio)
  kpal --help | --version
  kpal COMMAND --help                                  the options of a command

Examples:
  kpal convert photo.jpg -t vga-mode13h --fit screen -o photo.h --preview photo-vga.png
  kpal convert logo.png -t st7735-4bpp -k 8 -o logo.bin        (writes logo.bin and logo.pal)
  kpal convert title.jpg -t vga-mode12h --resize 640x480 -o title.asm
  kpal convert art.png -t targets/my-panel.ini -o art.h --stats
  kpal preview logo.bin -t st7735-4bpp --size 64x32 -o check.png

Exit status: 0 done; 1 wrong usage (unknown option, -k out of range, missing argument);
2 bad input (missing, unreadable or corrupt image, unknown or malformed target, binaries that
do not fit the target); 3 an output could not be written. On any failure no output file is
created or changed.
)";

int run(const std::vector<std::string>& args) {
    if (args.empty()) {
        std::cerr << overview;
        return 1;
    }
    const std::string& command = args[0];
    const std::vector<std::string> rest(args.begin() + 1, args.end());
    if (command == "--help" || command == "-h" || command == "help") {
        std::cout << overview;
        return 0;
    }
    if (command == "--version") {
        std::cout << "kpal " KPAL_VERSION_STRING "\n";
        return 0;
    }
    if (command == "convert") return kpal::cli::convert_command(rest);
    if (command == "preview") return kpal::cli::preview_command(rest);
    if (command == "targets") return kpal::cli::targets_command(rest);
    if (command == "options") return kpal::cli::options_command(rest);
    if (command == "studio") return kpal::cli::studio_command(rest);
    return kpal::cli::usage_error("unknown command '" + command + "'", "");
}

} // namespace

int main(int argc, char** argv) {
    // A conversion allocates and frees buffers of megabytes stage after stage (pixels, sorted
    // keys, cluster bounds, the header's text). By default glibc maps each afresh and unmaps it
    // when freed, and every page of a new mapping is a fault. Buffers up to 32 MiB (glibc's
    // most) come from the heap instead, which is never trimmed (the process is short-lived), so
    // freed pages are reused: on a 768x512 photo 2800 page faults instead of 5000.
    mallopt(M_MMAP_THRESHOLD, 32 << 20);
    mallopt(M_TRIM_THRESHOLD, 1 << 30);
    const std::vector<std::string> args(argv + 1, argv + argc);
    try {
        return run(args);
    } catch (const kpal::Error& e) {
        if (e.kind() == kpal::ErrorKind::usage)
            return kpal::cli::usage_error(e.what(), args.empty() ? "" : args[0]);
        std::cerr << "kpal: " << e.what() << "\n";
        return int(e.kind());
    } catch (const std::bad_alloc&) {
        std::cerr << "kpal: out of memory\n";
        return 2;
    } catch (const std::exception& e) {
        std::cerr << "kpal: internal error: " << e.what() << "\n";
        return 4;
    }
}
