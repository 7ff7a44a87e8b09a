// Steps 2 and 3 of palette design: Lloyd's iterations with Hamerly's bounds, free or snapped to
// the device (see src/design.cpp's overview). Internal to palette design.
#pragma once

#include "centre_index.h"
#include "parallel.h"
#include "points.h"
#include "seeds.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <vector>

namespace kpal::kmeans {

// Lloyd's iterations stop when no colour changes cluster; the caps only guard against a cycle
// of equal-error states, which exact arithmetic rules out in RGB. Snapping in OKLab goes through
// RGB rounding, which is not always the nearest device colour in OKLab, so there the snapped run
// may stop at its cap.
constexpr int iteration_cap = 10000;
constexpr int snapped_iteration_cap = 1000;

// Steps 2 and 3: Lloyd's iterations with Hamerly's bounds.
class Lloyd {
  public:
    // The first `fixed` centres are pinned: they take colours but never move.
    // Each free step moves a centre `relax` times the way to its cluster's mean (1: Lloyd's).
    // `near`, if given, names for each colour a centre near it (any: only the first search's
    // time depends on it).
    Lloyd(const Points& p, std::vector<Vec> centres, int threads, int fixed = 0, double relax = 1,
          std::vector<int> near = {})
        : p_(p), threads_(threads), fixed_(fixed), relax_(relax),
          index_(principal_axis(p), threads), c_(std::move(centres)), label_(std::move(near)),
          upper_(p.x.size()), lower_(p.x.size()), third_(p.x.size()), second_(p.x.size(), -1) {
        labelled_ = !label_.empty();
        label_.resize(p.x.size());
        for (std::size_t i = 0; i < p.x.size(); ++i) total_s2_ += sum_s2(i);
        assign_all();
    }

    // Runs to convergence (or `cap` iterations, or until an iteration lowers the error by less
    // than `stop` times it). With `snap`, centres are device colours.
    void run(const Space* snap, int cap, std::vector<double>& trace, int& iterations,
             double stop = 0) {
        snap_ = snap;
        if (snap_) { // snapping is one more move of each centre: the bounds carry over
            std::vector<double> moved(c_.size(), 0);
            for (std::size_t j = 0; j < c_.size(); ++j) {
                const Vec at = snap_->snap(c_[j]);
                moved[j] = std::sqrt(dist2(at, c_[j]));
                c_[j] = at;
            }
            centres_moved(moved);
            assign_bounded();
        }
        for (int it = 0; it < cap; ++it) {
            const bool repaired = update_centres(
                trace.empty() ? std::numeric_limits<double>::infinity() : trace.back());
            trace.push_back(error(c_));
            ++iterations;
            const std::size_t changed = repaired ? assign_all() : assign_bounded();
            const bool settled =
                (changed == 0 && !repaired) ||
                (it > 0 && trace[trace.size() - 2] - trace.back() < stop * trace.back());
            if (settled && relax_ == 1) break;
            if (settled) relax_ = 1; // the last steps plain, so centres end at their means
        }
    }

    const std::vector<Vec>& centres() const { return c_; }
    std::vector<Vec> live_centres() const {
        std::vector<Vec> out;
        for (std::size_t j = 0; j < c_.size(); ++j)
            if (alive_[j]) out.push_back(c_[j]);
        return out;
    }
    std::vector<Rgb> live_palette(const Space& space) const {
        std::vector<Rgb> out;
        for (const Vec& c : live_centres()) out.push_back(space.device(c));
        return out;
    }
    // Each colour's label as an index into live_centres().
    std::vector<std::uint8_t> live_labels() const {
        std::vector<std::uint8_t> live(c_.size(), 0);
        for (std::size_t j = 0, n = 0; j < c_.size(); ++j)
            if (alive_[j]) live[j] = std::uint8_t(n++);
        std::vector<std::uint8_t> out(label_.size());
        for (std::size_t i = 0; i < label_.size(); ++i) out[i] = live[std::size_t(label_[i])];
        return out;
    }

  private:
    static constexpr double slack = 1e-9; // keeps the rounded bounds on the safe side
    // A centre's move counts for the colours of centres within this many half-gaps of it (see
    // loosen_bounds). Any value is correct; measured on the Kodak photos at K = 256, 4 and 10
    // search more often than 6.
    static constexpr double reach_gaps = 6;

    double sum_s2(std::size_t i) const {
        const Moments m = p_.moments(i);
        return double(m.s2[0]) + double(m.s2[1]) + double(m.s2[2]);
    }

    void rebuild_sums() {
        m_.assign(c_.size(), Moments{});
        for (std::size_t i = 0; i < p_.x.size(); ++i) m_[label_[i]].add(p_.moments(i));
    }

    // Half the distance from each centre to its nearest other centre: a colour nearer than
    // that to its own centre cannot be nearer to any other.
    void measure_gaps() {
        half_gap_.assign(c_.size(), std::numeric_limits<double>::infinity());
        for (std::size_t j = 0; j < c_.size(); ++j) {
            if (!alive_[j]) continue;
            half_gap_[j] = index_.nearest_other(int(j)) / 2;
        }
    }

    // Full assignment; returns the number of colours whose cluster changed.
    std::size_t assign_all() {
        if (alive_.size() != c_.size()) alive_.assign(c_.size(), 1);
        index_.build(c_, alive_);
        measure_gaps();
        std::vector<std::size_t> changed(parallel_chunks(p_.size(), threads_), 0);
        parallel_for(p_.size(), threads_,
                     [&](std::size_t begin, std::size_t end, std::size_t chunk) {
                         for (std::size_t i = begin; i < end; ++i) {
                             const int a = label_[i];
                             const CentreIndex::Nearest n =
                                 labelled_ && alive_[a] ? index_.search_near(p_.x[i], a, true)
                                                        : index_.search(p_.x[i], true);
                             changed[chunk] += label_[i] != n.best;
                             label_[i] = n.best;
                             second_[i] = n.second;
                             upper_[i] = std::sqrt(n.d1) + slack;
                             lower_[i] = std::sqrt(n.d2) - slack;
                             third_[i] = std::sqrt(n.d3) - slack;
                         }
                     });
        rebuild_sums();
        labelled_ = true;
        shift_pending_ = false; // the bounds are new
        return std::accumulate(changed.begin(), changed.end(), std::size_t(0));
    }

    // Hamerly's pass: a colour is searched only when its bounds cannot rule a change out. On the
    // Kodak photos at K = 256 half the colours searched under Hamerly's own loosening rule are
    // spared by loosen_bounds: the whole run takes a fifth less time, with the same result.
    std::size_t assign_bounded() {
        // Colours are independent, so chunks of them are searched in parallel; the moves are
        // applied to the cluster sums afterwards in colour order (exact integers: the result
        // does not depend on the number of threads).
        std::vector<std::vector<std::pair<std::size_t, int>>> moves(
            parallel_chunks(p_.size(), threads_));
        parallel_for(
            p_.size(), threads_, [&](std::size_t begin, std::size_t end, std::size_t chunk) {
                for (std::size_t i = begin; i < end; ++i) {
                    if (shift_pending_) loosen(i);
                    const int a = label_[i];
                    const double bound = std::max(half_gap_[a], lower_[i]);
                    if (upper_[i] < bound) continue;
                    const double da = dist2(p_.x[i], c_[a]);
                    upper_[i] = std::sqrt(da) + slack;
                    if (upper_[i] < bound) continue;
                    // The two nearest centres of the last search, and a lower bound on
                    // the others: a colour between two clusters needs no search while
                    // no third centre comes near.
                    const int b = second_[i];
                    if (b >= 0 && alive_[b]) {
                        const double db = dist2(p_.x[i], c_[b]);
                        const bool to_b = db < da || (db == da && b < a);
                        const double near = std::sqrt(to_b ? db : da);
                        if (near < third_[i]) {
                            upper_[i] = near + slack;
                            lower_[i] = std::min(std::sqrt(to_b ? da : db) - slack, third_[i]);
                            if (to_b) {
                                second_[i] = a, label_[i] = b;
                                moves[chunk].push_back({i, a});
                            }
                            continue;
                        }
                    }
                    const CentreIndex::Nearest n = index_.search_near(p_.x[i], a, true);
                    upper_[i] = std::sqrt(n.d1) + slack;
                    lower_[i] = std::sqrt(n.d2) - slack;
                    third_[i] = std::sqrt(n.d3) - slack;
                    second_[i] = n.second;
                    if (n.best != a) moves[chunk].push_back({i, a});
                    label_[i] = n.best;
                }
            });
        shift_pending_ = false;
        std::size_t changed = 0;
        for (const auto& chunk : moves)
            for (const auto& [i, from] : chunk) {
                m_[from].add(p_.moments(i), -1);
                m_[label_[i]].add(p_.moments(i));
                ++changed;
            }
        return changed;
    }

    // Moves each centre to its cluster's (snapped) mean, shifts the bounds by how far centres
    // moved, and repairs empty or duplicate clusters. Returns true when a repair happened (the
    // bounds are then stale and the next assignment must be a full one).
    bool update_centres(double previous) {
        const int k = int(c_.size());
        std::vector<Vec> next = c_;
        for (int pass = 0; pass < 2; ++pass) {
            for (int j = fixed_; j < k; ++j) {
                if (!alive_[j] || m_[j].w == 0) continue;
                next[j] = m_[j].mean();
                if (snap_)
                    next[j] = snap_->snap(next[j]);
                else // over-relaxed: past the mean, `relax_` times the step to it
                    for (int ch = 0; ch < 3; ++ch)
                        next[j][ch] = c_[j][ch] + relax_ * (next[j][ch] - c_[j][ch]);
            }
            // Never a higher error than the iteration before: else the plain step from here on.
            if (relax_ == 1 || error(next) <= previous) break;
            relax_ = 1;
        }
        std::vector<double> moved(k, 0);
        for (int j = fixed_; j < k; ++j) moved[j] = std::sqrt(dist2(next[j], c_[j]));
        c_ = std::move(next);
        bool repaired = false;
        for (int j = fixed_; j < k; ++j)
            if (alive_[j] && (m_[j].w == 0 || duplicate_of_lower(j))) {
                repair(j);
                repaired = true;
            }
        if (repaired) return true;
        centres_moved(moved);
        return false;
    }

    // The centres moved by `moved`, with the labels kept: re-index them, loosen the bounds.
    void centres_moved(const std::vector<double>& moved) {
        index_.build(c_, alive_);
        measure_gaps();
        loosen_bounds(moved);
    }

    // Works out how far the bounds shift for the centres' moves; assign_bounded applies it to
    // each colour in its parallel pass. Hamerly lowers every colour's lower bound
    // by the largest move of any centre; at K = 256 a few centres still move by half a level
    // long after most have stopped, and that alone would send most colours back to a search.
    // Here a centre's move counts only for the colours of centres within `reach` of it (a few
    // times the gap to their nearest neighbour): every centre j other than a colour's own a is
    // either that near, and then at least (old lower bound - its move) from the colour, or at
    // least reach - d(colour, a) from it by the triangle inequality.
    void loosen_bounds(const std::vector<double>& moved) {
        const std::size_t k = c_.size();
        std::vector<double> reach(k), near_move(k, 0);
        for (std::size_t a = 0; a < k; ++a) {
            reach[a] = reach_gaps * half_gap_[a];
            if (alive_[a]) near_move[a] = index_.largest_move_within(int(a), reach[a], moved);
        }
        // Hamerly's own rule, the largest move of any other centre, is the better bound for
        // colours far from every centre, for which `reach` says little.
        std::size_t top = 0;
        for (std::size_t j = 1; j < k; ++j)
            if (moved[j] > moved[top]) top = j;
        double runner_up = 0;
        for (std::size_t j = 0; j < k; ++j)
            if (j != top) runner_up = std::max(runner_up, moved[j]);
        shift_.resize(k);
        for (std::size_t a = 0; a < k; ++a)
            shift_[a] = {moved[a], a == top ? runner_up : moved[top], near_move[a], reach[a]};
        shift_pending_ = true;
    }

    // How the bounds of a colour of centre a change (see loosen_bounds).
    struct Shift {
        double own;  // a's move
        double any;  // the largest move of any other centre
        double near; // the largest move of the others within reach of a
        double reach;
        double lower(double bound, double upper) const {
            return std::max(bound - any, std::min(bound - near, reach - upper)) - slack;
        }
    };

    void loosen(std::size_t i) {
        const Shift& s = shift_[std::size_t(label_[i])];
        upper_[i] += s.own + slack;
        lower_[i] = s.lower(lower_[i], upper_[i]);
        third_[i] = s.lower(third_[i], upper_[i]);
    }

    bool duplicate_of_lower(int j) const {
        for (int q = 0; q < j; ++q)
            if (alive_[q] && c_[q] == c_[j]) return true;
        return false;
    }

    // Re-seeds cluster j at the colour with the largest weighted error whose (snapped) colour is
    // no centre yet and is nearer to it than its own centre. Its members, if any, join the lowest
    // cluster with the same centre. Without such a colour the slot is retired.
    void repair(int j) {
        int twin = -1;
        for (int q = 0; q < int(c_.size()) && twin < 0; ++q)
            if (q != j && alive_[q] && c_[q] == c_[j]) twin = q;
        if (twin >= 0)
            for (std::size_t i = 0; i < p_.x.size(); ++i)
                if (label_[i] == j) label_[i] = twin;
        alive_[j] = 0;
        std::size_t pick = p_.x.size();
        double worst = 0;
        Vec pick_at{};
        for (std::size_t i = 0; i < p_.x.size(); ++i) {
            const Vec at = snap_ ? snap_->snap(p_.x[i]) : p_.x[i];
            const double own = dist2(p_.x[i], c_[label_[i]]);
            if (dist2(p_.x[i], at) >= own) continue;
            const double gain = p_.weight(i) * own;
            if (gain > worst && !is_centre(at)) worst = gain, pick = i, pick_at = at;
        }
        if (pick < p_.x.size()) {
            c_[j] = pick_at;
            alive_[j] = 1;
            label_[pick] = j;
        }
        rebuild_sums();
    }

    bool is_centre(const Vec& v) const {
        for (std::size_t q = 0; q < c_.size(); ++q)
            if (alive_[q] && c_[q] == v) return true;
        return false;
    }

    // Weighted squared error of the current labels against `centres`, from the cluster
    // moments: sum of w|x|^2 - 2 c.S + W|c|^2.
    double error(const std::vector<Vec>& centres) const {
        double e = total_s2_;
        for (std::size_t j = 0; j < centres.size(); ++j) {
            if (!alive_[j]) continue;
            const Vec& c = centres[j];
            const Moments& m = m_[j];
            for (int ch = 0; ch < 3; ++ch)
                e += c[ch] * (double(m.w) * c[ch] - 2.0 * double(m.s[ch]));
        }
        return std::max(e, 0.0);
    }

    const Points& p_;
    int threads_;
    int fixed_;
    double relax_;
    CentreIndex index_;
    const Space* snap_ = nullptr;
    std::vector<Vec> c_;
    std::vector<int> alive_;
    std::vector<int> label_;
    std::vector<double> upper_, lower_, third_;
    std::vector<int> second_;
    bool labelled_ = false; // label_ holds a live centre for every colour (after assign_all)
    std::vector<double> half_gap_;
    std::vector<Shift> shift_; // for each centre, by loosen_bounds
    bool shift_pending_ = false;
    std::vector<Moments> m_;
    double total_s2_ = 0;
};
} // namespace kpal::kmeans
