// libFuzzer target: the animation readers (GIF through giflib, Aseprite from its format) on any
// bytes. The first byte picks the reader; a file that decodes gives frames of its canvas's size,
// as many as durations, and tags within its frames.
#include "kpal/animation.h"
#include "kpal/error.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 1) return 0;
    const std::span<const std::uint8_t> bytes(data + 1, size - 1);
    kpal::LoadLimits limits;
    limits.max_pixels = 1 << 20;
    kpal::Animation a;
    try {
        a = data[0] & 1 ? kpal::decode_gif(bytes, "fuzz", limits)
                        : kpal::decode_aseprite(bytes, "fuzz", limits);
    } catch (const kpal::Error&) {
        return 0;
    }
    if (a.frames.empty() || a.frames.size() != a.durations_ms.size()) std::abort();
    for (const kpal::Image& f : a.frames)
        if (f.width != a.width || f.height != a.height ||
            f.rgba.size() != std::size_t(a.width) * std::size_t(a.height) * 4)
            std::abort();
    for (const kpal::Animation::Tag& t : a.tags)
        if (t.from < 0 || t.to < t.from || std::size_t(t.to) >= a.frames.size()) std::abort();
    return 0;
}
