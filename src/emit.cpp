#include "kpal/emit.h"

#include "kpal/error.h"
#include "kpal/layout.h"
#include "kpal/lvgl.h"
#include "kpal/version.h"

#include <array>
#include <cctype>
#include <cstdio>
#include <cstring>

namespace kpal {
namespace {

std::string base_name(const std::string& path) {
    return path.substr(path.find_last_of('/') + 1);
}

std::string upper(std::string s) {
    for (char& c : s) c = char(std::toupper(static_cast<unsigned char>(c)));
    return s;
}

std::vector<std::uint8_t> bytes_of(const std::string& text) {
    return {text.begin(), text.end()};
}

// The files an emitter returns, moved in: a braced list would copy every byte of them.
std::vector<OutputFile> files_of(OutputFile a) {
    std::vector<OutputFile> out;
    out.push_back(std::move(a));
    return out;
}
std::vector<OutputFile> files_of(OutputFile a, OutputFile b) {
    std::vector<OutputFile> out = files_of(std::move(a));
    out.push_back(std::move(b));
    return out;
}

// Comments must not be closed early by the text they quote.
std::string comment_safe(std::string s) {
    for (std::size_t at; (at = s.find("*/")) != std::string::npos;) s.replace(at, 2, "* /");
    return s;
}

// How a list of bytes is written: each line opened by `line_start` and closed by `line_end`,
// items on a line separated by `between`, and `after` every item but the last; each item in hex
// as "0x.." or, with `dollar`, as " $.." (6502 assemblers; the space keeps the width).
struct ListStyle {
    std::string_view line_start, between, after, line_end;
    bool dollar = false;
};
constexpr ListStyle c_style{"\n    ", " ", ",", ""};

// Appends bytes as hex items, `per_line` a line, formatted from a table into `out` grown once,
// so that a large array costs little more than its copy.
void append_byte_list(std::string& out, std::span<const std::uint8_t> bytes, std::size_t per_line,
                      const ListStyle& style) {
    static const auto tables = [] {
        std::array<std::array<std::array<char, 4>, 256>, 2> t{};
        const char* hexdigit = "0123456789abcdef";
        for (std::size_t v = 0; v < 256; ++v) {
            t[0][v] = {'0', 'x', hexdigit[v >> 4], hexdigit[v & 15]};
            t[1][v] = {' ', '$', hexdigit[v >> 4], hexdigit[v & 15]};
        }
        return t;
    }();
    const auto& digits = tables[style.dollar ? 1 : 0];
    if (bytes.empty()) return;
    // What goes between two items on a line, and between the last of a line and the next.
    const std::string on_line = std::string(style.after) + std::string(style.between);
    const std::string next_line =
        std::string(style.after) + std::string(style.line_end) + std::string(style.line_start);
    const std::size_t lines = (bytes.size() + per_line - 1) / per_line;
    const std::size_t before = out.size();
    out.resize(before + bytes.size() * (4 + on_line.size()) +
               lines * (next_line.size() + style.line_start.size()));
    char* at = out.data() + before;
    const auto put = [&at](std::string_view piece) {
        std::memcpy(at, piece.data(), piece.size());
        at += piece.size();
    };
    put(style.line_start);
    for (std::size_t i = 0; i < bytes.size();) {
        const std::size_t end = std::min(bytes.size(), i + per_line);
        for (; i + 1 < end; ++i) {
            std::memcpy(at, digits[bytes[i]].data(), 4);
            at += 4;
            put(on_line);
        }
        std::memcpy(at, digits[bytes[i]].data(), 4);
        at += 4;
        put(++i < bytes.size() ? std::string_view(next_line) : style.line_end);
    }
    out.resize(std::size_t(at - out.data()));
}

// One array of a request: its name after the symbol ("pixels" gives sym_pixels), the suffix of
// its file beside a .bin (the first array is the .bin itself), and its bytes.
struct Array {
    std::string name;
    std::string_view suffix;
    std::span<const std::uint8_t> bytes;
    std::size_t per_line;
    std::size_t raw_size = 0; // before --compress
    bool words = false;       // 16-bit little-endian numbers: C writes them as unsigned short
};

// The arrays a request writes, in order: a framebuffer's pixels and palette, or tile hardware's
// tiles, map (and attribute map) and palette.
std::vector<Array> arrays_of(const EmitRequest& r) {
    const Conversion& c = r.conversion;
    std::vector<Array> out;
    if (r.pixels && r.target.screen) // a screen of cells: its pieces
        for (const ScreenPiece& piece : r.target.screen->pieces)
            out.push_back({std::string(piece.name), "",
                           std::span(c.pixel_bytes).subspan(piece.offset, piece.size), 16});
    if (r.pixels && !c.tiles && !r.target.screen)
        out.push_back({"pixels", ".bin", c.pixel_bytes, 16});
    if (r.pixels && c.tiles) {
        if (r.tiles) out.push_back({"tiles", ".bin", c.pixel_bytes, 16});
        if (c.metasprites) // the tables of the pieces that cover each frame (metasprite.h)
            out.insert(out.end(), {{"pieces", ".pcs", c.piece_bytes, 16},
                                   {"frames", ".frm", c.frame_bytes, 16}});
        if (!c.map_bytes.empty() && r.map) {
            const MapFormat& f = *r.target.tiles->map;
            const auto pieces = split_map(f, c.map_bytes);
            for (std::size_t i = 0; i < pieces.size(); ++i)
                out.push_back(
                    {std::string(map_pieces(f)[i].name), map_pieces(f)[i].suffix, pieces[i], 16});
        }
    }
    const std::size_t left_out = r.pixels && c.tiles && !r.tiles ? 1 : 0; // the tiles
    for (std::size_t k = 0; k < out.size(); ++k) {
        out[k].raw_size = out[k].bytes.size();
        if (!c.packed.empty()) out[k].bytes = c.packed.at(left_out + k); // the data arrays
    }
    if (r.pixels && !c.mask_bytes.empty())
        out.push_back({"mask", ".mask", c.mask_bytes, 16, c.mask_bytes.size()});
    if (r.pixels && r.map && !c.duration_bytes.empty()) // an animation's frames' milliseconds
        out.push_back({"durations", ".dur", c.duration_bytes, 16, c.duration_bytes.size(), true});
    if (r.palette && !r.target.palette_format->is_fixed()) // a fixed palette stores nothing
        out.push_back({"palette", ".pal", c.palette_bytes,
                       std::size_t(std::max(r.target.palette_format->bytes, 1)) * 4,
                       c.palette_bytes.size()});
    return out;
}

// The entries the palette bytes hold: the target's palette, or several banks of it.
std::size_t palette_entries(const EmitRequest& r) {
    const PaletteFormat& f = *r.target.palette_format;
    if (f.is_fixed()) return std::size_t(r.target.palette_size);
    return palette_entry_count(f, r.conversion.palette_bytes.size());
}

// The comment line on tile hardware's data: the tiles (or where they are), and the map or the
// frames.
std::string tiles_line(const EmitRequest& r) {
    const Conversion& c = r.conversion;
    const TileHardware& hw = *r.target.tiles;
    const std::string count = std::to_string(c.tiles->tiles.size());
    const std::string tiles = count + " of " + std::to_string(hw.format->bytes()) +
                              " bytes, format " + std::string(hw.format->name) + ", " +
                              std::to_string(c.pixel_bytes.size()) + " bytes";
    if (!r.map) return "Tiles: " + tiles + ", shared by the images' maps.";
    const std::string picture =
        std::to_string(c.indexed.width) + "x" + std::to_string(c.indexed.height) + " picture";
    std::string text =
        r.tiles ? "Tiles: " + tiles + ", for a " + picture
                : "Tiles: " + count + " in the shared tileset (not in this file), for a " + picture;
    if (c.metasprites)
        return text + "; " + std::to_string(c.tiles->frames) + " frames of " +
               std::to_string(c.metasprites->frame_width) + "x" +
               std::to_string(c.metasprites->frame_height) + " covered by " +
               std::to_string(c.metasprites->pieces.size()) +
               " pieces; a piece is 8 bytes (x, y: signed 16-bit little-endian pixels from the "
               "frame's top-left; its first tile: 16-bit; width << 4 | height in tiles; flags: 1 "
               "h flip, 2 v flip), a frame 4 (its first piece, its pieces: 16-bit).";
    if (hw.map)
        return text + "; map " + std::to_string(c.tiles->map_width) + "x" +
               std::to_string(c.tiles->map_height) + ", format " + std::string(hw.map->name) +
               ", " + std::to_string(c.map_bytes.size()) + " bytes.";
    return text + "; " + std::to_string(c.tiles->frames) + " frames of " +
           std::to_string(c.tiles->frame_tiles) + " tiles, " + std::string(hw.order->name) + ".";
}

// The lines that say where a file came from, each given to `line` without a line end.
template <class Line> void describe(const EmitRequest& r, Line&& line) {
    const Conversion& c = r.conversion;
    const PaletteFormat& f = *r.target.palette_format;
    line("Generated by kpal " KPAL_VERSION_STRING " from " + r.provenance.input + " for target " +
         r.target.name + ".");
    if (!r.target.description.empty()) line(r.target.description);
    line("Options: " + r.provenance.options);
    if (r.pixels && c.tiles) {
        line(tiles_line(r));
    } else if (r.pixels && r.target.screen) {
        const ScreenFormat& f = *r.target.screen;
        std::string text = "Screen: " + std::to_string(c.indexed.width) + "x" +
                           std::to_string(c.indexed.height) + ", format " + std::string(f.name) +
                           " (" + std::string(f.description) + "), " +
                           std::to_string(c.pixel_bytes.size()) + " bytes:";
        for (const ScreenPiece& p : f.pieces)
            text += " " + std::string(p.name) + " " + std::to_string(p.size) + " at " +
                    std::to_string(p.offset) + ",";
        text.back() = '.';
        line(text);
    } else if (r.pixels)
        line("Pixels: " + std::to_string(c.indexed.width) + "x" + std::to_string(c.indexed.height) +
             ", " + std::to_string(r.target.bpp) + " bits a pixel, layout " +
             std::string(r.target.layout->name) + ", " + std::to_string(c.stride) + " bytes a row" +
             std::string(r.target.layout->stride_unit) + ", " +
             std::to_string(c.pixel_bytes.size()) + " bytes.");
    if (r.pixels && r.map && !c.frame_ms.empty())
        line("Animation: " + std::to_string(c.frame_ms.size()) + " frames of " +
             std::to_string(c.indexed.width) + "x" +
             std::to_string(c.indexed.height / int(c.frame_ms.size())) +
             ", stacked top to bottom; each one's milliseconds in " + r.symbol + "_durations.");
    if (r.pixels && !c.mask_bytes.empty())
        line("Mask: 1 bit a pixel, 1 where opaque, layout " +
             std::string(mask_layout(r.target).name) + ", " + std::to_string(c.mask_stride) +
             " bytes a row" + std::string(mask_layout(r.target).stride_unit) + ", " +
             std::to_string(c.mask_bytes.size()) + " bytes.");
    if (r.pixels && c.compression && c.compression->lvgl) {
        line("Compressed: " + std::string(c.compression->name) + " (" +
             std::string(c.compression->description) + "): the image data, palette and rows.");
    } else if (r.pixels && c.compression) {
        std::string text = "Compressed: " + std::string(c.compression->name) + " (" +
                           std::string(c.compression->description) + "):";
        for (const Array& a : arrays_of(r)) {
            if (a.name == "palette" || a.name == "mask") continue; // kept raw
            char ratio[32];
            std::snprintf(ratio, sizeof ratio, "%.1f",
                          a.raw_size ? 100.0 * double(a.bytes.size()) / double(a.raw_size) : 100.0);
            text += " " + a.name + " " + std::to_string(a.bytes.size()) + " of " +
                    std::to_string(a.raw_size) + " bytes (" + ratio + " %);";
        }
        text.back() = '.';
        line(text);
    }
    if (f.is_fixed()) {
        std::string codes;
        for (std::uint8_t code : f.codes)
            codes += (codes.empty() ? "" : ", ") + std::to_string(code);
        line("Palette: fixed, format " + std::string(f.name) + " (" + std::string(f.use) +
             "); the pixels are its codes " + codes + ".");
        return;
    }
    line("Palette: " + std::to_string(palette_entries(r)) + " entries of " + entry_size_text(f) +
         ", format " + std::string(f.name) + " (" + std::string(f.use) + "); " +
         std::to_string(c.palette.size()) + " designed.");
}

// The numbers a program needs beside the data, as (suffix, value) pairs.
std::vector<std::pair<std::string, std::size_t>> constants(const EmitRequest& r) {
    const Conversion& c = r.conversion;
    std::vector<std::pair<std::string, std::size_t>> out;
    if (r.pixels && !r.map) { // a shared tileset: no picture of its own
        out = {{"BPP", std::size_t(r.target.bpp)},
               {"TILE_COUNT", c.tiles->tiles.size()},
               {"TILE_OFFSET", std::size_t(r.tile.tile_offset)}};
    } else if (r.pixels) {
        out = {{"WIDTH", std::size_t(c.indexed.width)},
               {"HEIGHT", std::size_t(c.indexed.height)},
               {"BPP", std::size_t(r.target.bpp)}};
        if (r.target.screen) {
            out.emplace_back("FILE_SIZE", c.pixel_bytes.size()); // the whole screen file
        } else if (!c.tiles) {
            out.emplace_back("STRIDE", std::size_t(c.stride));
        } else if (r.target.tiles->map) {
            if (r.tiles) out.emplace_back("TILE_COUNT", c.tiles->tiles.size());
            out.insert(out.end(), {{"MAP_WIDTH", std::size_t(c.tiles->map_width)},
                                   {"MAP_HEIGHT", std::size_t(c.tiles->map_height)},
                                   {"TILE_OFFSET", std::size_t(r.tile.tile_offset)},
                                   {"PALETTE_BANK", std::size_t(r.tile.palette_bank)}});
        } else if (c.metasprites) {
            out.insert(out.end(), {{"TILE_COUNT", c.tiles->tiles.size()},
                                   {"FRAME_COUNT", std::size_t(c.tiles->frames)},
                                   {"FRAME_WIDTH", std::size_t(c.metasprites->frame_width)},
                                   {"FRAME_HEIGHT", std::size_t(c.metasprites->frame_height)},
                                   {"PIECE_COUNT", c.metasprites->pieces.size()},
                                   {"PIECE_BYTES", 8}});
        } else {
            out.insert(out.end(), {{"TILE_COUNT", c.tiles->tiles.size()},
                                   {"FRAME_COUNT", std::size_t(c.tiles->frames)},
                                   {"FRAME_TILES", std::size_t(c.tiles->frame_tiles)}});
        }
        // An animation's frames (sprites count theirs above).
        if (!c.frame_ms.empty() && !(c.tiles && !r.target.tiles->map))
            out.insert(out.end(),
                       {{"FRAME_COUNT", c.frame_ms.size()},
                        {"FRAME_HEIGHT", std::size_t(c.indexed.height) / c.frame_ms.size()}});
        // The byte size of each data array (PIXELS_SIZE, or TILES_SIZE, MAP_SIZE, ATTR_SIZE),
        // and when compressed the sizes a decoder needs.
        if (!c.mask_bytes.empty()) out.emplace_back("MASK_STRIDE", std::size_t(c.mask_stride));
        for (const Array& a : arrays_of(r)) {
            if (a.name == "palette") continue;
            out.emplace_back(upper(a.name) + "_SIZE", a.bytes.size());
            if (!c.packed.empty() && a.name != "mask" && a.name != "durations")
                out.insert(out.end(), {{upper(a.name) + "_COMPRESSED_SIZE", a.bytes.size()},
                                       {upper(a.name) + "_DECOMPRESSED_SIZE", a.raw_size}});
        }
    }
    out.emplace_back("PALETTE_SIZE", palette_entries(r)); // several banks: all of them
    if (r.target.palette_format->is_fixed()) out.emplace_back("FIXED_PALETTE", 1); // no array
    if (r.target.palette_format->bytes) // not for entries packed into bytes (the GB's BGP)
        out.emplace_back("PALETTE_ENTRY_BYTES", std::size_t(r.target.palette_format->bytes));
    out.emplace_back("COLORS", c.palette.size());
    return out;
}

// ---- C ----------------------------------------------------------------------------------------

std::string c_comment(const EmitRequest& r) {
    std::string out = "/*";
    bool first = true;
    describe(r, [&](const std::string& line) {
        out += (first ? " " : " * ") + comment_safe(line) + "\n";
        first = false;
    });
    return out + " */\n";
}

// An array of 16-bit little-endian words as unsigned short numbers.
void append_c_words(std::string& out, const std::string& storage, const std::string& name,
                    const std::string& attrs, std::span<const std::uint8_t> bytes) {
    out += storage + "const unsigned short " + name + "[" + std::to_string(bytes.size() / 2) +
           "] " + attrs + " = {";
    for (std::size_t i = 0; i + 1 < bytes.size(); i += 2)
        out += (i ? ", " : "") + std::to_string(bytes[i] | bytes[i + 1] << 8);
    out += "};\n";
}

void append_c_array(std::string& out, const std::string& storage, const std::string& name,
                    const std::string& attrs, std::span<const std::uint8_t> bytes,
                    std::size_t per_line) {
    out += storage + "const unsigned char " + name + "[" + std::to_string(bytes.size()) + "] " +
           attrs + " = {";
    append_byte_list(out, bytes, per_line, c_style);
    out += "\n};\n";
}

// <NAME>_ATTRIBUTES, which places the arrays where --section, --align and --progmem ask, on the
// compilers that understand it.
std::string attributes_macro(const EmitRequest& r, const std::string& macro) {
    std::string out;
    std::string gnu;
    if (!r.code.section.empty()) gnu += "section(\"" + r.code.section + "\")";
    if (r.code.align > 0)
        gnu += (gnu.empty() ? "" : ", ") + ("aligned(" + std::to_string(r.code.align) + ")");
    const std::string attribute = gnu.empty() ? "" : "__attribute__((" + gnu + "))";
    out += "\n";
    if (!r.code.progmem && attribute.empty()) return out + "#define " + macro + "_ATTRIBUTES\n";
    if (r.code.progmem) {
        out += "#if defined(__AVR__)\n#include <avr/pgmspace.h>\n";
        out += "#define " + macro + "_ATTRIBUTES PROGMEM" +
               (attribute.empty() ? "" : " " + attribute) + "\n";
        out += "#elif defined(__GNUC__)\n";
    } else {
        out += "#if defined(__GNUC__)\n";
    }
    out += "#define " + macro + "_ATTRIBUTES" + (attribute.empty() ? "" : " " + attribute) +
           "\n#else\n#define " + macro + "_ATTRIBUTES\n#endif\n";
    return out;
}

// The macros of a header: the constants, then <NAME>_ATTRIBUTES.
std::string c_macros(const EmitRequest& r, const std::string& macro) {
    std::string out;
    for (const auto& [suffix, value] : constants(r))
        out += "#define " + macro + "_" + suffix + " " + std::to_string(value) + "\n";
    return out + attributes_macro(r, macro);
}

// The arrays a request asks for, each followed by a blank line.
void append_c_arrays(std::string& out, const EmitRequest& r, const std::string& storage) {
    const std::string attributes = upper(r.symbol) + "_ATTRIBUTES";
    for (const Array& a : arrays_of(r)) {
        if (a.words)
            append_c_words(out, storage, r.symbol + "_" + a.name, attributes, a.bytes);
        else
            append_c_array(out, storage, r.symbol + "_" + a.name, attributes, a.bytes, a.per_line);
        out += "\n";
    }
}

std::vector<OutputFile> emit_c(const EmitRequest& r) {
    const std::string macro = upper(r.symbol);
    std::string out = c_comment(r);
    out += "#ifndef " + macro + "_H\n#define " + macro + "_H\n\n" + c_macros(r, macro) + "\n";
    append_c_arrays(out, r, "static ");
    out += "#endif /* " + macro + "_H */\n";
    return files_of({r.output, bytes_of(out)});
}

std::vector<OutputFile> emit_c_source(const EmitRequest& r) {
    const std::string macro = upper(r.symbol);
    const std::string header_path = replace_suffix(r.output, ".h");
    std::string h = c_comment(r);
    h += "#ifndef " + macro + "_H\n#define " + macro + "_H\n\n" + c_macros(r, macro) + "\n";
    h += "#ifdef __cplusplus\nextern \"C\" {\n#endif\n";
    for (const Array& a : arrays_of(r))
        h += std::string("extern const unsigned ") + (a.words ? "short " : "char ") + r.symbol +
             "_" + a.name + "[" + std::to_string(a.bytes.size() / (a.words ? 2 : 1)) + "];\n";
    h += "#ifdef __cplusplus\n}\n#endif\n\n#endif /* " + macro + "_H */\n";
    std::string c = c_comment(r);
    c += "#include \"" + base_name(header_path) + "\"\n\n";
    append_c_arrays(c, r, "");
    return files_of({r.output, bytes_of(c)}, {header_path, bytes_of(h)});
}

// ---- binary -----------------------------------------------------------------------------------

// The first array in the named file, each other one beside it with its own suffix.
std::vector<OutputFile> emit_bin(const EmitRequest& r) {
    if (r.target.screen) { // the screen's file, whole, as its programs load it; no palette
        if (!r.pixels) return {};
        return files_of({r.output, r.conversion.pixel_bytes});
    }
    std::vector<OutputFile> files;
    for (const Array& a : arrays_of(r))
        files.push_back({files.empty() ? r.output : replace_suffix(r.output, a.suffix),
                         {a.bytes.begin(), a.bytes.end()}});
    return files;
}

// ---- assembler --------------------------------------------------------------------------------

struct AsmDialect {
    std::string (*comment)(const std::string&);               // a comment line
    std::string (*constant)(const std::string&, std::size_t); // NAME = value
    std::string bytes;                                        // the byte directive
    std::string (*section)(const std::string&);               // switches section
    std::string (*align)(int);
    std::string (*global)(const std::string&);
    bool dollar = false; // hex bytes as $.. (6502), not 0x..
};

std::string asm_file(const EmitRequest& r, const AsmDialect& d) {
    std::string out;
    describe(r, [&](const std::string& line) { out += d.comment(line) + "\n"; });
    out += "\n";
    for (const auto& [suffix, value] : constants(r))
        out += d.constant(upper(r.symbol) + "_" + suffix, value);
    out += "\n";
    if (!r.code.section.empty()) out += d.section(r.code.section);
    const auto array = [&](const std::string& name, std::span<const std::uint8_t> bytes) {
        if (r.code.align > 0) out += d.align(r.code.align);
        out += d.global(name) + name + ":\n";
        const std::string line_start = "    " + d.bytes + (d.dollar ? "" : " ");
        append_byte_list(out, bytes, 16, {line_start, d.dollar ? "," : ", ", "", "\n", d.dollar});
        out += name + "_end:\n";
    };
    bool first = true;
    for (const Array& a : arrays_of(r)) {
        if (!first) out += "\n";
        first = false;
        array(r.symbol + "_" + a.name, a.bytes);
    }
    return out;
}

// NASM: for flat binaries (DOS programs, boot sectors), so no section unless one is asked for.
const AsmDialect nasm{
    [](const std::string& line) { return "; " + line; },
    [](const std::string& name, std::size_t v) {
        return name + " equ " + std::to_string(v) + "\n";
    },
    "db",
    [](const std::string& s) { return "section " + s + "\n"; },
    [](int a) { return "align " + std::to_string(a) + ", db 0\n"; },
    [](const std::string& name) { return "global " + name + "\n"; },
};

// GNU as, any target: C comments work everywhere (';', '#' and '@' do not).
const AsmDialect gas{
    [](const std::string& line) { return "/* " + comment_safe(line) + " */"; },
    [](const std::string& name, std::size_t v) {
        return "    .equ " + name + ", " + std::to_string(v) + "\n";
    },
    ".byte",
    [](const std::string& s) { return "    .section " + s + "\n"; },
    [](int a) { return "    .balign " + std::to_string(a) + "\n"; },
    [](const std::string& name) { return "    .global " + name + "\n"; },
};

// Z80 assemblers (pasmo, sjasmplus, z88dk's z80asm): NASM's syntax without sections, alignment
// or exports, which they spell each their own way; every label of a flat source is visible.
const AsmDialect z80{
    [](const std::string& line) { return "; " + line; },
    [](const std::string& name, std::size_t v) {
        return name + " equ " + std::to_string(v) + "\n";
    },
    "defb",
    nullptr,
    nullptr,
    [](const std::string&) { return std::string(); },
};

// ca65 (cc65's 6502 assembler: C64, NES, Apple II, Atari): exports, segments, .align; hex as $..
const AsmDialect ca65{
    [](const std::string& line) { return "; " + line; },
    [](const std::string& name, std::size_t v) { return name + " = " + std::to_string(v) + "\n"; },
    ".byte",
    [](const std::string& s) { return ".segment \"" + s + "\"\n"; },
    [](int a) { return ".align " + std::to_string(a) + "\n"; },
    [](const std::string& name) { return ".export " + name + ", " + name + "_end\n"; },
    true,
};

std::vector<OutputFile> emit_asm_z80(const EmitRequest& r) {
    return files_of({r.output, bytes_of(asm_file(r, z80))});
}

std::vector<OutputFile> emit_asm_ca65(const EmitRequest& r) {
    EmitRequest with_segment = r;
    if (with_segment.code.section.empty()) with_segment.code.section = "RODATA";
    return files_of({r.output, bytes_of(asm_file(with_segment, ca65))});
}

std::vector<OutputFile> emit_asm_nasm(const EmitRequest& r) {
    return files_of({r.output, bytes_of(asm_file(r, nasm))});
}

std::vector<OutputFile> emit_asm_gas(const EmitRequest& r) {
    EmitRequest with_section = r;
    if (with_section.code.section.empty()) with_section.code.section = ".rodata";
    return files_of({r.output, bytes_of(asm_file(with_section, gas))});
}

// ---- palette files for artists: the designed entries, as the display shows them ------------

std::vector<Rgb> shown_entries(const EmitRequest& r) {
    const auto& shown = r.conversion.shown_palette;
    return {shown.begin(), shown.begin() + std::ptrdiff_t(r.conversion.palette.size())};
}

std::vector<OutputFile> emit_gpl(const EmitRequest& r) {
    if (!r.palette) return {};
    std::string out = "GIMP Palette\nName: " + r.symbol + "\nColumns: 16\n";
    describe(r, [&](const std::string& line) { out += "# " + line + "\n"; });
    const auto entries = shown_entries(r);
    for (std::size_t i = 0; i < entries.size(); ++i) {
        char line[64];
        std::snprintf(line, sizeof line, "%3d %3d %3d\tIndex %zu\n", entries[i].r, entries[i].g,
                      entries[i].b, i);
        out += line;
    }
    return files_of({r.output, bytes_of(out)});
}

std::vector<OutputFile> emit_jasc_pal(const EmitRequest& r) {
    if (!r.palette) return {};
    const auto entries = shown_entries(r);
    std::string out = "JASC-PAL\r\n0100\r\n" + std::to_string(entries.size()) + "\r\n";
    for (Rgb c : entries)
        out += std::to_string(c.r) + " " + std::to_string(c.g) + " " + std::to_string(c.b) + "\r\n";
    return files_of({r.output, bytes_of(out)});
}

// Adobe Color Table: 256 RGB triples, then the number of colours and the transparent index
// (0xFFFF: none), both big-endian.
std::vector<OutputFile> emit_act(const EmitRequest& r) {
    if (!r.palette) return {};
    const auto entries = shown_entries(r);
    std::vector<std::uint8_t> out(772, 0);
    for (std::size_t i = 0; i < entries.size() && i < 256; ++i)
        out[3 * i] = entries[i].r, out[3 * i + 1] = entries[i].g, out[3 * i + 2] = entries[i].b;
    out[768] = std::uint8_t(entries.size() >> 8);
    out[769] = std::uint8_t(entries.size());
    out[770] = out[771] = 0xff;
    return files_of({r.output, std::move(out)});
}

// ---- LVGL's own images: a ready descriptor, or the .bin its file-system decoder loads --------

const std::string lvgl_include = "#if defined(LV_LVGL_H_INCLUDE_SIMPLE)\n#include \"lvgl.h\"\n"
                                 "#else\n#include \"lvgl/lvgl.h\"\n#endif\n";

// A compressed image draws nothing, with only a line in LVGL's log, unless lv_conf.h loads
// images into RAM and has the method's unpacker (measured with LVGL 9.2, 9.5 and 9.6-dev): the
// file stops the build instead, naming the settings. Each switch is tested only where this
// LVGL defines it (lv_conf_internal.h defines every one it knows, 0 by default): 9.2-9.5's
// LV_USE_LZ4_INTERNAL / _EXTERNAL and LV_USE_RLE.
std::string lvgl_settings_check(const EmitRequest& r) {
    const std::string what = r.symbol + " is compressed (--compress " +
                             std::string(r.conversion.compression->name) +
                             "): LVGL draws it only with ";
    const auto check = [&](const std::string& off, const std::string& settings) {
        return "#if " + off + "\n#error \"" + what + settings + " in lv_conf.h\"\n#endif\n";
    };
    std::string out = check("defined(LV_BIN_DECODER_RAM_LOAD) && !LV_BIN_DECODER_RAM_LOAD",
                            "LV_BIN_DECODER_RAM_LOAD 1");
    if (r.conversion.compression->name == "lvgl-lz4")
        out += check("defined(LV_USE_LZ4_INTERNAL) && !LV_USE_LZ4_INTERNAL && "
                     "!(defined(LV_USE_LZ4_EXTERNAL) && LV_USE_LZ4_EXTERNAL)",
                     "LV_USE_LZ4_INTERNAL 1 (or LV_USE_LZ4_EXTERNAL 1)");
    else
        out += check("defined(LV_USE_RLE) && !LV_USE_RLE", "LV_USE_RLE 1");
    return out + "\n";
}

std::vector<OutputFile> emit_lvgl_c(const EmitRequest& r) {
    if (!r.pixels) return {}; // each image holds its own palette
    const LvglImage image = lvgl_image(r.conversion, r.target, lvgl_version(r.lvgl));
    const std::string macro = upper(r.symbol), header_path = replace_suffix(r.output, ".h");
    const std::string type(image.version->descriptor);
    std::string h = c_comment(r);
    h += "#ifndef " + macro + "_H\n#define " + macro + "_H\n\n" + lvgl_include + "\n" +
         c_macros(r, macro);
    if (image.raw_size) // compressed: what LVGL unpacks the data to, and the stream's size
        h += "#define " + macro + "_DATA_COMPRESSED_SIZE " +
             std::to_string(image.data.size() - 12) + "\n#define " + macro +
             "_DATA_DECOMPRESSED_SIZE " + std::to_string(image.raw_size) + "\n";
    h += "\n";
    h += "#ifdef __cplusplus\nextern \"C\" {\n#endif\n";
    h += "/* LVGL " + std::to_string(r.lvgl) + ": lv_image_set_src(img, &" + r.symbol + "); */\n";
    h += "extern const " + type + " " + r.symbol + ";\n";
    h += "#ifdef __cplusplus\n}\n#endif\n\n#endif /* " + macro + "_H */\n";
    std::string c = c_comment(r) + "#include \"" + base_name(header_path) + "\"\n\n";
    if (image.raw_size) c += lvgl_settings_check(r);
    c += "#ifndef LV_ATTRIBUTE_MEM_ALIGN\n#define LV_ATTRIBUTE_MEM_ALIGN\n#endif\n\n";
    c += "/* The palette (" + std::to_string(1 << image.bpp) +
         " entries: B, G, R, A), then the rows. */\n";
    append_c_array(c, "static LV_ATTRIBUTE_MEM_ALIGN ", r.symbol + "_map", macro + "_ATTRIBUTES",
                   image.data, 16);
    c += "\nconst " + type + " " + r.symbol + " = {\n" + image.version->c_header(image) +
         "    .data_size = sizeof(" + r.symbol + "_map),\n    .data = " + r.symbol + "_map,\n};\n";
    return files_of({r.output, bytes_of(c)}, {header_path, bytes_of(h)});
}

std::vector<OutputFile> emit_lvgl_bin(const EmitRequest& r) {
    if (!r.pixels) return {};
    return files_of(
        {r.output, lvgl_file(lvgl_image(r.conversion, r.target, lvgl_version(r.lvgl)))});
}

// ---- XBM: the X bitmap text format of 1-bit targets -----------------------------------------

// One XBM file: #defines of width and height first, then a bits array: rows of whole bytes,
// the leftmost pixel in bit 0 (X11 XReadBitmapFile; what u8g2's drawXBM and Adafruit GFX's
// drawXBitmap read), then the comment. Pillow looks for the #defines at the start and the
// array in the first 512 bytes; X11, GIMP and ImageMagick skip the lines they do not know.
// With --progmem, --section or --align the array is const and carries NAME_ATTRIBUTES, as the
// C arrays do (on AVR drawXBitmap reads flash: it needs PROGMEM).
std::string xbm_text(const EmitRequest& r, const std::string& symbol,
                     std::span<const std::uint8_t> bits, int width, int height,
                     const std::string& what) {
    std::string out = "#define " + symbol + "_width " + std::to_string(width) + "\n";
    out += "#define " + symbol + "_height " + std::to_string(height) + "\n";
    if (r.code.progmem || r.code.align || !r.code.section.empty()) {
        out += attributes_macro(r, upper(symbol));
        out +=
            "static const unsigned char " + symbol + "_bits[] " + upper(symbol) + "_ATTRIBUTES = {";
    } else {
        out += "static unsigned char " + symbol + "_bits[] = {";
    }
    append_byte_list(out, bits, 12, {"\n   ", " ", ",", ""});
    out += "};\n/*";
    describe(r, [&](const std::string& line) { // XBM's own layout replaces the target's
        if (line.starts_with("Pixels:") || line.starts_with("Mask:")) return;
        out += (out.ends_with("/*") ? " " : " * ") + comment_safe(line) + "\n";
    });
    return out + " * XBM" + what + ": " + std::to_string(width) + "x" + std::to_string(height) +
           ", rows of " + std::to_string(bits.size() / std::size_t(std::max(1, height))) +
           " bytes, the leftmost pixel in bit 0.\n */\n";
}

// The picture as NAME.xbm; with --mask the mask, 1 where opaque, as NAME_mask.xbm beside it.
std::vector<OutputFile> emit_xbm(const EmitRequest& r) {
    if (!r.pixels) return {};
    const Conversion& c = r.conversion;
    if (r.target.tiles || r.target.bpp != 1)
        throw Error(ErrorKind::usage, "--format xbm needs a target of 1 bit a pixel, not " +
                                          r.target.name + " (" + std::to_string(r.target.bpp) +
                                          " bits)");
    const int w = c.indexed.width, h = c.indexed.height;
    const PixelLayout& lsb = *find_pixel_layout("packed-lsb");
    std::vector<std::uint8_t> bits;
    lsb.pack({w, h, 1, 1}, c.indexed.indices, bits);
    std::vector<OutputFile> files =
        files_of({r.output, bytes_of(xbm_text(r, r.symbol, bits, w, h, ""))});
    if (c.mask_bytes.empty()) return files;
    const std::vector<std::uint8_t> opaque =
        mask_layout(r.target).unpack({w, h, 1, r.target.row_align}, c.mask_bytes);
    std::vector<std::uint8_t> mask;
    lsb.pack({w, h, 1, 1}, opaque, mask);
    const std::string mask_path = replace_suffix(r.output, "") + "_mask.xbm";
    files.push_back({mask_path, bytes_of(xbm_text(r, r.symbol + "_mask", mask, w, h,
                                                  " mask, 1 where opaque"))});
    return files;
}

// ---- Arduboy2 Sprites -----------------------------------------------------------------------

// Arduboy2's Sprites class (Sprites.h, Sprites.cpp): an image array is its width and height
// bytes, then each frame's pages (a byte a column of 8 rows, bit 0 the top; 1 lit); frames are
// cut from the picture in reading order by --frame WxH (default: one frame). With --mask, a
// mask array of the same frames without the two size bytes (drawExternalMask), and a
// plus-mask array whose frames interleave image and mask bytes (drawPlusMask).
std::vector<OutputFile> emit_arduboy(const EmitRequest& r) {
    if (!r.pixels) return {};
    const Conversion& c = r.conversion;
    if (!r.target.layout || r.target.layout->name != "pages")
        throw Error(ErrorKind::usage, "--format arduboy needs a target in pages (arduboy, "
                                      "ssd1306-128x64), not " +
                                          r.target.name);
    const int w = c.indexed.width, h = c.indexed.height;
    const auto [fw, fh] = r.tile.frame.value_or(std::pair{w, h});
    if (fw < 1 || fh < 1 || fw > 255 || fh > 255 || w % fw || h % fh)
        throw Error(ErrorKind::usage,
                    "--format arduboy: frames of " + std::to_string(fw) + "x" + std::to_string(fh) +
                        " do not divide the " + std::to_string(w) + "x" + std::to_string(h) +
                        " picture, or are wider or higher than 255 (Sprites takes bytes)");
    const PixelLayout& pages = *r.target.layout;
    const Geometry frame{fw, fh, 1, 1};
    const std::vector<std::uint8_t> opaque =
        c.mask_bytes.empty() ? std::vector<std::uint8_t>()
                             : pages.unpack({w, h, 1, r.target.row_align}, c.mask_bytes);
    std::vector<std::uint8_t> image{std::uint8_t(fw), std::uint8_t(fh)}, mask,
        plus{std::uint8_t(fw), std::uint8_t(fh)};
    int frames = 0;
    for (int fy = 0; fy < h; fy += fh)
        for (int fx = 0; fx < w; fx += fw, ++frames) {
            std::vector<std::uint8_t> pixels, bits, packed, packed_mask;
            for (int y = fy; y < fy + fh; ++y)
                for (int x = fx; x < fx + fw; ++x) {
                    const std::size_t at = std::size_t(y) * std::size_t(w) + std::size_t(x);
                    pixels.push_back(c.indexed.indices[at]);
                    if (!opaque.empty()) bits.push_back(opaque[at]);
                }
            pages.pack(frame, pixels, packed);
            image.insert(image.end(), packed.begin(), packed.end());
            if (opaque.empty()) continue;
            pages.pack(frame, bits, packed_mask);
            mask.insert(mask.end(), packed_mask.begin(), packed_mask.end());
            for (std::size_t i = 0; i < packed.size(); ++i)
                plus.insert(plus.end(), {packed[i], packed_mask[i]});
        }
    const std::string macro = upper(r.symbol);
    std::string out = c_comment(r);
    out += "#ifndef " + macro + "_H\n#define " + macro + "_H\n\n#include <stdint.h>\n";
    out += "#if defined(__AVR__)\n#include <avr/pgmspace.h>\n#else\n#define PROGMEM\n#endif\n\n";
    out += "/* Arduboy2 Sprites: Sprites::drawOverwrite(x, y, " + r.symbol + ", frame)";
    out += opaque.empty() ? ". */\n"
                          : "; drawExternalMask(x, y, " + r.symbol + ", " + r.symbol +
                                "_mask, frame, frame); drawPlusMask(x, y, " + r.symbol +
                                "_plus_mask, frame). */\n";
    out += "#define " + macro + "_FRAME_WIDTH " + std::to_string(fw) + "\n#define " + macro +
           "_FRAME_HEIGHT " + std::to_string(fh) + "\n#define " + macro + "_FRAMES " +
           std::to_string(frames) + "\n\n";
    const auto array = [&](const std::string& name, const std::vector<std::uint8_t>& bytes) {
        out +=
            "static const uint8_t " + name + "[" + std::to_string(bytes.size()) + "] PROGMEM = {";
        append_byte_list(out, bytes, 16, c_style);
        out += "\n};\n";
    };
    array(r.symbol, image);
    if (!opaque.empty()) {
        out += "\n";
        array(r.symbol + "_mask", mask);
        out += "\n";
        array(r.symbol + "_plus_mask", plus);
    }
    if (!r.conversion.duration_bytes.empty()) { // an animation's frames' milliseconds
        out += "\n";
        append_c_words(out, "static ", r.symbol + "_durations", "PROGMEM",
                       r.conversion.duration_bytes);
    }
    out += "\n#endif /* " + macro + "_H */\n";
    return files_of({r.output, bytes_of(out)});
}

// What each format honours (EmitOption): the C and assembler arrays can be named, placed and
// packed; palette files hold only colours.
constexpr unsigned code = EmitOption::name | EmitOption::section | EmitOption::align |
                          EmitOption::mask | EmitOption::compress | EmitOption::row_align;
constexpr unsigned c_code = code | EmitOption::progmem;
constexpr unsigned z80_code = EmitOption::name | EmitOption::mask | EmitOption::compress |
                              EmitOption::row_align; // no sections or alignment to ask for
constexpr unsigned data = EmitOption::mask | EmitOption::compress | EmitOption::row_align;
constexpr unsigned colours = unsigned(EmitOption::name);
constexpr unsigned xbm = EmitOption::name | EmitOption::section | EmitOption::align |
                         EmitOption::progmem | EmitOption::mask;
constexpr unsigned arduboy = EmitOption::name | EmitOption::mask; // always PROGMEM
constexpr unsigned lvgl_c = EmitOption::name | EmitOption::section | EmitOption::align |
                            EmitOption::progmem | EmitOption::compress | EmitOption::row_align |
                            EmitOption::lvgl;
constexpr unsigned lvgl_bin = EmitOption::compress | EmitOption::row_align | EmitOption::lvgl;

// clang-format off
constexpr OutputFormat formats[] = {
    {"c",        ".h",   "one C header: macros and static const arrays of pixels and palette", emit_c, c_code},
    {"c-source", ".c",   "a .c with the arrays and a .h beside it with extern declarations", emit_c_source, c_code},
    {"bin",      ".bin", "the framebuffer bytes, and the palette bytes beside them in .pal", emit_bin, data},
    {"asm-nasm", ".asm", "NASM source: equ constants and db lines", emit_asm_nasm, code},
    {"asm-gas",  ".s",   "GNU as source: .equ constants and .byte lines", emit_asm_gas, code},
    {"asm-z80",  ".asm", "Z80 assembler source (pasmo, sjasmplus, z80asm): equ constants and defb lines", emit_asm_z80, z80_code},
    {"asm-ca65", ".s",   "6502 assembler source for ca65 (cc65): exported labels, = constants, .byte lines in RODATA", emit_asm_ca65, code},
    {"gpl",      ".gpl", "GIMP palette of the colours the display shows", emit_gpl, colours},
    {"jasc-pal", ".pal", "JASC-PAL (Paint Shop Pro) palette of the colours the display shows", emit_jasc_pal, 0},
    {"act",      ".act", "Adobe Color Table of the colours the display shows", emit_act, 0},
    {"xbm",      ".xbm", "X bitmap of a 1-bit target (leftmost pixel in bit 0): u8g2 drawXBM, Adafruit drawXBitmap; --mask: NAME_mask.xbm", emit_xbm, xbm, false, true},
    {"arduboy",  ".h",   "Arduboy2 Sprites arrays in PROGMEM (width, height, frames in pages; --mask: mask and plus-mask arrays)", emit_arduboy, arduboy, true},
    {"lvgl",     ".c",   "LVGL image: a .c with a ready lv_image_dsc_t (--lvgl 8: lv_img_dsc_t) and a .h declaring it", emit_lvgl_c, lvgl_c, false, true},
    {"lvgl-bin", ".bin", "LVGL image file for its file-system decoder: header, palette, rows", emit_lvgl_bin, lvgl_bin, false, true},
};

constexpr std::pair<EmitOption, std::string_view> emit_option_names[] = {
    {EmitOption::name, "--name"},         {EmitOption::section, "--section"},
    {EmitOption::progmem, "--progmem"},   {EmitOption::align, "--align"},
    {EmitOption::mask, "--mask"},         {EmitOption::compress, "--compress"},
    {EmitOption::row_align, "--row-align"}, {EmitOption::lvgl, "--lvgl"},
};
// clang-format on

} // namespace

std::span<const OutputFormat> output_formats() {
    return formats;
}

std::string_view emit_option_name(EmitOption o) {
    for (const auto& [option, name] : emit_option_names)
        if (option == o) return name;
    return "";
}

std::span<const EmitOption> emit_options() {
    static const auto all = [] {
        std::array<EmitOption, std::size(emit_option_names)> out{};
        for (std::size_t i = 0; i < out.size(); ++i) out[i] = emit_option_names[i].first;
        return out;
    }();
    return all;
}

const OutputFormat& find_output_format(std::string_view name) {
    std::string known;
    for (const OutputFormat& f : formats) {
        if (f.name == name) return f;
        known += (known.empty() ? "" : ", ") + std::string(f.name);
    }
    throw Error(ErrorKind::usage, "--format " + std::string(name) + " is not one of: " + known);
}

const OutputFormat& format_for_path(const std::string& path) {
    for (const OutputFormat& f : formats)
        if (!f.suffix.empty() && path.ends_with(f.suffix)) return f;
    return formats[0];
}

bool is_c_identifier(std::string_view name) {
    if (name.empty() || std::isdigit(static_cast<unsigned char>(name[0]))) return false;
    for (char c : name)
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') return false;
    return true;
}

std::string symbol_from_path(const std::string& path) {
    std::string stem = base_name(path);
    stem = stem.substr(0, stem.find('.'));
    std::string symbol;
    for (char c : stem)
        symbol += std::isalnum(static_cast<unsigned char>(c))
                      ? char(std::tolower(static_cast<unsigned char>(c)))
                      : '_';
    if (symbol.empty() || std::isdigit(static_cast<unsigned char>(symbol[0])))
        symbol = "image_" + symbol;
    return symbol;
}

std::string replace_suffix(const std::string& path, std::string_view suffix) {
    const std::size_t slash = path.find_last_of('/');
    const std::size_t dot = path.find_last_of('.');
    if (dot == std::string::npos || (slash != std::string::npos && dot < slash))
        return path + std::string(suffix);
    return path.substr(0, dot) + std::string(suffix);
}

} // namespace kpal
