#include "kpal/tile_palettes.h"

#include "kmeans/parallel.h"
#include "kpal/histogram.h"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <map>

namespace kpal {
namespace {

int distance2(Rgb a, Rgb b) {
    const int dr = a.r - b.r, dg = a.g - b.g, db = a.b - b.b;
    return dr * dr + dg * dg + db * db;
}

// One cell's opaque colours and their counts; also channel by channel, as floats (exact: every
// value and squared distance here is an integer below 2^24), for cell_error's vector loop.
struct Cell {
    std::vector<std::pair<std::uint32_t, std::uint32_t>> colours; // 0xRRGGBB, pixels
    std::vector<float> r, g, b;
};

std::vector<Cell> cut_cells(const Image& image, const Transparency& transparency, int side,
                            int across, int down) {
    std::vector<Cell> cells(std::size_t(across) * std::size_t(down));
    for (int cy = 0; cy < down; ++cy)
        for (int cx = 0; cx < across; ++cx) {
            std::map<std::uint32_t, std::uint32_t> counts;
            for (int y = side * cy; y < std::min(image.height, side * (cy + 1)); ++y)
                for (int x = side * cx; x < std::min(image.width, side * (cx + 1)); ++x) {
                    const std::size_t i =
                        std::size_t(y) * std::size_t(image.width) + std::size_t(x);
                    if (!transparency.at(image, i)) ++counts[pack_rgb(image.rgb_at(i))];
                }
            Cell& cell = cells[std::size_t(cy) * std::size_t(across) + std::size_t(cx)];
            cell.colours.assign(counts.begin(), counts.end());
            for (const auto& [c, n] : cell.colours) {
                const Rgb rgb = unpack_rgb(c);
                cell.r.push_back(rgb.r), cell.g.push_back(rgb.g), cell.b.push_back(rgb.b);
            }
        }
    return cells;
}

// A cell's squared error when each colour takes its nearest entry of `bank`: for each entry in
// turn, every colour's least distance so far (a loop the compiler vectorises), 64 at a time.
double cell_error(const Cell& cell, const std::vector<Rgb>& bank) {
    constexpr std::size_t chunk = 64;
    const std::size_t size = cell.colours.size();
    std::int64_t sum = 0;
    for (std::size_t from = 0; from < size; from += chunk) {
        const std::size_t m = std::min(chunk, size - from);
        const float *r = cell.r.data() + from, *g = cell.g.data() + from, *b = cell.b.data() + from;
        float least[chunk];
        std::fill(least, least + m, bank.empty() ? 3.0f * 255 * 255 : 1e9f);
        for (Rgb e : bank) {
            const float er = e.r, eg = e.g, eb = e.b;
            for (std::size_t i = 0; i < m; ++i) {
                const float dr = r[i] - er, dg = g[i] - eg, db = b[i] - eb;
                least[i] = std::min(least[i], dr * dr + dg * dg + db * db);
            }
        }
        for (std::size_t i = 0; i < m; ++i)
            sum += std::int64_t(cell.colours[from + i].second) * std::int64_t(least[i]);
    }
    return double(sum);
}

Histogram histogram_of(const std::vector<const Cell*>& cells) {
    std::map<std::uint32_t, std::uint32_t> counts;
    for (const Cell* cell : cells)
        for (const auto& [c, n] : cell->colours) counts[c] += n;
    Histogram h;
    for (const auto& [c, n] : counts) h.colors.push_back(c), h.counts.push_back(n);
    return h;
}

double bank_error(const Histogram& h, const std::vector<Rgb>& bank) {
    double sum = 0;
    for (std::size_t i = 0; i < h.size(); ++i) {
        int best = std::numeric_limits<int>::max();
        for (Rgb e : bank) best = std::min(best, distance2(unpack_rgb(h.colors[i]), e));
        sum += double(h.counts[i]) * double(best);
    }
    return sum;
}

// A grouping to start a trial from, after the best so far: one bank (the trial's turn, by fewest
// cells first) gives its cells to their next best banks, and the bank that shows its cells worst
// is split in two by 2-means on their mean colours, the second half taking the freed bank. The
// random-swap idea (Franti 2018) with banks for centres, made deterministic.
std::vector<int> split_merge(const TilePalettes& best, const std::vector<Cell>& cells,
                             const std::vector<std::uint32_t>& cell_mean, const DeviceLevels& exact,
                             const DesignOptions& design, int trial) {
    const std::size_t banks = best.banks.size();
    std::vector<int> bank = best.cell_bank;
    std::vector<double> error(banks, 0);
    std::vector<int> count(banks, 0), order(banks);
    for (std::size_t i = 0; i < cells.size(); ++i) {
        if (cells[i].colours.empty()) continue;
        const auto b = std::size_t(bank[i]);
        error[b] += cell_error(cells[i], best.banks[b]);
        ++count[b];
    }
    for (std::size_t b = 0; b < banks; ++b) order[b] = int(b);
    std::stable_sort(order.begin(), order.end(),
                     [&](int a, int b) { return count[std::size_t(a)] < count[std::size_t(b)]; });
    const int freed = order[std::size_t(trial - 1) % banks];
    for (std::size_t i = 0; i < cells.size(); ++i) {
        if (bank[i] != freed || cells[i].colours.empty()) continue;
        double least = std::numeric_limits<double>::max();
        for (std::size_t b = 0; b < banks; ++b)
            if (int(b) != freed)
                if (const double e = cell_error(cells[i], best.banks[b]); e < least)
                    least = e, bank[i] = int(b);
    }
    error[std::size_t(freed)] = -1;
    const int worst = int(std::max_element(error.begin(), error.end()) - error.begin());
    std::map<std::uint32_t, std::uint32_t> counts;
    for (std::size_t i = 0; i < cells.size(); ++i)
        if (bank[i] == worst && !cells[i].colours.empty()) counts[cell_mean[i]] += 64;
    Histogram means;
    for (const auto& [c, n] : counts) means.colors.push_back(c), means.counts.push_back(n);
    if (means.size() < 2) return bank;
    DesignOptions two = design;
    two.colors = 2;
    two.fixed.clear();
    const Design halves = design_palette(means, exact, two);
    for (std::size_t i = 0; i < cells.size(); ++i)
        if (bank[i] == worst && !cells[i].colours.empty() &&
            halves.labels[means.find(cell_mean[i])] == 1)
            bank[i] = freed;
    return bank;
}

// The first grouping, from palettes of single cells: each candidate cell's palette designed for
// it alone could be a bank; of them the P that together show every cell best (each cell by the
// one that shows it best) are chosen as k-medoids are, on each cell's error under each
// candidate's palette: a greedy build, then any swap of a chosen palette for another that
// lowers the total, until none does. Each cell joins the chosen palette that shows it best.
// Candidates are every cell, or `most` of them evenly spread, which bounds the time.
// Measured on the Kodak photos against k-means on the cells' mean colours, the start before it:
// GBA +0.14 dB, SNES +0.08, Mega Drive +0.03, GBC +0.11, in about the same time (the banks
// converge in fewer rounds); 64 candidates gave 0.03-0.05 dB less, 256 or all no more than 0.02.
constexpr std::size_t medoid_candidates = 128;

template <class DesignBank>
std::vector<int> medoid_grouping(const std::vector<Cell>& cells, int banks, std::size_t most,
                                 DesignBank design_bank, int threads) {
    std::vector<std::size_t> live;
    for (std::size_t i = 0; i < cells.size(); ++i)
        if (!cells[i].colours.empty()) live.push_back(i);
    std::vector<int> bank(cells.size(), 0);
    const std::size_t n = live.size(), c = std::min(n, most);
    const std::size_t p = std::min(std::size_t(banks), c);
    if (p == 0) return bank;
    std::vector<double> e(n * c); // e[a * c + m]: cell a under candidate m's palette
    // Each candidate's column on its own: the same table on any number of threads.
    kmeans::parallel_for(
        c, threads,
        [&](std::size_t begin, std::size_t end, std::size_t) {
            for (std::size_t m = begin; m < end; ++m) {
                const std::size_t cell = live[m * n / c];
                const std::vector<Rgb> palette = design_bank(histogram_of({&cells[cell]}));
                for (std::size_t a = 0; a < n; ++a)
                    e[a * c + m] = cell_error(cells[live[a]], palette);
            }
        },
        1);
    const auto total_of = [&](const std::vector<std::size_t>& chosen) {
        double sum = 0;
        for (std::size_t a = 0; a < n; ++a) {
            double least = std::numeric_limits<double>::max();
            for (std::size_t m : chosen) least = std::min(least, e[a * c + m]);
            sum += least;
        }
        return sum;
    };
    std::vector<std::size_t> chosen;
    std::vector<double> least(n, std::numeric_limits<double>::max());
    while (chosen.size() < p) {
        double best = std::numeric_limits<double>::max();
        std::size_t pick = 0;
        for (std::size_t m = 0; m < c; ++m) {
            double sum = 0;
            for (std::size_t a = 0; a < n; ++a) sum += std::min(least[a], e[a * c + m]);
            if (sum < best) best = sum, pick = m;
        }
        chosen.push_back(pick);
        for (std::size_t a = 0; a < n; ++a) least[a] = std::min(least[a], e[a * c + pick]);
    }
    double total = total_of(chosen);
    // A swap of chosen[s] for m: each cell's least over the others (which that swap keeps) once
    // for s, then one min a cell for each m. The same sums, in the same order, as summing over
    // the whole trial set, so the same choices.
    std::vector<double> others(n);
    for (bool improved = true; improved;) {
        improved = false;
        for (std::size_t s = 0; s < p; ++s) {
            for (std::size_t a = 0; a < n; ++a) {
                double least_other = std::numeric_limits<double>::max();
                for (std::size_t t = 0; t < p; ++t)
                    if (t != s) least_other = std::min(least_other, e[a * c + chosen[t]]);
                others[a] = least_other;
            }
            for (std::size_t m = 0; m < c; ++m) {
                double t = 0;
                for (std::size_t a = 0; a < n; ++a) t += std::min(others[a], e[a * c + m]);
                if (t < total) total = t, chosen[s] = m, improved = true;
            }
        }
    }
    for (std::size_t a = 0; a < n; ++a) {
        double best = std::numeric_limits<double>::max();
        for (std::size_t s = 0; s < p; ++s)
            if (const double t = e[a * c + chosen[s]]; t < best) best = t, bank[live[a]] = int(s);
    }
    return bank;
}

} // namespace

TilePalettes design_tile_palettes(const Image& image, const Transparency& transparency,
                                  const DeviceLevels& levels, const TilePaletteOptions& options) {
    TilePalettes out;
    const int side = std::max(1, options.cell);
    out.cells_across = (image.width + side - 1) / side;
    out.cells_down = (image.height + side - 1) / side;
    const std::vector<Cell> cells =
        cut_cells(image, transparency, side, out.cells_across, out.cells_down);
    const int banks = std::max(1, options.banks);

    // Each cell's mean colour, for the split-merge trials' halves.
    std::vector<std::uint32_t> cell_mean(cells.size(), 0);
    for (std::size_t i = 0; i < cells.size(); ++i) {
        double sum[3] = {0, 0, 0}, n = 0;
        for (const auto& [c, k] : cells[i].colours) {
            const Rgb rgb = unpack_rgb(c);
            sum[0] += rgb.r * double(k), sum[1] += rgb.g * double(k), sum[2] += rgb.b * double(k);
            n += k;
        }
        if (n > 0)
            cell_mean[i] = pack_rgb({std::uint8_t(sum[0] / n + 0.5), std::uint8_t(sum[1] / n + 0.5),
                                     std::uint8_t(sum[2] / n + 0.5)});
    }
    out.cell_bank.assign(cells.size(), 0);
    DesignOptions per_bank = options.design;
    per_bank.colors = options.colours;
    per_bank.fixed.clear();
    const DeviceLevels exact = device_levels(*find_palette_format("rgb888"));
    const auto members_of = [&](int b) {
        std::vector<const Cell*> members;
        for (std::size_t i = 0; i < cells.size(); ++i)
            if (out.cell_bank[i] == b && !cells[i].colours.empty()) members.push_back(&cells[i]);
        return members;
    };
    // The shared colour, chosen first so that the banks are designed around it: of one palette
    // for the whole picture as large as all the banks (at most 64 entries), the entry that most
    // pixels take.
    if (options.shared_colour) {
        std::vector<const Cell*> all;
        for (const Cell& c : cells) all.push_back(&c);
        const Histogram whole = histogram_of(all);
        if (whole.size()) {
            DesignOptions one = per_bank;
            one.colors = std::min(64, banks * options.colours);
            const Design d = design_palette(whole, levels, one);
            std::vector<std::uint64_t> taken(d.palette.size(), 0);
            for (std::size_t i = 0; i < whole.size(); ++i) taken[d.labels[i]] += whole.counts[i];
            out.shared = d.palette[std::size_t(std::max_element(taken.begin(), taken.end()) -
                                               taken.begin())];
        }
    }
    // A bank for histogram `h`: its own colours, then the shared one (pinned in the design).
    DesignOptions pinned = per_bank;
    if (out.shared) pinned.colors = per_bank.colors + 1, pinned.fixed = {*out.shared};
    const auto design_bank = [&](const Histogram& h, bool final_pass = false) {
        if (h.size() == 0) return std::vector<Rgb>{};
        // The rounds go without the designer's random swaps and descent (most of its time for
        // small palettes, and little better banks measured on the Kodak photos: the descent in
        // every round gave the GBA 0.01 dB for a third more time); the last pass has them.
        DesignOptions o = pinned;
        if (!final_pass) o.swap_trials = 0, o.descend = false;
        std::vector<Rgb> bank = design_palette(h, levels, o).palette;
        if (out.shared) std::rotate(bank.begin(), bank.begin() + 1, bank.end());
        return bank;
    };
    // The banks are designed, and the cells placed, on threads: each bank's design and each
    // cell's choice is its own, so the result is the same for any number of threads.
    const int threads = options.design.threads;
    const auto each_bank = [&](const auto& f) {
        kmeans::parallel_for(
            std::size_t(banks), threads,
            [&](std::size_t begin, std::size_t end, std::size_t) {
                for (std::size_t b = begin; b < end; ++b) f(int(b));
            },
            1);
    };
    // Each cell's least error over `palettes`, its bank in `bank` (cells without a colour: 0).
    const auto best_banks = [&](const std::vector<std::vector<Rgb>>& palettes,
                                std::vector<int>& bank) {
        std::vector<double> least(cells.size(), 0);
        kmeans::parallel_for(
            cells.size(), threads,
            [&](std::size_t begin, std::size_t end, std::size_t) {
                for (std::size_t i = begin; i < end; ++i) {
                    if (cells[i].colours.empty()) continue;
                    double best = std::numeric_limits<double>::max();
                    for (std::size_t b = 0; b < palettes.size(); ++b)
                        if (const double e = cell_error(cells[i], palettes[b]); e < best)
                            best = e, bank[i] = int(b);
                    least[i] = best;
                }
            },
            64);
        return least;
    };
    // The first start groups the cells around single cells' palettes (medoid_grouping); each
    // trial after it starts from a split-merge of the best so far (split_merge), and the least
    // error wins.
    TilePalettes best_start;
    const int trials =
        options.trials >= 0
            ? options.trials
            : std::clamp(int(2000 * 64 /
                             (std::max<std::size_t>(cells.size(), 1) * std::size_t(side * side))),
                         0, 16);
    for (int start = 0; start <= (banks > 1 ? trials : 0); ++start) {
        out.cell_bank.assign(cells.size(), 0);
        out.banks.clear();
        if (start > 0) {
            out.cell_bank = split_merge(best_start, cells, cell_mean, exact, options.design, start);
        } else if (banks > 1) {
            out.cell_bank = medoid_grouping(cells, banks, medoid_candidates, design_bank, threads);
        }

        // Alternate: redesign each bank over its cells, then move each cell to its best bank. The
        // best state seen is kept (a redesign may, rarely, not lower the error).
        double best_error = std::numeric_limits<double>::max();
        // A trial starts near a converged state: a few rounds show whether it leads anywhere.
        const int max_rounds = start ? 6 : 30;
        std::vector<std::vector<Rgb>> palettes(static_cast<std::size_t>(banks));
        for (int round = 0; round < max_rounds; ++round) {
            ++out.rounds;
            each_bank([&](int b) {
                palettes[std::size_t(b)] = design_bank(histogram_of(members_of(b)));
            });
            // An empty bank takes the cell worst shown by its own bank.
            for (int b = 0; b < banks; ++b) {
                if (!palettes[std::size_t(b)].empty()) continue;
                std::size_t worst = cells.size();
                double worst_error = 0;
                for (std::size_t i = 0; i < cells.size(); ++i) {
                    const double e = cell_error(cells[i], palettes[std::size_t(out.cell_bank[i])]);
                    if (e > worst_error) worst = i, worst_error = e;
                }
                if (worst == cells.size()) continue;
                out.cell_bank[worst] = b;
                palettes[std::size_t(b)] = design_bank(histogram_of({&cells[worst]}));
            }
            std::vector<int> next = out.cell_bank;
            const std::vector<double> least = best_banks(palettes, next);
            std::size_t moved = 0;
            double total = 0; // summed in cell order, whatever the threads
            for (std::size_t i = 0; i < cells.size(); ++i) {
                total += least[i];
                moved += next[i] != out.cell_bank[i];
            }
            if (total < best_error) {
                best_error = total;
                out.banks = palettes;
                out.cell_bank = next; // each cell's best bank under these palettes
            } else {
                break; // no better than the last round: stop there
            }
            if (moved == 0) break;
        }
        if (out.banks.empty()) out.banks = palettes; // no opaque pixel at all
        // Each bank was designed for its cells before their last move: designed again for the cells
        // it has now, it is kept where it shows them better.
        each_bank([&](int b) {
            const std::vector<const Cell*> members = members_of(b);
            const Histogram h = histogram_of(members);
            if (h.size() == 0) return;
            std::vector<Rgb> fresh = design_bank(h, true);
            if (bank_error(h, fresh) < bank_error(h, out.banks[std::size_t(b)]))
                out.banks[std::size_t(b)] = std::move(fresh);
        });
        // Every cell in the bank that shows it best, under the palettes as they now are.
        out.error = 0;
        for (const double e : best_banks(out.banks, out.cell_bank)) out.error += e;
        if (start == 0 || out.error < best_start.error) best_start = out;
    }
    out = best_start;
    if (out.shared) // the banks' own colours; the shared one is apart
        for (auto& bank : out.banks)
            if (!bank.empty()) bank.pop_back();
    return out;
}

} // namespace kpal
