// `kpal targets`: the built-in targets, as a table or as bare names for scripts.
#include "cli.h"
#include "kpal/target.h"

#include <algorithm>
#include <cstdio>

namespace kpal::cli {

int targets_command(const std::vector<std::string>& args) {
    if (args == std::vector<std::string>{"--help"} || args == std::vector<std::string>{"-h"}) {
        std::printf("Usage: kpal targets [--names]\n\n"
                    "Lists the built-in targets: name, screen size, bits a pixel, pixel layout (or "
                    "tile format),\npalette (entries x format) and a description. With --names, "
                    "only the names, one a line,\nfor scripts. Any of them goes to 'kpal convert "
                    "-t NAME'; so does the path of a profile\nfile written like targets/*.ini.\n");
        return 0;
    }
    if (args == std::vector<std::string>{"--names"}) {
        for (const std::string& name : builtin_target_names()) std::printf("%s\n", name.c_str());
        return 0;
    }
    if (!args.empty())
        return usage_error("targets takes no argument but --names or --help", "targets");
    int width = 6; // the name column fits the longest name
    for (const std::string& name : builtin_target_names())
        width = std::max(width, int(name.size()));
    std::printf("%-*s %-8s %-4s %-11s %-17s %s\n", width, "target", "screen", "bpp", "layout",
                "palette", "description");
    for (const std::string& name : builtin_target_names()) {
        const Target t = load_target(name);
        const std::string screen =
            t.screen_width ? std::to_string(t.screen_width) + "x" + std::to_string(t.screen_height)
                           : "any";
        const std::string palette =
            std::to_string(t.palette_size) + " x " + std::string(t.palette_format->name);
        // Tile hardware shows its tile format where a framebuffer shows its layout.
        const std::string_view layout = t.tiles    ? t.tiles->format->name
                                        : t.screen ? t.screen->name
                                                   : t.layout->name;
        std::printf("%-*s %-8s %-4d %-11s %-17s %s\n", width, name.c_str(), screen.c_str(), t.bpp,
                    std::string(layout).c_str(), palette.c_str(), t.description.c_str());
    }
    std::printf("\nA profile file (see targets/*.ini) can be given to -t as a path instead.\n");
    return 0;
}

} // namespace kpal::cli
