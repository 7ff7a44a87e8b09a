#include "kpal/compress.h"
#include "table.h"

#include "kpal/core.h"
#include "kpal/error.h"

#include <algorithm>
#include <limits>

namespace kpal {
namespace {

using Bytes = std::span<const std::uint8_t>;

struct Match {
    std::uint32_t length = 0, distance = 0;
};

// The longest earlier match for each position in turn, through hash chains of `min_len`-byte
// prefixes: distances from `min_distance` to `window`, lengths up to `max_len` (matches may
// overlap the position, as every decoder here copies byte by byte), walking at most
// `max_candidates` candidates: the GBA's 4 KiB window and LZ4's 64 KiB one are walked whole, so
// the match found is the longest there is (a shallower walk left kpal's LZ4 blocks larger than
// lz4 -12's on one Kodak photo in 24).
class MatchFinder {
  public:
    MatchFinder(Bytes data, int min_len, std::uint32_t max_len, std::uint32_t window,
                std::uint32_t min_distance, std::uint32_t max_candidates)
        : data_(data), min_len_(min_len), max_len_(max_len), window_(window),
          min_distance_(min_distance), max_candidates_(max_candidates),
          head_(std::size_t(1) << hash_bits, none), prev_(data.size(), none) {}

    // The longest match at `i` (reaching at most `end`), then `i` joins the chains. Positions
    // must be visited in increasing order; skip() adds one without searching.
    Match at(std::size_t i, std::size_t end) {
        Match best;
        if (i + std::size_t(min_len_) <= data_.size()) {
            const std::size_t limit = std::min<std::size_t>(end - i, max_len_);
            std::uint32_t walked = 0;
            for (std::uint32_t c = head_[hash(i)]; c != none && walked < max_candidates_;
                 c = prev_[c], ++walked) {
                const std::size_t distance = i - c;
                if (distance > window_) break;
                if (distance < min_distance_) continue;
                std::size_t n = 0;
                while (n < limit && data_[c + n] == data_[i + n]) ++n;
                if (n > best.length) best = {std::uint32_t(n), std::uint32_t(distance)};
                if (n == limit) break;
            }
        }
        skip(i);
        return best.length >= std::uint32_t(min_len_) ? best : Match{};
    }
    void skip(std::size_t i) {
        if (i + std::size_t(min_len_) > data_.size()) return;
        const std::uint32_t h = hash(i);
        prev_[i] = head_[h];
        head_[h] = std::uint32_t(i);
    }

  private:
    static constexpr int hash_bits = 16;
    static constexpr std::uint32_t none = std::numeric_limits<std::uint32_t>::max();
    std::uint32_t hash(std::size_t i) const {
        std::uint32_t v = 0;
        for (int k = 0; k < min_len_; ++k) v = v << 8 | data_[i + std::size_t(k)];
        return (v * 2654435761u) >> (32 - hash_bits);
    }
    Bytes data_;
    int min_len_;
    std::uint32_t max_len_, window_, min_distance_, max_candidates_;
    std::vector<std::uint32_t> head_, prev_;
};

void gba_header(std::vector<std::uint8_t>& out, std::uint8_t type, std::size_t size) {
    out = {type, std::uint8_t(size), std::uint8_t(size >> 8), std::uint8_t(size >> 16)};
}

void pad_to_word(std::vector<std::uint8_t>& out) {
    while (out.size() % 4) out.push_back(0);
}

// GBA LZ77, least bits first: each literal costs 9 bits (its flag and byte), each match 17, so
// a backward pass over the positions' longest matches gives the least-bits parse exactly.
std::vector<std::uint8_t> gba_lz77(Bytes data, std::uint32_t min_distance) {
    const std::size_t n = data.size();
    MatchFinder finder(data, 3, 18, 4096, min_distance, 4096);
    std::vector<Match> longest(n);
    for (std::size_t i = 0; i < n; ++i) longest[i] = finder.at(i, n);
    std::vector<std::uint32_t> bits(n + 1, 0), take(n + 1, 1); // take: bytes the item covers
    for (std::size_t i = n; i-- > 0;) {
        bits[i] = 9 + bits[i + 1];
        for (std::uint32_t k = 3; k <= longest[i].length; ++k)
            if (17 + bits[i + k] < bits[i]) bits[i] = 17 + bits[i + k], take[i] = k;
    }
    std::vector<std::uint8_t> out;
    gba_header(out, 0x10, n);
    std::size_t flags_at = 0;
    int item = 0;
    for (std::size_t i = 0; i < n; i += take[i], ++item) {
        if (item % 8 == 0) flags_at = out.size(), out.push_back(0);
        if (take[i] == 1) {
            out.push_back(data[i]);
            continue;
        }
        out[flags_at] |= std::uint8_t(0x80 >> (item % 8));
        const std::uint32_t d = longest[i].distance - 1;
        out.push_back(std::uint8_t((take[i] - 3) << 4 | d >> 8));
        out.push_back(std::uint8_t(d));
    }
    pad_to_word(out);
    return out;
}

// GBA RLE, least bytes exactly: a run of 3-130 equal bytes costs 2, a block of 1-128 literals
// costs 1 more than its bytes.
// The run-length formats: a run is a flag byte and the value, a literal a flag byte and the
// bytes; one row a format.
struct RleFormat {
    std::uint32_t min_run, max_run, max_literal;
    std::uint8_t run_flag, literal_flag; // OR-ed with the length minus its bias
    std::uint32_t run_bias, literal_bias;
};
// GBA BIOS RLE (GBATEK): bit 7 set for a run of 3-130, clear for 1-128 literals.
constexpr RleFormat gba_rle_format{3, 130, 128, 0x80, 0x00, 3, 1};
// LVGL 9 (lv_rle.c, blocks of one byte): bit 7 set for 1-127 literals, clear for a run of 1-127.
constexpr RleFormat lvgl_rle_format{1, 127, 127, 0x00, 0x80, 0, 0};

// The least-bytes parse: a backward pass, each position's cheapest run or literal block.
std::vector<std::uint8_t> rle(Bytes data, const RleFormat& f) {
    const std::size_t n = data.size();
    std::vector<std::uint32_t> run(n + 1, 0), cost(n + 1, 0), take(n + 1, 0);
    std::vector<bool> is_run(n + 1, false);
    for (std::size_t i = n; i-- > 0;)
        run[i] = 1 + (i + 1 < n && data[i + 1] == data[i] ? run[i + 1] : 0);
    for (std::size_t i = n; i-- > 0;) {
        cost[i] = std::numeric_limits<std::uint32_t>::max();
        for (std::uint32_t k = f.min_run; k <= std::min(run[i], f.max_run); ++k)
            if (2 + cost[i + k] < cost[i]) cost[i] = 2 + cost[i + k], take[i] = k, is_run[i] = true;
        for (std::uint32_t k = 1; k <= std::min<std::size_t>(f.max_literal, n - i); ++k)
            if (1 + k + cost[i + k] < cost[i])
                cost[i] = 1 + k + cost[i + k], take[i] = k, is_run[i] = false;
    }
    std::vector<std::uint8_t> out;
    for (std::size_t i = 0; i < n; i += take[i]) {
        if (is_run[i]) {
            out.insert(out.end(), {std::uint8_t(f.run_flag | (take[i] - f.run_bias)), data[i]});
        } else {
            out.push_back(std::uint8_t(f.literal_flag | (take[i] - f.literal_bias)));
            out.insert(out.end(), data.begin() + std::ptrdiff_t(i),
                       data.begin() + std::ptrdiff_t(i + take[i]));
        }
    }
    return out;
}

std::vector<std::uint8_t> gba_rle(Bytes data) {
    std::vector<std::uint8_t> out;
    gba_header(out, 0x30, data.size());
    const std::vector<std::uint8_t> body = rle(data, gba_rle_format);
    out.insert(out.end(), body.begin(), body.end());
    pad_to_word(out);
    return out;
}

// The bytes after a token's nibble that a length of `n` past 15 needs (LZ4).
std::uint32_t extra_bytes(std::uint32_t n) {
    return n < 15 ? 0 : 1 + (n - 15) / 255;
}

void put_length(std::vector<std::uint8_t>& out, std::uint32_t n) {
    if (n < 15) return;
    for (n -= 15; n >= 255; n -= 255) out.push_back(255);
    out.push_back(std::uint8_t(n));
}

// An LZ4 block, parsed for least bytes: a forward pass over positions, each reached either at
// the end of a match (its sequence closed) or inside a run of literals (the cheapest open run,
// with its length, since a run's length bytes grow every 255 literals). Matches are 4 bytes or
// more at distances up to 65535; the last match starts 12 bytes or more before the end and
// the last 5 bytes are literals (the format's end rules). A match of 4096 bytes or more is taken
// whole (positions inside it are not searched), which keeps long runs linear.
std::vector<std::uint8_t> lz4(Bytes data) {
    const std::size_t n = data.size();
    constexpr std::uint32_t inf = std::numeric_limits<std::uint32_t>::max() / 2;
    constexpr std::uint32_t long_match = 4096;
    struct Node {
        std::uint32_t closed = inf;                    // cost to here, ending with a match
        std::uint32_t from = 0, len = 0, distance = 0; // that match: its start, length, distance
        std::uint32_t open = inf;                      // cost to here inside a literal run
        std::uint32_t run = 0;                         // that run's length so far
    };
    std::vector<Node> node(n + 1);
    node[0].closed = 0;
    MatchFinder finder(data, 4, std::numeric_limits<std::uint32_t>::max(), 65535, 1, 65535);
    const std::size_t last_match = n >= 12 ? n - 12 : 0, match_end = n >= 5 ? n - 5 : 0;
    std::size_t skip_until = 0;
    for (std::size_t i = 0; i <= n; ++i) {
        Node& here = node[i];
        // A run goes on from i - 1, or starts here after a match.
        if (here.closed <= here.open) here.open = here.closed, here.run = 0;
        if (i == n) break;
        Node& next = node[i + 1];
        const std::uint32_t step = 1 + extra_bytes(here.run + 1) - extra_bytes(here.run);
        if (here.open + step < next.open) next.open = here.open + step, next.run = here.run + 1;
        if (i < skip_until || i > last_match || n < 13) {
            finder.skip(i);
            continue;
        }
        const Match m = finder.at(i, match_end);
        const auto arrive = [&](std::uint32_t len) {
            const std::uint32_t cost = here.open + 3 + extra_bytes(len - 4);
            Node& to = node[i + len];
            if (cost < to.closed) to = {cost, std::uint32_t(i), len, m.distance, to.open, to.run};
        };
        if (m.length >= long_match) {
            arrive(m.length);
            skip_until = i + m.length;
            continue;
        }
        for (std::uint32_t len = 4; len <= m.length; ++len) arrive(len);
    }
    // Walk back: the last run of literals, then each match and the run before it.
    struct Sequence {
        std::uint32_t literals_from, literals, match_len, distance; // the match before the run
    };
    std::vector<Sequence> sequences;
    std::size_t at = n;
    std::uint32_t literals = node[n].run;
    for (;;) {
        const std::size_t start = at - literals; // the run's first byte, closed there
        if (start == 0) {
            sequences.push_back({0, literals, 0, 0});
            break;
        }
        const Node& c = node[start];
        sequences.push_back({std::uint32_t(start), literals, 0, 0});
        // The match that closed at `start`, preceded by the run open at its start.
        sequences.back().match_len = c.len, sequences.back().distance = c.distance;
        at = c.from;
        literals = node[at].run;
    }
    // sequences[k] holds a run of literals that follows the match in sequences[k] (which ends at
    // its run's start); emit from the front: each run of literals with the match after it.
    std::vector<std::uint8_t> out;
    std::reverse(sequences.begin(), sequences.end());
    for (std::size_t k = 0; k < sequences.size(); ++k) {
        const Sequence& s = sequences[k];
        const bool has_match = k + 1 < sequences.size();
        const std::uint32_t len = has_match ? sequences[k + 1].match_len : 0;
        out.push_back(std::uint8_t(std::min<std::uint32_t>(s.literals, 15) << 4 |
                                   (has_match ? std::min<std::uint32_t>(len - 4, 15) : 0)));
        put_length(out, s.literals);
        out.insert(out.end(), data.begin() + s.literals_from,
                   data.begin() + s.literals_from + s.literals);
        if (!has_match) break;
        const std::uint32_t distance = sequences[k + 1].distance;
        out.insert(out.end(), {std::uint8_t(distance), std::uint8_t(distance >> 8)});
        put_length(out, len - 4);
    }
    return out;
}

// Each method's encoder as the table calls it.
std::vector<std::uint8_t> encode_gba_lz77(Bytes data, const CompressMethod& m) {
    return gba_lz77(data, std::uint32_t(m.min_distance));
}
std::vector<std::uint8_t> encode_gba_rle(Bytes data, const CompressMethod&) {
    return gba_rle(data);
}
std::vector<std::uint8_t> encode_lz4(Bytes data, const CompressMethod&) {
    return lz4(data);
}
std::vector<std::uint8_t> encode_lvgl_rle(Bytes data, const CompressMethod&) {
    return rle(data, lvgl_rle_format);
}

constexpr std::size_t gba_most = (std::size_t(1) << 24) - 1; // the header's 24-bit size
constexpr std::size_t lz4_most = 0x7E000000;                 // LZ4_MAX_INPUT_SIZE

// clang-format off
constexpr CompressMethod methods[] = {
    {"gba-lz77",      "GBA BIOS LZ77 (LZ77UnCompWram): header 0x10, matches of 3-18 bytes at distances 1-4096", encode_gba_lz77, KPAL_METHOD_GBA_LZ77, 1, gba_most},
    {"gba-lz77-vram", "GBA BIOS LZ77 for LZ77UnCompVram: no distance-1 matches (VRAM takes 16 bits at a time)", encode_gba_lz77, KPAL_METHOD_GBA_LZ77, 2, gba_most},
    {"gba-rle",       "GBA BIOS RLE (RLUnCompWram/Vram): header 0x30, runs of 3-130 bytes, literals of 1-128", encode_gba_rle, KPAL_METHOD_GBA_RLE, 1, gba_most},
    {"lz4",           "an LZ4 block, no frame (LZ4_decompress_safe, the C core's kpal_unpack)", encode_lz4, KPAL_METHOD_LZ4, 1, lz4_most},
    {"lvgl-rle",      "LVGL 9's RLE image (--format lvgl, lvgl-bin): control bytes of lv_rle.c, 1-byte blocks", encode_lvgl_rle, KPAL_METHOD_LVGL_RLE, 1, gba_most, 1},
    {"lvgl-lz4",      "LVGL 9's LZ4 image (--format lvgl, lvgl-bin): an LZ4 block inside the image", encode_lz4, KPAL_METHOD_LZ4, 1, lz4_most, 2},
};
// clang-format on

} // namespace

std::span<const CompressMethod> compress_methods() {
    return methods;
}

const CompressMethod* find_compress_method(std::string_view name) {
    return find_row<CompressMethod>(methods, name);
}

std::vector<std::uint8_t> compress(const CompressMethod& method, Bytes bytes) {
    if (bytes.size() > method.max_bytes)
        throw Error(ErrorKind::usage, "--compress " + std::string(method.name) + " takes at most " +
                                          std::to_string(method.max_bytes) +
                                          " bytes; the data has " + std::to_string(bytes.size()));
    return method.encode(bytes, method);
}

std::vector<std::uint8_t> unpack(const CompressMethod& method, Bytes bytes, std::size_t limit,
                                 const std::string& origin) {
    std::vector<std::uint8_t> out(limit);
    const std::int32_t got =
        kpal_unpack(kpal_method(method.core), bytes.data(), std::uint32_t(bytes.size()), out.data(),
                    std::uint32_t(limit));
    if (got < 0)
        throw_input_error(origin, "is not a complete " + std::string(method.name) +
                                      " stream of at most " + std::to_string(limit) + " bytes");
    out.resize(std::size_t(got));
    return out;
}

} // namespace kpal
