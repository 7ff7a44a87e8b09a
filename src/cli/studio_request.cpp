// kpal studio's conversion requests, checked against the option table (studio_request.h).
#include "studio_request.h"

#include "kpal/error.h"
#include "kpal/target.h"
#include "options.h"

#include <algorithm>
#include <set>
#include <sstream>

namespace kpal::cli {
namespace {

// The options the studio sets itself for every conversion, and those of several images or of
// animations (it converts one still picture): the page has no control for them.
const std::set<std::string_view> studio_owned = {
    "help", "output",      "preview", "sheet",          "stats",        "quiet", "depfile", "jobs",
    "name", "palette-out", "threads", "shared-palette", "shared-tiles", "tag",   "frames"};

// The convert row a word such as "--dither" names, or nullptr.
const Option* convert_row(const std::string& word) {
    for (const Option& o : option_table())
        if ((o.commands & Command::convert) && "--" + std::string(o.name) == word) return &o;
    return nullptr;
}

} // namespace

StudioRequest parse_studio_request(const std::string& body, std::span<const std::string> images,
                                   std::span<const std::string> files) {
    std::vector<std::string> lines;
    std::istringstream in(body);
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    if (lines.empty()) throw Error(ErrorKind::usage, "no image");
    StudioRequest out{lines[0], {}};
    if (std::find(images.begin(), images.end(), out.image) == images.end())
        throw Error(ErrorKind::usage, "not one of the studio's images");
    std::vector<std::string>& options = out.options;
    for (std::size_t i = 1; i < lines.size(); ++i) {
        const std::string& word = lines[i];
        const Option* row = convert_row(word);
        if (!row || studio_owned.count(row->name))
            throw Error(ErrorKind::usage, word + ": not an option the studio takes");
        options.push_back(word);
        if (row->type == Type::flag) continue;
        if (++i == lines.size()) throw Error(ErrorKind::usage, word + " needs a value");
        // A file is one of its built-in names or a file named to the studio, nothing else.
        if (row->type == Type::file) {
            const auto choices = choices_of(*row);
            if (std::none_of(choices.begin(), choices.end(),
                             [&](const Choice& c) { return c.name == lines[i]; }) &&
                std::find(files.begin(), files.end(), lines[i]) == files.end())
                throw Error(ErrorKind::usage,
                            word + " " + lines[i] +
                                ": not a built-in name or a file the studio was given");
        }
        options.push_back(lines[i]);
    }
    if (std::find(options.begin(), options.end(), "--target") == options.end())
        throw Error(ErrorKind::usage, "a request names no --target");
    return out;
}

std::vector<std::string> draft_options(const std::vector<std::string>& options) {
    std::vector<std::string> out;
    std::string target;
    for (std::size_t i = 0; i < options.size(); ++i) { // checked: each valued word has its value
        const bool valued = convert_row(options[i])->type != Type::flag;
        if (options[i] == "--target") target = options[i + 1];
        if (options[i] == "--effort" || options[i] == "--palettes") {
            ++i;
            continue;
        }
        out.push_back(options[i]);
        if (valued) out.push_back(options[++i]);
    }
    out.insert(out.end(), {"--effort", "1"});
    const Target t = load_target(target);
    if (t.tiles && t.tiles->map && t.tiles->banks > 1) out.insert(out.end(), {"--palettes", "1"});
    return out;
}

} // namespace kpal::cli
