// Compares a panel's memory dump (RGB565, high byte first, row-major) with a PNG (kpal's
// preview): every pixel's RGB565 code, expanded by bit replication as kpal's preview is, must
// equal the PNG's colour.   panel_check DUMP PREVIEW.png WIDTH HEIGHT
#include "kpal/core.h"
#include "kpal/load.h"

#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

int main(int argc, char** argv) try {
    if (argc != 5) {
        std::fprintf(stderr, "usage: panel_check DUMP PREVIEW.png WIDTH HEIGHT\n");
        return 2;
    }
    std::ifstream in(argv[1], std::ios::binary);
    const std::vector<unsigned char> dump{std::istreambuf_iterator<char>(in), {}};
    const kpal::Image preview = kpal::load_image(argv[2]);
    const int w = std::stoi(argv[3]), h = std::stoi(argv[4]);
    if (preview.width != w || preview.height != h || dump.size() != std::size_t(2 * w * h)) {
        std::fprintf(stderr, "panel_check: sizes differ (dump %zu bytes, preview %dx%d)\n",
                     dump.size(), preview.width, preview.height);
        return 1;
    }
    int wrong = 0;
    for (std::size_t i = 0; i < preview.pixel_count(); ++i) {
        const unsigned v = unsigned(dump[2 * i]) << 8 | dump[2 * i + 1];
        const kpal::Rgb shown{kpal_expand_channel(v >> 11, 5), kpal_expand_channel(v >> 5 & 63, 6),
                              kpal_expand_channel(v & 31, 5)};
        if (!(shown == preview.rgb_at(i)) && wrong++ < 5)
            std::fprintf(stderr, "panel_check: pixel (%zu, %zu) differs\n", i % std::size_t(w),
                         i / std::size_t(w));
    }
    if (wrong) {
        std::fprintf(stderr, "panel_check: %d of %zu pixels differ\n", wrong,
                     preview.pixel_count());
        return 1;
    }
    std::printf("panel_check: all %zu pixels equal the preview\n", preview.pixel_count());
    return 0;
} catch (const std::exception& e) {
    std::fprintf(stderr, "panel_check: %s\n", e.what());
    return 2;
}
