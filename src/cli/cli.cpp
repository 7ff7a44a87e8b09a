// The helpers kpal's commands share: usage errors, sizes, file names, reading a file.
#include "cli.h"
#include "kpal/error.h"

#include <charconv>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>

namespace kpal::cli {

int usage_error(const std::string& message, const std::string& command) {
    std::cerr << "kpal: " << message << " (see 'kpal " << command << (command.empty() ? "" : " ")
              << "--help')\n";
    return 1;
}

std::optional<std::pair<int, int>> parse_size(const std::string& text) {
    const std::size_t x = text.find('x');
    if (x == std::string::npos) return std::nullopt;
    int w = 0, h = 0;
    const char* end = text.data() + text.size();
    const auto a = std::from_chars(text.data(), text.data() + x, w);
    const auto b = std::from_chars(text.data() + x + 1, end, h);
    if (a.ec != std::errc() || a.ptr != text.data() + x || b.ec != std::errc() || b.ptr != end ||
        w < 1 || h < 1 || w > 65535 || h > 65535)
        return std::nullopt;
    return std::pair{w, h};
}

std::vector<std::uint8_t> read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw_input_error(path, "cannot open");
    std::ostringstream bytes;
    bytes << in.rdbuf();
    if (in.bad()) throw_input_error(path, "cannot read");
    const std::string s = bytes.str();
    return {s.begin(), s.end()};
}

std::string base_name(const std::string& path) {
    return path.substr(path.find_last_of('/') + 1);
}

std::string json_string(std::string_view text) {
    std::string out = "\"";
    for (const char c : text) {
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (c == '\n') {
            out += "\\n";
        } else if (static_cast<unsigned char>(c) < 0x20) {
            char escaped[8];
            std::snprintf(escaped, sizeof escaped, "\\u%04x", unsigned(c));
            out += escaped;
        } else {
            out += c;
        }
    }
    return out + "\"";
}

} // namespace kpal::cli
