// Floyd-Steinberg that chooses each cell's colours as it goes (cells.h: diffuse_in_cells).
#include "kpal/cells.h"

#include <algorithm>
#include <array>
#include <functional>
#include <limits>
#include <stdexcept>

namespace kpal {
namespace {

using Vec = std::array<float, 3>;

// Floyd and Steinberg's weights, in sixteenths: right, below-left, below, below-right.
struct Tap {
    int dx, dy;
    float weight;
};
constexpr Tap taps[] = {{1, 0, 7 / 16.f}, {-1, 1, 3 / 16.f}, {0, 1, 5 / 16.f}, {1, 1, 1 / 16.f}};

float squared(const Vec& a, const Vec& b) {
    return (a[0] - b[0]) * (a[0] - b[0]) + (a[1] - b[1]) * (a[1] - b[1]) +
           (a[2] - b[2]) * (a[2] - b[2]);
}

// The error still to be spread, a value a pixel a channel.
class Errors {
  public:
    Errors(int width, int height)
        : width_(width), height_(height), error_(std::size_t(width) * std::size_t(height)) {}
    Vec& at(int x, int y) { return error_[std::size_t(y) * std::size_t(width_) + std::size_t(x)]; }
    bool inside(int x, int y) const { return x >= 0 && x < width_ && y < height_; }

  private:
    int width_, height_;
    std::vector<Vec> error_;
};

constexpr std::size_t max_cell = 64; // pixels

struct CellRun {
    const std::vector<Vec>& pixels;   // the cell's colours, row by row
    const std::vector<Vec>& incoming; // the error already carried to each
    int width, height;
    float strength;
};

// One cell diffused with one set of colours: the error it carries in (`incoming`, each
// pixel's), spread inside the cell in raster order; a tap that leaves the cell to the left
// goes straight down instead, one that leaves it elsewhere is returned to the caller through
// `spill` when given. Returns the cost of the set: the squared error between what each pixel
// wanted (its colour and the error carried to it) and what it shows, plus the squared error
// between its own colour and what it shows. Without the second term the cells take colours far
// from their pixels: on 6 photos the ZX Spectrum at strength 0.7 shows plain / blurred PSNR
// 12.23 / 23.00 dB without it and 12.43 / 22.67 with it; the C64 multicolour 19.20 / 28.12 at
// 0.7 without, 19.12 / 28.50 at 0.75 with (docs/bench-cells.md).
float run_cell(const CellRun& run, const std::vector<std::uint8_t>& set,
               const std::vector<Vec>& colours, std::vector<std::uint8_t>* chosen,
               const std::function<void(int, int, const Vec&)>* spill) {
    std::array<Vec, max_cell> carried; // the rules' cells are at most 8x8
    if (run.incoming.size() > max_cell)
        throw std::logic_error("kpal: a cell larger than 64 pixels (please report this)");
    std::copy(run.incoming.begin(), run.incoming.end(), carried.begin());
    float total = 0;
    for (int y = 0; y < run.height; ++y)
        for (int x = 0; x < run.width; ++x) {
            const std::size_t i = std::size_t(y * run.width + x);
            Vec want; // within a quarter of the range beyond black and white
            for (int c = 0; c < 3; ++c)
                want[c] = std::clamp(run.pixels[i][c] + run.strength * carried[i][c], -64.f, 319.f);
            std::uint8_t best = set.front();
            float least = std::numeric_limits<float>::max();
            for (const std::uint8_t code : set) {
                const float d = squared(want, colours[code]);
                if (d < least) least = d, best = code;
            }
            total += least + squared(run.pixels[i], colours[best]);
            if (chosen) (*chosen)[i] = best;
            const Vec error{want[0] - colours[best][0], want[1] - colours[best][1],
                            want[2] - colours[best][2]};
            for (const Tap& t : taps) {
                int tx = x + t.dx;
                const int ty = y + t.dy;
                if (tx < 0 && ty < run.height) tx = 0; // left of the cell: below instead
                Vec share{error[0] * t.weight, error[1] * t.weight, error[2] * t.weight};
                if (tx >= 0 && tx < run.width && ty < run.height) {
                    Vec& to = carried[std::size_t(ty * run.width + tx)];
                    for (int c = 0; c < 3; ++c) to[c] += share[c];
                } else if (spill) {
                    (*spill)(tx, ty, share);
                }
            }
        }
    return total;
}

} // namespace

CellPicture diffuse_in_cells(const Image& image, std::span<const Rgb> shown,
                             std::span<const std::uint8_t> codes, const CellRule& rule,
                             double strength) {
    CellPicture out{{image.width / rule.width, image.height / rule.height, {}, {}},
                    {image.width, image.height, std::vector<std::uint8_t>(image.pixel_count())}};
    out.cells.own.resize(std::size_t(out.cells.across) * std::size_t(out.cells.down));
    out.cells.background = screen_background(image, shown, codes, rule);
    const std::vector<std::vector<std::uint8_t>> sets =
        cell_sets(codes, rule, out.cells.background);
    std::vector<Vec> colours(shown.size());
    for (std::size_t c = 0; c < shown.size(); ++c)
        colours[c] = {float(shown[c].r), float(shown[c].g), float(shown[c].b)};
    Errors errors(image.width, image.height);
    const int w = rule.width, h = rule.height;
    for (int cy = 0; cy < out.cells.down; ++cy)
        for (int cx = 0; cx < out.cells.across; ++cx) {
            std::vector<Vec> pixels, incoming;
            for (int y = cy * h; y < (cy + 1) * h; ++y)
                for (int x = cx * w; x < (cx + 1) * w; ++x) {
                    const Rgb p =
                        image.rgb_at(std::size_t(y) * std::size_t(image.width) + std::size_t(x));
                    pixels.push_back({float(p.r), float(p.g), float(p.b)});
                    incoming.push_back(errors.at(x, y));
                }
            const CellRun run{pixels, incoming, w, h, float(strength)};
            std::size_t best = 0;
            float least = std::numeric_limits<float>::max();
            for (std::size_t s = 0; s < sets.size(); ++s) {
                const float cost = run_cell(run, sets[s], colours, nullptr, nullptr);
                if (cost < least) least = cost, best = s;
            }
            std::vector<std::uint8_t> chosen(pixels.size());
            const std::function<void(int, int, const Vec&)> spill = [&](int x, int y,
                                                                        const Vec& share) {
                const int ix = cx * w + x, iy = cy * h + y;
                if (ix < 0 || !errors.inside(ix, iy)) return;
                Vec& to = errors.at(ix, iy);
                for (int c = 0; c < 3; ++c) to[c] += share[c];
            };
            run_cell(run, sets[best], colours, &chosen, &spill);
            for (int y = 0; y < h; ++y)
                for (int x = 0; x < w; ++x)
                    out.codes.indices[std::size_t(cy * h + y) * std::size_t(image.width) +
                                      std::size_t(cx * w + x)] = chosen[std::size_t(y * w + x)];
            std::vector<std::uint8_t> own = sets[best];
            if (out.cells.background)
                own.erase(std::find(own.begin(), own.end(), *out.cells.background));
            out.cells.own[std::size_t(cy * out.cells.across + cx)] = own;
        }
    return out;
}

} // namespace kpal
