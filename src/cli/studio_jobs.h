// kpal studio's conversions: each one the kpal program itself (`kpal convert ...`) run as a
// child process in a folder of its own, so that what the studio shows is made by exactly the
// command line it offers to copy. Each conversion belongs to a change the user made (a draft and
// the final result of one change run side by side); a newer change stops the conversions of the
// older ones still running (the user has moved on). The last jobs' folders are kept for their
// downloads.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <mutex>
#include <string>
#include <sys/types.h>
#include <vector>

namespace kpal::cli {

struct JobResult {
    std::uint64_t id = 0;
    int status = -1;      // the program's exit status; -1 when it was stopped by a newer job
    std::string out, err; // what it printed
    std::filesystem::path folder;
    std::vector<std::string> files; // what it wrote, by name, sorted
    double milliseconds = 0;
};

class StudioJobs {
  public:
    // `program` is the kpal executable; job folders go below `root`.
    StudioJobs(std::filesystem::path program, std::filesystem::path root);
    // Runs `kpal ARGS...` for change number `change` in a new job folder (relative paths land
    // there) and waits for it.
    JobResult run(const std::vector<std::string>& args, std::uint64_t change);
    // The folder of job `id` while it is kept, else an empty path.
    std::filesystem::path folder_of(std::uint64_t id);
    // Stops the running job, if any.
    void stop();

  private:
    std::filesystem::path program_, root_;
    std::mutex mutex_;
    std::uint64_t next_ = 1;
    std::map<pid_t, std::uint64_t> running_; // each running child's change
    std::vector<std::uint64_t> kept_;        // oldest first
};

} // namespace kpal::cli
