// The starts of k-means: variance-minimising splits (Wu 1991) or k-means++ (Arthur and
// Vassilvitskii 2007) drawn with kpal's own PRNG; and the data's principal axis. Internal to
// palette design.
#pragma once

#include "points.h"

#include <cstdint>
#include <vector>

namespace kpal::kmeans {

// The start of k-means: its centres and, where known, the centre each colour starts nearest to
// (its box, for the splits), which makes the first search a walk out from it.
struct Seeds {
    std::vector<Vec> centres;
    std::vector<int> near; // for each colour, or empty
};

// Step 1: K boxes by variance-minimising splits; their means are the seeds.
Seeds split_seeds(const Points& p, int k);

// The principal axis (unit length) of the weighted colours, by power iteration on their
// covariance: the direction along which projections separate centres best.
Vec principal_axis(const Points& p);

// A small PRNG of our own (SplitMix64, Steele et al. 2014): the same numbers on every platform,
// unlike the distributions of the standard library.
class Random {
  public:
    explicit Random(std::uint64_t seed) : state_(seed) {}
    std::uint64_t next() {
        std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ull);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
        return z ^ (z >> 31);
    }
    double unit() { return double(next() >> 11) / double(1ull << 53); } // in [0, 1)
    std::size_t below(std::size_t n) { return std::size_t(next() % n); }

  private:
    std::uint64_t state_;
};

// The index i with cumulative[i-1] <= r < cumulative[i] (cumulative ascending, r < back()).
std::size_t pick(const std::vector<double>& cumulative, double r);

// k-means++ over weighted colours: each next seed is drawn with probability proportional to
// weight times squared distance to the nearest seed so far.
std::vector<Vec> plus_plus_seeds(const Points& p, int k, Random& random);

// The start of k-means: variance-minimising splits for seed 0, k-means++ driven by the seed
// otherwise (so a user can ask for another start and get the same bytes for the same seed).
Seeds start(const Points& p, int k, std::uint64_t seed, Random& random);

} // namespace kpal::kmeans
