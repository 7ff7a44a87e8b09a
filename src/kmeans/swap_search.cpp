#include "swap_search.h"

#include "lloyd.h"

namespace kpal::kmeans {

std::vector<Vec> swap_search(const Points& grid, std::vector<Vec> centres, int fixed, int trials,
                             Random& random) {
    std::vector<double> trace;
    int iterations = 0;
    Lloyd converge(grid, std::move(centres), 1, fixed);
    converge.run(nullptr, iteration_cap, trace, iterations);
    std::vector<Vec> best = converge.live_centres();
    double best_error = trace.back();
    std::vector<double> cumulative(grid.size());
    double total = 0;
    for (std::size_t i = 0; i < grid.size(); ++i) cumulative[i] = total += grid.weight(i);
    for (int t = 0; t < trials && best.size() > std::size_t(fixed); ++t) {
        std::vector<Vec> trial = best;
        const std::size_t moved =
            std::size_t(fixed) + random.below(trial.size() - std::size_t(fixed));
        trial[moved] = grid.x[pick(cumulative, random.unit() * total)];
        Lloyd lloyd(grid, std::move(trial), 1, fixed);
        trace.clear();
        lloyd.run(nullptr, 2, trace, iterations);
        if (trace.back() < best_error) best_error = trace.back(), best = lloyd.live_centres();
    }
    return best;
}

} // namespace kpal::kmeans
