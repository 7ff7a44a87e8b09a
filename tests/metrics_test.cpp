#define BOOST_TEST_MODULE metrics
// The figures every PSNR in the README rests on, checked against values worked out here: one
// pixel's error, left-out pixels, and the blurred measure against a plain two-dimensional blur of
// whole images (the program computes it a few rows at a time, in bands, on two threads).
#include "kpal/metrics.h"
#include "support.h"

#include <boost/test/unit_test.hpp>

#include <cmath>

using namespace kpal;
namespace tt = boost::test_tools;

namespace {

double psnr(double mse) {
    return 10 * std::log10(255.0 * 255.0 / mse);
}

// The normalised Gaussian of sigma 1, radius 3, in doubles.
std::vector<double> gaussian() {
    std::vector<double> k;
    double sum = 0;
    for (int d = -3; d <= 3; ++d) k.push_back(std::exp(-0.5 * d * d)), sum += k.back();
    for (double& v : k) v /= sum;
    return k;
}

// The blurred PSNR the slow way: both whole images blurred in two dimensions (edges clamped),
// then the mean squared difference.
double blurred_psnr(const Image& a, const Image& b) {
    const std::vector<double> k = gaussian();
    const int w = a.width, h = a.height;
    double sum = 0;
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x)
            for (int ch = 0; ch < 3; ++ch) {
                double va = 0, vb = 0;
                for (int dy = -3; dy <= 3; ++dy)
                    for (int dx = -3; dx <= 3; ++dx) {
                        const std::size_t i =
                            std::size_t(std::clamp(y + dy, 0, h - 1)) * std::size_t(w) +
                            std::size_t(std::clamp(x + dx, 0, w - 1));
                        const double weight = k[std::size_t(dy + 3)] * k[std::size_t(dx + 3)];
                        va += weight * a.rgba[4 * i + std::size_t(ch)];
                        vb += weight * b.rgba[4 * i + std::size_t(ch)];
                    }
                sum += (va - vb) * (va - vb);
            }
    return psnr(sum / (double(w) * h * 3));
}

} // namespace

// One pixel of a 20x20 picture off by 10 in red, far from the edges: the MSE is 100 over 1200
// values, and blurred the error spreads into the kernel's square, whose squares sum to
// (sum of k^2)^2.
BOOST_AUTO_TEST_CASE(one_pixels_error_plain_and_blurred) {
    const Image a = test::make_image(20, 20, [](int, int) { return Rgb{100, 100, 100}; });
    Image b = a;
    b.rgba[(10 * 20 + 10) * 4] = 110;
    const Quality q = compare(a, b);
    BOOST_TEST(q.mse == 100.0 / 1200, tt::tolerance(1e-12));
    BOOST_TEST(q.psnr == psnr(100.0 / 1200), tt::tolerance(1e-12));
    double k2 = 0;
    for (double v : gaussian()) k2 += v * v;
    BOOST_TEST(q.blurred_psnr == psnr(100.0 * k2 * k2 / 1200), tt::tolerance(1e-5));
    BOOST_TEST(std::isinf(compare(a, a).psnr));
}

// Pixels of the transparent index, or (a fixed palette's) pixels the mask marks, are left out
// of the MSE and count as the original when blurred.
BOOST_AUTO_TEST_CASE(left_out_pixels_count_as_the_original) {
    const Image original = test::make_image(4, 1, [](int x, int) {
        return Rgb{std::uint8_t(60 * x), 0, 0};
    });
    const std::vector<Rgb> shown{{0, 0, 0}, {200, 0, 0}};
    const IndexedImage indexed{4, 1, {0, 0, 1, 1}}; // errors 0, 60, 80, 20 in red
    BOOST_TEST(measure(original, indexed, shown).mse == (0 + 3600 + 6400 + 400) / 12.0);
    BOOST_TEST(measure(original, indexed, shown, 0).mse == (6400 + 400) / 6.0);
    const std::vector<std::uint8_t> opaque{1, 0, 1, 1};
    BOOST_TEST(measure(original, indexed, shown, std::nullopt, opaque).mse ==
               (0 + 6400 + 400) / 9.0);
    const Quality none =
        measure(original, indexed, shown, std::nullopt, std::vector<std::uint8_t>{0, 0, 0, 0});
    BOOST_TEST(std::isinf(none.blurred_psnr));
}

// Random pictures of several sizes (one row; narrower than the kernel; many 64-row bands with a
// short last one) give the blurred PSNR of the whole-image blur.
BOOST_AUTO_TEST_CASE(the_banded_blur_equals_the_whole_image_blur) {
    test::Random rnd(7);
    for (const auto& [w, h] : {std::pair{1, 1}, {5, 2}, {37, 1}, {23, 200}, {64, 129}}) {
        const auto noise = [&](int, int) {
            return Rgb{std::uint8_t(rnd.below(256)), std::uint8_t(rnd.below(256)),
                       std::uint8_t(rnd.below(256))};
        };
        const Image a = test::make_image(w, h, noise), b = test::make_image(w, h, noise);
        BOOST_TEST_CONTEXT(w << "x" << h) {
            BOOST_TEST(compare(a, b).blurred_psnr == blurred_psnr(a, b), tt::tolerance(1e-5));
        }
    }
}
