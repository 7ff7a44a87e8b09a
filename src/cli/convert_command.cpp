// `kpal convert`: images through the whole pipeline into the chosen output format; one image,
// a batch (-o DIR/), or a batch sharing one palette.
#include "cli.h"
#include "kpal/convert.h"
#include "kpal/emit.h"
#include "kpal/error.h"
#include "kpal/fixed_engine.h"
#include "kpal/load.h"
#include "kpal/lvgl.h"
#include "kpal/metrics.h"
#include "kpal/output.h"
#include "kpal/palette_file.h"
#include "kpal/preview.h"
#include "kpal/resize.h"
#include "kpal/sheet.h"
#include "kpal/target.h"
#include "progress.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <future>
#include <iostream>
#include <mutex>
#include <set>
#include <thread>
#include <unistd.h>

namespace po = boost::program_options;

namespace kpal::cli {
namespace {

constexpr const char* usage = R"(Usage: kpal convert IMAGE... -t TARGET -o OUTPUT [options]

Designs a palette of at most K colours for IMAGE (PNG, or JPEG turned as its EXIF orientation
says) by k-means clustering, snapped to the colours TARGET's display can show, maps every pixel
to its nearest entry (or dithers), and writes the pixels in TARGET's framebuffer layout and the
palette in TARGET's format. A picture larger than TARGET's screen gets a warning: --fit screen
makes it the screen's size.

For tile hardware, a palette PNG drawn with the console's colours (its palette no larger than
the target's, every entry a colour the console shows exactly) keeps its indices and palette
order, as palette swaps and colour cycling need, unless -k, --palette, --fix, --dither, --order
or --redesign asks for another palette.

Mono and grey OLEDs and e-paper have a fixed palette: the pixels are codes for the few colours
the panel shows, matched against what each looks like (measured where published); nothing is
designed and no palette is written. Dithering (--dither fs) is what makes a photo of them.

With several images, OUTPUT is a folder (ending in '/'): each image gives DIR/NAME.SUFFIX. With
--shared-palette they get one palette designed from all of them (weighted by their pixels;
on tile hardware, the banks, designed over all their tiles), written once as
DIR/palette.SUFFIX (with --name SET, DIR/SET_palette.SUFFIX, so that several sets can share a
folder), and each image's file holds only its pixels.

)";

constexpr const char* examples = R"(
Examples:
  kpal convert photo.jpg -t vga-mode13h --fit screen -o photo.h --preview check.png
  kpal convert logo.png -t st7735-4bpp -k 8 --dither fs -o logo.bin      (logo.bin, logo.pal)
  kpal convert sprite.png -t gba-tiles-4bpp --transparent-index 0 -o sprite.c
  kpal convert a.png b.png c.png -t gba-mode4 --shared-palette -o assets/ -j 2
  kpal convert title.png -t gba-bg-4bpp --screen-blocks -o title.bin  (.bin tiles, .map, .pal)
  kpal convert hero.png -t md-sprite --frame 32x32 -o hero.h        (each frame's tiles in order)
  kpal convert room.png -t nes-bg -o room.bin    (CHR tiles, 1 KiB nametable + attributes, codes)
  kpal convert title.png -t gba-bg-4bpp --compress gba-lz77 -o title.h   (for LZ77UnCompWram)
  kpal convert photo.jpg -t epd-acep7 --fit screen --dither fs -o photo.bin  (7-colour e-paper)
  kpal convert logo.png -t ssd1306-128x64 --dither atkinson -o logo.h  (OLED pages; or logo.xbm)
  kpal convert logo.png -t lvgl-i4 --format lvgl -o logo.c   (lv_image_set_src(img, &logo))

Exit status: 0 done; 1 wrong usage; 2 bad input (image, profile, palette file); 3 an output
could not be written. On any failure no output file is created or changed.
)";

std::string format_help() {
    std::string text = "what to write (default: by OUTPUT's suffix, else c):";
    for (const OutputFormat& f : output_formats()) { // the suffix only where it picks f
        const bool picked =
            !f.suffix.empty() && &format_for_path("x" + std::string(f.suffix)) == &f;
        text += "\n" + std::string(f.name) + (picked ? " (" + std::string(f.suffix) + ")" : "") +
                ": " + std::string(f.description);
    }
    return text;
}

std::string compress_help() {
    std::string text = "pack the pixel data (tiles, map: each array; not the palette) so the "
                       "device unpacks it with its own decoder or the C core's kpal_unpack; "
                       "the header gives each array's _COMPRESSED_SIZE and _DECOMPRESSED_SIZE. "
                       "'platform' picks the first method the target's platform decodes itself "
                       "(its profile's decoders: GBA BIOS, LVGL):";
    for (const CompressMethod& m : compress_methods())
        text += "\n" + std::string(m.name) + ": " + std::string(m.description);
    return text;
}

std::optional<Rgb> parse_colour(const std::string& text) {
    if (text.size() != 7 || text[0] != '#') return std::nullopt;
    unsigned v = 0;
    const auto [end, ec] = std::from_chars(text.data() + 1, text.data() + 7, v, 16);
    if (ec != std::errc() || end != text.data() + 7) return std::nullopt;
    return unpack_rgb(v);
}

template <class T> std::optional<T> parse_number(const std::string& text) {
    T v{};
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
    return v;
}

bool is_folder(const std::string& path) {
    std::error_code ec;
    return path.ends_with('/') || std::filesystem::is_directory(path, ec);
}

std::string in_folder(const std::string& folder, const std::string& name) {
    return folder + (folder.ends_with('/') ? "" : "/") + name;
}

std::string stem_of(const std::string& path) {
    const std::string name = base_name(path);
    return name.substr(0, name.find_last_of('.'));
}

// The files a run wrote, for its depfile (images convert on several threads). They are listed
// by the order of the images given, each image's files in the order its format writes them (the
// file -o names first), then the shared palette and --palette-out: Ninja reads the depfile's
// first target as the build edge's first output, which for kpal_add_asset is the first image's
// -o file.
class Produced {
  public:
    void add(std::size_t order, const OutputSet& outputs) {
        std::lock_guard lock(mutex_);
        for (const std::string& path : outputs.files()) paths_.emplace_back(order, path);
    }
    std::vector<std::string> in_order() {
        std::lock_guard lock(mutex_);
        std::stable_sort(paths_.begin(), paths_.end(),
                         [](const auto& a, const auto& b) { return a.first < b.first; });
        std::vector<std::string> out;
        for (const auto& [order, path] : paths_)
            if (std::find(out.begin(), out.end(), path) == out.end()) out.push_back(path);
        return out;
    }

  private:
    std::mutex mutex_;
    std::vector<std::pair<std::size_t, std::string>> paths_;
};

// The time each stage of one image's conversion took, for --stats: whole microseconds, so that
// the total printed is exactly the sum of the stages printed.
class StageTimes {
  public:
    // Adds the time since the previous lap (or since construction) to the stage `name`.
    void lap(const char* name) {
        const auto now = std::chrono::steady_clock::now();
        const auto us = std::chrono::duration_cast<std::chrono::microseconds>(now - last_);
        last_ = now;
        for (auto& [stage, total] : stages_)
            if (stage == name) return void(total += us.count());
        stages_.emplace_back(name, us.count());
    }
    // Skips the time since the previous lap (work that another report counts).
    void skip() { last_ = std::chrono::steady_clock::now(); }
    // "time: 452.301 ms (load 10.100 + design 400.000 + ...)".
    std::string report() const {
        long long total = 0;
        std::string parts;
        for (const auto& [stage, us] : stages_) {
            total += us;
            parts += std::string(parts.empty() ? "" : " + ") + stage + " " + milliseconds(us);
        }
        return "time: " + milliseconds(total) + " ms (" + parts + ")\n";
    }

  private:
    static std::string milliseconds(long long us) {
        char text[32];
        std::snprintf(text, sizeof text, "%lld.%03lld", us / 1000, us % 1000);
        return text;
    }
    std::chrono::steady_clock::time_point last_ = std::chrono::steady_clock::now();
    std::vector<std::pair<std::string, long long>> stages_;
};

// A path in a Make rule: spaces, '#' and '$' escaped.
std::string make_escaped(const std::string& path) {
    std::string out;
    for (char c : path) {
        if (c == ' ' || c == '#') out += '\\';
        if (c == '$') out += '$';
        out += c;
    }
    return out;
}

// Everything one run needs to write one image's outputs.
struct Job {
    const Target& target;
    const OutputFormat& format;
    const ConvertOptions& options;
    std::string shaping; // the options that shaped the output, for provenance comments
    CodeOptions code;
    std::string symbol;  // --name, or "" for one from each output name
    std::string preview; // file or folder ("" for none)
    std::string sheet;   // file or folder ("" for none)
    bool batch = false;  // several images: outputs go into folders
    bool stats = false;
    bool quiet = false;
    int lvgl = 9; // --lvgl
    Produced* produced = nullptr;
    LoadLimits limits;
    std::vector<std::string> inputs; // every file read: an output must not be one of them
};

// Refuses to write over a file the run reads (a typo in -o should not destroy the artwork).
void check_not_an_input(const std::string& output, const std::vector<std::string>& inputs) {
    std::error_code ec;
    const auto out = std::filesystem::weakly_canonical(output, ec);
    for (const std::string& input : inputs) {
        std::error_code ec2;
        if (!ec && out == std::filesystem::weakly_canonical(input, ec2) && !ec2)
            throw Error(ErrorKind::usage,
                        output + ": is also an input; kpal will not overwrite it");
    }
}

// Converts one image and commits its files; returns a line to print. `times` holds the stages
// already run for this image (load, design).
std::string convert_one(const Job& job, std::size_t index, const std::string& input,
                        const std::string& output, const Image& image, const Histogram& opaque,
                        const PaletteChoice& palette, bool with_palette, StageTimes times) {
    const Conversion result = render(image, opaque, palette, job.target, job.options, input);
    times.lap("render");
    // Written to a stream (-o /dev/stdout), the data is named after the image instead.
    const bool stream = output.starts_with("/dev/");
    const std::string symbol =
        !job.symbol.empty() && !job.batch ? job.symbol : symbol_from_path(stream ? input : output);
    EmitRequest request{result,   job.target,
                        symbol,   Provenance{base_name(input), job.shaping + " --name " + symbol},
                        job.code, output};
    request.palette = with_palette;
    request.tile = job.options.tile;
    request.lvgl = job.lvgl;
    // The preview's PNG is deflated on a second thread while the output is formatted: for a
    // large picture each takes tens of milliseconds.
    std::future<std::vector<std::uint8_t>> preview_png;
    if (!job.preview.empty())
        preview_png =
            std::async(std::launch::async, [&result] { return kpal::preview_png(result); });
    std::vector<OutputFile> files = job.format.emit(request);
    const auto beside = [&](const std::string& path, const char* suffix) {
        return job.batch ? in_folder(path, stem_of(input) + suffix) : path;
    };
    if (preview_png.valid()) files.push_back({beside(job.preview, ".png"), preview_png.get()});
    if (!job.sheet.empty())
        files.push_back(
            {beside(job.sheet, "-sheet.png"),
             encode_rgba_png(make_sheet(
                 image, result.indexed, result.shown_palette, int(result.palette.size()),
                 result.transparent_entry(),
                 {palette.bank_size, palette.cell, palette.cells_across, palette.cell_bank},
                 result.opaque))});
    times.lap("emit");
    OutputSet outputs;
    std::string written;
    for (OutputFile& file : files) {
        check_not_an_input(file.path, job.inputs);
        written += (written.empty() ? "" : ", ") + file.path;
        outputs.add(file.path, std::move(file.bytes));
    }
    outputs.commit();
    job.produced->add(index, outputs);
    times.lap("write");
    std::string report;
    if (!job.quiet)
        report += "kpal: " + input + " -> " + written + " (" + std::to_string(image.width) + "x" +
                  std::to_string(image.height) + ", " + std::to_string(result.colors_used) +
                  " colours, target " + job.target.name + ")\n";
    if (job.stats) {
        // A fixed palette's transparent code is also a colour: its mask says which are left out.
        const std::optional<int> hidden = result.transparent_entry();
        const Quality q =
            measure(image, result.indexed, result.shown_palette, hidden, result.opaque);
        char text[256];
        std::snprintf(text, sizeof text,
                      "colours used: %d\nMSE: %.4f\nPSNR: %.4f dB\nPSNR blurred: %.4f dB\n",
                      result.colors_used, q.mse, q.psnr, q.blurred_psnr);
        report += (job.batch ? input + ":\n" : "") + text;
        const std::size_t designed = result.palette.size() / std::size_t(job.target.palette_size);
        if (result.tiles && job.target.tiles->map) {
            report += "tiles: " + std::to_string(result.tiles->tiles.size());
            if (result.unmerged) {
                const Quality before =
                    measure(image, *result.unmerged, result.shown_palette, hidden, result.opaque);
                std::snprintf(text, sizeof text, " (merged from %zu, PSNR %.4f dB before)",
                              result.merged_from, before.psnr);
                report += text;
            }
            report += "\n";
        }
        if (designed > 1 && result.tiles) { // which banks the map's entries name
            std::set<unsigned> banks;
            for (const MapEntry& e : result.tiles->map) banks.insert(e.palette);
            report += "palette banks used: " + std::to_string(banks.size()) + " of " +
                      std::to_string(designed) + "\n";
        }
        times.lap("stats");
        report += times.report();
    }
    return report;
}

// How an image is sized before conversion: --resize (stretched) or --fit (cropped to the
// screen's aspect, or letterboxed inside it), at --anchor.
struct Sizing {
    std::optional<std::pair<int, int>> size;
    bool fit = false, letterbox = false;
    Anchor anchor;
    std::array<std::uint8_t, 4> fill{0, 0, 0, 255};
};

Image load_for(const std::string& input, const Sizing& sizing, const LoadLimits& limits) {
    Image image = load_image(input, limits);
    if (!sizing.size) return image;
    const auto [w, h] = *sizing.size;
    if (!sizing.fit) return resize_area(image, w, h);
    return sizing.letterbox ? fit_letterbox(image, w, h, sizing.anchor, sizing.fill)
                            : fit_cover(image, w, h, sizing.anchor);
}

// A line for a picture larger than a framebuffer target's screen (the data would not fit its
// memory), with the options that make it fit; "" when it fits, or the target has no fixed
// screen, or is tile hardware (maps scroll; sprite sheets are cut into frames).
std::string screen_warning(const Target& target, const std::string& input, const Image& image) {
    if (target.tiles || !target.screen_width || !target.screen_height) return "";
    if (image.width <= target.screen_width && image.height <= target.screen_height) return "";
    const std::string screen =
        std::to_string(target.screen_width) + "x" + std::to_string(target.screen_height);
    return "kpal: warning: " + input + " is " + std::to_string(image.width) + "x" +
           std::to_string(image.height) + ", larger than target " + target.name + "'s " + screen +
           " screen: the data will not fit it (add --fit screen, or --fit screen --fit-mode "
           "letterbox to keep all of the picture)\n";
}

} // namespace

int convert_command(const std::vector<std::string>& args) {
    std::vector<std::string> inputs, fixes;
    std::string target_name, output, format_name, symbol, preview, sheet, space_name = "rgb";
    std::string seed_text = "0", resize_text, fit_text, section, dither_name = "none", palette_name;
    std::string compress_name;
    std::string fix_palette, key_text, order_name = "designed", palette_out, depfile;
    std::string engine_name = "kmeans", frame_text, master_palette;
    std::string fit_mode = "crop", anchor_text = "center", fill_text = "#000000";
    unsigned tile_offset = 0, palette_bank = 0;
    int refine_passes = 0, row_align = 1, lvgl = 9, palettes = 0, effort = 2;
    unsigned max_tiles = 0;
    int colors = 0, threads = 0, align = 0, alpha_threshold = 128, transparent_index = 0, jobs = 1;
    double strength = 1.0;
    std::uint64_t max_pixels = LoadLimits{}.max_pixels;
    po::options_description main_options("Options");
    main_options.add_options()("help,h", "show this help")(
        "target,t", po::value(&target_name)->value_name("TARGET"),
        "a built-in target (see 'kpal targets') or the path of a profile file")(
        "output,o", po::value(&output)->value_name("OUTPUT"),
        "the file to write (/dev/stdout prints it), or a folder (ending in '/') for "
        "several images")(
        "colors,k", po::value(&colors)->value_name("K"),
        "palette entries to fill, 1..the target's palette size (default: all of them)")(
        "resize", po::value(&resize_text)->value_name("WxH|screen"),
        "scale the image to W x H pixels (or the target's screen) first, stretched (area "
        "average)")(
        "fit", po::value(&fit_text)->value_name("WxH|screen"),
        "make the image W x H (or the target's screen) keeping its aspect, scaled by area "
        "average: by default the longer side is cut (--fit-mode crop)")(
        "fit-mode", po::value(&fit_mode)->value_name("crop|letterbox"),
        "--fit: crop (default) fills the screen, cutting the longer side; letterbox keeps the "
        "whole picture, bars of --fill beside it (a portrait on a wide OLED keeps its head)")(
        "anchor", po::value(&anchor_text)->value_name("WHERE"),
        "--fit: the part kept (crop) or where the picture sits (letterbox): center (default), "
        "top, bottom, left, right, top-left, top-right, bottom-left, bottom-right")(
        "fill", po::value(&fill_text)->value_name("#RRGGBB|transparent"),
        "--fit-mode letterbox: the colour of the bars (default #000000), or transparent")(
        "preview", po::value(&preview)->value_name("FILE.png"),
        "also write an indexed PNG of exactly what the display will show (a folder for several)")(
        "sheet", po::value(&sheet)->value_name("FILE.png"),
        "also write a comparison sheet: original, display, numbered palette swatches")(
        "stats", "print colours used, MSE, PSNR (also after a blur: what the eye sees of "
                 "dithering) and the time of the whole conversion, stage by stage: load, "
                 "histogram, design, render (remap or dither, pack, encode), emit (format the "
                 "files), write")("quiet,q", "print nothing but errors");
    po::options_description palette_options("Palette");
    palette_options.add_options()(
        "dither", po::value(&dither_name)->value_name("KIND"),
        "none (default), fs (Floyd-Steinberg), sierra-lite, atkinson: error diffusion; bayer4, "
        "bayer8: ordered, stable in animation")("dither-strength",
                                                po::value(&strength)->value_name("0..1"),
                                                "how much to dither (default 1)")(
        "palette", po::value(&palette_name)->value_name("FILE"),
        "use this palette, design none: a .gpl, JASC-PAL, .act or PNG file, or vga-default, "
        "ega16, cga")(
        "fix", po::value(&fixes)->value_name("INDEX=#RRGGBB"),
        "pin palette entry INDEX to a colour; k-means designs the others around it (repeatable)")(
        "fix-palette", po::value(&fix_palette)->value_name("FILE"),
        "pin the first entries to the colours of a palette file (or built-in name)")(
        "alpha-threshold", po::value(&alpha_threshold)->value_name("N"),
        "pixels with alpha below N are transparent (default 128; 0 for none)")(
        "key", po::value(&key_text)->value_name("#RRGGBB"),
        "pixels of this colour are transparent too")(
        "transparent-index", po::value(&transparent_index)->value_name("N"),
        "the entry transparent pixels take, reserved for them (default 0)")(
        "order", po::value(&order_name)->value_name("ORDER"),
        "designed (default), luminance (darkest first) or frequency (most used first)")(
        "shared-palette", "several images: one palette for all, written once")(
        "master-palette", po::value(&master_palette)->value_name("FILE.pal"),
        "targets whose palette is colour codes (NES, Game Boy, mono and e-paper panels): the "
        "colours each code shows, from an emulator's or TV's .pal (R, G, B bytes a code), for "
        "design, remapping and the preview (default: the profile's; the NES's is an NTSC "
        "decoding of the PPU's signal, see the README)")(
        "palette-out", po::value(&palette_out)->value_name("FILE"),
        "also save the palette as .gpl, .act or (any other name) JASC-PAL, for --palette later")(
        "colorspace", po::value(&space_name)->value_name("rgb|oklab"),
        "where k-means measures colour differences: rgb (default; what PSNR measures) or oklab "
        "(perceptual: closer to what the eye sees)")(
        "effort", po::value(&effort)->value_name("1|2|3"),
        "how long k-means runs: 3 to convergence (the lowest error); 2 (default) the same up to "
        "32 colours, above that until an iteration gains under 0.1 % (on photos at 256 colours "
        "about 0.015 dB lower in 60 % of the time); 1 until it gains under 0.1 % (0.3 % above "
        "32 colours), with fewer swap trials (fastest). The same bytes for the same level")(
        "seed", po::value(&seed_text)->value_name("N"),
        "0 (default) starts k-means from variance-minimising splits; any other N from k-means++ "
        "draws made with N. The same N always gives the same bytes")(
        "engine", po::value(&engine_name)->value_name("kmeans|fixed"),
        "kmeans (default): the best palette; fixed: the integer C core a device runs "
        "(include/kpal/core.h), so the output equals the device's byte for byte (opaque images; "
        "dither none, bayer4 or bayer8)")(
        "refine-passes", po::value(&refine_passes)->value_name("N"),
        "--engine fixed: passes over the pixels after the colour-cell design, 0..255 (default "
        "2, as the core's KPAL_DEFAULT_REFINE_PASSES); give the device's kpal_params value to "
        "get its bytes. More cost time and help most at 256 colours")(
        "redesign", "tile targets: design a palette even for a palette PNG drawn in the target's "
                    "colours, which otherwise keeps its own indices and palette order")(
        "threads", po::value(&threads)->value_name("N"),
        "threads for palette design (default: every core); the output does not depend on it");
    po::options_description tile_options("Tile hardware (targets with tiles: see 'kpal targets')");
    tile_options.add_options()("no-dedup", "keep every tile, repeated ones too (the map "
                                           "still names one tile a cell)")(
        "no-flip", "remove only exact repeats, not mirrored tiles (on maps with flip bits)")(
        "merge-tiles", "where the distinct tiles are more than the limit (the target's, or "
                       "--max-tiles), merge the most alike (least added error) until they fit, "
                       "instead of failing")(
        "max-tiles", po::value(&max_tiles)->value_name("N"),
        "at most N tiles, fewer than the target holds (video memory shared with sprites)")(
        "tile-offset", po::value(&tile_offset)->value_name("N"),
        "the tiles go after N others in video memory: every map entry adds N")(
        "palettes", po::value(&palettes)->value_name("N"),
        "design N palette banks together, each 8x8 tile (NES: 16x16 area) drawing from the one "
        "that shows it best; default: all the target's, from --palette-bank on (GBA 16, SNES 8, "
        "Mega Drive 4, GBC 8, PC Engine 16, SMS 2, NES 4), or 1 with --palette, --fix, --order "
        "or --engine fixed; --palettes 1: one palette")(
        "palette-bank", po::value(&palette_bank)->value_name("N"),
        "the palette goes in bank N: map entries carry N (index 0 of a bank other than 0 shows "
        "the backdrop, so it is kept free)")(
        "screen-blocks", "lay the map out as the hardware's 32x32 screen blocks (GBA, SNES): "
                         "rows padded to 32 with a blank tile, wider maps as further blocks")(
        "frame", po::value(&frame_text)->value_name("WxH"),
        "sprite targets: cut the sheet into W x H frames in reading order, each frame's tiles "
        "together in the hardware's sprite order (default: the whole image is one frame)");
    po::options_description output_options("Output");
    output_options.add_options()("format", po::value(&format_name)->value_name("FORMAT"),
                                 format_help().c_str())(
        "compress", po::value(&compress_name)->value_name("METHOD"), compress_help().c_str())(
        "mask", "also write a 1-bit mask, 1 where the pixel is opaque (alpha at least "
                "--alpha-threshold, not --key): NAME_mask in C, NAME.mask beside a .bin; in the "
                "target's layout if it has 1 bit a pixel (pages: Arduboy), else rows of bits, "
                "leftmost in bit 7 (Adafruit GFX drawRGBBitmap)")(
        "name", po::value(&symbol)->value_name("SYMBOL"),
        "C and assembler name of the data (default: from OUTPUT's file name)")(
        "section", po::value(&section)->value_name("NAME"),
        "c, c-source, asm: put the data in this linker section (GCC, GNU as, NASM)")(
        "progmem", "c, c-source: keep the data in flash on AVR (PROGMEM) when built by avr-gcc")(
        "align", po::value(&align)->value_name("N"),
        "c, c-source, asm: align the arrays to N bytes (a power of two)")(
        "row-align", po::value(&row_align)->value_name("N"),
        "pad every row of pixels to a multiple of N bytes (the target's row_align; LVGL 9: "
        "the stride)")("lvgl", po::value(&lvgl)->value_name("9|8"),
                       "lvgl, lvgl-bin: the LVGL version to write for (default 9)")(
        "jobs,j", po::value(&jobs)->value_name("N"), "convert N images at a time (default 1)")(
        "max-pixels", po::value(&max_pixels)->value_name("N"),
        "refuse images of more than N pixels, before decoding them (default 67108864, 8192 x "
        "8192; also at most 32768 wide or high)")(
        "depfile", po::value(&depfile)->value_name("FILE"),
        "also write a Make/Ninja depfile: the outputs depend on the images, the target profile "
        "and palette files");
    po::options_description visible;
    visible.add(main_options).add(palette_options).add(tile_options).add(output_options);
    po::options_description all;
    all.add(visible).add_options()("image", po::value(&inputs));
    po::variables_map vm;
    if (const auto status = parse(args, all, "image", -1, "convert", vm)) return *status;
    if (vm.count("help")) {
        std::cout << usage << visible << examples;
        return 0;
    }
    if (inputs.empty()) return usage_error("convert needs an IMAGE", "convert");
    if (target_name.empty()) return usage_error("convert needs -t TARGET", "convert");
    if (output.empty()) return usage_error("convert needs -o OUTPUT", "convert");
    const bool batch = inputs.size() > 1 || output.ends_with('/');
    if (batch && !is_folder(output))
        return usage_error("with several images -o must be a folder ending in '/'", "convert");
    if (!symbol.empty() && batch && !vm.count("shared-palette"))
        return usage_error("--name names one image's data; with several images each is named "
                           "after its file (with --shared-palette, --name SET names the palette: "
                           "SET_palette)",
                           "convert");
    if (!symbol.empty() && !is_c_identifier(symbol))
        return usage_error("--name " + symbol + " is not a C identifier", "convert");
    if (align < 0 || (align & (align - 1)) != 0)
        return usage_error("--align " + std::to_string(align) + " is not a power of two",
                           "convert");
    if (section.find_first_of("\"\\\n") != std::string::npos)
        return usage_error("--section must not contain quotes, backslashes or line ends",
                           "convert");
    if (jobs < 1) return usage_error("-j must be 1 or more", "convert");
    Sizing resize;
    if (!resize_text.empty() && resize_text != "screen" && !(resize.size = parse_size(resize_text)))
        return usage_error("--resize " + resize_text + " is not WxH (for example 320x200)",
                           "convert");
    if (!fit_text.empty() && !resize_text.empty())
        return usage_error("--fit and --resize both size the image: give one", "convert");
    const OutputFormat& format = format_name.empty() ? format_for_path(batch ? "x.h" : output)
                                                     : find_output_format(format_name);
    // Every option that shapes the file either takes effect in this format or is refused.
    for (const EmitOption o : emit_options()) {
        const std::string option(emit_option_name(o));
        if (vm.count(option.substr(2)) && !format.takes_option(o)) {
            std::string takes;
            for (const EmitOption t : emit_options())
                if (format.takes_option(t))
                    takes += (takes.empty() ? "" : " ") + std::string(emit_option_name(t));
            return usage_error(option + " does not go with --format " + std::string(format.name) +
                                   " (it takes " +
                                   (takes.empty() ? "none of the output options" : takes) + ")",
                               "convert");
        }
    }
    for (const char* picture : {".png", ".jpg", ".jpeg", ".gif", ".bmp"})
        if (format_name.empty() && !batch && output.ends_with(picture))
            return usage_error("-o " + output +
                                   ": kpal writes data (C, binaries, assembler), not " + picture +
                                   " pictures; the picture the display shows is "
                                   "--preview FILE.png (or give --format to write " +
                                   std::string(format.name) + " anyway)",
                               "convert");

    ConvertOptions options;
    if (vm.count("colors")) options.colors = colors;
    const auto seed = parse_number<std::uint64_t>(seed_text);
    if (!seed)
        return usage_error("--seed " + seed_text + " is not a whole number from 0 to 2^64-1",
                           "convert");
    options.seed = *seed;
    if (effort < 1 || effort > 3) return usage_error("--effort must be 1, 2 or 3", "convert");
    options.effort = effort;
    const auto space = parse_color_space(space_name);
    if (!space)
        return usage_error("--colorspace " + space_name + " is not one of: rgb, oklab", "convert");
    if (threads < 0) return usage_error("--threads must be 0 or more", "convert");
    options.space = *space;
    options.threads = jobs > 1 ? 1 : threads;
    const auto dither_kind = parse_dither(dither_name);
    if (!dither_kind)
        return usage_error("--dither " + dither_name +
                               " is not one of: none, fs, sierra-lite, atkinson, bayer4, bayer8",
                           "convert");
    if (!(strength >= 0 && strength <= 1))
        return usage_error("--dither-strength must be between 0 and 1", "convert");
    options.dither = {*dither_kind, strength};
    const auto order = parse_palette_order(order_name);
    if (!order)
        return usage_error(
            "--order " + order_name + " is not one of: designed, luminance, frequency", "convert");
    options.order = *order;
    if (alpha_threshold < 0 || alpha_threshold > 256)
        return usage_error("--alpha-threshold must be 0..256", "convert");
    options.transparency.alpha_threshold = alpha_threshold;
    if (!key_text.empty()) {
        options.transparency.key = parse_colour(key_text);
        if (!options.transparency.key)
            return usage_error("--key " + key_text + " is not #RRGGBB", "convert");
    }
    if (vm.count("transparent-index")) options.transparent_index = transparent_index;
    for (const std::string& fix : fixes) {
        const std::size_t eq = fix.find('=');
        const auto index =
            eq == std::string::npos ? std::nullopt : parse_number<int>(fix.substr(0, eq));
        const auto colour =
            eq == std::string::npos ? std::nullopt : parse_colour(fix.substr(eq + 1));
        if (!index || !colour)
            return usage_error("--fix " + fix + " is not INDEX=#RRGGBB", "convert");
        options.fixed.push_back({*index, *colour});
    }
    if (!palette_name.empty() && (!fixes.empty() || !fix_palette.empty() || vm.count("colors")))
        return usage_error(
            "--palette uses a whole palette: it does not go with -k, --fix or --fix-palette",
            "convert");
    const bool shared = vm.count("shared-palette") > 0;
    if (engine_name != "kmeans" && engine_name != "fixed")
        return usage_error("--engine " + engine_name + " is not one of: kmeans, fixed", "convert");
    if (engine_name == "fixed") {
        if (shared)
            return usage_error("--engine fixed designs one image's palette: it does not go with "
                               "--shared-palette",
                               "convert");
        options.engine = Engine::fixed;
    }
    if (vm.count("refine-passes")) {
        if (options.engine != Engine::fixed)
            return usage_error("--refine-passes goes with --engine fixed", "convert");
        if (refine_passes < 0 || refine_passes > 255)
            return usage_error("--refine-passes must be 0..255", "convert");
        options.refine_passes = refine_passes;
    }
    if (shared && !batch)
        return usage_error("--shared-palette needs several images and -o DIR/", "convert");
    if (!palette_out.empty() && batch && !shared)
        return usage_error("--palette-out saves one palette: give one image, or several with "
                           "--shared-palette",
                           "convert");
    if (batch) { // a folder named for the outputs is made, as build systems expect
        std::error_code ec;
        std::filesystem::create_directories(output, ec);
        if (ec)
            throw Error(ErrorKind::output, output + ": cannot make the folder: " + ec.message());
    }

    Target target = load_target(target_name);
    if (!master_palette.empty()) set_master_palette(target, master_palette);
    if (vm.count("row-align")) {
        if (target.tiles)
            return usage_error("--row-align is for framebuffers, not tiles", "convert");
        if (row_align < 1 || row_align > 4096)
            return usage_error("--row-align " + std::to_string(row_align) + " is not 1..4096",
                               "convert");
        target.row_align = row_align;
    }
    if (compress_name == "platform") {
        if (target.decoders.empty())
            return usage_error("--compress platform: target " + target.name +
                                   " names no decoders of its own; give a method",
                               "convert");
        // An LVGL image takes LVGL's methods; any other output the first that is not LVGL's.
        for (const std::string& m : target.decoders)
            if ((find_compress_method(m)->lvgl != 0) == format.name.starts_with("lvgl")) {
                compress_name = m;
                break;
            }
        if (compress_name == "platform")
            return usage_error("--compress platform: target " + target.name +
                                   "'s decoders are LVGL's, for --format lvgl or lvgl-bin",
                               "convert");
    }
    const bool lvgl_format = format.name.starts_with("lvgl");
    if (const CompressMethod* m = find_compress_method(compress_name);
        m && lvgl_format != (m->lvgl != 0))
        return usage_error(lvgl_format ? "LVGL images take --compress lvgl-rle or lvgl-lz4"
                                       : "--compress " + compress_name +
                                             " is LVGL's: it goes with --format lvgl or lvgl-bin",
                           "convert");
    if (vm.count("lvgl") && !lvgl_format)
        return usage_error("--lvgl goes with --format lvgl or lvgl-bin", "convert");
    lvgl_version(lvgl); // usage errors before the slow work
    if (resize_text == "screen" || fit_text == "screen") {
        const std::string option = fit_text.empty() ? "--resize" : "--fit";
        if (!target.screen_width || !target.screen_height)
            return usage_error(option + " screen: target " + target.name +
                                   " has no screen size; give " + option + " WxH",
                               "convert");
        resize.size = {target.screen_width, target.screen_height};
        (fit_text.empty() ? resize_text : fit_text) =
            std::to_string(target.screen_width) + "x" + std::to_string(target.screen_height);
    } else if (!fit_text.empty() && !(resize.size = parse_size(fit_text))) {
        return usage_error("--fit " + fit_text + " is not WxH or screen", "convert");
    }
    resize.fit = !fit_text.empty();
    for (const char* option : {"fit-mode", "anchor", "fill"})
        if (vm.count(option) && !resize.fit)
            return usage_error("--" + std::string(option) + " goes with --fit", "convert");
    if (fit_mode != "crop" && fit_mode != "letterbox")
        return usage_error("--fit-mode " + fit_mode + " is not one of: crop, letterbox", "convert");
    resize.letterbox = fit_mode == "letterbox";
    if (vm.count("fill") && !resize.letterbox)
        return usage_error("--fill colours the bars of --fit-mode letterbox", "convert");
    if (const auto anchor = parse_anchor(anchor_text))
        resize.anchor = *anchor;
    else
        return usage_error("--anchor " + anchor_text +
                               " is not one of: center, top, bottom, left, right, top-left, "
                               "top-right, bottom-left, bottom-right",
                           "convert");
    if (fill_text == "transparent") {
        resize.fill = {0, 0, 0, 0};
    } else if (const auto fill = parse_colour(fill_text)) {
        resize.fill = {fill->r, fill->g, fill->b, 255};
    } else {
        return usage_error("--fill " + fill_text + " is not #RRGGBB or transparent", "convert");
    }
    options.redesign = vm.count("redesign") > 0;
    options.mask = vm.count("mask") > 0;
    if (vm.count("palettes") && (palettes < 1 || palettes > 256))
        return usage_error("--palettes " + std::to_string(palettes) + " is not 1..256", "convert");
    options.palettes = palettes;
    if (options.mask && target.tiles)
        return usage_error("--mask is for framebuffers; on tile hardware colour 0 is transparent",
                           "convert");
    if (!compress_name.empty()) {
        options.compress = find_compress_method(compress_name);
        if (!options.compress) {
            std::string known;
            for (const CompressMethod& m : compress_methods())
                known += (known.empty() ? "" : ", ") + std::string(m.name);
            return usage_error("--compress " + compress_name + " is not a method (known: " + known +
                                   ")",
                               "convert");
        }
    }
    options.tile.dedup = !vm.count("no-dedup");
    options.tile.max_tiles = max_tiles;
    options.merge_tiles = vm.count("merge-tiles") > 0;
    if (vm.count("max-tiles") && max_tiles == 0)
        return usage_error("--max-tiles 0: a map needs at least one tile", "convert");
    options.tile.flips = !vm.count("no-flip");
    options.tile.tile_offset = tile_offset;
    options.tile.palette_bank = palette_bank;
    options.tile.screen_blocks = vm.count("screen-blocks") > 0;
    if (!frame_text.empty() && !(options.tile.frame = parse_size(frame_text)))
        return usage_error("--frame " + frame_text + " is not WxH (for example 32x32)", "convert");
    for (const char* tile_option : {"no-dedup", "no-flip", "tile-offset", "palette-bank",
                                    "screen-blocks", "frame", "merge-tiles", "max-tiles"}) {
        if (!vm.count(tile_option)) continue;
        if (std::string(tile_option) == "frame" && format.name == "arduboy") continue; // frames
        const bool sprites = target.tiles && !target.tiles->map;
        if (!target.tiles)
            return usage_error("--" + std::string(tile_option) + " is for tile hardware; " +
                                   target.name + " is a framebuffer",
                               "convert");
        if (sprites != (std::string(tile_option) == "frame"))
            return usage_error("--" + std::string(tile_option) + " does not go with target " +
                                   target.name + (sprites ? " (sprites: no map)" : " (a map)"),
                               "convert");
    }
    palette_colors(target, options); // usage errors before the slow work
    if (!palette_name.empty()) options.given_palette = read_palette(palette_name);
    if (!fix_palette.empty()) {
        const std::vector<Rgb> pinned = read_palette(fix_palette);
        for (std::size_t i = 0; i < pinned.size(); ++i)
            options.fixed.push_back({int(i), pinned[i]});
    }
    if (options.engine == Engine::fixed) check_fixed_engine_options(options);

    Produced produced;
    Job job{target,
            format,
            options,
            "",
            CodeOptions{section, vm.count("progmem") > 0, align},
            symbol,
            preview,
            sheet,
            batch,
            vm.count("stats") > 0,
            vm.count("quiet") > 0,
            lvgl,
            &produced,
            LoadLimits{},
            {}};
    job.limits.max_pixels = max_pixels;
    job.inputs = inputs;
    for (const std::string& file : {target_name, palette_name, fix_palette})
        if (!file.empty()) job.inputs.push_back(file);
    job.inputs.insert(job.inputs.end(), target.files.begin(), target.files.end());
    for (const std::string& file : {depfile, palette_out})
        if (!file.empty()) check_not_an_input(file, job.inputs);
    // The depfile, once every output is written: each file the run made depends on the images,
    // the profile file and palette files. A run that wrote only to streams (-o /dev/stdout) names
    // its -o, so that the rule stays a rule.
    const auto write_depfile = [&] {
        if (depfile.empty()) return;
        std::vector<std::string> made = produced.in_order();
        if (made.empty()) made.push_back(output);
        std::string rule;
        for (const std::string& path : made) rule += make_escaped(path) + " ";
        rule += ":";
        std::vector<std::string> deps = inputs;
        for (const std::string& file : {target_name, palette_name, fix_palette})
            if (!file.empty() && std::filesystem::is_regular_file(file)) deps.push_back(file);
        deps.insert(deps.end(), target.files.begin(), target.files.end());
        for (const std::string& dep : deps) rule += " \\\n  " + make_escaped(dep);
        OutputSet outputs;
        outputs.add(depfile, rule + "\n");
        outputs.commit();
    };
    job.shaping = "-t " + target.name;
    if (target.palette_format->is_fixed())
        ; // nothing to choose: the panel's colours
    else if (palette_name.empty())
        job.shaping += " -k " + std::to_string(palette_colors(target, options));
    else
        job.shaping += " --palette " + base_name(palette_name);
    for (const auto& [index, colour] : options.fixed)
        job.shaping += " --fix " + std::to_string(index);
    if (!resize_text.empty()) job.shaping += " --resize " + resize_text;
    if (!fit_text.empty()) job.shaping += " --fit " + fit_text;
    if (resize.letterbox) job.shaping += " --fit-mode letterbox --fill " + fill_text;
    if (anchor_text != "center") job.shaping += " --anchor " + anchor_text;
    if (options.mask) job.shaping += " --mask";
    if (palettes) job.shaping += " --palettes " + std::to_string(palettes);
    if (vm.count("row-align")) job.shaping += " --row-align " + std::to_string(row_align);
    if (vm.count("lvgl")) job.shaping += " --lvgl " + std::to_string(lvgl);
    if (options.dither.kind != DitherKind::none)
        job.shaping += " --dither " + dither_name +
                       (strength != 1 ? " --dither-strength " + std::to_string(strength) : "");
    if (options.order != PaletteOrder::designed) job.shaping += " --order " + order_name;
    if (options.space != ColorSpace::rgb) job.shaping += " --colorspace " + space_name;
    if (options.seed != 0) job.shaping += " --seed " + std::to_string(options.seed);
    if (options.effort != 2) job.shaping += " --effort " + std::to_string(options.effort);
    if (shared) job.shaping += " --shared-palette";
    if (options.engine == Engine::fixed) job.shaping += " --engine fixed";
    if (options.refine_passes) job.shaping += " --refine-passes " + std::to_string(refine_passes);
    for (const char* flag : {"no-dedup", "no-flip", "screen-blocks", "merge-tiles"})
        if (vm.count(flag)) job.shaping += " --" + std::string(flag);
    if (tile_offset) job.shaping += " --tile-offset " + std::to_string(tile_offset);
    if (max_tiles) job.shaping += " --max-tiles " + std::to_string(max_tiles);
    if (palette_bank) job.shaping += " --palette-bank " + std::to_string(palette_bank);
    if (!frame_text.empty()) job.shaping += " --frame " + frame_text;
    if (!master_palette.empty()) job.shaping += " --master-palette " + base_name(master_palette);
    if (options.redesign) job.shaping += " --redesign";
    if (options.compress) job.shaping += " --compress " + std::string(options.compress->name);

    const auto output_for = [&](const std::string& input) {
        return batch ? in_folder(output, stem_of(input) + std::string(format.suffix)) : output;
    };
    const auto save_palette = [&](const PaletteChoice& palette, const Histogram& opaque,
                                  const Image& image) {
        if (palette_out.empty()) return;
        const Conversion c = render(image, opaque, palette, target, options);
        const OutputFormat& file_format = palette_out.ends_with(".gpl") ? find_output_format("gpl")
                                          : palette_out.ends_with(".act")
                                              ? find_output_format("act")
                                              : find_output_format("jasc-pal");
        EmitRequest request{
            c,        target,     symbol_from_path(palette_out), Provenance{"", job.shaping},
            job.code, palette_out};
        OutputSet outputs;
        for (OutputFile& f : file_format.emit(request)) outputs.add(f.path, std::move(f.bytes));
        outputs.commit();
        produced.add(inputs.size() + 1, outputs);
    };

    if (shared || !batch) {
        // One palette: every image is loaded first (a failure stops everything, nothing written).
        std::vector<Image> images;
        std::vector<Histogram> histograms;
        std::vector<StageTimes> times(inputs.size());
        Histogram all;
        bool any_transparent = false;
        Progress progress(
            inputs.size() == 1 ? inputs[0] : std::to_string(inputs.size()) + " images", !job.quiet);
        const auto of = [&](std::size_t i) {
            return inputs.size() == 1
                       ? std::string()
                       : " " + std::to_string(i + 1) + "/" + std::to_string(inputs.size());
        };
        for (std::size_t i = 0; i < inputs.size(); ++i) {
            times[i].skip();
            progress.stage("load" + of(i));
            images.push_back(load_for(inputs[i], resize, job.limits));
            if (const std::string warning = screen_warning(target, inputs[i], images.back());
                !job.quiet && !warning.empty()) {
                progress.clear();
                std::cerr << warning;
            }
            times[i].lap("load");
            progress.stage("histogram" + of(i));
            histograms.push_back(
                build_histogram(images.back(), &options.transparency, options.threads));
            times[i].lap("histogram");
            any_transparent =
                any_transparent || histograms.back().total() < images.back().pixel_count();
            if (inputs.size() > 1) merge_histogram(all, histograms.back());
        }
        // One image: its own histogram, not a merged copy of it.
        const Histogram& pooled = inputs.size() > 1 ? all : histograms[0];
        StageTimes shared_times; // the palette's own stages, when several images share it
        StageTimes& design_times = shared ? shared_times : times[0];
        design_times.skip();
        progress.stage("design");
        // One image: its own palette, the fixed engine's or a design; several: one design (of
        // one palette, or of banks each image's tiles choose from).
        const std::vector<PaletteChoice> palettes =
            inputs.size() == 1
                ? std::vector{choose_palette_for(images[0], pooled, target, options)}
                : choose_shared_palette(images, pooled, any_transparent, target, options);
        const PaletteChoice& palette = palettes[0];
        design_times.lap("design");
        save_palette(palette, histograms[0], images[0]);
        if (!palette_out.empty()) design_times.lap("palette-out");
        if (shared && batch) {
            // The palette once, in the same format, then each image's pixels only.
            const Conversion c = render(images[0], histograms[0], palette, target, options);
            shared_times.lap("render");
            const std::string set = symbol.empty() ? "palette" : symbol + "_palette";
            const std::string path = in_folder(output, set + std::string(format.suffix));
            EmitRequest request{c,        target, set, Provenance{"the images given", job.shaping},
                                job.code, path};
            request.pixels = false;
            OutputSet outputs;
            for (OutputFile& f : format.emit(request)) {
                check_not_an_input(f.path, job.inputs);
                outputs.add(f.path, std::move(f.bytes));
            }
            shared_times.lap("emit");
            outputs.commit();
            produced.add(inputs.size(), outputs);
            shared_times.lap("write");
            if (job.stats)
                std::cout << "palette shared by " << inputs.size()
                          << " images:\n" + shared_times.report();
        }
        for (std::size_t i = 0; i < inputs.size(); ++i) {
            times[i].skip();
            progress.stage("render and write" + of(i));
            const std::string report =
                convert_one(job, i, inputs[i], output_for(inputs[i]), images[i], histograms[i],
                            palettes[i], !(shared && batch), times[i]);
            progress.clear();
            std::cout << report << std::flush;
        }
        write_depfile();
        return 0;
    }

    // A batch of separate palettes: each image on its own; a failure is reported and the others
    // still complete. -j converts several at once; each output depends only on its input.
    std::vector<std::string> reports(inputs.size()), errors(inputs.size()), warnings(inputs.size());
    std::vector<int> statuses(inputs.size(), 0);
    std::atomic<std::size_t> next{0}, done{0};
    std::mutex progress;
    std::string slowest;
    double slowest_seconds = 0;
    const bool terminal = ::isatty(STDERR_FILENO) && !job.quiet;
    const auto worker = [&] {
        for (std::size_t i; (i = next++) < inputs.size();) {
            const auto start = std::chrono::steady_clock::now();
            try {
                StageTimes times;
                const Image image = load_for(inputs[i], resize, job.limits);
                warnings[i] = job.quiet ? "" : screen_warning(target, inputs[i], image);
                times.lap("load");
                const Histogram opaque =
                    build_histogram(image, &options.transparency, options.threads);
                times.lap("histogram");
                const PaletteChoice palette = choose_palette_for(image, opaque, target, options);
                times.lap("design");
                reports[i] = convert_one(job, i, inputs[i], output_for(inputs[i]), image, opaque,
                                         palette, true, times);
            } catch (const Error& e) {
                errors[i] = e.what();
                statuses[i] = int(e.kind());
            }
            const double seconds =
                std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
            std::lock_guard lock(progress);
            ++done;
            if (seconds > slowest_seconds)
                slowest_seconds = seconds, slowest = base_name(inputs[i]);
            if (terminal)
                std::fprintf(stderr, "\r[%zu/%zu] slowest: %s %.2f s ", done.load(), inputs.size(),
                             slowest.c_str(), slowest_seconds);
        }
    };
    std::vector<std::thread> workers;
    for (int t = 1; t < std::min<int>(jobs, int(inputs.size())); ++t) workers.emplace_back(worker);
    worker();
    for (std::thread& t : workers) t.join();
    if (terminal) std::fprintf(stderr, "\n");
    int status = 0;
    for (std::size_t i = 0; i < inputs.size(); ++i) {
        std::cerr << warnings[i];
        std::cout << reports[i];
        if (!errors[i].empty()) std::cerr << "kpal: " << errors[i] << "\n";
        status = std::max(status, statuses[i]);
    }
    if (status == 0) write_depfile();
    return status;
}

} // namespace kpal::cli
