#define BOOST_TEST_MODULE compress
#include "kpal/compress.h"
#include "kpal/core.h"
#include "kpal/error.h"
#include "support.h"

#include <boost/test/unit_test.hpp>

#include <lz4.h>
#include <lz4hc.h>

#include <map>
#include <random>
#include <string>

using namespace kpal;
using Bytes = std::vector<std::uint8_t>;

namespace {

// GBA BIOS streams read as GBATEK ("BIOS Decompression Functions") describes them, not through
// kpal's core: a word header (bits 4-7 the type, 8-31 the size); LZ77: a flag byte, its bits
// from the top, 0 a literal byte, 1 two bytes: the high nibble the length - 3, the low 12 bits
// the distance - 1, copied from the output; RLE: a flag byte, bit 7 set for a run of
// (bits 0-6) + 3 copies of the next byte, clear for (bits 0-6) + 1 literal bytes.
Bytes gbatek_lz77(const Bytes& in) {
    BOOST_TEST_REQUIRE((in.at(0) >> 4) == 1);
    const std::size_t size = in.at(1) | in.at(2) << 8 | in.at(3) << 16;
    Bytes out;
    std::size_t at = 4;
    while (out.size() < size) {
        const unsigned flags = in.at(at++);
        for (int bit = 7; bit >= 0 && out.size() < size; --bit) {
            if (!(flags >> bit & 1)) {
                out.push_back(in.at(at++));
                continue;
            }
            const unsigned hi = in.at(at++), lo = in.at(at++);
            const std::size_t length = (hi >> 4) + 3, distance = ((hi & 15) << 8 | lo) + 1;
            BOOST_TEST_REQUIRE(distance <= out.size());
            for (std::size_t k = 0; k < length; ++k) out.push_back(out[out.size() - distance]);
        }
    }
    return out;
}

Bytes gbatek_rle(const Bytes& in) {
    BOOST_TEST_REQUIRE((in.at(0) >> 4) == 3);
    const std::size_t size = in.at(1) | in.at(2) << 8 | in.at(3) << 16;
    Bytes out;
    std::size_t at = 4;
    while (out.size() < size) {
        const unsigned flag = in.at(at++);
        if (flag & 0x80) {
            out.insert(out.end(), (flag & 0x7f) + 3, in.at(at++));
        } else {
            for (unsigned k = 0; k < (flag & 0x7f) + 1u; ++k) out.push_back(in.at(at++));
        }
    }
    return out;
}

// LVGL 9's RLE as its documentation of lv_rle.c gives it, for blocks of one byte: a control
// byte with bit 7 set is followed by (bits 0-6) literal bytes, with bit 7 clear by one byte
// repeated (bits 0-6) times.
Bytes lvgl_rle(const Bytes& in) {
    Bytes out;
    for (std::size_t at = 0; at < in.size();) {
        const unsigned control = in.at(at++);
        if (control & 0x80)
            for (unsigned k = 0; k < (control & 0x7f); ++k) out.push_back(in.at(at++));
        else
            out.insert(out.end(), control, in.at(at++));
    }
    return out;
}

// The independent decoder of each method: GBATEK's for the GBA, LVGL's RLE as documented, and
// liblz4's LZ4_decompress_safe for the LZ4 blocks (plain and inside LVGL images).
Bytes independent(const CompressMethod& m, const Bytes& packed, std::size_t size) {
    if (m.name == "gba-rle") return gbatek_rle(packed);
    if (m.name == "lvgl-rle") return lvgl_rle(packed);
    if (m.name.starts_with("gba")) return gbatek_lz77(packed);
    Bytes out(size + 16);
    const int got = LZ4_decompress_safe(reinterpret_cast<const char*>(packed.data()),
                                        reinterpret_cast<char*>(out.data()), int(packed.size()),
                                        int(out.size()));
    BOOST_TEST_REQUIRE(got >= 0);
    out.resize(std::size_t(got));
    return out;
}

// Cases: empty, short, runs at the formats' limits, noise, repeats, and real images' bytes.
std::map<std::string, Bytes> cases() {
    std::map<std::string, Bytes> c;
    std::mt19937 random(9);
    c["empty"] = {};
    c["one byte"] = {7};
    c["zeros 100000"] = Bytes(100000, 0);
    for (std::size_t n : {2, 3, 4, 17, 18, 19, 127, 128, 129, 130, 131, 132, 258, 260, 4096, 4097})
        c["run " + std::to_string(n)] = Bytes(n, 0xa5);
    Bytes noise(60000);
    for (auto& b : noise) b = std::uint8_t(random());
    c["noise"] = noise;
    Bytes literals(300); // literal blocks past 128 and 255 (LZ4's length bytes)
    for (std::size_t i = 0; i < literals.size(); ++i) literals[i] = std::uint8_t(i * 7 + i / 256);
    c["literals 300"] = literals;
    Bytes pattern; // repeats at distances of 1, 2, 4096, 4097 and 70000
    for (int i = 0; i < 5000; ++i) pattern.push_back(std::uint8_t(random() % 4));
    for (int i = 0; i < 3000; ++i) pattern.push_back(pattern[pattern.size() - 2]);
    for (int i = 0; i < 3000; ++i) pattern.push_back(pattern[pattern.size() - 4096]);
    for (int i = 0; i < 3000; ++i) pattern.push_back(pattern[pattern.size() - 4097]);
    c["pattern"] = pattern;
    for (const char* golden : {"parrot-gba-tiles-4bpp.bin", "parrot-gba-mode4.bin",
                               "parrot-md-bg.bin", "parrot-gb-bg.bin"})
        c[golden] = test::read_bytes(test::source_dir / "tests/golden/expected" / golden);
    return c;
}

// A photo as a panel's bytes: `kpal convert` for `target` at `size`.
Bytes photo_bytes(const std::string& photo, const std::string& target, const std::string& size) {
    const test::ScratchDir dir;
    const test::Run r =
        test::run_kpal({"convert", (test::shared_images / "kodak" / photo).string(), "-t", target,
                        "--resize", size, "-q", "-o", (dir / "p.bin").string()});
    BOOST_TEST_REQUIRE(r.status == 0, r.err);
    return test::read_bytes(dir / "p.bin");
}

Bytes core_unpack(const CompressMethod& m, const Bytes& packed, std::size_t limit) {
    return unpack(m, packed, limit, "test");
}

} // namespace

// Every method on every case: the independent decoder and the core's both give the bytes back;
// the GBA streams are whole words; the VRAM variant never copies from distance 1.
BOOST_AUTO_TEST_CASE(every_method_round_trips_through_an_independent_decoder) {
    for (const CompressMethod& m : compress_methods())
        for (const auto& [name, data] : cases()) {
            BOOST_TEST_CONTEXT(m.name << ", " << name) {
                const Bytes packed = compress(m, data);
                if (m.name.starts_with("gba")) BOOST_TEST(packed.size() % 4 == 0u);
                BOOST_TEST_REQUIRE((independent(m, packed, data.size()) == data));
                BOOST_TEST_REQUIRE((core_unpack(m, packed, data.size()) == data));
                if (m.name == "gba-lz77" && name == "zeros 100000")
                    BOOST_TEST(packed.size() < 100000u / 8); // 18-byte matches, 17 bits each
            }
        }
    // VRAM: parse the stream's matches and check none is at distance 1.
    const Bytes packed = compress(*find_compress_method("gba-lz77-vram"), Bytes(5000, 3));
    std::size_t at = 4, size = 0;
    while (size < 5000) {
        const unsigned flags = packed.at(at++);
        for (int bit = 7; bit >= 0 && size < 5000; --bit) {
            if (!(flags >> bit & 1)) {
                ++at, ++size;
                continue;
            }
            BOOST_TEST_REQUIRE(((packed[at] & 15) << 8 | packed[at + 1]) != 0);
            size += (packed[at] >> 4) + 3u;
            at += 2;
        }
    }
}

// Sizes on photos: the 160x128 4-bit ST7735 image and the 320x240 8-bit VGA one. LZ4 is no
// larger than liblz4's LZ4_compress_HC at level 12 (lz4 -12).
BOOST_AUTO_TEST_CASE(lz4_is_no_larger_than_lz4_hc_12_on_photos) {
    const std::vector<std::pair<std::string, std::string>> panels{{"st7735-4bpp", "160x128"},
                                                                  {"vga-mode13h", "320x240"}};
    for (const char* photo : {"kodim23.png", "kodim05.png", "kodim13.png"})
        for (const auto& [target, size] : panels) {
            BOOST_TEST_CONTEXT(photo << ", " << target) {
                const Bytes data = photo_bytes(photo, target, size);
                const Bytes ours = compress(*find_compress_method("lz4"), data);
                std::vector<char> hc(std::size_t(LZ4_compressBound(int(data.size()))));
                const int theirs = LZ4_compress_HC(reinterpret_cast<const char*>(data.data()),
                                                   hc.data(), int(data.size()), int(hc.size()), 12);
                BOOST_TEST_REQUIRE(theirs > 0);
                BOOST_TEST(ours.size() <= std::size_t(theirs),
                           ours.size() << " bytes against lz4 -12's " << theirs);
                BOOST_TEST((independent(*find_compress_method("lz4"), ours, data.size()) == data));
            }
        }
}

// Corrupt and truncated streams: the core returns KPAL_ERR_CORRUPT (or, for an LZ4 block cut at
// a sequence's end, a true prefix), never writing past the buffer (guard bytes after it), and
// a buffer one byte short of the data is refused.
BOOST_AUTO_TEST_CASE(corrupt_streams_are_refused_without_writing_past_the_buffer) {
    std::mt19937 random(4);
    const Bytes data = cases().at("pattern");
    for (const CompressMethod& m : compress_methods()) {
        BOOST_TEST_CONTEXT(m.name) {
            const Bytes packed = compress(m, data);
            const kpal_method method = kpal_method(m.core);
            const auto run = [&](const Bytes& in, std::size_t room, bool damaged = false) {
                Bytes out(room + 64, 0xee);
                const std::int32_t got = kpal_unpack(method, in.data(), std::uint32_t(in.size()),
                                                     out.data(), std::uint32_t(room));
                for (std::size_t i = room; i < out.size(); ++i)
                    BOOST_TEST_REQUIRE(out[i] == 0xee, "wrote past the buffer");
                if (got >= 0 && !damaged)
                    BOOST_TEST_REQUIRE(std::equal(out.begin(), out.begin() + got, data.begin()));
                return got;
            };
            BOOST_TEST(run(packed, data.size()) == std::int32_t(data.size()));
            BOOST_TEST(run(packed, data.size() - 1) == KPAL_ERR_CORRUPT);
            for (std::size_t cut = 0; cut < packed.size(); cut += 1 + packed.size() / 300) {
                const Bytes part(packed.begin(), packed.begin() + std::ptrdiff_t(cut));
                const std::int32_t got = run(part, data.size());
                if (m.name.starts_with("gba")) // only the word padding may go
                    BOOST_TEST_REQUIRE((got < 0 || cut + 4 > packed.size()), cut);
                else
                    BOOST_TEST_REQUIRE(got < std::int32_t(data.size()), cut);
            }
            for (int trial = 0; trial < 300; ++trial) { // random damage: no crash, no overrun
                Bytes bad = packed;
                for (int k = 0; k < 3; ++k)
                    bad[random() % bad.size()] ^= std::uint8_t(1 + random() % 255);
                (void)run(bad, data.size(), true);
            }
        }
    }
    const std::uint8_t wrong_type[8] = {0x20, 4, 0, 0, 0, 1, 2, 3};
    std::uint8_t out[8];
    BOOST_TEST(kpal_unpack(KPAL_METHOD_GBA_LZ77, wrong_type, 8, out, 8) == KPAL_ERR_CORRUPT);
    BOOST_TEST(kpal_unpack(KPAL_METHOD_GBA_RLE, wrong_type, 8, out, 8) == KPAL_ERR_CORRUPT);
    BOOST_TEST(kpal_unpacked_size(KPAL_METHOD_GBA_LZ77, wrong_type, 8) == 0u);
}

// The RLE stream gives the same bytes a row at a time as the whole unpack.
BOOST_AUTO_TEST_CASE(the_rle_stream_gives_rows) {
    const Bytes data = photo_bytes("kodim23.png", "st7735-4bpp", "160x128");
    const Bytes packed = compress(*find_compress_method("gba-rle"), data);
    kpal_rle_stream s;
    BOOST_TEST_REQUIRE(kpal_rle_begin(&s, packed.data(), std::uint32_t(packed.size())) == KPAL_OK);
    Bytes rows, row(80);
    for (std::int32_t got; (got = kpal_rle_read(&s, row.data(), 80)) > 0;)
        rows.insert(rows.end(), row.begin(), row.begin() + got);
    BOOST_TEST((rows == data));
    BOOST_TEST(kpal_rle_read(&s, row.data(), 80) == 0);
}

// LVGL 9's compressed images (lv_bin_decoder.c): the image header with flag 0x0008, then u32
// method (1 RLE, 2 LZ4), u32 compressed size (the rest of the file), u32 decompressed size, then
// the stream, which unpacks to the uncompressed image's data (palette and rows).
BOOST_AUTO_TEST_CASE(lvgl_images_compress_inside_their_header) {
    const test::ScratchDir dir;
    const std::string photo = (test::shared_images / "kodak/kodim23.png").string();
    const auto lvgl = [&](const std::string& name, std::vector<std::string> extra) {
        std::vector<std::string> args{
            "convert",  photo,      "-t", "lvgl-i4", "--resize",           "160x120",
            "--format", "lvgl-bin", "-q", "-o",      (dir / name).string()};
        args.insert(args.end(), extra.begin(), extra.end());
        const test::Run r = test::run_kpal(args);
        BOOST_TEST_REQUIRE(r.status == 0, r.err);
        return test::read_bytes(dir / name);
    };
    const Bytes raw = lvgl("raw.bin", {});
    const auto u32 = [](const Bytes& b, std::size_t at) {
        return std::uint32_t(b[at] | b[at + 1] << 8 | b[at + 2] << 16 |
                             std::uint32_t(b[at + 3]) << 24);
    };
    for (const auto& [name, code] : {std::pair{"lvgl-rle", 1u}, {"lvgl-lz4", 2u}}) {
        BOOST_TEST_CONTEXT(name) {
            const Bytes packed = lvgl(std::string(name) + ".bin", {"--compress", name});
            BOOST_TEST_REQUIRE(packed.size() > 24u);
            BOOST_TEST((std::equal(packed.begin(), packed.begin() + 2, raw.begin()))); // magic, cf
            BOOST_TEST((packed[2] | packed[3] << 8) == 0x0008);                        // flags
            BOOST_TEST((std::equal(packed.begin() + 4, packed.begin() + 12, raw.begin() + 4)));
            BOOST_TEST((u32(packed, 12) & 15u) == code);
            BOOST_TEST(u32(packed, 16) == packed.size() - 24);
            BOOST_TEST(u32(packed, 20) == raw.size() - 12);
            const Bytes stream(packed.begin() + 24, packed.end());
            BOOST_TEST((independent(*find_compress_method(name), stream, raw.size()) ==
                        Bytes(raw.begin() + 12, raw.end())));
            BOOST_TEST(packed.size() < raw.size() * 3 / 4);
        }
    }
    const test::Run v8 =
        test::run_kpal({"convert", photo, "-t", "lvgl-i4", "--format", "lvgl-bin", "--lvgl", "8",
                        "--compress", "lvgl-rle", "-o", (dir / "v8.bin").string()});
    BOOST_TEST(v8.status == 1);
    BOOST_TEST(v8.err.find("LVGL 8") != std::string::npos, v8.err);
    for (const auto& [format, method] : {std::pair{"lvgl-bin", "gba-lz77"}, {"bin", "lvgl-lz4"}}) {
        const test::Run r = test::run_kpal({"convert", photo, "-t", "lvgl-i4", "--format", format,
                                            "--compress", method, "-o", (dir / "x.bin").string()});
        BOOST_TEST(r.status == 1, format << " " << method);
        BOOST_TEST(!std::filesystem::exists(dir / "x.bin"));
    }
}
