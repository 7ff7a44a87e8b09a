// The hardware rules live in tables of rows with a `name`; this finds a row by it.
#pragma once

#include <algorithm>
#include <numeric>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kpal {

// The row of `rows` called `name`, or nullptr when there is none.
template <class Row> const Row* find_row(std::span<const Row> rows, std::string_view name) {
    for (const Row& row : rows)
        if (row.name == name) return &row;
    return nullptr;
}

// The value called `name` in a table of (name, value) pairs, or nothing.
template <class T, std::size_t N>
std::optional<T> value_named(const std::pair<std::string_view, T> (&rows)[N],
                             std::string_view name) {
    for (const auto& [text, value] : rows)
        if (text == name) return value;
    return std::nullopt;
}

// The names of a table of (name, value) pairs, in order.
template <class T, std::size_t N>
std::vector<std::string_view> names_of(const std::pair<std::string_view, T> (&rows)[N]) {
    std::vector<std::string_view> out;
    for (const auto& row : rows) out.push_back(row.first);
    return out;
}

// The edit distance (insertions, deletions, substitutions) between two names.
inline std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> row(b.size() + 1);
    std::iota(row.begin(), row.end(), std::size_t(0));
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t above = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] != b[j - 1])});
            diagonal = above;
        }
    }
    return row[b.size()];
}

// Of `names`, the one a mistyped `name` most likely meant: the nearest by edit distance when it
// is at most a third of the name's length (at least 1), or one that contains `name` or that
// `name` contains; "" when none is close. Ties go to the first.
inline std::string closest_name(std::string_view name, std::span<const std::string> names) {
    std::string best;
    std::size_t best_distance = std::max<std::size_t>(1, name.size() / 3) + 1;
    for (const std::string& candidate : names) {
        const std::size_t d = edit_distance(name, candidate);
        if (d < best_distance) best = candidate, best_distance = d;
    }
    if (!best.empty() || name.size() < 3) return best;
    for (const std::string& candidate : names)
        if (candidate.find(name) != std::string::npos || name.find(candidate) != std::string::npos)
            return candidate;
    return "";
}

} // namespace kpal
