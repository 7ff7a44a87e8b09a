// The helpers kpal's commands share: usage errors and argument parsing.
#include "cli.h"

#include <cctype>
#include <charconv>
#include <iostream>

namespace po = boost::program_options;

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

std::string base_name(const std::string& path) {
    return path.substr(path.find_last_of('/') + 1);
}

// Boost's own messages are built by substituting the user's text into a template, which loops
// forever when that text holds a placeholder such as "%value%" (found by fuzzing): kpal words
// the messages itself from the error's type and option name.
std::string describe(const po::error& e) {
    const auto* named = dynamic_cast<const po::error_with_option_name*>(&e);
    const std::string option = named ? named->get_option_name() : "";
    if (dynamic_cast<const po::unknown_option*>(&e)) return "unrecognised option '" + option + "'";
    if (dynamic_cast<const po::invalid_option_value*>(&e) ||
        dynamic_cast<const po::validation_error*>(&e))
        return "the value given to " + option + " is not valid";
    if (dynamic_cast<const po::multiple_occurrences*>(&e))
        return option + " is given more than once";
    if (dynamic_cast<const po::ambiguous_option*>(&e)) return "'" + option + "' is ambiguous";
    if (const auto* syntax = dynamic_cast<const po::invalid_command_line_syntax*>(&e)) {
        if (syntax->kind() == po::invalid_syntax::missing_parameter)
            return option + " needs a value";
        if (syntax->kind() == po::invalid_syntax::extra_parameter)
            return option + " takes no value";
    }
    return "the command line is not valid" + (option.empty() ? std::string() : " at " + option);
}

std::optional<int> parse(const std::vector<std::string>& args,
                         const po::options_description& options, const char* positional,
                         int positional_max, const std::string& command, po::variables_map& vm) {
    po::positional_options_description positionals;
    positionals.add(positional, positional_max);
    try {
        po::store(po::command_line_parser(args).options(options).positional(positionals).run(), vm);
        po::notify(vm);
    } catch (const po::too_many_positional_options_error&) {
        std::string name = positional;
        for (char& c : name) c = char(std::toupper(static_cast<unsigned char>(c)));
        return usage_error(command + " takes " + (positional_max == 1 ? "one " : "") + name,
                           command);
    } catch (const po::error& e) {
        return usage_error(describe(e), command);
    }
    return std::nullopt;
}

} // namespace kpal::cli
