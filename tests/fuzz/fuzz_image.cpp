// libFuzzer target: PNG and JPEG decoding, then (for small images) the whole conversion.
#include "kpal/convert.h"
#include "kpal/error.h"
#include "kpal/load.h"
#include "kpal/target.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    kpal::LoadLimits limits;
    limits.max_pixels = 1 << 20; // stay fast; the caps themselves are what is being exercised
    try {
        const kpal::Image image = kpal::decode_image({data, size}, "fuzz", limits);
        if (image.pixel_count() <= 4096) {
            static const kpal::Target target = kpal::load_target("vga-mode12h");
            kpal::ConvertOptions options;
            options.colors = 1 + int(size % 16);
            options.dither.kind = kpal::DitherKind(size % 6);
            options.threads = 1;
            kpal::convert(image, target, options);
        }
    } catch (const kpal::Error&) {
    }
    return 0;
}
