// kpal studio's conversions as child processes (studio_jobs.h).
#include "studio_jobs.h"

#include "kpal/error.h"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <spawn.h>
#include <sstream>
#include <sys/wait.h>

extern char** environ;

namespace kpal::cli {
namespace {

constexpr std::size_t jobs_kept = 16;
const char* const out_name = ".out";
const char* const err_name = ".err";

std::string read_all(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

// Starts `program args...` in `folder` with its output in the folder's .out and .err.
pid_t spawn_in(const std::filesystem::path& program, const std::vector<std::string>& args,
               const std::filesystem::path& folder) {
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addchdir_np(&actions, folder.c_str());
    posix_spawn_file_actions_addopen(&actions, 1, out_name, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&actions, 2, err_name, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    std::vector<std::string> argv_text{program.string()};
    argv_text.insert(argv_text.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (std::string& a : argv_text) argv.push_back(a.data());
    argv.push_back(nullptr);
    pid_t pid = 0;
    const int failed = posix_spawn(&pid, program.c_str(), &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (failed)
        throw Error(ErrorKind::output,
                    program.string() + ": cannot start: " + std::strerror(failed));
    return pid;
}

} // namespace

StudioJobs::StudioJobs(std::filesystem::path program, std::filesystem::path root)
    : program_(std::move(program)), root_(std::move(root)) {}

JobResult StudioJobs::run(const std::vector<std::string>& args, std::uint64_t change) {
    JobResult result;
    pid_t pid = 0;
    {
        std::lock_guard lock(mutex_);
        result.id = next_++;
        result.folder = root_ / ("job-" + std::to_string(result.id));
        std::filesystem::create_directories(result.folder);
        for (const auto& [child, of] : running_)
            if (of < change) ::kill(child, SIGTERM); // the user has moved on
        pid = spawn_in(program_, args, result.folder);
        running_[pid] = change;
        kept_.push_back(result.id);
        while (kept_.size() > jobs_kept) {
            std::error_code ec;
            std::filesystem::remove_all(root_ / ("job-" + std::to_string(kept_.front())), ec);
            kept_.erase(kept_.begin());
        }
    }
    const auto start = std::chrono::steady_clock::now();
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    result.milliseconds =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    {
        std::lock_guard lock(mutex_);
        running_.erase(pid);
    }
    result.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    result.out = read_all(result.folder / out_name);
    result.err = read_all(result.folder / err_name);
    std::error_code ec;
    for (const auto& e : std::filesystem::directory_iterator(result.folder, ec)) {
        const std::string name = e.path().filename().string();
        if (e.is_regular_file() && !name.starts_with(".")) result.files.push_back(name);
    }
    std::sort(result.files.begin(), result.files.end());
    return result;
}

std::filesystem::path StudioJobs::folder_of(std::uint64_t id) {
    std::lock_guard lock(mutex_);
    if (std::find(kept_.begin(), kept_.end(), id) == kept_.end()) return {};
    return root_ / ("job-" + std::to_string(id));
}

void StudioJobs::stop() {
    std::lock_guard lock(mutex_);
    for (const auto& [child, change] : running_) ::kill(child, SIGTERM);
}

} // namespace kpal::cli
