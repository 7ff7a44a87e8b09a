// The kpal program: parses the command line, runs the pipeline, and turns every failure into one
// line on stderr and a documented exit status.
#include "kpal/convert.h"
#include "kpal/emit.h"
#include "kpal/error.h"
#include "kpal/load.h"
#include "kpal/metrics.h"
#include "kpal/output.h"
#include "kpal/preview.h"
#include "kpal/target.h"
#include "kpal/version.h"

#include <boost/program_options.hpp>

#include <charconv>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

namespace po = boost::program_options;

namespace {

constexpr const char* overview =
    R"(kpal turns 24-bit images into indexed pixel data and a palette in the exact
format a display wants (VGA modes, SPI LCD panels, ...), as a C header or binaries.

Usage:
  kpal convert IMAGE -t TARGET -o OUTPUT [options]   convert one PNG or JPEG image
  kpal targets [--names]                             list the built-in targets
  kpal --help | --version
  kpal convert --help                                the options of convert

Examples:
  kpal convert photo.jpg -t vga-mode13h -o photo.h --preview photo-vga.png
  kpal convert logo.png -t st7735-4bpp -k 8 -o logo.bin      (writes logo.bin and logo.pal)
  kpal convert art.png -t targets/my-panel.ini -o art.h --stats

Exit status: 0 done; 1 wrong usage (unknown option, -k out of range, missing argument);
2 bad input (missing, unreadable or corrupt image, unknown or malformed target);
3 an output could not be written. On any failure no output file is created or changed.
)";

constexpr const char* convert_usage = R"(Usage: kpal convert IMAGE -t TARGET -o OUTPUT [options]

Designs a palette of at most K colours for IMAGE (PNG or JPEG) by k-means clustering, snapped
to the colours TARGET's display can show, maps every pixel to its nearest entry, and writes the
pixels in TARGET's framebuffer layout and the palette in TARGET's format.

)";

int fail(int status, const std::string& message) {
    std::cerr << "kpal: " << message << "\n";
    return status;
}

int usage_error(const std::string& message, const std::string& help_command) {
    return fail(1, message + " (see 'kpal " + help_command + "--help')");
}

std::string base_name(const std::string& path) {
    return path.substr(path.find_last_of('/') + 1);
}

int run_targets(const std::vector<std::string>& args) {
    if (args == std::vector<std::string>{"--names"}) {
        for (const std::string& name : kpal::builtin_target_names())
            std::printf("%s\n", name.c_str());
        return 0;
    }
    if (!args.empty()) return usage_error("targets takes no argument but --names", "");
    std::printf("%-14s %-9s %-4s %-11s %-18s %s\n", "target", "screen", "bpp", "layout", "palette",
                "description");
    for (const std::string& name : kpal::builtin_target_names()) {
        const kpal::Target t = kpal::load_target(name);
        const std::string screen =
            std::to_string(t.screen_width) + "x" + std::to_string(t.screen_height);
        const std::string palette =
            std::to_string(t.palette_size) + " x " + std::string(t.palette_format->name);
        std::printf("%-14s %-9s %-4d %-11s %-18s %s\n", name.c_str(), screen.c_str(), t.bpp,
                    std::string(t.layout->name).c_str(), palette.c_str(), t.description.c_str());
    }
    std::printf("\nA profile file (see targets/*.ini) can be given to -t as a path instead.\n");
    return 0;
}

int run_convert(const std::vector<std::string>& args) {
    std::string input, target_name, output, format_name, symbol, preview, space_name = "rgb";
    int colors = 0, threads = 0;
    std::string seed_text = "0";
    po::options_description visible("Options");
    visible.add_options()("help,h", "show this help")(
        "target,t", po::value(&target_name)->value_name("TARGET"),
        "a built-in target (see 'kpal targets') or the path of a profile file")(
        "colors,k", po::value(&colors)->value_name("K"),
        "palette entries to design, 1..the target's palette size (default: all of them)")(
        "colorspace", po::value(&space_name)->value_name("rgb|oklab"),
        "where k-means measures colour differences: rgb (default; what PSNR measures) or oklab "
        "(perceptual: closer to what the eye sees)")(
        "seed", po::value(&seed_text)->value_name("N"),
        "0 (default) starts k-means from variance-minimising splits; any other N from k-means++ "
        "draws made with N. The same N always gives the same bytes")(
        "threads", po::value(&threads)->value_name("N"),
        "threads for palette design (default: every core); the output does not depend on it")(
        "output,o", po::value(&output)->value_name("OUTPUT"), "the file to write")(
        "format", po::value(&format_name)->value_name("c|bin"),
        "c: one C header with both arrays (default; also for a .h name);\n"
        "bin: the framebuffer bytes in OUTPUT and the palette bytes beside it with the suffix "
        ".pal (default for a .bin name)")(
        "name", po::value(&symbol)->value_name("SYMBOL"),
        "C name of the arrays (default: from OUTPUT's file name)")(
        "preview", po::value(&preview)->value_name("FILE.png"),
        "also write an indexed PNG of exactly what the display will show")(
        "stats", "print colours used, MSE, PSNR and time taken")("quiet,q",
                                                                 "print nothing but errors");
    po::options_description all;
    all.add(visible).add_options()("image", po::value(&input));
    po::positional_options_description positional;
    positional.add("image", 1);

    po::variables_map vm;
    try {
        po::store(po::command_line_parser(args).options(all).positional(positional).run(), vm);
        po::notify(vm);
    } catch (const po::too_many_positional_options_error&) {
        return usage_error("convert takes one IMAGE", "convert ");
    } catch (const po::error& e) {
        return usage_error(e.what(), "convert ");
    }
    if (vm.count("help")) {
        std::cout << convert_usage << visible;
        return 0;
    }
    if (input.empty()) return usage_error("convert needs an IMAGE", "convert ");
    if (target_name.empty()) return usage_error("convert needs -t TARGET", "convert ");
    if (output.empty()) return usage_error("convert needs -o OUTPUT", "convert ");
    if (!symbol.empty() && !kpal::is_c_identifier(symbol))
        return usage_error("--name " + symbol + " is not a C identifier", "convert ");
    const kpal::OutputFormat format = format_name.empty() ? kpal::format_for_path(output)
                                                          : kpal::parse_output_format(format_name);
    if (symbol.empty()) symbol = kpal::symbol_from_path(output);
    const bool quiet = vm.count("quiet") > 0;

    const auto start = std::chrono::steady_clock::now();
    const kpal::Target target = kpal::load_target(target_name);
    kpal::ConvertOptions options;
    if (vm.count("colors")) options.colors = colors;
    const auto [seed_end, seed_error] =
        std::from_chars(seed_text.data(), seed_text.data() + seed_text.size(), options.seed);
    if (seed_error != std::errc() || seed_end != seed_text.data() + seed_text.size())
        return usage_error("--seed " + seed_text + " is not a whole number from 0 to 2^64-1",
                           "convert ");
    options.threads = threads;
    const auto space = kpal::parse_color_space(space_name);
    if (!space)
        return usage_error("--colorspace " + space_name + " is not one of: rgb, oklab", "convert ");
    if (threads < 0) return usage_error("--threads must be 0 or more", "convert ");
    options.space = *space;
    const int k = kpal::palette_colors(target, options); // usage errors before the slow work
    const kpal::Image image = kpal::load_image(input);
    const kpal::Conversion result = kpal::convert(image, target, options);

    kpal::OutputSet outputs;
    std::vector<std::string> written{output};
    if (format == kpal::OutputFormat::c) {
        const kpal::Provenance provenance{base_name(input), "-t " + target.name + " -k " +
                                                                std::to_string(k) + " --name " +
                                                                symbol};
        outputs.add(output, kpal::emit_c_header(result, target, symbol, provenance));
    } else {
        outputs.add(output, result.pixel_bytes);
        written.push_back(kpal::palette_path_for(output));
        outputs.add(written.back(), result.palette_bytes);
    }
    if (!preview.empty()) {
        outputs.add(preview, kpal::encode_preview_png(result.indexed, result.shown_palette));
        written.push_back(preview);
    }
    outputs.commit();
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

    if (!quiet) {
        std::string names;
        for (const std::string& w : written) names += (names.empty() ? "" : ", ") + w;
        std::printf("kpal: %s -> %s (%dx%d, %d colours, target %s)\n", input.c_str(), names.c_str(),
                    image.width, image.height, result.colors_used, target.name.c_str());
    }
    if (vm.count("stats")) {
        const kpal::Quality q = kpal::measure(image, result.indexed, result.shown_palette);
        std::printf("colours used: %d\n", result.colors_used);
        std::printf("MSE: %.4f\n", q.mse);
        std::printf("PSNR: %.4f dB\n", q.psnr);
        std::printf("time: %.3f s\n", seconds);
    }
    return 0;
}

int run(int argc, char** argv) {
    const std::vector<std::string> args(argv + 1, argv + argc);
    if (args.empty()) {
        std::cerr << overview;
        return 1;
    }
    const std::string& command = args[0];
    if (command == "--help" || command == "-h" || command == "help") {
        std::cout << overview;
        return 0;
    }
    if (command == "--version") {
        std::cout << "kpal " KPAL_VERSION_STRING "\n";
        return 0;
    }
    if (command == "targets") return run_targets({args.begin() + 1, args.end()});
    if (command == "convert") return run_convert({args.begin() + 1, args.end()});
    return usage_error("unknown command '" + command + "'", "");
}

} // namespace

int main(int argc, char** argv) {
    try {
        return run(argc, argv);
    } catch (const kpal::Error& e) {
        if (e.kind() == kpal::ErrorKind::usage)
            return usage_error(e.what(), argc > 1 ? std::string(argv[1]) + " " : std::string());
        return fail(int(e.kind()), e.what());
    } catch (const std::bad_alloc&) {
        return fail(2, "out of memory");
    } catch (const std::exception& e) {
        return fail(4, std::string("internal error: ") + e.what());
    }
}
