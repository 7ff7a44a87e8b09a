// Chunks of work on threads, for palette design: each chunk's result is its own, so callers
// combine them in chunk order and get the same answer for any thread count.
#pragma once

#include <algorithm>
#include <cstddef>
#include <thread>
#include <vector>

namespace kpal::kmeans {

// The number of chunks parallel_for splits n items into: one a thread, each of at least `grain`
// items so that small inputs stay on one thread.
inline std::size_t parallel_chunks(std::size_t n, int threads, std::size_t grain = 8192) {
    // Asked once: glibc reads /sys for it, which cost 5 % of a tile design's many small palettes.
    static const unsigned cores = std::clamp(std::thread::hardware_concurrency(), 1u, 8u);
    const std::size_t most = threads > 0 ? std::size_t(threads) : cores;
    return std::clamp<std::size_t>(n / grain, 1, most);
}

// Runs f(begin, end, chunk) over contiguous chunks of [0, n), one thread a chunk.
template <class F> void parallel_for(std::size_t n, int threads, F&& f, std::size_t grain = 8192) {
    const std::size_t chunks = parallel_chunks(n, threads, grain);
    std::vector<std::thread> workers;
    for (std::size_t c = 1; c < chunks; ++c)
        workers.emplace_back([&f, n, chunks, c] { f(n * c / chunks, n * (c + 1) / chunks, c); });
    f(0, n / chunks, 0);
    for (std::thread& t : workers) t.join();
}
} // namespace kpal::kmeans
