// `kpal convert`: images through the whole pipeline into the chosen output format; one image,
// a batch (-o DIR/), or a batch sharing one palette.
#include "cli.h"
#include "kpal/animation.h"
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
#include "options.h"
#include "picture.h"
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

namespace kpal::cli {
namespace {

constexpr const char* usage_text = R"(Usage: kpal convert IMAGE... -t TARGET -o OUTPUT [options]

Designs a palette of at most K colours for IMAGE (PNG, or JPEG turned as its EXIF orientation
says) by k-means clustering, snapped to the colours TARGET's display can show, maps every pixel
to its nearest entry (or dithers), and writes the pixels in TARGET's framebuffer layout and the
palette in TARGET's format. A picture larger than TARGET's screen gets a warning: --fit screen
makes it the screen's size.

An animation (a GIF, or an Aseprite .ase/.aseprite: its visible layers) gives its frames (or
--tag's, or --frames'), stacked top to bottom with one palette: a sprite target makes each
frame a sprite; NAME_durations holds each frame's milliseconds; --preview is an animated PNG.

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
folder), and each image's file holds only its pixels. On tile maps --shared-tiles goes further
for the screens of a level: one tileset for all of them (a tile repeated or mirrored anywhere
is stored once), written with the palette as DIR/tileset.SUFFIX, and each image's file holds
only its map.

)";

constexpr const char* examples = R"(
Examples:
  kpal convert photo.jpg -t vga-mode13h --fit screen -o photo.h --preview check.png
  kpal convert logo.png -t st7735-4bpp -k 8 --dither fs -o logo.bin      (logo.bin, logo.pal)
  kpal convert sprite.png -t gba-tiles-4bpp --transparent-index 0 -o sprite.c
  kpal convert a.png b.png c.png -t gba-mode4 --shared-palette -o assets/ -j 2
  kpal convert room1.png room2.png -t gba-bg-4bpp --shared-tiles -o level/  (tileset.h, maps)
  kpal convert title.png -t gba-bg-4bpp --screen-blocks -o title.bin  (.bin tiles, .map, .pal)
  kpal convert hero.png -t md-sprite --frame 32x32 -o hero.h        (each frame's tiles in order)
  kpal convert hero.aseprite -t gba-obj-4bpp --tag walk -o walk.h --preview walk.png  (animated)
  kpal convert boss.png -t gba-obj-4bpp --metasprite --frame 48x40 -o boss.h   (pieces a frame)
  kpal convert room.png -t nes-bg -o room.bin    (CHR tiles, 1 KiB nametable + attributes, codes)
  kpal convert title.png -t gba-bg-4bpp --compress gba-lz77 -o title.h   (for LZ77UnCompWram)
  kpal convert photo.jpg -t epd-acep7 --fit screen --dither fs -o photo.bin  (7-colour e-paper)
  kpal convert logo.png -t ssd1306-128x64 --dither atkinson -o logo.h  (OLED pages; or logo.xbm)
  kpal convert logo.png -t lvgl-i4 --format lvgl -o logo.c   (lv_image_set_src(img, &logo))
  kpal convert title.png -t zx-spectrum --fit screen --dither -o title.scr   (each 8x8 cell's
        ink and paper chosen; also msx-sc2 .sc2, c64-hires .art, c64-multicolor .kla)

Exit status: 0 done; 1 wrong usage; 2 bad input (image, profile, palette file); 3 an output
could not be written. On any failure no output file is created or changed.
)";

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

// Everything a run needs, settled from the command line before any image is read.
struct Run {
    std::vector<std::string> images;
    std::string output;        // a file, or a folder for a batch
    bool batch = false;        // several images: outputs go into folders
    bool shared = false;       // --shared-palette, or --shared-tiles
    bool shared_tiles = false; // --shared-tiles
    Target target;
    const OutputFormat* format = nullptr;
    ConvertOptions options;
    Picture picture;
    std::string shaping; // the options that shaped the output, for provenance comments
    CodeOptions code;
    std::string symbol;  // --name, or "" for one from each output name
    std::string preview; // file or folder ("" for none)
    std::string sheet;   // file or folder ("" for none)
    std::string palette_out, depfile;
    bool stats = false;
    bool quiet = false;
    int lvgl = 9; // --lvgl
    LoadLimits limits;
    std::vector<std::string> inputs;  // every file read: an output must not be one of them
    std::vector<std::string> depends; // the files the outputs depend on (the depfile's)
    Produced* produced = nullptr;
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

// "bytes: tiles 19200 (packed 6120), map 1200 (packed 310), palette 512": each array's size, for
// the budgets of flash and video memory; packed where --compress packed it.
// The arrays are those of one file: without the tiles (--shared-tiles) or the palette
// (--shared-palette), those are in the set's file.
std::string array_sizes(const Conversion& c, const Target& target, bool with_tiles,
                        bool with_palette) {
    std::vector<std::pair<std::string, std::size_t>> arrays;
    if (target.screen) // the file's pieces, each packed with --compress
        for (const ScreenPiece& piece : target.screen->pieces)
            arrays.emplace_back(std::string(piece.name), piece.size);
    else if (with_tiles)
        arrays.emplace_back(target.tiles ? "tiles" : "pixels", c.pixel_bytes.size());
    const std::size_t skipped = with_tiles || target.screen ? 0 : 1; // packed: the tiles first
    if (c.metasprites) {
        arrays.emplace_back("pieces", c.piece_bytes.size());
        arrays.emplace_back("frames", c.frame_bytes.size());
    }
    if (!c.map_bytes.empty()) {
        const MapFormat& f = *target.tiles->map;
        const auto pieces = split_map(f, c.map_bytes);
        for (std::size_t i = 0; i < pieces.size(); ++i)
            arrays.emplace_back(std::string(map_pieces(f)[i].name), pieces[i].size());
    }
    std::string out =
        target.screen ? "bytes: file " + std::to_string(c.pixel_bytes.size()) + ";" : "bytes:";
    for (std::size_t k = 0; k < arrays.size(); ++k) {
        out += (k ? ", " : " ") + arrays[k].first + " " + std::to_string(arrays[k].second);
        if (skipped + k < c.packed.size())
            out += " (packed " + std::to_string(c.packed[skipped + k].size()) + ")";
    }
    if (!c.mask_bytes.empty()) out += ", mask " + std::to_string(c.mask_bytes.size());
    if (!target.palette_format->is_fixed() && with_palette)
        out += ", palette " + std::to_string(c.palette_bytes.size());
    return out + "\n";
}

std::string output_for(const Run& run, const std::string& input) {
    return run.batch ? in_folder(run.output, stem_of(input) + std::string(run.format->suffix))
                     : run.output;
}

// "3 frames of " for an animation, else "".
std::string frames_text(const Image& image) {
    return image.frame_ms.empty() ? ""
                                  : std::to_string(image.frame_ms.size()) + " frame" +
                                        (image.frame_ms.size() == 1 ? "" : "s") + " of ";
}

// One image converted, before its files are written.
struct Converted {
    std::size_t index; // among the images given
    const std::string& input;
    const Image& image;
    const PaletteChoice& palette;
    Conversion result;
    StageTimes times;           // the stages run for it (load, design, render)
    std::size_t seed_tiles = 0; // tile maps: the tiles it started from (--shared-tiles)
};

// An animation for the output format: refused by one that holds one picture (LVGL, XBM) unless
// it is one frame, then written as a still picture; for one that cuts frames (Arduboy), the
// animation's frames unless --frame gives others.
void settle_frames(const Run& run, Converted& one) {
    Conversion& c = one.result;
    if (c.frame_ms.empty()) return;
    if (run.format->one_picture && c.frame_ms.size() > 1)
        throw Error(ErrorKind::usage,
                    "--format " + std::string(run.format->name) + " holds one picture; " +
                        one.input + " is an animation of " + std::to_string(c.frame_ms.size()) +
                        " frames: pick one with --frames N-N, or write C or a binary");
    if (run.format->one_picture) c.frame_ms.clear(), c.duration_bytes.clear();
}

// Maps one image to its palette (render). `times` holds the stages already run for this image.
Converted render_one(const Run& run, std::size_t index, const Image& image, const Histogram& opaque,
                     const PaletteChoice& palette, StageTimes times) {
    const std::string& input = run.images[index];
    Converted out{index,
                  input,
                  image,
                  palette,
                  render(image, opaque, palette, run.target, run.options, input),
                  times,
                  run.options.tile.seed.size()};
    settle_frames(run, out);
    out.times.lap("render");
    return out;
}

// Writes one image's files and returns a line to print: all of its conversion, or with
// --shared-palette no palette and with --shared-tiles only its map.
std::string write_one(const Run& run, Converted one) {
    const std::size_t index = one.index;
    const std::string& input = one.input;
    const std::string output = output_for(run, input);
    const Image& image = one.image;
    const PaletteChoice& palette = one.palette;
    const Conversion& result = one.result;
    StageTimes& times = one.times;
    // Written to a stream (-o /dev/stdout), the data is named after the image instead.
    const bool stream = output.starts_with("/dev/");
    const std::string symbol =
        !run.symbol.empty() && !run.batch ? run.symbol : symbol_from_path(stream ? input : output);
    EmitRequest request{result,   run.target,
                        symbol,   Provenance{base_name(input), run.shaping + " --name " + symbol},
                        run.code, output};
    request.palette = !run.shared;
    request.tiles = !run.shared_tiles;
    request.tile = run.options.tile;
    if (run.format->cuts_frames && !request.tile.frame && !result.frame_ms.empty())
        request.tile.frame =
            std::pair{result.indexed.width, result.indexed.height / int(result.frame_ms.size())};
    request.lvgl = run.lvgl;
    // The preview's PNG is deflated on a second thread while the output is formatted: for a
    // large picture each takes tens of milliseconds.
    std::future<std::vector<std::uint8_t>> preview_png;
    if (!run.preview.empty())
        preview_png =
            std::async(std::launch::async, [&result] { return kpal::preview_png(result); });
    std::vector<OutputFile> files = run.format->emit(request);
    const auto beside = [&](const std::string& path, const char* suffix) {
        return run.batch ? in_folder(path, stem_of(input) + suffix) : path;
    };
    if (preview_png.valid()) files.push_back({beside(run.preview, ".png"), preview_png.get()});
    if (!run.sheet.empty())
        files.push_back(
            {beside(run.sheet, "-sheet.png"),
             encode_rgba_png(make_sheet(
                 image, result.indexed, result.shown_palette, int(result.palette.size()),
                 result.transparent_entry(),
                 {palette.bank_size, palette.cell, palette.cells_across, palette.cell_bank},
                 result.opaque))});
    times.lap("emit");
    OutputSet outputs;
    std::string written;
    for (OutputFile& file : files) {
        check_not_an_input(file.path, run.inputs);
        written += (written.empty() ? "" : ", ") + file.path;
        outputs.add(file.path, std::move(file.bytes));
    }
    outputs.commit();
    run.produced->add(index, outputs);
    times.lap("write");
    std::string report;
    if (!run.quiet)
        report += "kpal: " + input + " -> " + written + " (" + frames_text(image) +
                  std::to_string(image.width) + "x" +
                  std::to_string(image.height / frame_count(image)) + ", " +
                  std::to_string(result.colors_used) + " colours, target " + run.target.name +
                  ")\n";
    if (run.stats) {
        // A fixed palette's transparent code is also a colour: its mask says which are left out.
        const std::optional<int> hidden = result.transparent_entry();
        const Quality q =
            measure(image, result.indexed, result.shown_palette, hidden, result.opaque);
        char text[256];
        std::snprintf(text, sizeof text,
                      "colours used: %d\nMSE: %.4f\nPSNR: %.4f dB\nPSNR blurred: %.4f dB\n",
                      result.colors_used, q.mse, q.psnr, q.blurred_psnr);
        report += (run.batch ? input + ":\n" : "") + text +
                  array_sizes(result, run.target, !run.shared_tiles, !run.shared);
        const std::size_t designed = result.palette.size() / std::size_t(run.target.palette_size);
        if (result.tiles && run.target.tiles->map) {
            report += "tiles: " + std::to_string(result.tiles->tiles.size());
            if (run.shared_tiles)
                report += " in the shared set, " +
                          std::to_string(result.tiles->tiles.size() - one.seed_tiles) +
                          " added by this image";
            if (result.unmerged) {
                const Quality before =
                    measure(image, *result.unmerged, result.shown_palette, hidden, result.opaque);
                std::snprintf(text, sizeof text,
                              run.shared_tiles ? " (the set merged from %zu, PSNR %.4f dB before)"
                                               : " (merged from %zu, PSNR %.4f dB before)",
                              result.merged_from, before.psnr);
                report += text;
            }
            report += "\n";
        }
        if (result.metasprites) {
            const Metasprites& m = *result.metasprites;
            std::string each; // every frame's pieces
            for (const auto& [first, count] : m.frames)
                each += (each.empty() ? "" : " ") + std::to_string(count);
            report += "pieces: " + std::to_string(m.pieces.size()) + " for " +
                      std::to_string(m.frames.size()) + " frames (a greedy cover by the largest " +
                      "sizes: " + std::to_string(m.greedy) + "); the most on one scanline: " +
                      std::to_string(worst_scanline(m, m.frame_height)) +
                      "\npieces a frame: " + each + "\n";
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

// A line for a picture larger than a framebuffer target's screen (the data would not fit its
// memory), with the options that make it fit; "" when it fits, or the target has no fixed
// screen, or is tile hardware (maps scroll; sprite sheets are cut into frames).
std::string screen_warning(const Target& target, const std::string& input, const Image& image) {
    if (target.tiles || !target.screen_width || !target.screen_height) return "";
    const int height = image.height / frame_count(image); // an animation's frame
    if (image.width <= target.screen_width && height <= target.screen_height) return "";
    const std::string screen =
        std::to_string(target.screen_width) + "x" + std::to_string(target.screen_height);
    return "kpal: warning: " + input + " is " + std::to_string(image.width) + "x" +
           std::to_string(height) + ", larger than target " + target.name + "'s " + screen +
           " screen: the data will not fit it (add --fit screen, or --fit screen --fit-mode "
           "letterbox to keep all of the picture)\n";
}

[[noreturn]] void usage(const std::string& message) {
    throw Error(ErrorKind::usage, message);
}

// The images and -o: one file, or a folder for several; --name and --palette-out fit them.
void settle_output(const Args& args, Run& run) {
    run.images = args.positionals();
    if (run.images.empty()) usage("convert needs an IMAGE");
    if (!args.given("target")) usage("convert needs -t TARGET");
    if (!args.given("output")) usage("convert needs -o OUTPUT");
    run.output = args.text("output");
    run.batch = run.images.size() > 1 || run.output.ends_with('/');
    run.shared_tiles = args.given("shared-tiles");
    run.shared = args.given("shared-palette") || run.shared_tiles; // shared tiles, shared banks
    if (run.batch && !is_folder(run.output))
        usage("with several images -o must be a folder ending in '/'");
    if (run.shared_tiles && !run.batch) usage("--shared-tiles needs several images and -o DIR/");
    if (run.shared && !run.batch) usage("--shared-palette needs several images and -o DIR/");
    run.symbol = args.text("name");
    if (!run.symbol.empty() && run.batch && !run.shared)
        usage("--name names one image's data; with several images each is named after its file "
              "(with --shared-palette, --name SET names the palette: SET_palette)");
    if (!run.symbol.empty() && !is_c_identifier(run.symbol))
        usage("--name " + run.symbol + " is not a C identifier");
    run.palette_out = args.text("palette-out");
    if (!run.palette_out.empty() && run.batch && !run.shared)
        usage("--palette-out saves one palette: give one image, or several with --shared-palette");
}

// The output format (--format, else -o's suffix), which either honours each option that shapes
// the file or refuses it, and the placement of C and assembler arrays.
void settle_format(const Args& args, Run& run) {
    const std::string name = args.text("format");
    // A screen of cells written to its file's suffix (.scr, .sc2, .art, .kla) is that file.
    const bool screen_file =
        run.target.screen && !run.batch && run.output.ends_with(run.target.screen->suffix);
    const OutputFormat& format = !name.empty() ? find_output_format(name)
                                 : screen_file ? find_output_format("bin")
                                               : format_for_path(run.batch ? "x.h" : run.output);
    run.format = &format;
    for (const EmitOption o : emit_options()) {
        const std::string option(emit_option_name(o));
        if (!args.given(option.substr(2)) || format.takes_option(o)) continue;
        std::string takes;
        for (const EmitOption t : emit_options())
            if (format.takes_option(t))
                takes += (takes.empty() ? "" : " ") + std::string(emit_option_name(t));
        usage(option + " does not go with --format " + std::string(format.name) + " (it takes " +
              (takes.empty() ? "none of the output options" : takes) + ")");
    }
    for (const char* picture : {".png", ".jpg", ".jpeg", ".gif", ".bmp"})
        if (name.empty() && !run.batch && run.output.ends_with(picture))
            usage("-o " + run.output + ": kpal writes data (C, binaries, assembler), not " +
                  picture +
                  " pictures; the picture the display shows is --preview FILE.png (or "
                  "give --format to write " +
                  std::string(format.name) + " anyway)");
    run.code = {args.text("section"), args.given("progmem"), int(args.whole("align"))};
    if ((run.code.align & (run.code.align - 1)) != 0)
        usage("--align " + std::to_string(run.code.align) + " is not a power of two");
    if (run.code.section.find_first_of("\"\\\n") != std::string::npos)
        usage("--section must not contain quotes, backslashes or line ends");
    run.lvgl = int(args.whole("lvgl"));
    lvgl_version(run.lvgl);
}

// --fix INDEX=#RRGGBB, each.
std::vector<std::pair<int, Rgb>> pinned(const Args& args) {
    std::vector<std::pair<int, Rgb>> out;
    for (const std::string& fix : args.list("fix")) {
        const std::size_t eq = fix.find('=');
        int index = -1;
        const char* end = fix.data() + std::min(eq, fix.size());
        const auto r = std::from_chars(fix.data(), end, index);
        const auto colour =
            eq == std::string::npos ? std::nullopt : parse_hex_colour(fix.substr(eq + 1));
        if (r.ec != std::errc() || r.ptr != end || eq == std::string::npos || !colour)
            usage("--fix " + fix + " is not INDEX=#RRGGBB");
        out.push_back({index, Rgb{(*colour)[0], (*colour)[1], (*colour)[2]}});
    }
    return out;
}

// The palette and tile options, before any image is read.
ConvertOptions convert_options(const Args& args, bool shared) {
    ConvertOptions o;
    if (args.given("colors")) o.colors = int(args.whole("colors"));
    o.seed = args.whole("seed");
    o.effort = int(args.whole("effort"));
    o.space = *parse_color_space(args.text("colorspace"));
    o.threads = args.whole("jobs") > 1 ? 1 : int(args.whole("threads"));
    // auto: settled once the target is known (settle_dither)
    o.dither = {parse_dither(args.text("dither")).value_or(DitherKind::none),
                args.real("dither-strength")};
    o.order = *parse_palette_order(args.text("order"));
    o.transparency.alpha_threshold = int(args.whole("alpha-threshold"));
    if (args.given("alpha-threshold") && args.given("flatten"))
        usage("--alpha-threshold does not go with --flatten: every pixel is opaque after it");
    if (const auto key = parse_hex_colour(args.text("key")))
        o.transparency.key = Rgb{(*key)[0], (*key)[1], (*key)[2]};
    if (args.given("transparent-index")) o.transparent_index = int(args.whole("transparent-index"));
    o.fixed = pinned(args);
    if (args.given("palette") &&
        (args.given("fix") || args.given("fix-palette") || args.given("colors")))
        usage("--palette uses a whole palette: it does not go with -k, --fix or --fix-palette");
    if (args.text("engine") == "fixed") {
        if (shared)
            usage("--engine fixed designs one image's palette: it does not go with "
                  "--shared-palette");
        o.engine = Engine::fixed;
    }
    if (args.given("refine-passes")) o.refine_passes = int(args.whole("refine-passes"));
    o.redesign = args.given("redesign");
    o.mask = args.given("mask");
    o.palettes = int(args.whole("palettes"));
    o.tile = tile_options(args);
    o.merge_tiles = args.given("merge-tiles");
    return o;
}

// --compress: a method whose kind (LVGL's, or a plain stream) fits the format; "platform" is
// the first of the target's own decoders that does.
void settle_compress(Args& args, Run& run) {
    if (!args.given("compress")) return;
    std::string name = args.text("compress");
    const bool lvgl_image = run.format->takes_option(EmitOption::lvgl);
    if (name == "platform") {
        if (run.target.decoders.empty())
            usage("--compress platform: target " + run.target.name +
                  " names no decoders of its own; give a method");
        for (const std::string& m : run.target.decoders)
            if ((find_compress_method(m)->lvgl != 0) == lvgl_image) {
                name = m;
                break;
            }
        if (name == "platform")
            usage("--compress platform: target " + run.target.name +
                  "'s decoders are LVGL's, for --format lvgl or lvgl-bin");
        args.resolve("compress", name);
    }
    const CompressMethod* method = find_compress_method(name);
    if (run.target.screen && run.format->name == "bin")
        usage("--compress with --format " + std::string(run.format->name) + ": target " +
              run.target.name +
              "'s file is stored whole; the C and assembler formats pack each "
              "of its pieces");
    if (lvgl_image != (method->lvgl != 0))
        usage(lvgl_image
                  ? "LVGL images take --compress lvgl-rle or lvgl-lz4"
                  : "--compress " + name + " is LVGL's: it goes with --format lvgl or lvgl-bin");
    run.options.compress = method;
}

// --dither auto (or --dither alone): the kind measured best for the target's family, and the
// space it adds up errors in unless --dither-space says, recorded in the provenance by name.
// --dither-space goes with the kinds that add up errors.
void settle_dither(Args& args, Run& run) {
    DitherOptions& d = run.options.dither;
    if (args.text("dither") == "auto") {
        const DitherOptions chosen = default_dither(run.target, run.options);
        d.kind = chosen.kind;
        args.resolve("dither", std::string(dither_name(d.kind)));
        if (!args.given("dither-strength") && chosen.strength != d.strength) {
            char text[16];
            std::snprintf(text, sizeof text, "%g", chosen.strength);
            d.strength = chosen.strength;
            args.resolve("dither-strength", text);
        }
        if (!args.given("dither-space") && chosen.light) args.resolve("dither-space", "light");
    }
    d.light = args.text("dither-space") == "light";
    if (args.given("dither-space") && !adds_up_errors(d.kind))
        usage("--dither-space is for error diffusion and search; --dither " +
              std::string(dither_name(d.kind)) + " does not add up errors");
}

// --tileset-in TILES.bin: the tiles, and the palette beside them (TILES.pal).
std::array<std::string, 2> tileset_files(const Args& args) {
    const std::string tiles = args.text("tileset-in");
    return {tiles, replace_suffix(tiles, ".pal")};
}

// --tileset-in: the seed's tiles and palette read, where the tile stage starts.
void settle_tileset(const Args& args, Run& run) {
    if (!args.given("tileset-in")) return;
    const auto [tiles, palette] = tileset_files(args);
    if (!std::filesystem::exists(palette))
        throw_input_error(palette, "not found: --tileset-in " + tiles +
                                       " reads its palette from beside it, as kpal writes it");
    run.options.tileset =
        read_tileset_seed(read_file(tiles), read_file(palette), run.target, tiles);
    run.options.tile.seed = run.options.tileset->tiles;
}

// The files the run reads: none may be overwritten, and the outputs depend on them.
void settle_files(const Args& args, Run& run) {
    run.inputs = run.images;
    run.depends = run.images;
    for (const char* option : {"target", "palette", "fix-palette"}) {
        if (!args.given(option)) continue;
        const std::string file = args.text(option);
        run.inputs.push_back(file);
        if (std::filesystem::is_regular_file(file)) run.depends.push_back(file);
    }
    if (run.options.tileset)
        for (const std::string& file : tileset_files(args)) {
            run.inputs.push_back(file);
            run.depends.push_back(file);
        }
    for (std::vector<std::string>* list : {&run.inputs, &run.depends})
        list->insert(list->end(), run.target.files.begin(), run.target.files.end());
    run.depfile = args.text("depfile");
    for (const std::string& file : {run.depfile, run.palette_out})
        if (!file.empty()) check_not_an_input(file, run.inputs);
}

// The "Options:" of the provenance comment: the target, the palette's size or file, the pinned
// entries, then the recorded rows of the option table.
std::string shaping(const Args& args, const Run& run) {
    std::string out = "-t " + run.target.name;
    if (run.target.palette_format->is_fixed())
        ; // nothing to choose: the panel's colours
    else if (!args.given("palette"))
        out += " -k " + std::to_string(palette_colors(run.target, run.options));
    else
        out += " --palette " + base_name(args.text("palette"));
    for (const auto& [index, colour] : run.options.fixed) out += " --fix " + std::to_string(index);
    return out + recorded(args, Command::convert);
}

// Everything the command line settles, checked before any image is read.
Run prepare(Args& args) {
    Run run;
    settle_output(args, run);
    run.options = convert_options(args, run.shared);
    run.target = load_target(args.text("target"));
    settle_format(args, run);
    if (args.given("master-palette")) set_master_palette(run.target, args.text("master-palette"));
    check_fits(args, Command::convert, run.target, run.format);
    if (args.given("row-align")) run.target.row_align = int(args.whole("row-align"));
    run.picture = settle_picture(args, run.target);
    settle_compress(args, run);
    palette_colors(run.target, run.options); // usage errors before the slow work
    settle_dither(args, run);
    if (args.given("palette")) run.options.given_palette = read_palette(args.text("palette"));
    if (args.given("fix-palette")) {
        const std::vector<Rgb> first = read_palette(args.text("fix-palette"));
        for (std::size_t i = 0; i < first.size(); ++i)
            run.options.fixed.push_back({int(i), first[i]});
    }
    if (run.options.engine == Engine::fixed) check_fixed_engine_options(run.options);
    settle_tileset(args, run);
    run.preview = args.text("preview");
    run.sheet = args.text("sheet");
    run.stats = args.given("stats");
    run.quiet = args.given("quiet");
    run.limits.max_pixels = args.whole("max-pixels");
    settle_files(args, run);
    run.shaping = shaping(args, run);
    if (run.batch) { // a folder named for the outputs is made, as build systems expect
        std::error_code ec;
        std::filesystem::create_directories(run.output, ec);
        if (ec)
            throw Error(ErrorKind::output,
                        run.output + ": cannot make the folder: " + ec.message());
    }
    return run;
}

// The depfile, once every output is written: each file the run made depends on the images, the
// profile file and palette files. A run that wrote only to streams (-o /dev/stdout) names its
// -o, so that the rule stays a rule.
void write_depfile(const Run& run) {
    if (run.depfile.empty()) return;
    std::vector<std::string> made = run.produced->in_order();
    if (made.empty()) made.push_back(run.output);
    std::string rule;
    for (const std::string& path : made) rule += make_escaped(path) + " ";
    rule += ":";
    for (const std::string& dep : run.depends) rule += " \\\n  " + make_escaped(dep);
    OutputSet outputs;
    outputs.add(run.depfile, rule + "\n");
    outputs.commit();
}

// --palette-out: the palette as a palette file of the kind its name says.
void save_palette(const Run& run, const PaletteChoice& palette, const Histogram& opaque,
                  const Image& image) {
    if (run.palette_out.empty()) return;
    const Conversion c = render(image, opaque, palette, run.target, run.options);
    const std::string& path = run.palette_out;
    const OutputFormat& file_format = path.ends_with(".gpl")   ? find_output_format("gpl")
                                      : path.ends_with(".act") ? find_output_format("act")
                                                               : find_output_format("jasc-pal");
    EmitRequest request{c,        run.target, symbol_from_path(path), Provenance{"", run.shaping},
                        run.code, path};
    OutputSet outputs;
    for (OutputFile& f : file_format.emit(request)) outputs.add(f.path, std::move(f.bytes));
    outputs.commit();
    run.produced->add(run.images.size() + 1, outputs);
}

// --shared-palette: the palette once, in the output's format (each image's file then holds only
// its pixels); with --shared-tiles the tileset too, from the last image's conversion (each
// image's file then holds only its map).
void write_shared_set(const Run& run, const Conversion& c, StageTimes& times) {
    const std::string what = run.shared_tiles ? "tileset" : "palette";
    const std::string set = run.symbol.empty() ? what : run.symbol + "_" + what;
    const std::string path = in_folder(run.output, set + std::string(run.format->suffix));
    EmitRequest request{c,        run.target, set, Provenance{"the images given", run.shaping},
                        run.code, path};
    request.pixels = run.shared_tiles;
    request.map = false;
    request.tile = run.options.tile;
    OutputSet outputs;
    for (OutputFile& f : run.format->emit(request)) {
        check_not_an_input(f.path, run.inputs);
        outputs.add(f.path, std::move(f.bytes));
    }
    times.lap("emit");
    outputs.commit();
    run.produced->add(run.images.size(), outputs);
    times.lap("write");
    if (run.stats)
        std::cout << (run.shared_tiles ? "tileset and palette" : "palette") << " shared by "
                  << run.images.size() << " images:\n" + times.report();
}

// " 2/5": which of several images a stage is at ("" for one image).
std::string of_images(std::size_t index, std::size_t count) {
    return count == 1 ? std::string()
                      : " " + std::to_string(index + 1) + "/" + std::to_string(count);
}

// The images of a run that designs one palette, loaded, each with its histogram.
struct Loaded {
    std::vector<Image> images;
    std::vector<Histogram> histograms;
    std::vector<StageTimes> times;
    Histogram all; // merged, when there are several
    bool any_transparent = false;
};

Loaded load_all(const Run& run, Progress& progress) {
    const std::vector<std::string>& inputs = run.images;
    Loaded out;
    out.times.resize(inputs.size());
    for (std::size_t i = 0; i < inputs.size(); ++i) {
        const std::string of = of_images(i, inputs.size());
        out.times[i].skip();
        progress.stage("load" + of);
        out.images.push_back(load_for(inputs[i], run.picture, run.limits));
        if (const std::string warning = screen_warning(run.target, inputs[i], out.images.back());
            !run.quiet && !warning.empty()) {
            progress.clear();
            std::cerr << warning;
        }
        out.times[i].lap("load");
        progress.stage("histogram" + of);
        out.histograms.push_back(
            build_histogram(out.images.back(), &run.options.transparency, run.options.threads));
        out.times[i].lap("histogram");
        out.any_transparent =
            out.any_transparent || out.histograms.back().total() < out.images.back().pixel_count();
        if (inputs.size() > 1) merge_histogram(out.all, out.histograms.back());
    }
    return out;
}

// --shared-tiles: the screens rendered together on one tileset (render_shared_tiles); the time
// is the set's.
std::vector<Converted> render_level(const Run& run, Loaded& loaded,
                                    const std::vector<PaletteChoice>& palettes, Progress& progress,
                                    StageTimes& times) {
    progress.stage("render " + std::to_string(run.images.size()) + " screens on one tileset");
    times.skip();
    std::vector<Conversion> results = render_shared_tiles(
        loaded.images, loaded.histograms, palettes, run.target, run.options, run.images);
    times.lap("render");
    std::vector<Converted> out;
    std::size_t before = run.options.tile.seed.size(); // the tiles in the set before each screen
    for (std::size_t i = 0; i < results.size(); ++i) {
        const std::size_t after = results[i].tiles->tiles.size();
        loaded.times[i].skip();
        out.push_back({i, run.images[i], loaded.images[i], palettes[i], std::move(results[i]),
                       loaded.times[i], before});
        settle_frames(run, out.back());
        before = after;
    }
    return out;
}

// One palette: one image's, or one shared by several (or banks their tiles choose from). Every
// image is loaded first, so that a failure stops everything with nothing written.
int convert_together(const Run& run) {
    const std::vector<std::string>& inputs = run.images;
    Progress progress(inputs.size() == 1 ? inputs[0] : std::to_string(inputs.size()) + " images",
                      !run.quiet);
    Loaded loaded = load_all(run, progress);
    // One image: its own histogram, not a merged copy of it.
    const Histogram& pooled = inputs.size() > 1 ? loaded.all : loaded.histograms[0];
    StageTimes shared_times; // the palette's own stages, when several images share it
    StageTimes& design_times = run.shared ? shared_times : loaded.times[0];
    design_times.skip();
    progress.stage("design");
    const std::vector<PaletteChoice> palettes =
        inputs.size() == 1
            ? std::vector{choose_palette_for(loaded.images[0], pooled, run.target, run.options)}
            : choose_shared_palette(loaded.images, pooled, loaded.any_transparent, run.target,
                                    run.options);
    design_times.lap("design");
    // Every image rendered before any file is written: a failure writes nothing.
    std::vector<Converted> converted =
        run.shared_tiles ? render_level(run, loaded, palettes, progress, shared_times)
                         : std::vector<Converted>{};
    for (std::size_t i = 0; i < inputs.size() && !run.shared_tiles; ++i) {
        loaded.times[i].skip();
        progress.stage("render" + of_images(i, inputs.size()));
        converted.push_back(render_one(run, i, loaded.images[i], loaded.histograms[i], palettes[i],
                                       loaded.times[i]));
    }
    save_palette(run, palettes[0], loaded.histograms[0], loaded.images[0]);
    if (!run.palette_out.empty()) design_times.lap("palette-out");
    if (run.shared) write_shared_set(run, converted.back().result, shared_times);
    for (Converted& one : converted) {
        progress.stage("write" + of_images(one.index, inputs.size()));
        const std::string report = write_one(run, std::move(one));
        progress.clear();
        std::cout << report << std::flush;
    }
    return 0;
}

// A batch of separate palettes: each image on its own; a failure is reported and the others
// still complete. -j converts several at once; each output depends only on its input.
int convert_each(const Run& run, int jobs) {
    const std::vector<std::string>& inputs = run.images;
    std::vector<std::string> reports(inputs.size()), errors(inputs.size()), warnings(inputs.size());
    std::vector<int> statuses(inputs.size(), 0);
    std::atomic<std::size_t> next{0}, done{0};
    std::mutex progress;
    std::string slowest;
    double slowest_seconds = 0;
    const bool terminal = ::isatty(STDERR_FILENO) && !run.quiet;
    const auto worker = [&] {
        for (std::size_t i; (i = next++) < inputs.size();) {
            const auto start = std::chrono::steady_clock::now();
            try {
                StageTimes times;
                const Image image = load_for(inputs[i], run.picture, run.limits);
                warnings[i] = run.quiet ? "" : screen_warning(run.target, inputs[i], image);
                times.lap("load");
                const Histogram opaque =
                    build_histogram(image, &run.options.transparency, run.options.threads);
                times.lap("histogram");
                const PaletteChoice palette =
                    choose_palette_for(image, opaque, run.target, run.options);
                times.lap("design");
                reports[i] = write_one(run, render_one(run, i, image, opaque, palette, times));
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
    return status;
}

} // namespace

int convert_command(const std::vector<std::string>& arguments) {
    Args args = parse_command_line(Command::convert, arguments, "image", -1);
    if (args.given("help")) {
        std::cout << usage_text << options_help(Command::convert) << examples;
        return 0;
    }
    Produced produced;
    Run run = prepare(args);
    run.produced = &produced;
    const int status = run.shared || !run.batch ? convert_together(run)
                                                : convert_each(run, int(args.whole("jobs")));
    if (status == 0) write_depfile(run);
    return status;
}

} // namespace kpal::cli
