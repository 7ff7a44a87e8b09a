#include "kpal/output.h"

#include "kpal/error.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace kpal {
namespace {

[[noreturn]] void fail(const std::string& path, int err) {
    throw Error(ErrorKind::output, path + ": cannot write: " + std::strerror(err));
}

// Writes `bytes` to a new temporary file beside `path`; returns its name.
std::string write_temp(const std::string& path, const std::vector<std::uint8_t>& bytes) {
    std::string temp = path + ".kpal-XXXXXX";
    const int fd = ::mkstemp(temp.data());
    if (fd < 0) fail(path, errno);
    std::size_t done = 0;
    while (done < bytes.size()) {
        const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            const int err = n < 0 ? errno : ENOSPC;
            ::close(fd);
            ::unlink(temp.c_str());
            fail(path, err);
        }
        done += std::size_t(n);
    }
    // mkstemp makes the file 0600; outputs get the usual permissions.
    const mode_t mask = ::umask(0);
    ::umask(mask);
    if (::fchmod(fd, 0666 & ~mask) != 0 || ::fsync(fd) != 0 || ::close(fd) != 0) {
        const int err = errno;
        ::unlink(temp.c_str());
        fail(path, err);
    }
    return temp;
}

} // namespace

OutputSet::~OutputSet() {
    for (const Pending& p : pending_)
        if (!p.temp.empty()) ::unlink(p.temp.c_str());
}

void OutputSet::add(const std::string& path, std::vector<std::uint8_t> bytes) {
    pending_.push_back({path, std::move(bytes), {}});
}

void OutputSet::add(const std::string& path, const std::string& text) {
    add(path, std::vector<std::uint8_t>(text.begin(), text.end()));
}

void OutputSet::commit() {
    try {
        for (Pending& p : pending_) p.temp = write_temp(p.path, p.bytes);
    } catch (...) {
        for (Pending& p : pending_)
            if (!p.temp.empty()) ::unlink(p.temp.c_str()), p.temp.clear();
        throw;
    }
    for (Pending& p : pending_) {
        if (::rename(p.temp.c_str(), p.path.c_str()) != 0) fail(p.path, errno);
        p.temp.clear();
    }
    pending_.clear();
}

} // namespace kpal
