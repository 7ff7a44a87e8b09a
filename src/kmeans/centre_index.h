// The nearest-centre index of k-means (see the class comment). Internal to palette design.
#pragma once

#include "parallel.h"
#include "points.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

namespace kpal::kmeans {

// Exact search for the nearest centres of a colour, two ways. Centres are sorted by their
// projection on the data's principal axis; a query walks outwards from its own projection and
// stops on each side once the projection gap alone exceeds the distance it needs (|gap| <=
// distance, since the axis has unit length). A query that knows a centre a near it walks a's
// nearest other centres instead, nearest first, and stops once their distance from a exceeds
// d(colour, a) plus the distance it needs: every centre that near the colour is within that of a
// (triangle inequality). At K = 256 the ball around a holds far fewer centres than the slab
// around the projection: on kodim05, 580 instructions a search instead of 1380, and the first
// assignment, from the split boxes, a third of the projection walk's.
class CentreIndex {
  public:
    CentreIndex(const Vec& axis, int threads) : axis_(axis), threads_(threads) {}

    void build(const std::vector<Vec>& centres, const std::vector<int>& alive) {
        centres_ = &centres;
        order_.clear();
        for (std::size_t j = 0; j < centres.size(); ++j)
            if (alive[j]) order_.push_back({project(centres[j]), int(j)});
        std::sort(order_.begin(), order_.end(), [](const Key& a, const Key& b) {
            return a.at != b.at ? a.at < b.at : a.index < b.index;
        });
        build_neighbours(alive);
    }

    // The nearest centres to a colour: the nearest (the lowest index on a tie) and a second
    // nearest, with squared distances; d3 is the third nearest's (infinity where there is none),
    // found only when asked for.
    struct Nearest {
        int best = -1, second = -1;
        double d1 = std::numeric_limits<double>::infinity(), d2 = d1, d3 = d1;
    };

    Nearest search(const Vec& x, bool third = false) const {
        Nearest n;
        const double at = project(x);
        const int size = int(order_.size());
        int up = int(std::lower_bound(order_.begin(), order_.end(), at,
                                      [](const Key& k, double v) { return k.at < v; }) -
                     order_.begin());
        int down = up - 1;
        while (up < size || down >= 0) {
            if (up < size) {
                if (beyond(n, third, order_[up].at - at))
                    up = size;
                else
                    visit(n, x, order_[up++].index);
            }
            if (down >= 0) {
                if (beyond(n, third, at - order_[down].at))
                    down = -1;
                else
                    visit(n, x, order_[down--].index);
            }
        }
        return n;
    }

    // The same answer as search(x, third), walking out from live centre a.
    Nearest search_near(const Vec& x, int a, bool third = false) const {
        Nearest n;
        visit(n, x, a);
        const double from_a = std::sqrt(n.d1);
        const Neighbour* row = rows_.data() + std::size_t(a) * row_length_;
        for (std::size_t q = 0; q < row_length_; ++q) {
            const double gap = row[q].distance - from_a;
            if (gap > 0 && beyond(n, third, gap)) break;
            visit(n, x, row[q].index);
        }
        return n;
    }

    // The distance from live centre a to its nearest other centre (infinity when alone).
    double nearest_other(int a) const {
        return row_length_ ? rows_[std::size_t(a) * row_length_].distance
                           : std::numeric_limits<double>::infinity();
    }

    // The largest `moved` of the live centres other than a within `reach` of it.
    double largest_move_within(int a, double reach, const std::vector<double>& moved) const {
        double most = 0;
        const Neighbour* row = rows_.data() + std::size_t(a) * row_length_;
        for (std::size_t q = 0; q < row_length_ && row[q].distance < reach; ++q)
            most = std::max(most, moved[std::size_t(row[q].index)]);
        return most;
    }

  private:
    struct Key {
        double at;
        int index;
    };
    struct Neighbour {
        double distance;
        int index;
    };
    double project(const Vec& v) const {
        return v[0] * axis_[0] + v[1] * axis_[1] + v[2] * axis_[2];
    }

    void visit(Nearest& n, const Vec& x, int j) const {
        const double d = dist2(x, (*centres_)[std::size_t(j)]);
        if (d < n.d1 || (d == n.d1 && j < n.best)) {
            n.d3 = n.d2, n.d2 = n.d1, n.second = n.best, n.d1 = d, n.best = j;
        } else if (d < n.d2) {
            n.d3 = n.d2, n.d2 = d, n.second = j;
        } else if (d < n.d3) {
            n.d3 = d;
        }
    }
    // Whether a centre `gap` farther than the query's reach can be left out: beyond the second
    // nearest, or with `third` the third.
    static bool beyond(const Nearest& n, bool third, double gap) {
        const double stop = third ? n.d3 : n.d2;
        return gap * gap > stop * (1 + 1e-12) + 1e-9;
    }

    // Each live centre's row of the other live centres, nearest first. Centres move little
    // from one iteration to the next, so a row is re-sorted from its last order by insertion,
    // close to linear time; a change in which centres are alive sorts every row afresh.
    void build_neighbours(const std::vector<int>& alive) {
        const std::vector<Vec>& c = *centres_;
        const bool fresh = alive != rows_alive_;
        if (fresh) {
            rows_alive_ = alive;
            row_length_ = order_.empty() ? 0 : order_.size() - 1;
            rows_.assign(c.size() * row_length_, {});
        }
        // Rows are independent: chunks of them are sorted in parallel.
        parallel_for(
            order_.size(), threads_,
            [&](std::size_t begin, std::size_t end, std::size_t) {
                for (std::size_t r = begin; r < end; ++r) sort_row(order_[r].index, fresh);
            },
            rows_a_chunk);
    }

    // The fewest rows a thread sorts (fewer do not pay for starting it).
    static constexpr std::size_t rows_a_chunk = 64;

    // Lays out (when fresh) and sorts the row of centre a.
    void sort_row(int a, bool fresh) {
        const std::vector<Vec>& c = *centres_;
        Neighbour* row = rows_.data() + std::size_t(a) * row_length_;
        if (fresh) {
            std::size_t q = 0;
            for (const Key& j : order_)
                if (j.index != a) row[q++].index = j.index;
        }
        const Vec& at = c[std::size_t(a)];
        for (std::size_t q = 0; q < row_length_; ++q)
            row[q].distance = std::sqrt(dist2(at, c[std::size_t(row[q].index)]));
        if (fresh) {
            std::sort(row, row + row_length_, [](const Neighbour& p, const Neighbour& q) {
                return p.distance < q.distance;
            });
            return;
        }
        for (std::size_t q = 1; q < row_length_; ++q) { // insertion: the row is nearly sorted
            const Neighbour v = row[q];
            std::size_t r = q;
            for (; r > 0 && v.distance < row[r - 1].distance; --r) row[r] = row[r - 1];
            row[r] = v;
        }
    }

    Vec axis_;
    int threads_;
    const std::vector<Vec>* centres_ = nullptr;
    std::vector<Key> order_;
    std::vector<Neighbour> rows_; // row_length_ for each centre, by centre index
    std::size_t row_length_ = 0;  // the live centres but one
    std::vector<int> rows_alive_; // which centres were alive when the rows were laid out
};

} // namespace kpal::kmeans
