// GIF animations through giflib: every frame composed on the logical screen.
#include "kpal/animation.h"
#include "kpal/error.h"

#include <gif_lib.h>

#include <algorithm>
#include <cstring>
#include <memory>

namespace kpal {
namespace {

struct Reader {
    std::span<const std::uint8_t> bytes;
    std::size_t at = 0;
};

// giflib's words for an error code (it has none for some codes).
std::string said(int code) {
    const char* text = GifErrorString(code);
    return text ? text : "error " + std::to_string(code);
}

std::string corrupt(int code) {
    return "is corrupt or truncated: " + said(code);
}

int read_bytes(GifFileType* gif, GifByteType* out, int want) {
    auto* r = static_cast<Reader*>(gif->UserData);
    const std::size_t n = std::min(std::size_t(std::max(want, 0)), r->bytes.size() - r->at);
    std::memcpy(out, r->bytes.data() + r->at, n);
    r->at += n;
    return int(n);
}

struct Closer {
    void operator()(GifFileType* gif) const {
        int error = 0;
        DGifCloseFile(gif, &error);
    }
};

// A frame as the file holds it: its rectangle, colour map (or none: the screen's), indices and
// the graphics control block before it.
struct Frame {
    GifImageDesc desc{};
    const ColorMapObject* colours = nullptr;
    std::vector<GifPixelType> indices;
    GraphicsControlBlock control{DISPOSAL_UNSPECIFIED, false, 0, NO_TRANSPARENT_COLOR};
};

// The next frame's indices, after its descriptor: row by row, an interlaced frame's rows in its
// four passes. Its size is checked against `limits` before anything is allocated.
void read_indices(GifFileType* gif, Frame& frame, const std::string& name,
                  const LoadLimits& limits) {
    const GifImageDesc& d = gif->Image;
    if (d.Width <= 0 || d.Height <= 0 ||
        std::uint64_t(d.Width) * std::uint64_t(d.Height) >
            std::min<std::uint64_t>(limits.max_pixels,
                                    std::uint64_t(gif->SWidth) * std::uint64_t(gif->SHeight)))
        throw_input_error(name, "has a frame of " + std::to_string(d.Width) + "x" +
                                    std::to_string(d.Height) + ", larger than its screen");
    frame.desc = d;
    frame.colours = d.ColorMap ? d.ColorMap : gif->SColorMap;
    frame.indices.assign(std::size_t(d.Width) * std::size_t(d.Height), 0);
    std::vector<int> rows;
    if (d.Interlace)
        for (const auto& [first, step] : {std::pair{0, 8}, {4, 8}, {2, 4}, {1, 2}})
            for (int y = first; y < d.Height; y += step) rows.push_back(y);
    else
        for (int y = 0; y < d.Height; ++y) rows.push_back(y);
    for (const int y : rows)
        if (DGifGetLine(gif, &frame.indices[std::size_t(y) * std::size_t(d.Width)], d.Width) !=
            GIF_OK)
            throw_input_error(name, corrupt(gif->Error));
}

// One frame drawn over `canvas` (width x height RGBA): its colours, its transparent index left
// as it was.
void draw(const Frame& frame, std::vector<std::uint8_t>& canvas, int width, int height) {
    const GifImageDesc& d = frame.desc;
    for (int y = 0; y < d.Height; ++y)
        for (int x = 0; x < d.Width; ++x) {
            const int cx = d.Left + x, cy = d.Top + y;
            const int index = frame.indices[std::size_t(y) * std::size_t(d.Width) + x];
            if (cx >= width || cy >= height || index == frame.control.TransparentColor ||
                index >= frame.colours->ColorCount)
                continue;
            std::uint8_t* p = &canvas[(std::size_t(cy) * std::size_t(width) + cx) * 4];
            const GifColorType c = frame.colours->Colors[index];
            p[0] = c.Red, p[1] = c.Green, p[2] = c.Blue, p[3] = 255;
        }
}

// The frame's rectangle cleared to transparent (disposal 2).
void clear(const GifImageDesc& d, std::vector<std::uint8_t>& canvas, int width, int height) {
    for (int y = std::max(d.Top, 0); y < std::min(d.Top + d.Height, height); ++y)
        for (int x = std::max(d.Left, 0); x < std::min(d.Left + d.Width, width); ++x)
            std::fill_n(&canvas[(std::size_t(y) * std::size_t(width) + x) * 4], 4, 0);
}

// The graphics control block of an extension record, for the frame after it.
void read_extension(GifFileType* gif, Frame& next, const std::string& name) {
    int code = 0;
    GifByteType* block = nullptr;
    if (DGifGetExtension(gif, &code, &block) != GIF_OK)
        throw_input_error(name, corrupt(gif->Error));
    if (code == GRAPHICS_EXT_FUNC_CODE && block && block[0] >= 4)
        DGifExtensionToGCB(block[0], block + 1, &next.control);
    while (block)
        if (DGifGetExtensionNext(gif, &block) != GIF_OK)
            throw_input_error(name, corrupt(gif->Error));
}

} // namespace

Animation decode_gif(std::span<const std::uint8_t> bytes, const std::string& name,
                     const LoadLimits& limits) {
    Reader reader{bytes};
    int error = 0;
    std::unique_ptr<GifFileType, Closer> gif(DGifOpen(&reader, read_bytes, &error));
    if (!gif) throw_input_error(name, "not a GIF: " + said(error));
    const int width = gif->SWidth, height = gif->SHeight;
    if (width <= 0 || height <= 0 || std::uint32_t(width) > limits.max_width ||
        std::uint32_t(height) > limits.max_height)
        throw_input_error(name, "has a " + std::to_string(width) + "x" + std::to_string(height) +
                                    " screen, outside 1x1.." + std::to_string(limits.max_width) +
                                    "x" + std::to_string(limits.max_height));
    if (std::uint64_t(width) * std::uint64_t(height) > limits.max_pixels)
        throw_input_error(name, "has a " + std::to_string(width) + "x" + std::to_string(height) +
                                    " screen, more than " + std::to_string(limits.max_pixels) +
                                    " pixels");
    Animation out;
    out.width = width, out.height = height;
    std::vector<std::uint8_t> canvas(std::size_t(width) * std::size_t(height) * 4, 0);
    Frame frame;
    for (GifRecordType record = UNDEFINED_RECORD_TYPE; record != TERMINATE_RECORD_TYPE;) {
        if (DGifGetRecordType(gif.get(), &record) != GIF_OK)
            throw_input_error(name, corrupt(gif->Error));
        if (record == EXTENSION_RECORD_TYPE) read_extension(gif.get(), frame, name);
        if (record != IMAGE_DESC_RECORD_TYPE) continue;
        if (DGifGetImageDesc(gif.get()) != GIF_OK) throw_input_error(name, corrupt(gif->Error));
        read_indices(gif.get(), frame, name, limits);
        const std::size_t n = out.frames.size() + 1;
        if (!frame.colours)
            throw_input_error(name, "frame " + std::to_string(n) + " has no colour table");
        if (std::uint64_t(width) * std::uint64_t(height) * n > limits.max_pixels)
            throw_input_error(name, "has more frames of " + std::to_string(width) + "x" +
                                        std::to_string(height) + " than " +
                                        std::to_string(limits.max_pixels) + " pixels hold");
        const std::vector<std::uint8_t> before = canvas;
        draw(frame, canvas, width, height);
        out.frames.push_back({width, height, canvas});
        out.durations_ms.push_back(frame.control.DelayTime < 2 ? 100
                                                               : 10 * frame.control.DelayTime);
        if (frame.control.DisposalMode == DISPOSE_BACKGROUND)
            clear(frame.desc, canvas, width, height);
        else if (frame.control.DisposalMode == DISPOSE_PREVIOUS)
            canvas = before;
        frame = Frame{};
    }
    if (out.frames.empty()) throw_input_error(name, "holds no frame");
    return out;
}

} // namespace kpal
