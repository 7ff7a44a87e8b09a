// Writes the frames the core is tested on, cut from real photos plus edge cases, as .kpc files
// (a 20-byte header the driver reads, see core_driver.c, then the raw pixels) and as PNGs (the same
// colours, for `kpal convert --engine fixed`), and one cases.txt for each platform folder named.
//
//   make_frames KODAK_DIR OUT_DIR PLATFORM...
#include "kpal/compress.h"
#include "kpal/convert.h"
#include "kpal/core.h"
#include "kpal/load.h"
#include "kpal/palette_format.h"
#include "kpal/preview.h"
#include "kpal/resize.h"
#include "kpal/target.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace {

struct Case {
    std::string name;
    kpal::Image image;
    kpal_pixel_format format;
    const char* palette_format;
    kpal_dither dither;
    kpal_layout layout;
    int colors, bpp, row_align, palette_size;
    int refine_passes = KPAL_DEFAULT_REFINE_PASSES;
};

std::uint8_t format_id(const char* name) {
    const kpal::PaletteFormat* f = kpal::find_palette_format(name);
    if (!f) throw std::runtime_error(std::string("no palette format ") + name);
    return f->id;
}

kpal::Image crop(const kpal::Image& in, int x0, int y0, int w, int h) {
    kpal::Image out{w, h, std::vector<std::uint8_t>(std::size_t(w) * h * 4)};
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x)
            for (int c = 0; c < 4; ++c)
                out.rgba[(std::size_t(y) * w + x) * 4 + c] =
                    in.rgba[(std::size_t(y0 + y) * in.width + x0 + x) * 4 + c];
    return out;
}

kpal::Image make(int w, int h, auto colour) {
    kpal::Image out{w, h, std::vector<std::uint8_t>(std::size_t(w) * h * 4, 255)};
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) {
            const kpal::Rgb c = colour(x, y);
            std::uint8_t* p = &out.rgba[(std::size_t(y) * w + x) * 4];
            p[0] = c.r, p[1] = c.g, p[2] = c.b;
        }
    return out;
}

// RGB565 frames hold 5-6-5 values; their PNG holds the 8-bit colours the core expands them to.
void to_565(kpal::Image& image) {
    for (std::size_t i = 0; i < image.pixel_count(); ++i)
        for (int c = 0; c < 3; ++c) {
            const int bits = c == 1 ? 6 : 5;
            const unsigned v = image.rgba[4 * i + c] >> (8 - bits);
            image.rgba[4 * i + c] = kpal_expand_channel(v, unsigned(bits));
        }
}

std::vector<std::uint8_t> pixels(const kpal::Image& image, kpal_pixel_format format) {
    std::vector<std::uint8_t> out;
    for (std::size_t i = 0; i < image.pixel_count(); ++i) {
        const std::uint8_t r = image.rgba[4 * i], g = image.rgba[4 * i + 1],
                           b = image.rgba[4 * i + 2];
        if (format == KPAL_RGB888) {
            out.insert(out.end(), {r, g, b});
            continue;
        }
        const unsigned v = unsigned(r >> 3) << 11 | unsigned(g >> 2) << 5 | unsigned(b >> 3);
        if (format == KPAL_RGB565_LE)
            out.insert(out.end(), {std::uint8_t(v), std::uint8_t(v >> 8)});
        else
            out.insert(out.end(), {std::uint8_t(v >> 8), std::uint8_t(v)});
    }
    return out;
}

void put16(std::vector<std::uint8_t>& out, int v) {
    out.push_back(std::uint8_t(v));
    out.push_back(std::uint8_t(v >> 8));
}

void write_file(const std::filesystem::path& path, const std::vector<std::uint8_t>& bytes) {
    std::ofstream(path, std::ios::binary)
        .write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
}

} // namespace

int main(int argc, char** argv) try {
    if (argc < 3) {
        std::fprintf(stderr, "usage: make_frames KODAK_DIR OUT_DIR PLATFORM...\n");
        return 2;
    }
    const std::filesystem::path kodak = argv[1], out = argv[2];
    std::filesystem::create_directories(out);
    const auto photo = [&](const char* name) { return kpal::load_image((kodak / name).string()); };
    const kpal::Image k23 = photo("kodim23.png"), k05 = photo("kodim05.png"),
                      k03 = photo("kodim03.png"), k08 = photo("kodim08.png");

    std::vector<Case> cases = {
        // The benchmark frames: an ST7735 panel's 160x128 RGB565 to 16 colours, and a 320x200
        // RGB888 frame to 256 colours (VGA mode 13h's DAC).
        {"st7735", kpal::resize_area(k23, 160, 128), KPAL_RGB565_BE, "rgb565-be", KPAL_DITHER_NONE,
         KPAL_LAYOUT_PACKED_MSB, 16, 4, 1, 16},
        {"mode13h", kpal::resize_area(crop(k05, 0, 16, 768, 480), 320, 200), KPAL_RGB888, "vga-dac",
         KPAL_DITHER_NONE, KPAL_LAYOUT_LINEAR, 256, 8, 1, 256},
        {"ega-planar", crop(k03, 300, 200, 64, 48), KPAL_RGB888, "ega64", KPAL_DITHER_BAYER8,
         KPAL_LAYOUT_PLANAR, 16, 4, 1, 16},
        {"rgb565le-bayer4", kpal::resize_area(k08, 96, 64), KPAL_RGB565_LE, "rgb565-le",
         KPAL_DITHER_BAYER4, KPAL_LAYOUT_PACKED_LSB, 16, 4, 2, 16},
        {"one-colour",
         make(16, 16,
              [](int, int) {
                  return kpal::Rgb{200, 40, 90};
              }),
         KPAL_RGB888, "rgb888", KPAL_DITHER_NONE, KPAL_LAYOUT_PACKED_MSB, 16, 4, 1, 16},
        {"k1", crop(k23, 400, 100, 32, 24), KPAL_RGB888, "rgb888", KPAL_DITHER_NONE,
         KPAL_LAYOUT_PACKED_MSB, 1, 1, 1, 2},
        {"few-colours",
         make(20, 10,
              [](int x, int y) {
                  const kpal::Rgb c[4] = {{0, 0, 0}, {255, 255, 255}, {255, 0, 0}, {0, 0, 255}};
                  return c[(x / 5 + y) % 4];
              }),
         KPAL_RGB888, "rgb888", KPAL_DITHER_NONE, KPAL_LAYOUT_PACKED_MSB, 16, 4, 1, 16},
        {"width1", crop(k05, 100, 100, 1, 50), KPAL_RGB888, "bgr555-le", KPAL_DITHER_NONE,
         KPAL_LAYOUT_PACKED_MSB, 4, 2, 1, 4},
        {"odd-width", crop(k03, 10, 10, 33, 7), KPAL_RGB565_BE, "rgb444-be", KPAL_DITHER_BAYER8,
         KPAL_LAYOUT_PACKED_MSB, 8, 4, 4, 16},
        {"k256-small", crop(k08, 200, 200, 17, 13), KPAL_RGB888, "bgra8888", KPAL_DITHER_NONE,
         KPAL_LAYOUT_LINEAR, 256, 8, 1, 256},
        // More refine passes than the default (--refine-passes), on a photo with few colours.
        {"refine8", kpal::resize_area(photo("kodim02.png"), 96, 64), KPAL_RGB888, "vga-dac",
         KPAL_DITHER_NONE, KPAL_LAYOUT_LINEAR, 256, 8, 1, 256, 8},
    };

    for (Case& c : cases) {
        if (c.format != KPAL_RGB888) to_565(c.image);
        std::vector<std::uint8_t> bytes = {'K', 'P', 'C', '1'};
        put16(bytes, c.image.width);
        put16(bytes, c.image.height);
        bytes.insert(bytes.end(), {std::uint8_t(c.format), format_id(c.palette_format),
                                   std::uint8_t(c.dither), std::uint8_t(c.layout)});
        put16(bytes, c.colors);
        bytes.insert(bytes.end(), {std::uint8_t(c.bpp), std::uint8_t(c.refine_passes)});
        put16(bytes, c.row_align);
        put16(bytes, c.palette_size);
        const std::vector<std::uint8_t> raw = pixels(c.image, c.format);
        bytes.insert(bytes.end(), raw.begin(), raw.end());
        std::ofstream(out / (c.name + ".kpc"), std::ios::binary)
            .write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
        // The same job for `kpal convert --engine fixed`: a target profile and the arguments.
        const char* layouts[] = {"linear", "packed-msb", "packed-lsb", "planar"};
        const char* dithers[] = {"none", "bayer4", "bayer8"};
        std::ofstream(out / (c.name + ".ini"))
            << "layout = " << layouts[c.layout] << "\nbpp = " << c.bpp
            << "\npalette_format = " << c.palette_format << "\npalette_size = " << c.palette_size
            << "\nrow_align = " << c.row_align << "\n";
        std::ofstream(out / (c.name + ".args"))
            << "-k;" << c.colors << ";--dither;" << dithers[c.dither] << ";--refine-passes;"
            << c.refine_passes;
        const std::vector<std::uint8_t> png = kpal::encode_rgba_png(c.image);
        std::ofstream(out / (c.name + ".png"), std::ios::binary)
            .write(reinterpret_cast<const char*>(png.data()), std::streamsize(png.size()));
    }
    // Compressed streams for the core's unpackers (.kpz: "KPZ1", the kpal_method, three zero
    // bytes, the unpacked size as a u32, the stream), each beside the bytes it must unpack to
    // (.expect): a photo's pixels for an ST7735, GBA tiles, and long runs of zeros.
    const std::vector<std::pair<std::string, std::vector<std::uint8_t>>> data = {
        {"st7735-120x96",
         kpal::convert(kpal::resize_area(k23, 120, 96), kpal::load_target("st7735-4bpp"), {})
             .pixel_bytes},
        {"gba-tiles",
         kpal::convert(kpal::resize_area(k05, 64, 48), kpal::load_target("gba-bg-4bpp"), {})
             .pixel_bytes},
        {"zeros", std::vector<std::uint8_t>(4000, 0)},
    };
    std::vector<std::string> unpacks; // "MODE STREAM STEM" lines
    for (const auto& [name, raw] : data)
        for (const char* method : {"gba-lz77", "gba-lz77-vram", "gba-rle", "lz4", "lvgl-rle"}) {
            const kpal::CompressMethod& m = *kpal::find_compress_method(method);
            std::vector<std::uint8_t> bytes = {'K', 'P', 'Z', '1', m.core, 0, 0, 0};
            put16(bytes, int(raw.size() & 0xffff));
            put16(bytes, int(raw.size() >> 16));
            const std::vector<std::uint8_t> packed = kpal::compress(m, raw);
            bytes.insert(bytes.end(), packed.begin(), packed.end());
            const std::string stem = name + "-" + method;
            write_file(out / (stem + ".kpz"), bytes);
            write_file(out / (stem + ".expect"), raw);
            unpacks.push_back("unpack ../" + stem + ".kpz " + stem);
            // Damaged copies: cut short, and with bytes flipped; the device must return what
            // the PC's core returns and write nothing past the buffer.
            for (int damage = 0; damage < 3; ++damage) {
                std::vector<std::uint8_t> bad = bytes;
                if (damage == 0) bad.resize(12 + packed.size() / 2);
                for (std::size_t k = 12 + std::size_t(damage) * 7; damage && k < bad.size();
                     k += 13 + std::size_t(damage) * 29)
                    bad[k] ^= std::uint8_t(0x5a + damage);
                std::vector<std::uint8_t> room(raw.size());
                const std::int32_t got = kpal_unpack(kpal_method(m.core), bad.data() + 12,
                                                     std::uint32_t(bad.size() - 12), room.data(),
                                                     std::uint32_t(room.size()));
                const std::string bad_stem = stem + "-damaged" + std::to_string(damage);
                write_file(out / (bad_stem + ".kpz"), bad);
                write_file(out / (bad_stem + ".expect"),
                           {'G', std::uint8_t(got), std::uint8_t(std::uint32_t(got) >> 8),
                            std::uint8_t(std::uint32_t(got) >> 16),
                            std::uint8_t(std::uint32_t(got) >> 24)});
                unpacks.push_back("guard ../" + bad_stem + ".kpz " + bad_stem);
            }
            if (m.core == KPAL_METHOD_GBA_RLE) {
                write_file(out / (stem + "-rows.expect"), raw);
                unpacks.push_back("rows ../" + stem + ".kpz " + stem + "-rows");
            }
        }
    for (int i = 3; i < argc; ++i) {
        std::filesystem::create_directories(out / argv[i]);
        std::ofstream list(out / argv[i] / "cases.txt");
        for (const Case& c : cases) list << "run ../" << c.name << ".kpc " << c.name << "\n";
        for (const std::string& line : unpacks) list << line << "\n";
    }
    return 0;
} catch (const std::exception& e) {
    std::fprintf(stderr, "make_frames: %s\n", e.what());
    return 1;
}
