// libFuzzer target: the command line. The input is split at newlines into arguments and given
// to a command (chosen by the first byte); every failure must be a kpal::Error (usage, input,
// output), never a crash. Runs in a scratch folder; arguments with '/' are skipped so that no
// file outside it is read or written.
#include "../../src/cli/cli.h"
#include "kpal/error.h"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <unistd.h>
#include <vector>

namespace {
// Made on the first input, not at start-up: libFuzzer reads its corpus paths first.
struct Scratch {
    Scratch() {
        char folder[] = "/tmp/kpal-fuzz-cli-XXXXXX";
        if (!::mkdtemp(folder) || ::chdir(folder) != 0) std::abort();
        // A real image and profile, so that some argument lists get past loading.
        std::FILE* ini = std::fopen("t.ini", "w");
        std::fputs("layout = planar\nbpp = 4\npalette_format = ega64\n", ini);
        std::fclose(ini);
        static const unsigned char png[] = {
            // a 2x2 red RGB PNG
            0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48,
            0x44, 0x52, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x02, 0x08, 0x02, 0x00, 0x00,
            0x00, 0xfd, 0xd4, 0x9a, 0x73, 0x00, 0x00, 0x00, 0x16, 0x49, 0x44, 0x41, 0x54, 0x08,
            0xd7, 0x63, 0xfc, 0xcf, 0xc0, 0xc0, 0xc0, 0xc0, 0xc0, 0xc4, 0xc0, 0xc0, 0xc0, 0xc0,
            0xc0, 0x00, 0x00, 0x0d, 0x1d, 0x01, 0x03, 0x2b, 0xe9, 0xa6, 0xc8, 0x00, 0x00, 0x00,
            0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82};
        std::FILE* img = std::fopen("a.png", "wb");
        std::fwrite(png, 1, sizeof png, img);
        std::fclose(img);
    }
};
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const Scratch scratch;
    if (size == 0) return 0;
    std::vector<std::string> args(1);
    for (std::size_t i = 1; i < size; ++i) {
        if (data[i] == '/' || data[i] == 0) return 0;
        if (data[i] == '\n')
            args.emplace_back();
        else
            args.back() += char(data[i]);
    }
    if (args.size() > 40) return 0;
    try {
        switch (data[0] % 3) {
        case 0:
            kpal::cli::convert_command(args);
            break;
        case 1:
            kpal::cli::preview_command(args);
            break;
        default:
            kpal::cli::targets_command(args);
            break;
        }
    } catch (const kpal::Error&) {
    }
    return 0;
}
