#include "kpal/target.h"

#include "builtin_targets.h"
#include "kpal/compress.h"
#include "kpal/error.h"
#include "table.h"

#include <boost/program_options.hpp>

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <sstream>

namespace po = boost::program_options;

namespace kpal {
namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
        s.remove_suffix(1);
    return s;
}

// The 1-based number of the first line of `text` for which `match(line)` holds; 0 if none.
template <class Match> int find_line(std::string_view text, Match&& match) {
    int number = 0;
    for (std::size_t at = 0; at <= text.size();) {
        const std::size_t end = std::min(text.find('\n', at), text.size());
        ++number;
        if (match(text.substr(at, end - at))) return number;
        at = end + 1;
    }
    return 0;
}

// The line where `key` is set; 0 if none.
int line_of(std::string_view text, std::string_view key) {
    return find_line(
        text, [&](std::string_view line) { return trim(line.substr(0, line.find('='))) == key; });
}

class ProfileErrors {
  public:
    ProfileErrors(std::string_view text, const std::string& origin)
        : text_(text), origin_(origin) {}
    [[noreturn]] void fail(std::string_view key, const std::string& problem) const {
        const int line = line_of(text_, key);
        throw_input_error(origin_ + (line ? ":" + std::to_string(line) : std::string()),
                          "'" + std::string(key) + "': " + problem);
    }

  private:
    std::string_view text_;
    const std::string& origin_;
};

int parse_int(const ProfileErrors& errors, const std::string& key, const std::string& value, int lo,
              int hi) {
    int n = 0;
    const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
    if (ec != std::errc() || end != value.data() + value.size() || value.empty())
        errors.fail(key, "'" + value + "' is not a whole number");
    if (n < lo || n > hi)
        errors.fail(key, std::to_string(n) + " is out of range " + std::to_string(lo) + ".." +
                             std::to_string(hi));
    return n;
}

template <class Row> std::string names_of(std::span<const Row> rows) {
    std::string all;
    for (const Row& r : rows) all += (all.empty() ? "" : ", ") + std::string(r.name);
    return all;
}

std::string code_format_names() {
    std::string all;
    for (const PaletteFormat& f : palette_formats())
        if (f.is_code_format()) all += (all.empty() ? "" : ", ") + std::string(f.name);
    return all;
}

// The tile keys of a profile: tile_format, map_format (or none for sprites), sprite_order,
// sprite_sizes, max_tiles, color0, screen_blocks, palettes.
// A screen of cells: its format, 4 bits a pixel (the master palette's codes), no layout.
void parse_screen(const ProfileErrors& errors, const po::variables_map& values, Target& t) {
    for (const char* key : {"layout", "tile_format", "bpp", "row_align", "palette_size"})
        if (values.count(key)) errors.fail(key, "a screen of cells has no " + std::string(key));
    const std::string name = values["screen_format"].as<std::string>();
    t.screen = find_screen_format(name);
    if (!t.screen)
        errors.fail("screen_format", "unknown screen format '" + name +
                                         "' (known: " + names_of(screen_formats()) + ")");
    t.bpp = 4;
}

TileHardware parse_tile_hardware(const ProfileErrors& errors, const po::variables_map& values) {
    const auto get_or = [&](const std::string& key, const std::string& fallback) {
        return values.count(key) ? values[key].as<std::string>() : fallback;
    };
    TileHardware hw;
    const std::string format = get_or("tile_format", "");
    hw.format = find_tile_format(format);
    if (!hw.format)
        errors.fail("tile_format", "unknown tile format '" + format +
                                       "' (known: " + names_of(tile_formats()) + ")");
    const std::string map = get_or("map_format", "none");
    if (map != "none") {
        hw.map = find_map_format(map);
        if (!hw.map)
            errors.fail("map_format", "unknown map format '" + map + "' (known: none, " +
                                          names_of(map_formats()) + ")");
        if (values.count("sprite_order"))
            errors.fail("sprite_order", "goes with map_format = none (sprites)");
    } else {
        const std::string order = get_or("sprite_order", "rows");
        hw.order = find_sprite_order(order);
        if (!hw.order)
            errors.fail("sprite_order", "unknown sprite order '" + order +
                                            "' (known: " + names_of(sprite_orders()) + ")");
        std::istringstream sizes(get_or("sprite_sizes", ""));
        for (std::string word; sizes >> word;) {
            int w = 0, h = 0;
            char x = 0, extra = 0;
            std::istringstream size(word);
            if (!(size >> w >> x >> h) || x != 'x' || size >> extra || w < 8 || h < 8 || w % 8 ||
                h % 8)
                errors.fail("sprite_sizes", "'" + word + "' is not WxH of whole 8x8 tiles");
            hw.sprite_sizes.emplace_back(w, h);
        }
    }
    if (hw.map && values.count("sprite_sizes"))
        errors.fail("sprite_sizes", "goes with map_format = none (sprites)");
    const int field = hw.map ? int(hw.map->max_tiles()) : 65536;
    hw.max_tiles = unsigned(
        parse_int(errors, "max_tiles", get_or("max_tiles", std::to_string(field)), 1, field));
    const std::string colour0 = get_or("color0", hw.map ? "own" : "transparent");
    if (colour0 == "own")
        hw.colour0 = Colour0::own;
    else if (colour0 == "backdrop")
        hw.colour0 = Colour0::backdrop;
    else if (colour0 == "transparent")
        hw.colour0 = Colour0::transparent;
    else
        errors.fail("color0", "'" + colour0 + "' is not one of: own, backdrop, transparent");
    if (values.count("palettes") && !hw.map)
        errors.fail("palettes", "goes with a map_format (each map entry names its bank)");
    const int banks = hw.map ? int(hw.map->palette.max()) + 1 : 1;
    hw.banks = parse_int(errors, "palettes", get_or("palettes", "1"), 1, banks);
    const std::string blocks = get_or("screen_blocks", "no");
    if (blocks != "yes" && blocks != "no") errors.fail("screen_blocks", "must be yes or no");
    hw.screen_blocks = blocks == "yes";
    if (hw.screen_blocks && !hw.map) errors.fail("screen_blocks", "goes with a map_format");
    return hw;
}

// Replaces a code format's colours (measured ones, an emulator's).
void set_shown_colours(Target& t, std::vector<Rgb> shown) {
    t.own_palette_format =
        std::make_shared<const PaletteFormat>(with_shown_colours(*t.palette_format, shown));
    t.palette_format = t.own_palette_format.get();
}

// "RRGGBB RRGGBB ..." (spaces or commas between; no '#', which starts a comment in a profile):
// exactly `count` colours.
std::vector<Rgb> parse_colour_list(const ProfileErrors& errors, const std::string& text,
                                   std::size_t count) {
    std::vector<Rgb> colours;
    std::string spaced = text, word;
    std::replace(spaced.begin(), spaced.end(), ',', ' ');
    std::istringstream in(spaced);
    while (in >> word) {
        const std::string_view item = word;
        unsigned value = 0;
        const auto [end, ec] = std::from_chars(item.data(), item.data() + item.size(), value, 16);
        if (item.size() != 6 || ec != std::errc() || end != item.data() + item.size())
            errors.fail("shown_colors", "'" + word + "' is not an RRGGBB colour (six hex digits)");
        colours.push_back(
            {std::uint8_t(value >> 16), std::uint8_t(value >> 8), std::uint8_t(value)});
    }
    if (colours.size() != count)
        errors.fail("shown_colors", std::to_string(colours.size()) + " colours; the format has " +
                                        std::to_string(count) + " codes, one colour each");
    return colours;
}

} // namespace

Target parse_target(std::string_view text, const std::string& origin, const std::string& name) {
    const ProfileErrors errors(text, origin);
    po::options_description keys;
    static const char* const known[] = {
        "description",  "layout",    "bpp",      "row_align",     "palette_format",
        "palette_size", "width",     "height",   "tile_format",   "map_format",
        "sprite_order", "max_tiles", "color0",   "screen_blocks", "master_palette",
        "shown_colors", "decoders",  "palettes", "sprite_sizes",  "screen_format"};
    std::string known_list;
    for (const char* key : known) {
        keys.add_options()(key, po::value<std::string>());
        known_list += (known_list.empty() ? "" : ", ") + std::string(key);
    }

    po::variables_map values;
    try {
        std::istringstream in{std::string(text)};
        const po::parsed_options parsed = po::parse_config_file(in, keys, true);
        for (const po::option& o : parsed.options)
            if (o.unregistered)
                errors.fail(o.string_key, "unknown key (known: " + known_list + ")");
        po::store(parsed, values);
    } catch (const po::invalid_config_file_syntax&) {
        // Boost's message would quote the line through a template that loops forever on some
        // text (found by fuzzing), so kpal finds the line itself: the first that is not blank,
        // a comment, a [section] or a key = value.
        const auto malformed = [](std::string_view line) {
            line = trim(line.substr(0, line.find('#')));
            return !line.empty() && line.front() != '[' && line.find('=') == std::string_view::npos;
        };
        if (const int number = find_line(text, malformed)) {
            std::string_view line = text;
            for (int n = 1; n < number; ++n) line.remove_prefix(line.find('\n') + 1);
            line = trim(line.substr(0, line.find('\n')));
            throw_input_error(origin + ":" + std::to_string(number),
                              "'" + std::string(trim(line.substr(0, line.find('#')))) +
                                  "' is not a 'key = value' line");
        }
        throw_input_error(origin, "is not a profile of 'key = value' lines");
    } catch (const po::multiple_occurrences& e) {
        const std::string key =
            e.get_option_name().substr(e.get_option_name().find_first_not_of('-'));
        errors.fail(key, "set more than once");
    } catch (const po::error&) {
        throw_input_error(origin, "is not a profile of 'key = value' lines");
    }

    const auto get = [&](const std::string& key) -> std::string {
        if (!values.count(key)) errors.fail(key, "missing (every profile must set it)");
        return values[key].as<std::string>();
    };
    const auto get_or = [&](const std::string& key, const std::string& fallback) {
        return values.count(key) ? values[key].as<std::string>() : fallback;
    };

    Target t;
    t.name = name;
    t.origin = origin;
    t.description = get_or("description", "");
    if (values.count("tile_format")) {
        if (values.count("layout"))
            errors.fail("layout", "tile hardware has a tile_format, not a layout");
        t.tiles = parse_tile_hardware(errors, values);
        t.bpp = t.tiles->format->bpp;
        if (values.count("bpp") && parse_int(errors, "bpp", get("bpp"), 1, 8) != t.bpp)
            errors.fail("bpp", "tile format '" + std::string(t.tiles->format->name) + "' has " +
                                   std::to_string(t.bpp) + " bits a pixel");
    } else {
        for (const char* key : {"map_format", "sprite_order", "sprite_sizes", "max_tiles", "color0",
                                "screen_blocks", "palettes"})
            if (values.count(key)) errors.fail(key, "goes with tile_format (tile hardware)");
    }
    if (values.count("screen_format")) {
        parse_screen(errors, values, t);
    } else if (!t.tiles) {
        const std::string layout = get("layout");
        t.layout = find_pixel_layout(layout);
        if (!t.layout)
            errors.fail("layout", "unknown layout '" + layout +
                                      "' (known: " + names_of(pixel_layouts()) + ")");
        t.bpp = parse_int(errors, "bpp", get("bpp"), 1, 8);
        if (!t.layout->supports(t.bpp))
            errors.fail("bpp", "layout '" + layout + "' does not take " + std::to_string(t.bpp) +
                                   " bits a pixel");
    }
    t.row_align = parse_int(errors, "row_align", get_or("row_align", "1"), 1, 4096);
    const std::string format = get("palette_format");
    t.palette_format = find_palette_format(format);
    if (!t.palette_format)
        errors.fail("palette_format", "unknown palette format '" + format +
                                          "' (known: " + names_of(palette_formats()) + ")");
    if (values.count("master_palette")) {
        if (!t.palette_format->is_code_format())
            errors.fail("master_palette", "goes with a palette format of colour codes (" +
                                              code_format_names() + "), not " + format);
        t.master_palette = get("master_palette");
        if (t.master_palette.empty()) errors.fail("master_palette", "names no file");
    }
    if (values.count("shown_colors")) {
        if (!t.palette_format->is_code_format())
            errors.fail("shown_colors", "goes with a palette format of colour codes (" +
                                            code_format_names() + "), not " + format);
        if (values.count("master_palette"))
            errors.fail("shown_colors", "and master_palette both give the colours: keep one");
        set_shown_colours(
            t, parse_colour_list(errors, get("shown_colors"), t.palette_format->shown.size()));
    }
    const PaletteFormat& f = *t.palette_format;
    if (f.is_fixed()) {
        // The pixels are the codes: the table's size is the palette's.
        if (f.shown.size() > (std::size_t(1) << t.bpp))
            errors.fail("bpp", "palette format " + format + " has codes 0.." +
                                   std::to_string(f.shown.size() - 1) + ", more than " +
                                   std::to_string(t.bpp) + " bits a pixel hold");
        if (values.count("palette_size") && get("palette_size") != std::to_string(f.shown.size()))
            errors.fail("palette_size", "palette format " + format + " is fixed at " +
                                            std::to_string(f.shown.size()) + " codes");
        t.palette_size = int(f.shown.size());
    } else {
        t.palette_size =
            parse_int(errors, "palette_size", get_or("palette_size", std::to_string(1 << t.bpp)), 1,
                      1 << t.bpp);
    }
    std::istringstream decoders(get_or("decoders", ""));
    for (std::string method; decoders >> method;) {
        if (!find_compress_method(method)) {
            std::string known;
            for (const CompressMethod& m : compress_methods())
                known += (known.empty() ? "" : ", ") + std::string(m.name);
            errors.fail("decoders", "unknown method '" + method + "' (known: " + known + ")");
        }
        t.decoders.push_back(method);
    }
    // A screen of cells is its format's size.
    const std::string width = std::to_string(t.screen ? t.screen->width : 0);
    const std::string height = std::to_string(t.screen ? t.screen->height : 0);
    t.screen_width = parse_int(errors, "width", get_or("width", width), 0, 65535);
    t.screen_height = parse_int(errors, "height", get_or("height", height), 0, 65535);
    if (t.screen && (t.screen_width != t.screen->width || t.screen_height != t.screen->height))
        errors.fail("width", "screen format " + std::string(t.screen->name) + " holds " +
                                 std::to_string(t.screen->width) + "x" +
                                 std::to_string(t.screen->height) + " pixels");
    if (t.screen && (!t.palette_format->is_fixed() || t.palette_format->shown.size() != 16))
        errors.fail("palette_format", "a screen of cells takes a master palette of 16 codes "
                                      "(zx-spectrum, tms9918, c64)");
    return t;
}

void set_master_palette(Target& t, const std::string& path, const std::string& named_by) {
    if (!t.palette_format->is_code_format())
        throw Error(ErrorKind::usage, "a master palette goes with a target whose palette is colour "
                                      "codes (" +
                                          code_format_names() + "); target " + t.name + " has " +
                                          std::string(t.palette_format->name));
    const std::size_t codes = t.palette_format->shown.size();
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw_input_error(path, "cannot open the master palette" +
                                    (named_by.empty() ? "" : " named by " + named_by));
    const std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(in)),
                                          std::istreambuf_iterator<char>());
    if (bytes.size() != 3 * codes && bytes.size() != 24 * codes)
        throw_input_error(path, "master palette of " + std::to_string(bytes.size()) +
                                    " bytes; format " + std::string(t.palette_format->name) +
                                    " takes " + std::to_string(3 * codes) + " (R, G, B for " +
                                    std::to_string(codes) + " codes)");
    std::vector<Rgb> shown;
    for (std::size_t c = 0; c < codes; ++c)
        shown.push_back({bytes[3 * c], bytes[3 * c + 1], bytes[3 * c + 2]});
    set_shown_colours(t, std::move(shown));
    t.files.push_back(path);
}

Target load_target(const std::string& name_or_path) {
    const bool is_path = name_or_path.find('/') != std::string::npos ||
                         (name_or_path.size() > 4 && name_or_path.ends_with(".ini"));
    if (!is_path) {
        for (const BuiltinTarget& b : builtin_targets())
            if (b.name == name_or_path)
                return parse_target(b.text, "built-in target " + name_or_path, name_or_path);
        const std::vector<std::string> names = builtin_target_names();
        const std::string near = closest_name(name_or_path, names);
        throw_input_error(name_or_path, "no such target" +
                                            (near.empty() ? "" : "; did you mean " + near + "?") +
                                            " (run 'kpal targets' for the list, or give the path "
                                            "of a profile file)");
    }
    std::error_code ec;
    if (!std::filesystem::is_regular_file(name_or_path, ec))
        throw_input_error(name_or_path, std::filesystem::exists(name_or_path, ec)
                                            ? "target profile is not a regular file"
                                            : "no such target profile file");
    std::ifstream in(name_or_path, std::ios::binary);
    if (!in) throw_input_error(name_or_path, "cannot open target profile");
    std::ostringstream text;
    text << in.rdbuf();
    if (in.bad()) throw_input_error(name_or_path, "cannot read target profile");
    std::string stem = name_or_path.substr(name_or_path.find_last_of('/') + 1);
    if (stem.ends_with(".ini")) stem.resize(stem.size() - 4);
    Target t = parse_target(text.str(), name_or_path, stem);
    if (!t.master_palette.empty()) {
        const std::filesystem::path file(t.master_palette);
        set_master_palette(
            t,
            file.is_absolute()
                ? t.master_palette
                : (std::filesystem::path(name_or_path).parent_path() / file).string(),
            t.origin);
    }
    return t;
}

std::vector<std::string> builtin_target_names() {
    std::vector<std::string> names;
    for (const BuiltinTarget& b : builtin_targets()) names.emplace_back(b.name);
    std::sort(names.begin(), names.end());
    return names;
}

} // namespace kpal
