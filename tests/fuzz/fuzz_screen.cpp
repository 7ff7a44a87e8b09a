// libFuzzer target: the screen formats' decoders (kpal preview of a .scr, .sc2, .art or .kla
// from anywhere). The first byte picks the format, the second whether the rest is taken as it
// is (mostly the wrong size: an input error) or cut or padded with zeros to the format's size.
// A whole screen always decodes, to codes 0-15 at the format's size. (That any decoded screen
// encodes again to the same colours: cells_test, on random bytes.)
#include "kpal/cells.h"
#include "kpal/error.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 2) return 0;
    const auto formats = kpal::screen_formats();
    const kpal::ScreenFormat& f = formats[data[0] % formats.size()];
    std::vector<std::uint8_t> bytes(data + 2, data + size);
    if (data[1] & 1) bytes.resize(f.size, 0);
    kpal::IndexedImage codes;
    try {
        codes = kpal::decode_screen(f, bytes, "fuzz");
    } catch (const kpal::Error&) {
        if (bytes.size() == f.size) std::abort(); // a whole screen always decodes
        return 0;
    }
    if (codes.width != f.width || codes.height != f.height) std::abort();
    for (const std::uint8_t c : codes.indices)
        if (c > 15) std::abort();
    return 0;
}
