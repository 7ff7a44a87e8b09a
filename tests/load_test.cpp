#define BOOST_TEST_MODULE load
#include "kpal/error.h"
#include "kpal/load.h"
#include "support.h"

#include <boost/test/unit_test.hpp>

#include <cstdio>
#include <jpeglib.h>

using namespace kpal;
namespace fs = std::filesystem;

namespace {

const fs::path suite = test::shared_images / "pngsuite";

std::vector<fs::path> suite_files(char first) {
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(suite))
        if (e.path().extension() == ".png" && e.path().filename().string()[0] == first)
            files.push_back(e.path());
    std::sort(files.begin(), files.end());
    return files;
}

std::vector<fs::path> valid_suite_files() {
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(suite))
        if (e.path().extension() == ".png" && e.path().filename().string()[0] != 'x')
            files.push_back(e.path());
    std::sort(files.begin(), files.end());
    return files;
}

// The message of the input Error that loading `path` throws ("" when it loads).
std::string error_of(const fs::path& path, const LoadLimits& limits = {}) {
    try {
        load_image(path.string(), limits);
    } catch (const Error& e) {
        BOOST_TEST((e.kind() == ErrorKind::input));
        return e.what();
    }
    return "";
}

// Writes `img` as a JPEG with libjpeg (an encoder independent of kpal's decoder).
void write_jpeg(const fs::path& path, const Image& img, bool progressive, bool grey,
                const std::vector<std::uint8_t>& app1 = {}) {
    jpeg_compress_struct c{};
    jpeg_error_mgr err{};
    c.err = jpeg_std_error(&err);
    jpeg_create_compress(&c);
    std::FILE* f = std::fopen(path.c_str(), "wb");
    jpeg_stdio_dest(&c, f);
    c.image_width = JDIMENSION(img.width);
    c.image_height = JDIMENSION(img.height);
    c.input_components = 3;
    c.in_color_space = JCS_RGB;
    jpeg_set_defaults(&c);
    if (grey) jpeg_set_colorspace(&c, JCS_GRAYSCALE);
    jpeg_set_quality(&c, 98, TRUE);
    if (progressive) jpeg_simple_progression(&c);
    jpeg_start_compress(&c, TRUE);
    if (!app1.empty()) jpeg_write_marker(&c, JPEG_APP0 + 1, app1.data(), unsigned(app1.size()));
    std::vector<std::uint8_t> row(std::size_t(img.width) * 3);
    for (int y = 0; y < img.height; ++y) {
        for (int x = 0; x < img.width; ++x)
            for (int ch = 0; ch < 3; ++ch)
                row[std::size_t(x) * 3 + ch] = img.rgba[(std::size_t(y) * img.width + x) * 4 + ch];
        JSAMPROW r = row.data();
        jpeg_write_scanlines(&c, &r, 1);
    }
    jpeg_finish_compress(&c);
    jpeg_destroy_compress(&c);
    std::fclose(f);
}

Image smooth_image() {
    return test::make_image(40, 24, [](int x, int y) {
        return Rgb{std::uint8_t(x * 6), std::uint8_t(y * 10), std::uint8_t(128)};
    });
}

int max_difference(const Image& a, const Image& b, bool grey) {
    int worst = 0;
    for (std::size_t i = 0; i < a.pixel_count(); ++i) {
        const Rgb p = a.rgb_at(i), q = b.rgb_at(i);
        const int want[3] = {p.r, p.g, p.b};
        const int luma = (299 * p.r + 587 * p.g + 114 * p.b) / 1000;
        const int got[3] = {q.r, q.g, q.b};
        for (int ch = 0; ch < 3; ++ch)
            worst = std::max(worst, std::abs((grey ? luma : want[ch]) - got[ch]));
    }
    return worst;
}

} // namespace

BOOST_AUTO_TEST_CASE(every_valid_pngsuite_file_loads_at_its_size) {
    const auto files = valid_suite_files();
    BOOST_TEST_REQUIRE(files.size() > 150u, "PngSuite not found at " << suite);
    for (const fs::path& f : files) {
        const std::string name = f.filename().string();
        BOOST_TEST_CONTEXT(name) {
            const Image img = load_image(f.string());
            // sNN files are NN x NN; cdf, cdh and cds are 8 wide, 8 high, 8 x 8; all others 32
            // x 32.
            const int side = name[0] == 's' ? std::stoi(name.substr(1, 2)) : 32;
            const bool narrow = name.starts_with("cdf") || name.starts_with("cds");
            const bool flat = name.starts_with("cdh") || name.starts_with("cds");
            BOOST_TEST(img.width == (narrow ? 8 : side));
            BOOST_TEST(img.height == (flat ? 8 : side));
            BOOST_TEST(img.rgba.size() == img.pixel_count() * 4);
        }
    }
}

BOOST_AUTO_TEST_CASE(interlaced_files_decode_to_the_same_pixels_as_their_twins) {
    for (const fs::path& f : suite_files('b')) {
        std::string name = f.filename().string();
        if (name.rfind("basi", 0) != 0) continue;
        const fs::path twin = suite / ("basn" + name.substr(4));
        BOOST_TEST_CONTEXT(name) {
            BOOST_TEST((load_image(f.string()).rgba == load_image(twin.string()).rgba));
        }
    }
}

BOOST_AUTO_TEST_CASE(colour_types_and_depths_decode_to_known_values) {
    // 1-bit grey is black or white; grey stays grey; tRNS becomes alpha.
    for (const char* name : {"basn0g01.png", "basn0g02.png", "basn0g16.png", "basn4a16.png"}) {
        const Image img = load_image((suite / name).string());
        for (std::size_t i = 0; i < img.pixel_count(); ++i) {
            const Rgb c = img.rgb_at(i);
            BOOST_TEST_REQUIRE((c.r == c.g && c.g == c.b), name);
            if (name[7] == '1') BOOST_TEST_REQUIRE((c.r == 0 || c.r == 255));
        }
    }
    const Image trns = load_image((suite / "tbbn3p08.png").string());
    std::size_t clear = 0;
    for (std::size_t i = 0; i < trns.pixel_count(); ++i) clear += trns.rgba[4 * i + 3] == 0;
    BOOST_TEST(clear > 0u);
    const Image opaque = load_image((suite / "basn2c08.png").string());
    for (std::size_t i = 0; i < opaque.pixel_count(); ++i)
        BOOST_TEST_REQUIRE(opaque.rgba[4 * i + 3] == 255);
    // 16-bit samples are rounded to 8 bits: basn2c16's first pixel is (0xffff, 0xffff, 0).
    const Image deep = load_image((suite / "basn2c16.png").string());
    BOOST_TEST((deep.rgb_at(0) == Rgb{255, 255, 0}));
}

BOOST_AUTO_TEST_CASE(every_corrupt_pngsuite_file_is_rejected_naming_the_file) {
    const auto files = suite_files('x');
    BOOST_TEST_REQUIRE(files.size() >= 10u);
    for (const fs::path& f : files) {
        const std::string message = error_of(f);
        BOOST_TEST(message.starts_with(f.string() + ": "), f.filename() << ": " << message);
        BOOST_TEST(message.find('\n') == std::string::npos);
    }
}

BOOST_AUTO_TEST_CASE(jpeg_baseline_progressive_and_grey_decode) {
    test::ScratchDir dir;
    const Image img = smooth_image();
    for (bool progressive : {false, true})
        for (bool grey : {false, true}) {
            const fs::path p = dir / "t.jpg";
            write_jpeg(p, img, progressive, grey);
            const Image back = load_image(p.string());
            BOOST_TEST_REQUIRE(back.width == img.width);
            BOOST_TEST_REQUIRE(back.height == img.height);
            BOOST_TEST(max_difference(img, back, grey) <= 6,
                       "progressive " << progressive << " grey " << grey);
        }
}

BOOST_AUTO_TEST_CASE(truncated_files_are_rejected) {
    test::ScratchDir dir;
    write_jpeg(dir / "whole.jpg", smooth_image(), false, false);
    const std::string jpeg = test::read_text(dir / "whole.jpg");
    test::write_text(dir / "cut.jpg", jpeg.substr(0, jpeg.size() * 2 / 3));
    BOOST_TEST(
        error_of(dir / "cut.jpg").starts_with((dir / "cut.jpg").string() + ": corrupt JPEG: "));

    const std::string png = test::read_text(test::shared_images / "kodak/kodim23.png");
    test::write_text(dir / "cut.png", png.substr(0, png.size() / 2));
    BOOST_TEST(
        error_of(dir / "cut.png").starts_with((dir / "cut.png").string() + ": corrupt PNG: "));
}

BOOST_AUTO_TEST_CASE(files_that_are_not_images_are_rejected) {
    test::ScratchDir dir;
    test::write_text(dir / "notes.png", "hello, I am text\n");
    test::write_text(dir / "empty.png", "");
    BOOST_TEST(error_of(dir / "notes.png") ==
               (dir / "notes.png").string() + ": not a PNG or JPEG image");
    BOOST_TEST(error_of(dir / "empty.png") ==
               (dir / "empty.png").string() + ": file is empty, not an image");
    BOOST_TEST(error_of(dir / "missing.png") ==
               (dir / "missing.png").string() + ": cannot open: No such file or directory");
    BOOST_TEST(error_of(dir.path).starts_with(dir.path.string() + ": cannot read"));
}

BOOST_AUTO_TEST_CASE(images_over_the_limit_are_rejected_before_decoding) {
    LoadLimits small;
    small.max_pixels = 1000;
    BOOST_TEST(error_of(suite / "basn2c08.png", small).find("larger than the limit") !=
               std::string::npos);
    small = {};
    small.max_width = 16;
    BOOST_TEST(error_of(suite / "basn2c08.png", small).find("larger than the limit") !=
               std::string::npos);
}

// Palette PNGs of every depth, interlaced or not, keep their indices and PLTE: each pixel's
// colour is its index's entry. Other colour types keep none.
BOOST_AUTO_TEST_CASE(palette_pngs_keep_their_indices_and_plte) {
    for (const char* name : {"basn3p01.png", "basn3p02.png", "basn3p04.png", "basn3p08.png",
                             "basi3p02.png", "basi3p08.png"}) {
        BOOST_TEST_CONTEXT(name) {
            const Image image = load_image((suite / name).string());
            BOOST_TEST_REQUIRE(image.source_indices.size() == image.pixel_count());
            BOOST_TEST_REQUIRE(!image.source_palette.empty());
            for (std::size_t i = 0; i < image.pixel_count(); ++i) {
                const std::uint8_t index = image.source_indices[i];
                BOOST_TEST_REQUIRE(index < image.source_palette.size());
                BOOST_TEST_REQUIRE((image.source_palette[index] == image.rgb_at(i)));
            }
        }
    }
    const Image rgb = load_image((suite / "basn2c08.png").string());
    BOOST_TEST((rgb.source_indices.empty() && rgb.source_palette.empty()));
}

// A phone photo's EXIF orientation is applied: a 32x16 picture of four coloured quarters (red,
// green / blue, white), saved with each orientation, loads turned as EXIF 2.3 says (6: the 0th
// row is the visual right side, the 0th column the visual top; ...), in either byte order.
BOOST_AUTO_TEST_CASE(jpeg_exif_orientation_is_applied) {
    test::ScratchDir dir;
    const Rgb red{255, 0, 0}, green{0, 255, 0}, blue{0, 0, 255}, white{255, 255, 255};
    const Image quarters = test::make_image(32, 16, [&](int x, int y) {
        return y < 8 ? (x < 16 ? red : green) : (x < 16 ? blue : white);
    });
    // The colours at the shown picture's top left and top right for orientations 1..8.
    const Rgb corners[8][2] = {{red, green}, {green, red}, {white, blue},  {blue, white},
                               {red, blue},  {blue, red},  {white, green}, {green, white}};
    const auto near = [](Rgb a, Rgb b) {
        return std::abs(a.r - b.r) < 40 && std::abs(a.g - b.g) < 40 && std::abs(a.b - b.b) < 40;
    };
    for (const bool big_endian : {false, true})
        for (int o = 1; o <= 8; ++o) {
            // Exif header, TIFF header, IFD0 with one entry: 0x0112 SHORT 1 = o; then a second
            // entry's worth of padding, and no next IFD.
            std::vector<std::uint8_t> app1{'E', 'x', 'i', 'f', 0, 0};
            const auto u16 = [&](unsigned v) {
                if (big_endian)
                    app1.insert(app1.end(), {std::uint8_t(v >> 8), std::uint8_t(v)});
                else
                    app1.insert(app1.end(), {std::uint8_t(v), std::uint8_t(v >> 8)});
            };
            const auto u32 = [&](unsigned v) {
                big_endian ? (u16(v >> 16), u16(v)) : (u16(v), u16(v >> 16));
            };
            app1.insert(app1.end(), big_endian ? std::initializer_list<std::uint8_t>{'M', 'M'}
                                               : std::initializer_list<std::uint8_t>{'I', 'I'});
            u16(42), u32(8), u16(2);
            u16(0x010f), u16(2), u32(4), u32(0); // Make: another tag first
            u16(0x0112), u16(3), u32(1), u16(unsigned(o)), u16(0);
            u32(0);
            const fs::path path = dir / ("o" + std::to_string(o) + ".jpg");
            write_jpeg(path, quarters, false, false, app1);
            const Image shown = load_image(path.string());
            BOOST_TEST_CONTEXT("orientation " << o << (big_endian ? " MM" : " II")) {
                BOOST_TEST(shown.width == (o >= 5 ? 16 : 32));
                BOOST_TEST(shown.height == (o >= 5 ? 32 : 16));
                BOOST_TEST(near(shown.rgb_at(std::size_t(shown.width) + 1), corners[o - 1][0]));
                BOOST_TEST(near(shown.rgb_at(2 * std::size_t(shown.width) - 2), corners[o - 1][1]));
            }
        }
    // Malformed EXIF (truncated, a wild IFD offset) is ignored, not read past its end.
    for (const std::vector<std::uint8_t>& bad :
         {std::vector<std::uint8_t>{'E', 'x', 'i', 'f', 0, 0, 'I', 'I', 42, 0, 255, 255, 255, 127},
          std::vector<std::uint8_t>{'E', 'x', 'i', 'f', 0, 0, 'I', 'I', 42, 0, 8, 0, 0, 0, 200,
                                    1}}) {
        write_jpeg(dir / "bad.jpg", quarters, false, false, bad);
        const Image shown = load_image((dir / "bad.jpg").string());
        BOOST_TEST(shown.width == 32);
    }
}
