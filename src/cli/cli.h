// What the program's commands share: their entry points, usage errors and small parsers.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kpal::cli {

// Each command takes the arguments after its name and returns the exit status.
int convert_command(const std::vector<std::string>& args);
int preview_command(const std::vector<std::string>& args);
int targets_command(const std::vector<std::string>& args);
int options_command(const std::vector<std::string>& args);
int studio_command(const std::vector<std::string>& args);

// Prints "kpal: MESSAGE (see 'kpal COMMAND --help')" and returns 1, the usage exit status.
int usage_error(const std::string& message, const std::string& command);

// Parses "WxH" with both numbers 1..65535.
std::optional<std::pair<int, int>> parse_size(const std::string& text);

// `text` as a JSON string, quoted and escaped.
std::string json_string(std::string_view text);

// The bytes of the file at `path`. Throws Error{input} naming it when it cannot be read.
std::vector<std::uint8_t> read_file(const std::string& path);

// The file name of a path, without its folders.
std::string base_name(const std::string& path);

} // namespace kpal::cli
