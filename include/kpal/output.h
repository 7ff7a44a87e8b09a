// Writing outputs so that a failure never leaves a partial file: every file of a job is written
// to an unnamed file in its own folder (O_TMPFILE, or a named temporary file where the file system
// has none), and all are named and renamed into place only when all are written. A run killed
// while writing leaves neither a partial output nor a temporary file.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace kpal {

class OutputSet {
  public:
    OutputSet() = default;
    OutputSet(const OutputSet&) = delete;
    OutputSet& operator=(const OutputSet&) = delete;
    ~OutputSet(); // removes temporary files not committed

    // Queues `bytes` to be written to `path`.
    void add(const std::string& path, std::vector<std::uint8_t> bytes);
    void add(const std::string& path, const std::string& text);

    // Writes every queued file beside its path, then renames them all into place. Throws
    // Error{output} naming the path; then no queued path has been touched.
    void commit();

    // The paths, as given to add(), of the regular files that commits made or replaced (not the
    // devices, pipes or sockets written in place; through /dev/stdout, the file it is open on):
    // what a depfile's rule names as outputs.
    const std::vector<std::string>& files() const { return files_; }

  private:
    void discard(); // closes and removes what commit() wrote, and the folders it made
    void make_folders(const std::string& path); // the missing folders of path, into folders_

    struct Pending {
        std::string path;
        std::vector<std::uint8_t> bytes;
        int fd = -1;      // the written file while it has no name, else -1
        std::string temp; // its temporary name, once it has one
    };
    std::vector<Pending> pending_;
    std::vector<std::string> files_;
    std::vector<std::string> folders_; // made by commit(), the outermost first
};

} // namespace kpal
