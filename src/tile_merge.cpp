#include "kpal/tile_merge.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <set>

namespace kpal {
namespace {

using Pixels = std::array<std::uint8_t, 64>; // one tile's entries in its bank, row-major

// Pixel px of a tile flipped by `f` (bit 0 horizontal, bit 1 vertical) is the tile's pixel
// source(px, f); flipping is its own inverse, so the same map takes a cell's pixel to the tile's.
int source(int px, int f) {
    const int x = px % 8, y = px / 8;
    return 8 * ((f & 2) ? 7 - y : y) + ((f & 1) ? 7 - x : x);
}

Pixels flip(const Pixels& t, int f) {
    Pixels out{};
    for (int px = 0; px < 64; ++px) out[std::size_t(px)] = t[std::size_t(source(px, f))];
    return out;
}

// A cheap summary of what a cell looks like, to find the few tiles worth an exact comparison:
// the picture's colour summed over each 4x4 quadrant (index 3 x (2 qy + qx) + channel).
using Signature = std::array<int, 12>;

// The signature of the flipped cell: flipping moves whole quadrants.
Signature flip(const Signature& s, int f) {
    Signature out{};
    for (int q = 0; q < 4; ++q) {
        const int from = q ^ f; // bit 0 of q is qx, flipped by h; bit 1 is qy, flipped by v
        for (int c = 0; c < 3; ++c) out[std::size_t(3 * q + c)] = s[std::size_t(3 * from + c)];
    }
    return out;
}

std::int64_t distance(const Signature& a, const Signature& b) {
    std::int64_t d = 0;
    for (std::size_t i = 0; i < a.size(); ++i) d += std::int64_t(a[i] - b[i]) * (a[i] - b[i]);
    return d;
}

// The green summed over all four quadrants: it does not change with flips, and two signatures
// whose greens differ by g are at least g^2 / 4 apart (Cauchy-Schwarz over the quadrants).
int green(const Signature& s) {
    return s[1] + s[4] + s[7] + s[10];
}

// Signatures sorted by green, searched outwards from a query's green until no nearer one can be.
class Nearest {
  public:
    explicit Nearest(std::vector<Signature> signatures) : signatures_(std::move(signatures)) {
        for (std::size_t i = 0; i < signatures_.size(); ++i)
            order_.emplace_back(green(signatures_[i]), i);
        std::sort(order_.begin(), order_.end());
    }
    // Up to n entries that `wanted` accepts, nearest to `s` in any of `orientations`, nearest
    // first (ties to the lowest entry).
    template <class Wanted>
    std::vector<std::size_t> find(const Signature& s, std::size_t n, int orientations,
                                  const Wanted& wanted) const {
        std::array<Signature, 4> flipped{};
        for (int f = 0; f < orientations; ++f) flipped[std::size_t(f)] = flip(s, f);
        std::vector<std::pair<std::int64_t, std::size_t>> best; // a max-heap of the n nearest
        const int g = green(s);
        const auto start =
            std::lower_bound(order_.begin(), order_.end(), std::pair{g, std::size_t(0)});
        auto up = start, down = start;
        const auto worst = [&] {
            return best.size() < n ? std::numeric_limits<std::int64_t>::max() : best.front().first;
        };
        const auto visit = [&](const std::pair<int, std::size_t>& e) {
            if (!wanted(e.second)) return;
            std::int64_t d = std::numeric_limits<std::int64_t>::max();
            for (int f = 0; f < orientations; ++f)
                d = std::min(d, distance(flipped[std::size_t(f)], signatures_[e.second]));
            const std::pair<std::int64_t, std::size_t> item{d, e.second};
            if (best.size() < n) {
                best.push_back(item);
                std::push_heap(best.begin(), best.end());
            } else if (item < best.front()) {
                std::pop_heap(best.begin(), best.end());
                best.back() = item;
                std::push_heap(best.begin(), best.end());
            }
        };
        const auto far = [&](int other) {
            return std::int64_t(other - g) * (other - g) / 4 > worst();
        };
        while (up != order_.end() || down != order_.begin()) {
            bool moved = false;
            if (up != order_.end() && !far(up->first))
                visit(*up++), moved = true;
            else
                up = order_.end();
            if (down != order_.begin() && !far(std::prev(down)->first))
                visit(*--down), moved = true;
            else
                down = order_.begin();
            if (!moved) break;
        }
        std::sort_heap(best.begin(), best.end());
        std::vector<std::size_t> out;
        for (const auto& b : best) out.push_back(b.second);
        return out;
    }

  private:
    std::vector<Signature> signatures_;
    std::vector<std::pair<int, std::size_t>> order_;
};

// One cell of the picture: its bank, its tile's entries, its signature, and what each entry
// costs at each of its pixels (the squared error of showing that entry there; past the
// picture's edge, nothing for entry 0, the padding, and `never` for the others).
struct Cell {
    int x = 0, y = 0, bank = 0;
    Pixels pixels{};
    Signature signature{};
    std::vector<std::uint32_t> cost; // 64 x bank_size
};

constexpr std::uint32_t never = 3u * 255 * 255 * 4; // an entry the pixel cannot take
constexpr std::size_t candidates = 32; // tiles compared exactly with each, found by signature

struct Merger {
    std::vector<Cell> cells;
    int orientations = 1;
    std::size_t size = 0;
    std::vector<Rgb> colours; // what each index shows
    int banks = 1;            // the highest cell's bank, plus one

    // Tile `t` as it looks in `bank`: its colours summed over each quadrant, as a cell's
    // signature sums the picture's.
    Signature look(const Pixels& t, int bank) const {
        Signature s{};
        for (int px = 0; px < 64; ++px) {
            const std::size_t g = std::size_t(bank) * size + t[std::size_t(px)];
            const Rgb c = g < colours.size() ? colours[g] : Rgb{};
            const std::size_t q = 3 * std::size_t(2 * (px / 32) + (px % 8) / 4);
            s[q] += c.r, s[q + 1] += c.g, s[q + 2] += c.b;
        }
        return s;
    }
    // For each bank that cells draw from, `tiles` as they look there, to search by signature.
    std::vector<std::optional<Nearest>> looks(const std::vector<Pixels>& tiles) const {
        std::vector<bool> used(std::size_t(banks), false);
        for (const Cell& c : cells) used[std::size_t(c.bank)] = true;
        std::vector<std::optional<Nearest>> out(static_cast<std::size_t>(banks));
        for (int b = 0; b < banks; ++b) {
            if (!used[std::size_t(b)]) continue;
            std::vector<Signature> s;
            for (const Pixels& t : tiles) s.push_back(look(t, b));
            out[std::size_t(b)].emplace(std::move(s));
        }
        return out;
    }

    std::uint64_t error(const Cell& c, const Pixels& t, int f) const {
        std::uint64_t sum = 0;
        for (int px = 0; px < 64; ++px)
            sum += c.cost[std::size_t(px) * size + t[std::size_t(source(px, f))]];
        return sum;
    }
    // The least error of `t` over its orientations, and that orientation (the lowest of ties).
    std::pair<std::uint64_t, int> best(const Cell& c, const Pixels& t) const {
        std::pair<std::uint64_t, int> b{error(c, t, 0), 0};
        for (int f = 1; f < orientations; ++f)
            if (const std::uint64_t e = error(c, t, f); e < b.first) b = {e, f};
        return b;
    }
    std::uint64_t error(const std::vector<std::size_t>& members, const Pixels& t) const {
        std::uint64_t sum = 0;
        for (const std::size_t i : members) sum += best(cells[i], t).first;
        return sum;
    }
};

Merger read_cells(const Image& image, const IndexedImage& indexed, std::span<const Rgb> shown,
                  const std::vector<bool>& usable, const std::vector<bool>& skip,
                  const TileMergeOptions& options) {
    Merger m{{},
             options.flips ? 4 : 1,
             std::size_t(options.bank_size),
             std::vector<Rgb>(shown.begin(), shown.end()),
             1};
    const std::size_t size = m.size;
    const int across = (image.width + 7) / 8, down = (image.height + 7) / 8;
    for (int ty = 0; ty < down; ++ty)
        for (int tx = 0; tx < across; ++tx) {
            Cell c{tx, ty, 0, {}, {}, std::vector<std::uint32_t>(64 * size, 0)};
            std::uint8_t top = 0;
            for (int px = 0; px < 64; ++px) {
                const int x = 8 * tx + px % 8, y = 8 * ty + px / 8;
                if (x < image.width && y < image.height)
                    top = std::max(top, indexed.indices[std::size_t(y) * std::size_t(image.width) +
                                                        std::size_t(x)]);
            }
            c.bank = int(top / size);
            m.banks = std::max(m.banks, c.bank + 1);
            for (int px = 0; px < 64; ++px) {
                const int x = 8 * tx + px % 8, y = 8 * ty + px / 8;
                if (x >= image.width || y >= image.height) {
                    // Past the edge the tile stage pads with index 0: a tile drawn here must
                    // hold entry 0 there, or it is another tile.
                    for (std::size_t e = 1; e < size; ++e)
                        c.cost[std::size_t(px) * size + e] = never;
                    continue;
                }
                const std::size_t i = std::size_t(y) * std::size_t(image.width) + std::size_t(x);
                c.pixels[std::size_t(px)] = std::uint8_t(indexed.indices[i] % size);
                const Rgb a = image.rgb_at(i);
                const std::size_t q = 3 * std::size_t(2 * (px / 32) + (px % 8) / 4);
                c.signature[q] += a.r, c.signature[q + 1] += a.g, c.signature[q + 2] += a.b;
                for (std::size_t e = 0; e < size; ++e) {
                    const std::size_t g = std::size_t(c.bank) * size + e;
                    std::uint32_t cost = never;
                    if (!skip.empty() && skip[i]) {
                        cost = e == 0 ? 0 : never;
                    } else if (g < shown.size() && usable[g]) {
                        const Rgb b = shown[g];
                        const int dr = a.r - b.r, dg = a.g - b.g, db = a.b - b.b;
                        cost = std::uint32_t(dr * dr + dg * dg + db * db);
                    }
                    c.cost[std::size_t(px) * size + e] = cost;
                }
            }
            m.cells.push_back(std::move(c));
        }
    return m;
}

// The mean signature of `members`, each cell flipped by its orientation into its tile's frame.
Signature mean_signature(const Merger& m, const std::vector<std::size_t>& members,
                         const std::vector<int>& orientation) {
    Signature sum{};
    for (const std::size_t i : members) {
        const Signature s = flip(m.cells[i].signature, orientation[i]);
        for (std::size_t k = 0; k < sum.size(); ++k) sum[k] += s[k];
    }
    if (!members.empty())
        for (int& v : sum) v /= int(members.size());
    return sum;
}

} // namespace

TileMerge merge_tiles(const Image& image, const IndexedImage& indexed, std::span<const Rgb> shown,
                      const std::vector<bool>& usable, const std::vector<bool>& skip,
                      const TileMergeOptions& options) {
    TileMerge out;
    out.indexed = indexed;
    const Merger m = read_cells(image, indexed, shown, usable, skip, options);
    const std::size_t size = m.size, cells = m.cells.size();

    // The distinct tiles, each the least of its orientations, with the cells that show them
    // (a cell shows its tile flipped by orientation[i]).
    std::map<Pixels, std::size_t> known;
    std::vector<Pixels> tiles;
    std::vector<std::vector<std::size_t>> members;
    std::vector<int> orientation(cells, 0);
    for (std::size_t i = 0; i < cells; ++i) {
        Pixels key = m.cells[i].pixels;
        for (int f = 1; f < m.orientations; ++f)
            if (const Pixels p = flip(m.cells[i].pixels, f); p < key) key = p, orientation[i] = f;
        const auto [it, added] = known.emplace(key, tiles.size());
        if (added) tiles.push_back(key), members.emplace_back();
        members[it->second].push_back(i);
    }
    const std::size_t count = tiles.size();
    out.tiles_before = out.tiles_after = count;
    for (const Cell& c : m.cells) out.error_before += double(m.error(c, c.pixels, 0));
    out.error_after = out.error_before;
    if (count <= options.budget || options.budget == 0) return out;

    // Greedy merging. Each live tile keeps a short list of substitutes (found by signature: what
    // its cells show against how the others look in its first cell's bank; their cost exact: the
    // error of its cells showing the substitute), and its cheapest.
    std::vector<Signature> signatures;
    for (std::size_t u = 0; u < count; ++u)
        signatures.push_back(mean_signature(m, members[u], orientation));
    const std::vector<std::optional<Nearest>> nearest = m.looks(tiles);
    std::vector<bool> live(count, true);
    std::vector<std::uint64_t> self(count);
    for (std::size_t u = 0; u < count; ++u) self[u] = m.error(members[u], tiles[u]);
    using Substitute = std::pair<std::uint64_t, std::size_t>; // cost, tile
    std::vector<std::vector<Substitute>> lists(count);
    std::vector<Substitute> cheapest(count);
    const auto refill = [&](std::size_t u) {
        lists[u].clear();
        const Nearest& in_bank = *nearest[std::size_t(m.cells[members[u].front()].bank)];
        for (const std::size_t v : in_bank.find(signatures[u], candidates, m.orientations,
                                                [&](std::size_t v) { return v != u && live[v]; }))
            lists[u].emplace_back(m.error(members[u], tiles[v]), v);
    };
    const auto added = [&](std::size_t u) {
        return cheapest[u].first - std::min(cheapest[u].first, self[u]);
    };
    const auto find_cheapest = [&](std::size_t u) {
        std::erase_if(lists[u], [&](const Substitute& s) { return !live[s.second]; });
        if (lists[u].empty()) refill(u);
        cheapest[u] = lists[u].empty() ? Substitute{std::numeric_limits<std::uint64_t>::max(), u}
                                       : *std::min_element(lists[u].begin(), lists[u].end());
    };
    for (std::size_t u = 0; u < count; ++u) refill(u), find_cheapest(u);
    for (std::size_t left = count; left > options.budget; --left) {
        std::size_t u = count;
        for (std::size_t t = 0; t < count; ++t)
            if (live[t] && (u == count || added(t) < added(u))) u = t;
        const std::size_t v = cheapest[u].second;
        live[u] = false;
        // v's substitutes: those of the larger of the two groups, their costs over the smaller
        // computed where its list does not have them (so the work follows the smaller group).
        const bool u_larger = members[u].size() > members[v].size();
        const std::size_t large = u_larger ? u : v, small = u_larger ? v : u;
        std::vector<Substitute> merged;
        for (const Substitute& candidate : lists[large]) {
            const std::size_t w = candidate.second;
            if (!live[w] || w == v) continue;
            const auto known_small =
                std::find_if(lists[small].begin(), lists[small].end(),
                             [w](const Substitute& s) { return s.second == w; });
            merged.emplace_back(candidate.first + (known_small != lists[small].end()
                                                       ? known_small->first
                                                       : m.error(members[small], tiles[w])),
                                w);
        }
        self[v] += cheapest[u].first;
        members[v].insert(members[v].end(), members[u].begin(), members[u].end());
        members[u].clear();
        lists[u].clear();
        lists[v] = std::move(merged);
        find_cheapest(v);
        for (std::size_t t = 0; t < count; ++t)
            if (live[t] && t != v && cheapest[t].second == u) find_cheapest(t);
    }

    // The kept tiles, each cell at its best orientation of its group's tile.
    std::vector<Pixels> kept;
    std::vector<std::size_t> assigned(cells);
    for (std::size_t u = 0; u < count; ++u) {
        if (!live[u]) continue;
        for (const std::size_t i : members[u]) {
            assigned[i] = kept.size();
            orientation[i] = m.best(m.cells[i], tiles[u]).second;
        }
        kept.push_back(tiles[u]);
    }
    // Rounds: each kept tile refitted to its cells, then each cell to the best of the kept tiles
    // nearest it by signature (or the one it has), while the error falls.
    std::uint64_t total = 0;
    for (std::size_t i = 0; i < cells; ++i)
        total += m.error(m.cells[i], kept[assigned[i]], orientation[i]);
    for (int round = 0; round < options.rounds; ++round) {
        // Pixel q of kept tile k shows at pixel px = source(q, f) of each of its cells (f the
        // cell's orientation): its entry is the one of least summed cost there.
        std::vector<std::uint64_t> sums(kept.size() * 64 * size, 0);
        std::vector<std::vector<std::size_t>> drawn(kept.size());
        for (std::size_t i = 0; i < cells; ++i) {
            drawn[assigned[i]].push_back(i);
            for (int px = 0; px < 64; ++px) {
                const std::size_t q = std::size_t(source(px, orientation[i]));
                for (std::size_t e = 0; e < size; ++e)
                    sums[(assigned[i] * 64 + q) * size + e] +=
                        m.cells[i].cost[std::size_t(px) * size + e];
            }
        }
        std::vector<Pixels> refit = kept;
        for (std::size_t k = 0; k < kept.size(); ++k)
            for (std::size_t q = 0; q < 64; ++q) {
                const auto* s = &sums[(k * 64 + q) * size];
                // Unchanged unless another entry is strictly better (a cell-less tile stays).
                std::size_t e = refit[k][q];
                for (std::size_t c = 0; c < size; ++c)
                    if (s[c] < s[e]) e = c;
                refit[k][q] = std::uint8_t(e);
            }
        const std::vector<std::optional<Nearest>> near = m.looks(refit);
        std::vector<std::size_t> next_assigned = assigned;
        std::vector<int> next_orientation = orientation;
        std::uint64_t sum = 0;
        std::vector<std::uint64_t> errors(cells);
        std::vector<bool> chosen(kept.size(), false);
        for (std::size_t i = 0; i < cells; ++i) {
            auto b = m.best(m.cells[i], refit[assigned[i]]); // kept unless another is better
            for (const std::size_t k : near[std::size_t(m.cells[i].bank)]->find(
                     m.cells[i].signature, candidates, m.orientations,
                     [&](std::size_t k) { return !drawn[k].empty(); }))
                if (const auto e = m.best(m.cells[i], refit[k]);
                    e.first < b.first || (e.first == b.first && k < next_assigned[i]))
                    b = e, next_assigned[i] = k;
            next_orientation[i] = b.second;
            errors[i] = b.first;
            chosen[next_assigned[i]] = true;
            sum += b.first;
        }
        // A kept tile that no cell chose is given back to the cell its own tile would save the
        // most error (k-means' rule for an empty cluster), so that the whole budget is used.
        std::vector<std::pair<std::uint64_t, std::size_t>> gains; // most first, then lowest cell
        for (std::size_t i = 0; i < cells; ++i)
            if (const std::uint64_t own = m.error(m.cells[i], m.cells[i].pixels, 0);
                own < errors[i])
                gains.emplace_back(errors[i] - own, i);
        std::sort(gains.begin(), gains.end(), [](const auto& a, const auto& b) {
            return a.first != b.first ? a.first > b.first : a.second < b.second;
        });
        std::set<Pixels> seeded;
        auto gain = gains.begin();
        for (std::size_t k = 0; k < kept.size() && gain != gains.end(); ++k) {
            if (chosen[k]) continue;
            while (gain != gains.end() && !seeded.insert(m.cells[gain->second].pixels).second)
                ++gain;
            if (gain == gains.end()) break;
            refit[k] = m.cells[gain->second].pixels;
            next_assigned[gain->second] = k;
            next_orientation[gain->second] = 0;
            sum -= gain->first;
            ++gain;
        }
        if (sum >= total) break;
        total = sum;
        kept = std::move(refit);
        assigned = std::move(next_assigned);
        orientation = std::move(next_orientation);
    }

    for (std::size_t i = 0; i < cells; ++i) {
        const Cell& c = m.cells[i];
        const Pixels shown_tile = flip(kept[assigned[i]], orientation[i]);
        for (int px = 0; px < 64; ++px) {
            const int x = 8 * c.x + px % 8, y = 8 * c.y + px / 8;
            if (x >= image.width || y >= image.height) continue;
            const std::uint8_t e = shown_tile[std::size_t(px)];
            out.indexed.indices[std::size_t(y) * std::size_t(image.width) + std::size_t(x)] =
                std::uint8_t(options.transparent && e == 0 ? 0 : std::size_t(c.bank) * size + e);
        }
    }
    std::map<Pixels, int> distinct;
    for (std::size_t i = 0; i < cells; ++i) {
        Pixels key = kept[assigned[i]];
        for (int f = 1; f < m.orientations; ++f) key = std::min(key, flip(kept[assigned[i]], f));
        distinct.emplace(key, 0);
    }
    out.tiles_after = distinct.size();
    out.error_after = double(total);
    return out;
}

} // namespace kpal
