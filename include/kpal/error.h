// kpal::Error: the one exception type of the library. Its kind decides the program's exit status.
#pragma once

#include <stdexcept>
#include <string>

namespace kpal {

enum class ErrorKind {
    usage = 1,  // the caller asked for something impossible (option out of range, bad name)
    input = 2,  // an input file is missing, unreadable, corrupt or malformed
    output = 3, // an output file could not be written
};

class Error : public std::runtime_error {
  public:
    Error(ErrorKind kind, const std::string& message) : std::runtime_error(message), kind_(kind) {}
    ErrorKind kind() const { return kind_; }

  private:
    ErrorKind kind_;
};

// Throws Error{ErrorKind::input, "<file>: <problem>"}.
[[noreturn]] void throw_input_error(const std::string& file, const std::string& problem);

} // namespace kpal
