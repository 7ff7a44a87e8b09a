// In-memory images: RGBA8 pixels as loaded, and palette indices as remapped.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

namespace kpal {

struct Rgb {
    std::uint8_t r = 0, g = 0, b = 0;
    friend bool operator==(const Rgb&, const Rgb&) = default;
};

// Row-major RGBA, 8 bits a channel, not premultiplied.
struct Image {
    int width = 0;
    int height = 0;
    std::vector<std::uint8_t> rgba; // width * height * 4 bytes
    // A palette PNG's own indices (one a pixel) and PLTE, as the artist drew them; empty for
    // other images and after any change to the pixels (resizing).
    std::vector<std::uint8_t> source_indices{};
    std::vector<Rgb> source_palette{};
    // An animation's frames stacked top to bottom (animation.h): each frame's duration in
    // milliseconds, frame i the rows from i x height / frames; empty for a still picture.
    std::vector<int> frame_ms{};

    std::size_t pixel_count() const { return std::size_t(width) * std::size_t(height); }
    Rgb rgb_at(std::size_t i) const { return {rgba[4 * i], rgba[4 * i + 1], rgba[4 * i + 2]}; }
};

// Which pixels count as transparent: alpha below a threshold, or one colour (a colour key).
struct Transparency {
    int alpha_threshold = 128; // alpha below this is transparent (0: none by alpha)
    std::optional<Rgb> key;    // this colour is transparent too

    bool at(const Image& image, std::size_t i) const {
        return image.rgba[4 * i + 3] < alpha_threshold || (key && image.rgb_at(i) == *key);
    }
};

// Row-major palette indices, one byte a pixel whatever the target's bits per pixel.
struct IndexedImage {
    int width = 0;
    int height = 0;
    std::vector<std::uint8_t> indices;
};

} // namespace kpal
