// kpal-compress-bench DIR...: the sizes `kpal convert --compress` gives on photos, against the
// reference points issue #17 names: greedy GBA LZ77 (the longest match at each position, as
// most GBA tools parse) and liblz4's LZ4_compress_HC at level 12 (`lz4 -12`) on the same bytes.
// Each image fills the screen (--fit) of three panels: an ST7735 at 160x128 and 4 bits, an
// ILI9341 at 320x240 and 8 bits, and the GBA's tiles of a 240x160 background. Run by
// `tools/bench --compress`.
#include "kpal/compress.h"
#include "kpal/convert.h"
#include "kpal/load.h"
#include "kpal/resize.h"
#include "kpal/target.h"

#include <lz4hc.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

namespace {

using Bytes = std::vector<std::uint8_t>;

// Greedy GBA LZ77: at each position the longest match (3..18 bytes, distance 1..4096, the
// nearest on a tie) or a literal; the size of its stream (header, a flag byte per 8 tokens,
// padding to a word).
std::size_t greedy_lz77_size(const Bytes& in) {
    std::size_t tokens = 0, bytes = 0;
    for (std::size_t i = 0; i < in.size();) {
        std::size_t best = 0;
        const std::size_t max = std::min<std::size_t>(18, in.size() - i);
        for (std::size_t d = 1; d <= 4096 && d <= i && best < max; ++d) {
            std::size_t n = 0;
            while (n < max && in[i + n] == in[i + n - d]) ++n;
            if (n > best) best = n;
        }
        ++tokens;
        if (best >= 3) {
            bytes += 2, i += best;
        } else {
            bytes += 1, i += 1;
        }
    }
    return (4 + (tokens + 7) / 8 + bytes + 3) / 4 * 4;
}

std::size_t lz4_hc12_size(const Bytes& in) {
    std::vector<char> out(std::size_t(LZ4_compressBound(int(in.size()))));
    return std::size_t(LZ4_compress_HC(reinterpret_cast<const char*>(in.data()), out.data(),
                                       int(in.size()), int(out.size()), 12));
}

struct Panel {
    const char* label;
    const char* target;
    int width, height;
};

} // namespace

int main(int argc, char** argv) try {
    std::vector<std::filesystem::path> images;
    for (int i = 1; i < argc; ++i)
        for (const auto& e : std::filesystem::directory_iterator(argv[i]))
            if (e.path().extension() == ".png" || e.path().extension() == ".jpg")
                images.push_back(e.path());
    std::sort(images.begin(), images.end());
    if (images.empty()) {
        std::fprintf(stderr, "usage: kpal-compress-bench DIR... (folders of PNG or JPEG)\n");
        return 2;
    }
    const Panel panels[] = {{"ST7735 160x128, 4 bits", "st7735-4bpp", 160, 128},
                            {"ILI9341 320x240, 8 bits", "ili9341-8bpp", 320, 240},
                            {"GBA tiles of 240x160", "gba-bg-4bpp", 240, 160}};
    const char* methods[] = {"gba-lz77", "gba-rle", "lz4", "lvgl-rle"};
    std::printf("%zu images. Mean bytes; in brackets the worst image's ratio.\n\n", images.size());
    std::printf("| data | raw | gba-lz77 | greedy LZ77 | gba-rle | lz4 | lz4 -12 | lvgl-rle | "
                "gba-lz77 / greedy | lz4 / lz4 -12 |\n|---|---|---|---|---|---|---|---|---|---|\n");
    for (const Panel& p : panels) {
        const kpal::Target target = kpal::load_target(p.target);
        double raw = 0, greedy = 0, hc = 0, sum[4] = {}, worst_greedy = 0, worst_hc = 0;
        for (const auto& path : images) {
            const kpal::Image image =
                kpal::fit_cover(kpal::load_image(path.string()), p.width, p.height);
            const Bytes bytes = kpal::convert(image, target, {}).pixel_bytes;
            raw += double(bytes.size());
            std::size_t size[4];
            for (int m = 0; m < 4; ++m)
                sum[m] += double(
                    size[m] =
                        kpal::compress(*kpal::find_compress_method(methods[m]), bytes).size());
            const std::size_t g = greedy_lz77_size(bytes), h = lz4_hc12_size(bytes);
            greedy += double(g), hc += double(h);
            worst_greedy = std::max(worst_greedy, double(size[0]) / double(g));
            worst_hc = std::max(worst_hc, double(size[2]) / double(h));
        }
        const double n = double(images.size());
        std::printf("| %s | %.0f | %.0f | %.0f | %.0f | %.1f | %.1f | %.0f | %.3f (%.3f) | %.5f "
                    "(%.5f) |\n",
                    p.label, raw / n, sum[0] / n, greedy / n, sum[1] / n, sum[2] / n, hc / n,
                    sum[3] / n, sum[0] / greedy, worst_greedy, sum[2] / hc, worst_hc);
    }
    return 0;
} catch (const std::exception& e) {
    std::fprintf(stderr, "kpal-compress-bench: %s\n", e.what());
    return 1;
}
