// Compression of the emitted data (`kpal convert --compress`): one row of a table per method,
// each a stream the device unpacks with its own decoder (the GBA BIOS) or the C core's
// (kpal_unpack in include/kpal/core.h). Compression parses optimally: every method's cost of a
// literal or a match does not depend on the match's distance, so the least-bytes parse follows
// from each position's longest match, found exactly within the method's window.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace kpal {

struct CompressMethod {
    std::string_view name;
    std::string_view description;
    // The encoder, given the row (for its min_distance); the decoder is the core's, `core`.
    std::vector<std::uint8_t> (*encode)(std::span<const std::uint8_t>, const CompressMethod&);
    std::uint8_t core;     // the kpal_method the core unpacks it with
    int min_distance;      // the nearest match allowed (gba-lz77-vram: 2, as VRAM takes 16 bits)
    std::size_t max_bytes; // the most its header can say (GBA: 2^24 - 1)
    // LVGL 9's method code (lv_image_compress_t: 1 RLE, 2 LZ4) for the methods that live inside
    // LVGL's image (flag 0x0008, a 12-byte header before the stream); 0 for a plain stream.
    std::uint32_t lvgl = 0;
};

// Every method in a stable order, and the one called `name` (nullptr when there is none).
std::span<const CompressMethod> compress_methods();
const CompressMethod* find_compress_method(std::string_view name);

// `bytes` compressed by `method`. The GBA methods take at most 2^24 - 1 bytes (their header's
// size field) and pad the stream to a multiple of 4 bytes, as the BIOS reads words.
std::vector<std::uint8_t> compress(const CompressMethod& method,
                                   std::span<const std::uint8_t> bytes);

// Unpacks a stream of `method` through the C core into at most `limit` bytes; throws
// Error{input} naming `origin` when the stream is corrupt.
std::vector<std::uint8_t> unpack(const CompressMethod& method, std::span<const std::uint8_t> bytes,
                                 std::size_t limit, const std::string& origin);

} // namespace kpal
