// What the program's commands share: their entry points, usage errors and argument parsers.
#pragma once

#include <boost/program_options.hpp>

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace kpal::cli {

// Each command takes the arguments after its name and returns the exit status.
int convert_command(const std::vector<std::string>& args);
int preview_command(const std::vector<std::string>& args);
int targets_command(const std::vector<std::string>& args);

// Prints "kpal: MESSAGE (see 'kpal COMMAND --help')" and returns 1, the usage exit status.
int usage_error(const std::string& message, const std::string& command);

// Parses "WxH" with both numbers 1..65535.
std::optional<std::pair<int, int>> parse_size(const std::string& text);

// The file name of a path, without its folders.
std::string base_name(const std::string& path);

// Parses a command's arguments (options plus up to `positional_max` positionals named
// `positional`) into `vm`; returns an exit status for a usage error, or nothing when parsed.
std::optional<int> parse(const std::vector<std::string>& args,
                         const boost::program_options::options_description& options,
                         const char* positional, int positional_max, const std::string& command,
                         boost::program_options::variables_map& vm);

} // namespace kpal::cli
