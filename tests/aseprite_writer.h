// An Aseprite file writer for the tests, from the published format
// (github.com/aseprite/aseprite/blob/main/docs/ase-file-specs.md), independent of kpal's reader:
// RGBA files of layers, zlib-compressed cels and tags; and the hero animation the tests use.
#pragma once

#include "kpal/animation.h"

#include <zlib.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

namespace test {

struct Writer {
    std::vector<std::uint8_t> out;
    void byte(unsigned v) { out.push_back(std::uint8_t(v)); }
    void word(unsigned v) { byte(v & 0xFF), byte(v >> 8 & 0xFF); }
    void dword(std::uint32_t v) { word(v & 0xFFFF), word(v >> 16); }
    void zeros(std::size_t n) { out.insert(out.end(), n, 0); }
    void string(const std::string& s) {
        word(unsigned(s.size()));
        out.insert(out.end(), s.begin(), s.end());
    }
};

struct AseLayer {
    std::string name;
    bool visible;
    int opacity;
};
struct AseCel {
    int layer, x, y, width, height;
    std::vector<std::uint8_t> rgba;
    int opacity = 255;
};
struct AseFrame {
    int duration;
    std::vector<AseCel> cels;
};

inline std::vector<std::uint8_t> chunk(unsigned type, const std::vector<std::uint8_t>& data) {
    Writer w;
    w.dword(std::uint32_t(data.size() + 6));
    w.word(type);
    w.out.insert(w.out.end(), data.begin(), data.end());
    return w.out;
}

// An RGBA Aseprite file: layers (first frame), tags, then each frame's cels, zlib-compressed.
inline std::vector<std::uint8_t> aseprite(int width, int height,
                                          const std::vector<AseLayer>& layers,
                                          const std::vector<AseFrame>& frames,
                                          const std::vector<kpal::Animation::Tag>& tags) {
    Writer file;
    file.dword(0); // the size, filled in below
    file.word(0xA5E0);
    file.word(unsigned(frames.size()));
    file.word(unsigned(width)), file.word(unsigned(height)), file.word(32);
    file.dword(1); // layer opacity is valid
    file.word(100), file.dword(0), file.dword(0);
    file.byte(0), file.zeros(3), file.word(0), file.byte(1), file.byte(1);
    file.zeros(128 - file.out.size());
    for (std::size_t f = 0; f < frames.size(); ++f) {
        std::vector<std::vector<std::uint8_t>> chunks;
        if (f == 0) {
            for (const AseLayer& l : layers) {
                Writer w;
                w.word(l.visible ? 1 : 0), w.word(0), w.word(0), w.word(0), w.word(0), w.word(0);
                w.byte(unsigned(l.opacity)), w.zeros(3), w.string(l.name);
                chunks.push_back(chunk(0x2004, w.out));
            }
            Writer t;
            t.word(unsigned(tags.size())), t.zeros(8);
            for (const kpal::Animation::Tag& tag : tags) {
                t.word(unsigned(tag.from)), t.word(unsigned(tag.to)), t.byte(0), t.word(0);
                t.zeros(6), t.zeros(3), t.byte(0), t.string(tag.name);
            }
            chunks.push_back(chunk(0x2018, t.out));
        }
        for (const AseCel& c : frames[f].cels) {
            Writer w;
            w.word(unsigned(c.layer)), w.word(unsigned(c.x) & 0xFFFF),
                w.word(unsigned(c.y) & 0xFFFF);
            w.byte(unsigned(c.opacity)), w.word(2), w.word(0), w.zeros(5);
            w.word(unsigned(c.width)), w.word(unsigned(c.height));
            uLongf size = compressBound(uLong(c.rgba.size()));
            std::vector<std::uint8_t> packed(size);
            compress(packed.data(), &size, c.rgba.data(), uLong(c.rgba.size()));
            w.out.insert(w.out.end(), packed.begin(), packed.begin() + std::ptrdiff_t(size));
            chunks.push_back(chunk(0x2005, w.out));
        }
        std::size_t bytes = 16;
        for (const auto& c : chunks) bytes += c.size();
        file.dword(std::uint32_t(bytes)), file.word(0xF1FA);
        file.word(unsigned(std::min<std::size_t>(chunks.size(), 0xFFFF)));
        file.word(unsigned(frames[f].duration)), file.zeros(2),
            file.dword(std::uint32_t(chunks.size()));
        for (const auto& c : chunks) file.out.insert(file.out.end(), c.begin(), c.end());
    }
    const auto size = std::uint32_t(file.out.size());
    for (int i = 0; i < 4; ++i) file.out[std::size_t(i)] = std::uint8_t(size >> (8 * i));
    return file.out;
}

// A w x h cel of one colour.
inline AseCel solid(int layer, int x, int y, int w, int h, kpal::Rgb c, int a = 255) {
    AseCel cel{layer, x, y, w, h, {}};
    for (int i = 0; i < w * h; ++i)
        cel.rgba.insert(cel.rgba.end(), {c.r, c.g, c.b, std::uint8_t(a)});
    return cel;
}

// The hero of the tests: 16x16 frames on a transparent canvas, a body layer, a hidden guide
// layer and a half-transparent shadow layer; two tags, walk (frames 1-2) and jump (3-4).
inline std::vector<std::uint8_t> hero() {
    const std::vector<AseLayer> layers{
        {"shadow", true, 128}, {"body", true, 255}, {"guide", false, 255}};
    std::vector<AseFrame> frames;
    const int durations[] = {100, 120, 80, 200};
    for (int f = 0; f < 4; ++f) {
        AseFrame frame{durations[f], {}};
        frame.cels.push_back(solid(0, 2, 10, 12, 3, kpal::Rgb{0, 0, 0}));           // shadow, 50 %
        frame.cels.push_back(solid(1, 4 + f, f < 2 ? 2 : 0, 6, 10, {200, 40, 40})); // body
        frame.cels.push_back(solid(2, 0, 0, 16, 16, {0, 255, 0}));                  // hidden guide
        frames.push_back(std::move(frame));
    }
    return aseprite(16, 16, layers, frames, {{"walk", 0, 1}, {"jump", 2, 3}});
}

} // namespace test
