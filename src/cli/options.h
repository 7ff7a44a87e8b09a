// The command-line options of kpal's commands as one table, a row an option: its name, value,
// help, check, the commands and the kinds of target that take it, and how it is recorded in the
// provenance comment of the files. The parser, the checks, each command's --help and
// `kpal options --json` (what kpal studio builds its controls from) all read this table.
#pragma once

#include "kpal/tiles.h"

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kpal {
struct OutputFormat;
struct Target;
} // namespace kpal

namespace kpal::cli {

// The commands that take options from the table (a bit each).
enum Command : unsigned { convert = 1, preview = 2 };

enum class Type {
    flag,   // no value
    whole,  // a whole number in [min, max]
    real,   // a number in [min, max]
    choice, // one of the row's choices
    text,   // free text, checked by the command
    file,   // a path read by the run
    size,   // WxH, or one of the row's choices ("screen")
    colour, // #RRGGBB, or one of the row's choices ("transparent")
    list,   // text, repeatable
};

// The targets an option goes with; any other refuses it.
enum class Fits {
    any,
    framebuffer, // targets without tiles
    map,         // tile hardware with a map (backgrounds)
    frames,      // sprite hardware, or an output format that cuts frames (Arduboy)
};

// How a row appears in the "Options:" line of the files' provenance comment.
enum class Record {
    no,      // it does not shape the bytes, or the command records it itself
    changed, // " --NAME VALUE" (a flag: " --NAME") when given and not the default
    file,    // " --NAME FILE-NAME" (the path's last part) when given
};

struct Choice {
    std::string name;
    std::string description; // "" when the row's help describes the choices
};

struct Option {
    std::string_view name; // the long name, without "--"
    char letter;           // the short name, or 0
    unsigned commands;     // the Command bits that take it
    std::string_view group;
    Type type;
    std::string_view value;    // the value's name in help ("K"); "" for a flag
    std::string_view fallback; // the default as it would be typed; "" when none or computed
    std::string_view help;
    double min = 0, max = 0;                    // whole and real: the range
    std::vector<Choice> (*choices)() = nullptr; // choice, size, colour: the words it takes
    Fits fits = Fits::any;
    std::string_view needs = {}; // the option it goes with: "fit", or "engine=fixed" for one value
    Record record = Record::no;
    // The value the option takes when given bare ("--dither" alone: "auto"); "" when it needs one.
    std::string_view implicit = {};

    // "-k" where there is a letter, else "--name": how messages name it.
    std::string shown() const;
};

// Every option of every command, in the order the provenance comment lists them.
std::span<const Option> option_table();

// "convert", "preview".
std::string command_name(Command command);

// The choices a row takes (none for rows without a list).
std::vector<Choice> choices_of(const Option& option);

// A command line parsed by the table: every value given has been checked against its row
// (numbers in range, choices known, sizes and colours well formed, needs met).
class Args {
  public:
    bool given(std::string_view name) const;
    // The value given, else the row's default ("" when it has none).
    std::string text(std::string_view name) const;
    std::uint64_t whole(std::string_view name) const;
    double real(std::string_view name) const;
    std::vector<std::string> list(std::string_view name) const;
    const std::vector<std::string>& positionals() const { return positionals_; }
    // Records the value a later step settled on ("screen" became "240x320", "platform" a
    // method), for the provenance comment; the option counts as given.
    void resolve(std::string_view name, std::string value);

  private:
    friend Args parse_command_line(Command, const std::vector<std::string>&, const char*, int);
    Command command_ = Command::convert;
    std::map<std::string, std::vector<std::string>, std::less<>> values_;
    std::vector<std::string> positionals_;
};

// Parses `args` with the rows of `command`, plus up to `positional_max` (-1: any number)
// positionals called `positional`; throws Error{usage} naming the option at fault.
Args parse_command_line(Command command, const std::vector<std::string>& args,
                        const char* positional, int positional_max);

// The options of `command` for --help, group by group in the order of their first rows.
std::string options_help(Command command);

// Refuses an option given for a target (or output format) its row does not fit.
void check_fits(const Args& args, Command command, const Target& target,
                const OutputFormat* format);

// The "Options:" words of the rows recorded as Record::changed or Record::file, in table order.
std::string recorded(const Args& args, Command command);

// The whole table as JSON, for kpal studio and scripts.
std::string options_json();

// The tile rows convert and preview share (--no-dedup, --tile-offset, --frame, ...).
TileOptions tile_options(const Args& args);

// Parses "#RRGGBB" (exactly); nothing otherwise.
std::optional<std::array<std::uint8_t, 3>> parse_hex_colour(std::string_view text);

} // namespace kpal::cli
