// kpal studio's conversion requests: the page sends the image's listed path on the first line,
// then the options, a word a line. Everything in them is hostile until checked: the image must be
// one the studio lists, each option a row of the table the page may set, a file one of its
// built-in names or of the files named to the studio (the page reads no other file).
#pragma once

#include <span>
#include <string>
#include <vector>

namespace kpal::cli {

struct StudioRequest {
    std::string image;
    std::vector<std::string> options; // checked command-line words
};

// The request in `body`; throws Error{usage} naming what is wrong.
StudioRequest parse_studio_request(const std::string& body, std::span<const std::string> images,
                                   std::span<const std::string> files);

// A draft's options: the same with the fastest design (--effort 1) and, on tile hardware with
// several banks, one palette (replacing any --effort or --palettes given).
std::vector<std::string> draft_options(const std::vector<std::string>& options);

} // namespace kpal::cli
