// A progress line for a conversion that runs long, on a terminal only.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

namespace kpal::cli {

// Once a conversion has run `after`, shows on stderr (when it is a terminal) which stage is
// running and for how long, "kpal: photo.jpg: design (load, histogram done) 3.2 s", rewritten
// in place every quarter second, and clears it at the end. Prints nothing for quick runs,
// pipes or files, so outputs and logs never depend on it.
class Progress {
  public:
    Progress(std::string what, bool enabled,
             std::chrono::milliseconds after = std::chrono::milliseconds(2000));
    Progress(const Progress&) = delete;
    Progress& operator=(const Progress&) = delete;
    ~Progress();

    // `stage` has begun (the one before it is done).
    void stage(const std::string& stage);

    // Clears the line, before the program prints something else to the terminal.
    void clear();

  private:
    void run();

    std::string what_, stage_, done_;
    std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
    std::chrono::milliseconds after_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stop_ = false, shown_ = false;
    std::thread thread_;
};

} // namespace kpal::cli
