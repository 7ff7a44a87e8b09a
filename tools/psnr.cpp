// kpal-psnr A B: MSE and PSNR over R, G, B between two images of the same size, the measure the
// benchmark applies to every tool's output alike. Exit status 2 when an image cannot be read or
// the sizes differ.
#include "kpal/error.h"
#include "kpal/load.h"

#include <cmath>
#include <cstdint>
#include <cstdio>

int main(int argc, char** argv) {
    if (argc != 3) {
        std::fprintf(stderr, "usage: kpal-psnr REFERENCE.png TEST.png\n");
        return 1;
    }
    try {
        const kpal::Image a = kpal::load_image(argv[1]), b = kpal::load_image(argv[2]);
        if (a.width != b.width || a.height != b.height) {
            std::fprintf(stderr, "kpal-psnr: %s and %s differ in size\n", argv[1], argv[2]);
            return 2;
        }
        std::uint64_t sum = 0;
        for (std::size_t i = 0; i < a.pixel_count(); ++i)
            for (int ch = 0; ch < 3; ++ch) {
                const int d = a.rgba[4 * i + ch] - b.rgba[4 * i + ch];
                sum += std::uint64_t(d * d);
            }
        const double mse = double(sum) / (3.0 * double(a.pixel_count()));
        std::printf("%.4f %.4f\n", mse, mse > 0 ? 10 * std::log10(255.0 * 255.0 / mse) : 99.0);
    } catch (const kpal::Error& e) {
        std::fprintf(stderr, "kpal-psnr: %s\n", e.what());
        return 2;
    }
}
