// `kpal options`: the option table itself, as a list for people or JSON for programs (kpal
// studio builds its controls from it).
#include "cli.h"
#include "options.h"

#include <cstdio>
#include <iostream>

namespace kpal::cli {

namespace {

constexpr const char* usage_text = R"(Usage: kpal options [--json]

Lists every option of 'kpal convert' and 'kpal preview': the commands that take it, its value,
its default and the targets it goes with (any; framebuffer; map: tile hardware with a map;
frames: sprite hardware or --format arduboy). With --json, the whole table for programs: for
each option its name, short name, commands, group, type (flag, whole, real, choice, text, file,
size, colour, list), value name, default, help, range, choices with their descriptions, the
targets, the option it needs, the output formats that honour it, and whether it repeats.
)";

} // namespace

int options_command(const std::vector<std::string>& args) {
    if (args == std::vector<std::string>{"--help"} || args == std::vector<std::string>{"-h"}) {
        std::cout << usage_text;
        return 0;
    }
    if (args == std::vector<std::string>{"--json"}) {
        std::cout << options_json();
        return 0;
    }
    if (!args.empty())
        return usage_error("options takes no argument but --json or --help", "options");
    std::printf("%-20s %-16s %-22s %-10s %s\n", "option", "commands", "value", "default",
                "targets");
    for (const Option& o : option_table()) {
        const std::string commands =
            std::string((o.commands & Command::convert) ? "convert " : "") +
            ((o.commands & Command::preview) ? "preview" : "");
        const char* fits[] = {"any", "framebuffer", "map", "frames"};
        std::printf("%-20s %-16s %-22s %-10s %s\n", ("--" + std::string(o.name)).c_str(),
                    commands.c_str(), std::string(o.value).c_str(), std::string(o.fallback).c_str(),
                    fits[int(o.fits)]);
    }
    return 0;
}

} // namespace kpal::cli
