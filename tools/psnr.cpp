// kpal-psnr A B: MSE, PSNR and blurred PSNR (sigma 1) over R, G, B between two images of the same
// size, the measure the benchmark applies to every tool's output alike. Prints "MSE PSNR
// BLURRED_PSNR". Exit status 2 when an image cannot be read or the sizes differ.
#include "kpal/error.h"
#include "kpal/load.h"
#include "kpal/metrics.h"

#include <cstdio>

int main(int argc, char** argv) {
    if (argc != 3) {
        std::fprintf(stderr, "usage: kpal-psnr REFERENCE.png TEST.png\n");
        return 1;
    }
    try {
        const kpal::Quality q = kpal::compare(kpal::load_image(argv[1]), kpal::load_image(argv[2]));
        std::printf("%.4f %.4f %.4f\n", q.mse, q.mse > 0 ? q.psnr : 99.0, q.blurred_psnr);
    } catch (const kpal::Error& e) {
        std::fprintf(stderr, "kpal-psnr: %s\n", e.what());
        return 2;
    }
}
