// The hardware rules live in tables of rows with a `name`; this finds a row by it.
#pragma once

#include <span>
#include <string_view>

namespace kpal {

// The row of `rows` called `name`, or nullptr when there is none.
template <class Row> const Row* find_row(std::span<const Row> rows, std::string_view name) {
    for (const Row& row : rows)
        if (row.name == name) return &row;
    return nullptr;
}

} // namespace kpal
