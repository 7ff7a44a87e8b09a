// libFuzzer target: the C core's unpackers on any stream. The first byte picks the method, the
// next two the output buffer's size; the rest is the stream. The buffer is allocated exactly
// that size, so ASan sees any write past it; every call must return a code, never crash, and
// report no more bytes than the buffer holds. GBA RLE is also read as a row stream in pieces
// of varying size, which must give the same bytes as the whole unpack.
#include "kpal/core.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 3) return 0;
    const auto method = kpal_method(data[0] % KPAL_METHOD_COUNT);
    const std::uint32_t room = std::uint32_t(data[1] | data[2] << 8);
    const std::uint8_t* in = data + 3;
    const auto in_size = std::uint32_t(size - 3);
    const std::unique_ptr<std::uint8_t[]> out(new std::uint8_t[room ? room : 1]);
    const std::int32_t got = kpal_unpack(method, in, in_size, out.get(), room);
    if (got > std::int32_t(room) || (got < 0 && got != KPAL_ERR_CORRUPT)) std::abort();
    (void)kpal_unpacked_size(method, in, in_size);
    if (method != KPAL_METHOD_GBA_RLE) return 0;
    kpal_rle_stream stream;
    if (kpal_rle_begin(&stream, in, in_size) != KPAL_OK) return 0;
    const std::unique_ptr<std::uint8_t[]> piece(new std::uint8_t[64]);
    std::uint32_t done = 0;
    for (std::uint32_t n = 1;; n = n % 63 + 1) {
        const std::int32_t read = kpal_rle_read(&stream, piece.get(), n);
        if (read <= 0 || read > std::int32_t(n)) break;
        if (got >= 0 && (done + std::uint32_t(read) > std::uint32_t(got) ||
                         std::memcmp(piece.get(), out.get() + done, std::size_t(read)) != 0))
            std::abort(); // the stream and the whole unpack disagree
        done += std::uint32_t(read);
    }
    return 0;
}
