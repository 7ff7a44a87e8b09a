#include "progress.h"

#include <cstdio>
#include <unistd.h>

namespace kpal::cli {

Progress::Progress(std::string what, bool enabled, std::chrono::milliseconds after)
    : what_(std::move(what)), after_(after) {
    if (enabled && ::isatty(STDERR_FILENO)) thread_ = std::thread([this] { run(); });
}

Progress::~Progress() {
    {
        std::lock_guard lock(mutex_);
        stop_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
    clear();
}

void Progress::stage(const std::string& stage) {
    std::lock_guard lock(mutex_);
    if (!stage_.empty()) done_ += (done_.empty() ? "" : ", ") + stage_;
    stage_ = stage;
}

void Progress::clear() {
    std::lock_guard lock(mutex_);
    if (shown_) std::fprintf(stderr, "\r\033[K");
    shown_ = false;
}

void Progress::run() {
    std::unique_lock lock(mutex_);
    while (!wake_.wait_for(lock, std::chrono::milliseconds(250), [this] { return stop_; })) {
        const auto elapsed = std::chrono::steady_clock::now() - start_;
        if (elapsed < after_ || stage_.empty()) continue;
        std::fprintf(stderr, "\r\033[Kkpal: %s: %s%s%s%s %.1f s", what_.c_str(), stage_.c_str(),
                     done_.empty() ? "" : " (", done_.c_str(), done_.empty() ? "" : " done)",
                     std::chrono::duration<double>(elapsed).count());
        std::fflush(stderr);
        shown_ = true;
    }
}

} // namespace kpal::cli
