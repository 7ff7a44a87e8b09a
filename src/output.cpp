#include "kpal/output.h"

#include "kpal/error.h"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace kpal {
namespace {

[[noreturn]] void fail(const std::string& path, int err) {
    throw Error(ErrorKind::output, path + ": cannot write: " + std::strerror(err));
}

std::string folder_of(const std::string& path) {
    const std::size_t slash = path.find_last_of('/');
    if (slash == std::string::npos) return ".";
    return slash == 0 ? "/" : path.substr(0, slash);
}

// Writes all of `bytes` to fd; returns 0 or an errno value.
int write_all(int fd, const std::vector<std::uint8_t>& bytes) {
    std::size_t done = 0;
    while (done < bytes.size()) {
        const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return n < 0 ? errno : ENOSPC;
        done += std::size_t(n);
    }
    return 0;
}

// What an output path names now: nothing or a file (written beside it and renamed over it), a
// folder (an error), or a device, pipe or socket such as /dev/null or /dev/stdout (written in
// place: renaming a file over it would replace the device with a file).
enum class Target { file, folder, stream };

Target target_of(const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0 || S_ISREG(st.st_mode)) return Target::file;
    return S_ISDIR(st.st_mode) ? Target::folder : Target::stream;
}

// The file a path leads to: itself, or for a symbolic link to a file the file (so that the link
// stays a link, and /dev/stdout redirected to a file writes that file, not over /dev/stdout).
std::string file_behind(const std::string& path) {
    struct stat st {};
    if (::lstat(path.c_str(), &st) != 0 || !S_ISLNK(st.st_mode)) return path;
    char* real = ::realpath(path.c_str(), nullptr);
    if (!real) return path; // a dangling link: replaced like a file
    std::string out = real;
    std::free(real);
    return out;
}

// The name the caller knows a file written through `path` by: the path itself, except for the
// process's own descriptors (/dev/stdout, /dev/fd/N, /proc/self/fd/N), where it is the file the
// descriptor is open on: `kpal ... -o /dev/stdout > x.h` made x.h.
std::string known_name(const std::string& path) {
    const bool descriptor = path.starts_with("/dev/") || path.starts_with("/proc/");
    return descriptor ? file_behind(path) : path;
}

void write_stream(const std::string& path, const std::vector<std::uint8_t>& bytes) {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd < 0) fail(path, errno);
    const int err = write_all(fd, bytes);
    if (::close(fd) != 0 && !err) fail(path, errno);
    if (err) fail(path, err);
}

// Writes `bytes` to a file with no name in the folder of `path` (O_TMPFILE): a run killed while
// writing leaves nothing behind. Returns its descriptor, or -1 when the file system cannot make
// such files.
int write_unnamed(const std::string& path, const std::vector<std::uint8_t>& bytes) {
    const int fd = ::open(folder_of(path).c_str(), O_TMPFILE | O_WRONLY | O_CLOEXEC, 0666);
    if (fd < 0) {
        if (errno == EOPNOTSUPP || errno == EISDIR) return -1; // EISDIR: a kernel before 3.11
        fail(path, errno);
    }
    if (const int err = write_all(fd, bytes)) {
        ::close(fd);
        fail(path, err);
    }
    return fd;
}

// Gives the unnamed file fd a temporary name beside `path`; returns it, or "" when there is no
// /proc to name it through.
std::string name_unnamed(const std::string& path, int fd) {
    const std::string self = "/proc/self/fd/" + std::to_string(fd);
    for (int attempt = 0;; ++attempt) {
        std::string temp =
            path + ".kpal-" + std::to_string(::getpid()) + "-" + std::to_string(attempt);
        if (::linkat(AT_FDCWD, self.c_str(), AT_FDCWD, temp.c_str(), AT_SYMLINK_FOLLOW) == 0)
            return temp;
        if (errno == ENOENT && ::access(self.c_str(), F_OK) != 0) return {};
        if (errno != EEXIST || attempt == 100) fail(path, errno);
    }
}

// Writes `bytes` to a new named temporary file beside `path`; returns its name. For file systems
// without O_TMPFILE.
std::string write_named(const std::string& path, const std::vector<std::uint8_t>& bytes) {
    std::string temp = path + ".kpal-XXXXXX";
    const int fd = ::mkstemp(temp.data());
    if (fd < 0) fail(path, errno);
    // mkstemp makes the file 0600; outputs get the usual permissions.
    const mode_t mask = ::umask(0);
    ::umask(mask);
    int err = write_all(fd, bytes);
    if (!err && ::fchmod(fd, 0666 & ~mask) != 0) err = errno;
    if (::close(fd) != 0 && !err) err = errno;
    if (err) {
        ::unlink(temp.c_str());
        fail(path, err);
    }
    return temp;
}

} // namespace

OutputSet::~OutputSet() {
    discard();
}

void OutputSet::discard() {
    for (Pending& p : pending_) {
        if (p.fd >= 0) ::close(p.fd), p.fd = -1;
        if (!p.temp.empty()) ::unlink(p.temp.c_str()), p.temp.clear();
    }
    for (auto f = folders_.rbegin(); f != folders_.rend(); ++f) ::rmdir(f->c_str()); // if empty
    folders_.clear();
}

void OutputSet::make_folders(const std::string& path) {
    std::vector<std::string> missing; // the deepest first
    struct stat st {};
    for (std::string f = folder_of(path); ::stat(f.c_str(), &st) != 0 && errno == ENOENT;) {
        missing.push_back(f);
        const std::string up = folder_of(f);
        if (up == f) break;
        f = up;
    }
    for (auto f = missing.rbegin(); f != missing.rend(); ++f) {
        if (::mkdir(f->c_str(), 0777) != 0 && errno != EEXIST)
            throw Error(ErrorKind::output, path + ": cannot write: cannot make the folder " + *f +
                                               ": " + std::strerror(errno));
        folders_.push_back(*f);
    }
}

void OutputSet::add(const std::string& path, std::vector<std::uint8_t> bytes) {
    pending_.push_back({path, std::move(bytes), -1, {}});
}

void OutputSet::add(const std::string& path, const std::string& text) {
    add(path, std::vector<std::uint8_t>(text.begin(), text.end()));
}

void OutputSet::commit() {
    std::vector<Target> targets;
    std::vector<std::string> given;
    for (Pending& p : pending_) {
        targets.push_back(target_of(p.path));
        if (targets.back() == Target::folder) fail(p.path, EISDIR);
        if (targets.back() != Target::file) continue;
        given.push_back(known_name(p.path));
        p.path = file_behind(p.path);
    }
    try {
        // A file in a folder that does not exist yet gets the folder, as build systems expect
        // of a tool whose outputs they name; a failure removes the folders made.
        for (std::size_t i = 0; i < pending_.size(); ++i)
            if (targets[i] == Target::file) make_folders(pending_[i].path);
        for (std::size_t i = 0; i < pending_.size(); ++i) {
            Pending& p = pending_[i];
            if (targets[i] != Target::file) continue;
            p.fd = write_unnamed(p.path, p.bytes);
            if (p.fd < 0) p.temp = write_named(p.path, p.bytes);
        }
        // Every file is complete: only now do they get names, and then their own.
        for (Pending& p : pending_)
            if (p.fd >= 0) {
                p.temp = name_unnamed(p.path, p.fd);
                ::close(p.fd);
                p.fd = -1;
                if (p.temp.empty()) p.temp = write_named(p.path, p.bytes);
            }
        for (std::size_t i = 0; i < pending_.size(); ++i)
            if (targets[i] == Target::stream) write_stream(pending_[i].path, pending_[i].bytes);
    } catch (...) {
        discard();
        throw;
    }
    for (Pending& p : pending_) {
        if (p.temp.empty()) continue; // a stream, written above
        if (::rename(p.temp.c_str(), p.path.c_str()) != 0) fail(p.path, errno);
        p.temp.clear();
    }
    pending_.clear();
    folders_.clear();
    files_.insert(files_.end(), given.begin(), given.end());
}

} // namespace kpal
