// Writing outputs so that a failure never leaves a partial file: every file of a job is written
// to a temporary file in its own folder, and all are renamed into place only when all are written.
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

    // Writes every queued file to a temporary beside it, then renames them all into place.
    // Throws Error{output} naming the path; then no queued path has been touched.
    void commit();

  private:
    struct Pending {
        std::string path;
        std::vector<std::uint8_t> bytes;
        std::string temp;
    };
    std::vector<Pending> pending_;
};

} // namespace kpal
