// Aseprite files (.ase, .aseprite), read after the published format
// (github.com/aseprite/aseprite/blob/main/docs/ase-file-specs.md): the header, then each frame's
// chunks (layers, cels, palettes, tags); each frame composed from its cels.
#include "kpal/animation.h"
#include "kpal/error.h"

#include <zlib.h>

#include <algorithm>
#include <map>

namespace kpal {
namespace {

// Little-endian fields from a span, every read checked against its end.
struct Bytes {
    std::span<const std::uint8_t> data;
    std::size_t at = 0;
    const std::string* name;

    void need(std::size_t n) const {
        if (n > data.size() - at) throw_input_error(*name, "is truncated or corrupt");
    }
    std::uint8_t byte() {
        need(1);
        return data[at++];
    }
    unsigned word() {
        need(2);
        at += 2;
        return data[at - 2] | unsigned(data[at - 1]) << 8;
    }
    int short_() { return int(std::int16_t(std::uint16_t(word()))); }
    std::uint32_t dword() {
        const unsigned low = word();
        return low | std::uint32_t(word()) << 16;
    }
    void skip(std::size_t n) {
        need(n);
        at += n;
    }
    std::span<const std::uint8_t> take(std::size_t n) {
        need(n);
        at += n;
        return data.subspan(at - n, n);
    }
    std::string string() {
        const std::span<const std::uint8_t> s = take(word());
        return {s.begin(), s.end()};
    }
};

struct Layer {
    std::string name;
    bool visible = true; // itself and every group above it
    int opacity = 255;
    bool background = false; // opaque: an indexed file's transparent index is a colour there
};

struct Cel {
    int layer = 0, x = 0, y = 0, opacity = 255, z = 0;
    int width = 0, height = 0;
    std::vector<std::uint8_t> rgba; // width x height
};

// The file as read: header fields, layers, the palette, and each frame's cels.
struct File {
    int width = 0, height = 0, depth = 32, transparent = 0;
    bool layer_opacity = false;
    bool new_palette = false;          // a palette chunk was read: the old ones are left alone
    std::uint64_t cel_pixels_left = 0; // all the cels' pixels together may be no more
    std::vector<Layer> layers;
    std::vector<std::uint8_t> palette = std::vector<std::uint8_t>(256 * 4, 0); // RGBA
    std::vector<std::vector<Cel>> cels;                                        // a frame's
    std::vector<int> durations;
    std::vector<Animation::Tag> tags;
};

// A cel's pixels (width x height in the file's colour depth) as RGBA.
std::vector<std::uint8_t> to_rgba(const File& f, std::span<const std::uint8_t> pixels,
                                  bool background) {
    std::vector<std::uint8_t> out(pixels.size() / std::size_t(f.depth / 8) * 4);
    for (std::size_t i = 0; 4 * i < out.size(); ++i) {
        std::uint8_t* p = &out[4 * i];
        if (f.depth == 32) {
            std::copy_n(&pixels[4 * i], 4, p);
        } else if (f.depth == 16) {
            p[0] = p[1] = p[2] = pixels[2 * i], p[3] = pixels[2 * i + 1];
        } else {
            const int index = pixels[i];
            std::copy_n(&f.palette[std::size_t(index) * 4], 4, p);
            if (index == f.transparent && !background) p[3] = 0;
        }
    }
    return out;
}

// A cel chunk: its position, opacity and pixels (raw or zlib-compressed); a linked cel copies
// the one of the same layer in an earlier frame.
void read_cel(Bytes& b, std::size_t end, File& f, const std::string& name) {
    Cel cel;
    cel.layer = int(b.word());
    cel.x = b.short_(), cel.y = b.short_();
    cel.opacity = b.byte();
    const unsigned type = b.word();
    cel.z = b.short_();
    b.skip(5);
    if (std::size_t(cel.layer) >= f.layers.size())
        throw_input_error(name, "has a cel of layer " + std::to_string(cel.layer) +
                                    ", which is not there");
    if (type == 1) {
        const unsigned from = b.word();
        if (from >= f.cels.size() - 1) throw_input_error(name, "links a cel to a later frame");
        for (const Cel& c : f.cels[from])
            if (c.layer == cel.layer) {
                Cel linked = c;
                linked.opacity = cel.opacity, linked.z = cel.z;
                f.cels.back().push_back(std::move(linked));
            }
        return;
    }
    if (type == 3)
        throw_input_error(name, "layer '" + f.layers[std::size_t(cel.layer)].name +
                                    "' is a tilemap: convert it to a normal layer in Aseprite");
    if (type != 0 && type != 2)
        throw_input_error(name, "has a cel of unknown type " + std::to_string(type));
    cel.width = int(b.word()), cel.height = int(b.word());
    const std::size_t size =
        std::size_t(cel.width) * std::size_t(cel.height) * std::size_t(f.depth / 8);
    const std::uint64_t pixels_of_cel = std::uint64_t(cel.width) * std::uint64_t(cel.height);
    if (pixels_of_cel > 4 * std::uint64_t(f.width) * std::uint64_t(f.height) + 65536)
        throw_input_error(name, "has a cel of " + std::to_string(cel.width) + "x" +
                                    std::to_string(cel.height) + ", far larger than its canvas");
    if (pixels_of_cel > f.cel_pixels_left)
        throw_input_error(name, "has more cel pixels than its frames could show");
    f.cel_pixels_left -= pixels_of_cel;
    std::vector<std::uint8_t> pixels(size);
    const std::span<const std::uint8_t> data = b.take(end - b.at);
    if (type == 0) {
        if (data.size() < size) throw_input_error(name, "has a cel with too few pixels");
        std::copy_n(data.begin(), size, pixels.begin());
    } else {
        uLongf out = uLongf(size);
        if (uncompress(pixels.data(), &out, data.data(), uLong(data.size())) != Z_OK || out != size)
            throw_input_error(name, "has a cel whose compressed pixels are corrupt");
    }
    cel.rgba = to_rgba(f, pixels, f.layers[std::size_t(cel.layer)].background);
    f.cels.back().push_back(std::move(cel));
}

// A layer chunk. Its visibility is its own flag and its groups' (child level); refused: blend
// modes other than normal, tilemaps.
void read_layer(Bytes& b, File& f, std::vector<bool>& group_visible, const std::string& name) {
    const unsigned flags = b.word(), type = b.word(), level = b.word();
    b.skip(4);
    const unsigned blend = b.word();
    const int opacity = b.byte();
    b.skip(3);
    Layer layer{b.string(), true, f.layer_opacity ? opacity : 255, (flags & 8) != 0};
    group_visible.resize(level + 1, true);
    const bool parents =
        std::all_of(group_visible.begin(), group_visible.begin() + level, [](bool v) { return v; });
    layer.visible = (flags & 1) && !(flags & 64) && parents; // 64: a reference layer
    group_visible[level] = layer.visible;
    if (type == 2)
        throw_input_error(name, "layer '" + layer.name +
                                    "' is a tilemap: convert it to a normal layer in Aseprite");
    if (blend != 0 && layer.visible && type == 0)
        throw_input_error(name, "layer '" + layer.name + "' is blended in mode " +
                                    std::to_string(blend) +
                                    ", not normally: kpal composes normal layers only (merge it "
                                    "down in Aseprite, or hide it)");
    if (type == 1) layer.visible = false; // a group draws through its children
    f.layers.push_back(std::move(layer));
}

void read_palette(Bytes& b, File& f) {
    b.dword(); // the palette's new size
    const std::uint32_t first = b.dword(), last = b.dword();
    b.skip(8);
    f.new_palette = true;
    for (std::uint32_t i = first; i <= last && i < 256; ++i) {
        const unsigned flags = b.word();
        for (int c = 0; c < 4; ++c) f.palette[std::size_t(i) * 4 + c] = b.byte();
        if (flags & 1) b.string();
    }
}

// The palette chunk of older files (8-bit values), read only where no new one was.
void read_old_palette(Bytes& b, File& f) {
    if (f.new_palette) return;
    std::size_t index = 0;
    for (unsigned packets = b.word(); packets > 0; --packets) {
        index += b.byte();
        unsigned count = b.byte();
        if (count == 0) count = 256;
        for (unsigned c = 0; c < count; ++c, ++index) {
            const std::span<const std::uint8_t> rgb = b.take(3);
            if (index < 256) {
                std::copy(rgb.begin(), rgb.end(), &f.palette[index * 4]);
                f.palette[index * 4 + 3] = 255;
            }
        }
    }
}

void read_tags(Bytes& b, File& f) {
    const unsigned count = b.word();
    b.skip(8);
    for (unsigned t = 0; t < count; ++t) {
        Animation::Tag tag;
        tag.from = int(b.word()), tag.to = int(b.word());
        b.skip(1 + 2 + 6 + 3 + 1);
        tag.name = b.string();
        f.tags.push_back(std::move(tag));
    }
}

// Aseprite's normal blend of `src` (alpha scaled by `opacity`) over `dst`, both RGBA.
void blend_normal(std::uint8_t* dst, const std::uint8_t* src, int opacity) {
    const int sa = (src[3] * opacity + 127) / 255;
    if (sa == 0) return;
    const int da = dst[3];
    const int ra = sa + da - (da * sa + 127) / 255;
    for (int c = 0; c < 3; ++c) dst[c] = std::uint8_t(dst[c] + (src[c] - dst[c]) * sa / ra);
    dst[3] = std::uint8_t(ra);
}

// A frame: its cels over a transparent canvas, by layer order and z-index.
Image compose(const File& f, std::vector<Cel> cels) {
    std::stable_sort(cels.begin(), cels.end(), [](const Cel& a, const Cel& b) {
        return std::pair(a.layer + a.z, a.z) < std::pair(b.layer + b.z, b.z);
    });
    Image out{f.width, f.height,
              std::vector<std::uint8_t>(std::size_t(f.width) * std::size_t(f.height) * 4, 0)};
    for (const Cel& cel : cels) {
        const Layer& layer = f.layers[std::size_t(cel.layer)];
        if (!layer.visible) continue;
        const int opacity = (cel.opacity * layer.opacity + 127) / 255;
        for (int y = 0; y < cel.height; ++y)
            for (int x = 0; x < cel.width; ++x) {
                const int cx = cel.x + x, cy = cel.y + y;
                if (cx < 0 || cy < 0 || cx >= f.width || cy >= f.height) continue;
                blend_normal(&out.rgba[(std::size_t(cy) * std::size_t(f.width) + cx) * 4],
                             &cel.rgba[(std::size_t(y) * std::size_t(cel.width) + x) * 4], opacity);
            }
    }
    return out;
}

// One frame's chunks.
void read_frame(Bytes& b, File& f, std::vector<bool>& groups, const std::string& name) {
    const std::size_t start = b.at;
    const std::uint32_t bytes = b.dword();
    if (b.word() != 0xF1FA) throw_input_error(name, "has a frame without its magic number");
    const unsigned old_chunks = b.word();
    f.durations.push_back(int(b.word()));
    b.skip(2);
    const std::uint32_t chunks = b.dword();
    if (bytes < 16 || bytes > b.data.size() - start) throw_input_error(name, "is truncated");
    f.cels.emplace_back();
    for (std::uint32_t c = 0; c < (chunks ? chunks : old_chunks); ++c) {
        const std::size_t at = b.at;
        const std::uint32_t size = b.dword();
        const unsigned type = b.word();
        if (size < 6 || size > start + bytes - at) throw_input_error(name, "has a corrupt chunk");
        const std::size_t end = at + size;
        if (type == 0x2004) read_layer(b, f, groups, name);
        if (type == 0x2005) read_cel(b, end, f, name);
        if (type == 0x2019) read_palette(b, f);
        if (type == 0x0004) read_old_palette(b, f);
        if (type == 0x2018) read_tags(b, f);
        if (b.at > end) throw_input_error(name, "has a corrupt chunk");
        b.at = end;
    }
    b.at = start + bytes;
}

} // namespace

Animation decode_aseprite(std::span<const std::uint8_t> bytes, const std::string& name,
                          const LoadLimits& limits) {
    Bytes b{bytes, 0, &name};
    File f;
    b.dword();
    if (b.word() != 0xA5E0) throw_input_error(name, "is not an Aseprite file");
    const unsigned frames = b.word();
    f.width = int(b.word()), f.height = int(b.word());
    f.depth = int(b.word());
    f.layer_opacity = b.dword() & 1;
    b.skip(2 + 8);
    f.transparent = b.byte();
    b.skip(128 - b.at);
    if (f.depth != 32 && f.depth != 16 && f.depth != 8)
        throw_input_error(name, "has a colour depth of " + std::to_string(f.depth) +
                                    " bits; Aseprite writes 32, 16 or 8");
    if (f.width <= 0 || f.height <= 0 || std::uint32_t(f.width) > limits.max_width ||
        std::uint32_t(f.height) > limits.max_height)
        throw_input_error(name, "has a " + std::to_string(f.width) + "x" +
                                    std::to_string(f.height) + " canvas, outside 1x1.." +
                                    std::to_string(limits.max_width) + "x" +
                                    std::to_string(limits.max_height));
    if (frames == 0) throw_input_error(name, "holds no frame");
    if (std::uint64_t(f.width) * std::uint64_t(f.height) * frames > limits.max_pixels)
        throw_input_error(name, std::to_string(frames) + " frames of " + std::to_string(f.width) +
                                    "x" + std::to_string(f.height) + " are more pixels than " +
                                    std::to_string(limits.max_pixels));
    f.cel_pixels_left = 4 * limits.max_pixels; // cels may reach past the canvas, and overlap
    std::vector<bool> groups;
    for (unsigned i = 0; i < frames; ++i) read_frame(b, f, groups, name);
    Animation out;
    out.width = f.width, out.height = f.height;
    for (std::size_t i = 0; i < f.cels.size(); ++i) out.frames.push_back(compose(f, f.cels[i]));
    out.durations_ms = f.durations;
    for (const Animation::Tag& tag : f.tags)
        if (tag.from <= tag.to && std::size_t(tag.to) < out.frames.size()) out.tags.push_back(tag);
    return out;
}

} // namespace kpal
