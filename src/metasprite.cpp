#include "kpal/metasprite.h"

#include "kpal/error.h"

#include <algorithm>
#include <map>
#include <tuple>

namespace kpal {
namespace {

// Sizes in tiles, largest first (then widest): the order pieces are tried in.
std::vector<std::pair<int, int>> by_area(std::span<const std::pair<int, int>> sizes) {
    std::vector<std::pair<int, int>> out(sizes.begin(), sizes.end());
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
        return std::tuple(a.first * a.second, a.first) > std::tuple(b.first * b.second, b.first);
    });
    return out;
}

int tiles_of(const std::vector<Piece>& pieces) {
    int n = 0;
    for (const Piece& p : pieces) n += p.w * p.h;
    return n;
}

// The exact search: the first marked tile not yet covered must be in some piece; try each piece
// that holds it and overlaps nothing, and go on from there.
struct Search {
    const std::vector<bool>& shows;
    int tw, th;
    std::vector<std::pair<int, int>> sizes;
    long budget;
    std::vector<bool> covered{};
    std::vector<Piece> current{}, best{};
    long steps = 0;
    int marked_left = 0, largest = 1;

    bool free(const Piece& p) const {
        for (int y = p.y; y < p.y + p.h; ++y)
            for (int x = p.x; x < p.x + p.w; ++x)
                if (covered[std::size_t(y * tw + x)]) return false;
        return true;
    }
    int mark(const Piece& p, bool on) {
        int marked = 0;
        for (int y = p.y; y < p.y + p.h; ++y)
            for (int x = p.x; x < p.x + p.w; ++x) {
                covered[std::size_t(y * tw + x)] = on;
                marked += shows[std::size_t(y * tw + x)];
            }
        return marked;
    }
    bool better() const {
        return current.size() < best.size() ||
               (current.size() == best.size() && tiles_of(current) < tiles_of(best));
    }
    void run(int from) {
        if (++steps > budget) return;
        int i = from;
        while (i < tw * th && (!shows[std::size_t(i)] || covered[std::size_t(i)])) ++i;
        if (i == tw * th) {
            if (better()) best = current;
            return;
        }
        const std::size_t bound =
            current.size() + std::size_t((marked_left + largest - 1) / largest);
        if (bound > best.size()) return;
        const int tx = i % tw, ty = i / tw;
        for (const auto& [w, h] : sizes)
            for (int y0 = std::max(0, ty - h + 1); y0 <= ty && y0 + h <= th; ++y0)
                for (int x0 = std::max(0, tx - w + 1); x0 <= tx && x0 + w <= tw; ++x0) {
                    const Piece p{x0, y0, w, h};
                    if (!free(p)) continue;
                    const int marked = mark(p, true);
                    marked_left -= marked;
                    current.push_back(p);
                    run(i + 1);
                    current.pop_back();
                    marked_left += marked;
                    mark(p, false);
                    if (steps > budget) return;
                }
    }
};

// A piece's tiles in the sprite order, cut from the frame whose top-left tile is (fx, fy).
std::vector<Tile> piece_tiles(const IndexedImage& image, int fx, int fy, const Piece& p,
                              const SpriteOrder& order) {
    std::vector<Tile> out;
    for (const auto& [x, y] : sprite_positions(order, p.w, p.h)) {
        Tile t{};
        for (int py = 0; py < 8; ++py)
            for (int px = 0; px < 8; ++px)
                t[std::size_t(8 * py + px)] =
                    image.indices[std::size_t(8 * (fy + p.y + y) + py) * std::size_t(image.width) +
                                  std::size_t(8 * (fx + p.x + x) + px)];
        out.push_back(t);
    }
    return out;
}

// The tiles of a piece as the hardware shows it mirrored: the tile at each place is the mirror of
// the one at the mirrored place.
std::vector<Tile> mirrored(const std::vector<Tile>& tiles, int w, int h, const SpriteOrder& order,
                           bool hflip, bool vflip) {
    const auto positions = sprite_positions(order, w, h);
    std::vector<Tile> out(tiles.size());
    for (std::size_t i = 0; i < positions.size(); ++i) {
        const auto [x, y] = positions[i];
        const std::pair<int, int> from{hflip ? w - 1 - x : x, vflip ? h - 1 - y : y};
        const std::size_t j =
            std::size_t(std::find(positions.begin(), positions.end(), from) - positions.begin());
        out[i] = flipped(tiles[j], hflip, vflip);
    }
    return out;
}

void put16(std::vector<std::uint8_t>& out, unsigned v) {
    out.push_back(std::uint8_t(v & 0xFF));
    out.push_back(std::uint8_t(v >> 8 & 0xFF));
}

unsigned get16(std::span<const std::uint8_t> bytes, std::size_t at) {
    return bytes[at] | unsigned(bytes[at + 1]) << 8;
}

} // namespace

std::vector<Piece> greedy_cover(const std::vector<bool>& shows, int tw, int th,
                                std::span<const std::pair<int, int>> sizes) {
    const std::vector<std::pair<int, int>> order = by_area(sizes);
    std::vector<bool> covered(shows.size(), false);
    std::vector<Piece> out;
    for (int i = 0; i < tw * th; ++i) {
        if (!shows[std::size_t(i)] || covered[std::size_t(i)]) continue;
        const int tx = i % tw, ty = i / tw;
        for (const auto& [w, h] : order) {
            const Piece p{tx, ty, w, h};
            if (tx + w > tw || ty + h > th) continue;
            bool free = true;
            for (int y = ty; y < ty + h && free; ++y)
                for (int x = tx; x < tx + w && free; ++x) free = !covered[std::size_t(y * tw + x)];
            if (!free) continue;
            for (int y = ty; y < ty + h; ++y)
                for (int x = tx; x < tx + w; ++x) covered[std::size_t(y * tw + x)] = true;
            out.push_back(p);
            break;
        }
        if (!covered[std::size_t(i)])
            throw Error(ErrorKind::usage, "--metasprite: no sprite size of the target fits the "
                                          "tile at (" +
                                              std::to_string(tx) + ", " + std::to_string(ty) +
                                              ") of a frame");
    }
    return out;
}

std::vector<Piece> cover_frame(const std::vector<bool>& shows, int tw, int th,
                               std::span<const std::pair<int, int>> sizes, long budget) {
    Search s{shows, tw, th, by_area(sizes), budget, std::vector<bool>(shows.size(), false)};
    s.best = greedy_cover(shows, tw, th, sizes);
    s.marked_left = int(std::count(shows.begin(), shows.end(), true));
    s.largest = s.sizes.empty() ? 1 : s.sizes.front().first * s.sizes.front().second;
    s.run(0);
    std::sort(s.best.begin(), s.best.end(), [](const Piece& a, const Piece& b) {
        return std::tie(a.y, a.x) < std::tie(b.y, b.x);
    });
    return s.best;
}

Metasprites make_metasprites(const IndexedImage& indexed, int fw, int fh,
                             std::span<const std::pair<int, int>> sizes, const SpriteOrder& order,
                             bool flips) {
    std::vector<std::pair<int, int>> in_tiles;
    for (const auto& [w, h] : sizes) in_tiles.emplace_back(w / 8, h / 8);
    const int tw = fw / 8, th = fh / 8;
    Metasprites out;
    out.frame_width = fw, out.frame_height = fh;
    // Each distinct piece (its size and tiles) and its mirror images: the first tile and flips.
    std::map<std::tuple<int, int, std::vector<Tile>>, PlacedPiece> known;
    for (int fy = 0; fy + fh <= indexed.height; fy += fh)
        for (int fx = 0; fx + fw <= indexed.width; fx += fw) {
            std::vector<bool> shows(std::size_t(tw * th), false);
            for (int y = 0; y < fh; ++y)
                for (int x = 0; x < fw; ++x)
                    if (indexed.indices[std::size_t(fy + y) * std::size_t(indexed.width) +
                                        std::size_t(fx + x)])
                        shows[std::size_t((y / 8) * tw + x / 8)] = true;
            const std::vector<Piece> pieces = cover_frame(shows, tw, th, in_tiles);
            out.greedy += int(greedy_cover(shows, tw, th, in_tiles).size());
            out.frames.emplace_back(int(out.pieces.size()), int(pieces.size()));
            for (const Piece& p : pieces) {
                const std::vector<Tile> tiles = piece_tiles(indexed, fx / 8, fy / 8, p, order);
                PlacedPiece placed{8 * p.x, 8 * p.y, unsigned(out.tiles.size()), p.w, p.h};
                if (const auto it = known.find({p.w, p.h, tiles}); it != known.end()) {
                    placed.tile = it->second.tile;
                    placed.hflip = it->second.hflip, placed.vflip = it->second.vflip;
                } else {
                    out.tiles.insert(out.tiles.end(), tiles.begin(), tiles.end());
                    for (int way = 0; way < (flips ? 4 : 1); ++way) {
                        const bool h = way & 1, v = way & 2;
                        known.emplace(std::tuple(p.w, p.h, mirrored(tiles, p.w, p.h, order, h, v)),
                                      PlacedPiece{0, 0, placed.tile, p.w, p.h, h, v});
                    }
                }
                out.pieces.push_back(placed);
            }
        }
    return out;
}

std::vector<std::uint8_t> piece_bytes(const Metasprites& m) {
    std::vector<std::uint8_t> out;
    for (const PlacedPiece& p : m.pieces) {
        put16(out, unsigned(p.x) & 0xFFFF), put16(out, unsigned(p.y) & 0xFFFF);
        put16(out, p.tile);
        out.push_back(std::uint8_t(p.w << 4 | p.h));
        out.push_back(std::uint8_t((p.hflip ? 1 : 0) | (p.vflip ? 2 : 0)));
    }
    return out;
}

std::vector<std::uint8_t> frame_bytes(const Metasprites& m) {
    std::vector<std::uint8_t> out;
    for (const auto& [first, count] : m.frames)
        put16(out, unsigned(first)), put16(out, unsigned(count));
    return out;
}

IndexedImage draw_metasprites(std::span<const Tile> tiles, std::span<const std::uint8_t> pieces,
                              std::span<const std::uint8_t> frames, const SpriteOrder& order,
                              int width, int height, int fw, int fh, const std::string& origin) {
    const int across = width / fw, count = across * (height / fh);
    if (frames.size() != std::size_t(count) * 4 || pieces.size() % 8)
        throw_input_error(
            origin, "holds a piece table of " + std::to_string(pieces.size()) + " bytes and " +
                        std::to_string(frames.size() / 4) + " frames; a " + std::to_string(width) +
                        "x" + std::to_string(height) + " sheet has " + std::to_string(count));
    IndexedImage out{width, height, std::vector<std::uint8_t>(std::size_t(width) * height, 0)};
    for (int f = 0; f < count; ++f) {
        const unsigned first = get16(frames, std::size_t(4 * f)),
                       n = get16(frames, std::size_t(4 * f + 2));
        if ((first + n) * 8 > pieces.size())
            throw_input_error(origin,
                              "frame " + std::to_string(f) + " names pieces past the table");
        const int ox = (f % across) * fw, oy = (f / across) * fh;
        for (unsigned k = first; k < first + n; ++k) {
            const std::size_t at = std::size_t(k) * 8;
            const int x = int(std::int16_t(get16(pieces, at))),
                      y = int(std::int16_t(get16(pieces, at + 2)));
            const unsigned tile = get16(pieces, at + 4);
            const int w = pieces[at + 6] >> 4, h = pieces[at + 6] & 15;
            const bool hflip = pieces[at + 7] & 1, vflip = pieces[at + 7] & 2;
            const auto positions = sprite_positions(order, w, h);
            if (w == 0 || h == 0 || tile + positions.size() > tiles.size() || x < 0 || y < 0 ||
                x + 8 * w > fw || y + 8 * h > fh)
                throw_input_error(origin, "piece " + std::to_string(k) +
                                              " lies outside its frame or names tiles that are "
                                              "not there");
            for (std::size_t i = 0; i < positions.size(); ++i) {
                const auto [tx, ty] = positions[i];
                for (int py = 0; py < 8; ++py)
                    for (int px = 0; px < 8; ++px) {
                        // The stored piece's pixel, shown mirrored as the flags say.
                        const int sx = 8 * tx + px, sy = 8 * ty + py;
                        const int dx = hflip ? 8 * w - 1 - sx : sx,
                                  dy = vflip ? 8 * h - 1 - sy : sy;
                        const std::uint8_t v = tiles[tile + i][std::size_t(8 * py + px)];
                        if (v)
                            out.indices[std::size_t(oy + y + dy) * std::size_t(width) +
                                        std::size_t(ox + x + dx)] = v;
                    }
            }
        }
    }
    return out;
}

int worst_scanline(const Metasprites& m, int fh) {
    int worst = 0;
    for (const auto& [first, count] : m.frames)
        for (int row = 0; row < fh; ++row) {
            int crossing = 0;
            for (int k = first; k < first + count; ++k) {
                const PlacedPiece& p = m.pieces[std::size_t(k)];
                crossing += row >= p.y && row < p.y + 8 * p.h;
            }
            worst = std::max(worst, crossing);
        }
    return worst;
}

} // namespace kpal
