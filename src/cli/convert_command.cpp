// `kpal convert`: one image through the whole pipeline into the chosen output format.
#include "cli.h"
#include "kpal/convert.h"
#include "kpal/emit.h"
#include "kpal/error.h"
#include "kpal/load.h"
#include "kpal/metrics.h"
#include "kpal/output.h"
#include "kpal/preview.h"
#include "kpal/resize.h"
#include "kpal/target.h"

#include <charconv>
#include <chrono>
#include <cstdio>
#include <iostream>

namespace po = boost::program_options;

namespace kpal::cli {
namespace {

constexpr const char* usage = R"(Usage: kpal convert IMAGE -t TARGET -o OUTPUT [options]

Designs a palette of at most K colours for IMAGE (PNG or JPEG) by k-means clustering, snapped
to the colours TARGET's display can show, maps every pixel to its nearest entry, and writes the
pixels in TARGET's framebuffer layout and the palette in TARGET's format.

)";

std::string format_help() {
    std::string text = "what to write (default: by OUTPUT's suffix, else c):";
    for (const OutputFormat& f : output_formats())
        text += "\n" + std::string(f.name) +
                (f.suffix.empty() ? "" : " (" + std::string(f.suffix) + ")") + ": " +
                std::string(f.description);
    return text;
}

} // namespace

int convert_command(const std::vector<std::string>& args) {
    std::string input, target_name, output, format_name, symbol, preview, space_name = "rgb";
    std::string seed_text = "0", resize_text, section;
    int colors = 0, threads = 0, align = 0;
    po::options_description visible("Options");
    visible.add_options()("help,h", "show this help")(
        "target,t", po::value(&target_name)->value_name("TARGET"),
        "a built-in target (see 'kpal targets') or the path of a profile file")(
        "output,o", po::value(&output)->value_name("OUTPUT"), "the file to write")(
        "colors,k", po::value(&colors)->value_name("K"),
        "palette entries to design, 1..the target's palette size (default: all of them)")(
        "resize", po::value(&resize_text)->value_name("WxH"),
        "scale the image to W x H pixels first (area average), e.g. to fit a screen")(
        "colorspace", po::value(&space_name)->value_name("rgb|oklab"),
        "where k-means measures colour differences: rgb (default; what PSNR measures) or oklab "
        "(perceptual: closer to what the eye sees)")(
        "seed", po::value(&seed_text)->value_name("N"),
        "0 (default) starts k-means from variance-minimising splits; any other N from k-means++ "
        "draws made with N. The same N always gives the same bytes")(
        "threads", po::value(&threads)->value_name("N"),
        "threads for palette design (default: every core); the output does not depend on it")(
        "format", po::value(&format_name)->value_name("FORMAT"), format_help().c_str())(
        "name", po::value(&symbol)->value_name("SYMBOL"),
        "C and assembler name of the data (default: from OUTPUT's file name)")(
        "section", po::value(&section)->value_name("NAME"),
        "c, c-source, asm: put the data in this linker section (GCC, GNU as, NASM)")(
        "progmem", "c, c-source: keep the data in flash on AVR (PROGMEM) when built by avr-gcc")(
        "align", po::value(&align)->value_name("N"),
        "c, c-source, asm: align the arrays to N bytes (a power of two)")(
        "preview", po::value(&preview)->value_name("FILE.png"),
        "also write an indexed PNG of exactly what the display will show")(
        "stats", "print colours used, MSE, PSNR and time taken")("quiet,q",
                                                                 "print nothing but errors");
    po::options_description all;
    all.add(visible).add_options()("image", po::value(&input));
    po::variables_map vm;
    if (const auto status = parse(args, all, "image", 1, "convert", vm)) return *status;
    if (vm.count("help")) {
        std::cout << usage << visible;
        return 0;
    }
    if (input.empty()) return usage_error("convert needs an IMAGE", "convert");
    if (target_name.empty()) return usage_error("convert needs -t TARGET", "convert");
    if (output.empty()) return usage_error("convert needs -o OUTPUT", "convert");
    if (!symbol.empty() && !is_c_identifier(symbol))
        return usage_error("--name " + symbol + " is not a C identifier", "convert");
    if (align < 0 || (align & (align - 1)) != 0)
        return usage_error("--align " + std::to_string(align) + " is not a power of two",
                           "convert");
    if (section.find_first_of("\"\\\n") != std::string::npos)
        return usage_error("--section must not contain quotes, backslashes or line ends",
                           "convert");
    std::optional<std::pair<int, int>> resize;
    if (!resize_text.empty() && !(resize = parse_size(resize_text)))
        return usage_error("--resize " + resize_text + " is not WxH (for example 320x200)",
                           "convert");
    const OutputFormat& format =
        format_name.empty() ? format_for_path(output) : find_output_format(format_name);
    if (symbol.empty()) symbol = symbol_from_path(output);

    ConvertOptions options;
    if (vm.count("colors")) options.colors = colors;
    const auto [seed_end, seed_error] =
        std::from_chars(seed_text.data(), seed_text.data() + seed_text.size(), options.seed);
    if (seed_error != std::errc() || seed_end != seed_text.data() + seed_text.size())
        return usage_error("--seed " + seed_text + " is not a whole number from 0 to 2^64-1",
                           "convert");
    const auto space = parse_color_space(space_name);
    if (!space)
        return usage_error("--colorspace " + space_name + " is not one of: rgb, oklab", "convert");
    if (threads < 0) return usage_error("--threads must be 0 or more", "convert");
    options.space = *space;
    options.threads = threads;

    const auto start = std::chrono::steady_clock::now();
    const Target target = load_target(target_name);
    const int k = palette_colors(target, options); // usage errors before the slow work
    Image image = load_image(input);
    if (resize) image = resize_area(image, resize->first, resize->second);
    const Conversion result = convert(image, target, options);

    std::string shaping = "-t " + target.name + " -k " + std::to_string(k);
    if (resize) shaping += " --resize " + resize_text;
    if (options.space != ColorSpace::rgb) shaping += " --colorspace " + space_name;
    if (options.seed != 0) shaping += " --seed " + std::to_string(options.seed);
    const EmitRequest request{result,
                              target,
                              symbol,
                              Provenance{base_name(input), shaping + " --name " + symbol},
                              CodeOptions{section, vm.count("progmem") > 0, align},
                              output};
    OutputSet outputs;
    std::string written;
    for (OutputFile& file : format.emit(request)) {
        written += (written.empty() ? "" : ", ") + file.path;
        outputs.add(file.path, std::move(file.bytes));
    }
    if (!preview.empty()) {
        outputs.add(preview, encode_preview_png(result.indexed, result.shown_palette));
        written += ", " + preview;
    }
    outputs.commit();
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

    if (!vm.count("quiet"))
        std::printf("kpal: %s -> %s (%dx%d, %d colours, target %s)\n", input.c_str(),
                    written.c_str(), image.width, image.height, result.colors_used,
                    target.name.c_str());
    if (vm.count("stats")) {
        const Quality q = measure(image, result.indexed, result.shown_palette);
        std::printf("colours used: %d\n", result.colors_used);
        std::printf("MSE: %.4f\n", q.mse);
        std::printf("PSNR: %.4f dB\n", q.psnr);
        std::printf("time: %.3f s\n", seconds);
    }
    return 0;
}

} // namespace kpal::cli
