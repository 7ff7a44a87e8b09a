// libFuzzer target: palette file parsing (GIMP, JASC-PAL, ACT, PNG).
#include "kpal/error.h"
#include "kpal/palette_file.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    try {
        kpal::parse_palette({data, size}, "fuzz.pal");
    } catch (const kpal::Error&) {
    }
    return 0;
}
