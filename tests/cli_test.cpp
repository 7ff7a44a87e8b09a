#define BOOST_TEST_MODULE cli
#include "kpal/compress.h"
#include "kpal/decode.h"
#include "kpal/emit.h"
#include "kpal/layout.h"
#include "kpal/load.h"
#include "kpal/palette_format.h"
#include "kpal/preview.h"
#include "kpal/resize.h"
#include "kpal/target.h"
#include "support.h"

#include <boost/test/unit_test.hpp>

#include <cmath>
#include <fstream>
#include <map>
#include <set>

using namespace kpal;
namespace fs = std::filesystem;
using test::run_kpal;

namespace {

const std::string parrot = (test::source_dir / "tests/golden/parrot.png").string();
const fs::path golden = test::source_dir / "tests/golden";

std::vector<std::string> words(const std::string& line) {
    std::vector<std::string> out;
    std::istringstream in(line);
    for (std::string w; in >> w;) out.push_back(w);
    return out;
}

// A failure: the status, one line on stderr that starts as given, and no file left in `dir`.
void check_failure(const test::Run& r, int status, const std::string& starts,
                   const test::ScratchDir& dir) {
    BOOST_TEST(r.status == status, r.err);
    BOOST_TEST(r.err.starts_with("kpal: " + starts), r.err);
    BOOST_TEST(std::count(r.err.begin(), r.err.end(), '\n') == 1, r.err);
    BOOST_TEST(dir.files().empty());
}

} // namespace

BOOST_AUTO_TEST_CASE(help_and_version) {
    const test::Run help = run_kpal({"--help"});
    BOOST_TEST(help.status == 0);
    BOOST_TEST(help.out.find("Exit status") != std::string::npos);
    BOOST_TEST(run_kpal({"convert", "--help"}).out.find("--preview") != std::string::npos);
    BOOST_TEST(run_kpal({"--version"}).out.starts_with("kpal "));
    BOOST_TEST(run_kpal({}).status == 1);
    const test::Run targets = run_kpal({"targets"});
    BOOST_TEST(targets.status == 0);
    for (const std::string& name : builtin_target_names())
        BOOST_TEST(targets.out.find(name) != std::string::npos);
}

// tests/errors/CASE.args is a kpal command line and CASE.err the one line it must print: IN/
// names a file in tests/golden, SHARED/ one in the shared images, OUT/ one in a scratch folder.
// A usage error (its line ends with the --help hint) exits 1, bad input 2; neither writes
// anything. KPAL_UPDATE_GOLDEN=1 rewrites the .err files after a deliberate change; review the
// diff before committing.
BOOST_AUTO_TEST_CASE(every_error_message_is_pinned) {
    const bool update = std::getenv("KPAL_UPDATE_GOLDEN") != nullptr;
    const fs::path errors = test::source_dir / "tests/errors";
    int cases = 0;
    for (const auto& e : fs::directory_iterator(errors)) {
        if (e.path().extension() != ".args") continue;
        ++cases;
        const std::string stem = e.path().stem().string();
        test::ScratchDir dir;
        const std::vector<std::pair<std::string, fs::path>> places = {
            {"IN/", golden}, {"SHARED/", test::shared_images}, {"OUT/", dir.path}};
        std::vector<std::string> args = words(test::read_text(e.path()));
        for (std::string& arg : args)
            for (const auto& [prefix, folder] : places)
                if (arg.starts_with(prefix)) arg = (folder / arg.substr(prefix.size())).string();
        const test::Run r = run_kpal(args);
        std::string err = r.err;
        for (const auto& [prefix, folder] : places)
            for (std::size_t at; (at = err.find(folder.string() + "/")) != std::string::npos;)
                err.replace(at, folder.string().size() + 1, prefix);
        const fs::path expected = errors / (stem + ".err");
        if (update) test::write_text(expected, err);
        BOOST_TEST_CONTEXT(stem) {
            BOOST_TEST(err == test::read_text(expected));
            const bool usage = err.find("--help')") != std::string::npos;
            BOOST_TEST(r.status == (usage ? 1 : 2), r.err);
            BOOST_TEST(std::count(err.begin(), err.end(), '\n') == 1, r.err);
            BOOST_TEST(dir.files().empty());
        }
    }
    BOOST_TEST(cases >= 70);
}

BOOST_AUTO_TEST_CASE(the_fixed_engine_refuses_a_frame_over_the_cores_pixel_limit) {
    // 4097 x 4097 is just over 2^24 pixels: fine for the default engine, too many for the core.
    test::ScratchDir dir;
    const fs::path big = dir / "big.png";
    const kpal::Image image = test::make_image(4097, 4097, [](int x, int) {
        return kpal::Rgb{std::uint8_t(x), 0, 0};
    });
    const std::vector<std::uint8_t> png = kpal::encode_rgba_png(image);
    std::ofstream(big, std::ios::binary)
        .write(reinterpret_cast<const char*>(png.data()), std::streamsize(png.size()));
    const test::Run r = run_kpal({"convert", big.string(), "-t", "generic-4bpp", "--engine",
                                  "fixed", "-o", (dir / "o.h").string()});
    BOOST_TEST(r.status == 1, r.err);
    BOOST_TEST(r.err.starts_with("kpal: --engine fixed takes at most 16777216 pixels"), r.err);
    BOOST_TEST(!fs::exists(dir / "o.h"));
}

BOOST_AUTO_TEST_CASE(bad_input_exits_2_naming_the_file_and_writes_nothing) {
    test::ScratchDir dir, inputs;
    const std::string out = (dir / "x.h").string();
    test::write_text(inputs / "text.png", "not an image\n");
    test::write_text(inputs / "bad.ini",
                     "layout = linear\nbpp = 8\npalette_format = rgb888\nfoo = 1\n");
    const std::string missing = (inputs / "missing.png").string();
    const std::string text = (inputs / "text.png").string();
    const std::string bad_ini = (inputs / "bad.ini").string();
    check_failure(run_kpal({"convert", missing, "-t", "generic-8bpp", "-o", out}), 2,
                  missing + ": cannot open", dir);
    check_failure(run_kpal({"convert", text, "-t", "generic-8bpp", "-o", out}), 2,
                  text + ": not a PNG or JPEG image", dir);
    check_failure(run_kpal({"convert", parrot, "-t", "nope", "-o", out}), 2, "nope: no such target",
                  dir);
    check_failure(run_kpal({"convert", parrot, "-t", bad_ini, "-o", out}), 2,
                  bad_ini + ":4: 'foo': unknown key", dir);
    for (const auto& e : fs::directory_iterator(test::shared_images / "pngsuite")) {
        const std::string name = e.path().filename().string();
        if (name[0] != 'x' || e.path().extension() != ".png") continue;
        BOOST_TEST_CONTEXT(name) {
            check_failure(run_kpal({"convert", e.path().string(), "-t", "generic-8bpp", "-o", out,
                                    "--preview", (dir / "p.png").string()}),
                          2, e.path().string() + ": ", dir);
        }
    }
}

BOOST_AUTO_TEST_CASE(an_unwritable_output_exits_3_and_leaves_the_old_files) {
    test::ScratchDir dir;
    test::write_text(dir / "keep.h", "old");
    test::write_text(dir / "file", "a file where a folder should be");
    const test::Run r =
        run_kpal({"convert", parrot, "-t", "generic-8bpp", "-o", (dir / "keep.h").string(),
                  "--preview", (dir / "file/p.png").string()});
    BOOST_TEST(r.status == 3);
    BOOST_TEST(r.err.starts_with("kpal: " + (dir / "file/p.png").string() + ": cannot write"));
    BOOST_TEST(test::read_text(dir / "keep.h") == "old");
    BOOST_TEST((dir.files() == std::vector<std::string>{"file", "keep.h"}));
}

BOOST_AUTO_TEST_CASE(a_failed_run_keeps_the_previous_output) {
    test::ScratchDir dir;
    test::write_text(dir / "keep.h", "old");
    const std::string cut = (test::shared_images / "pngsuite/xcsn0g01.png").string();
    BOOST_TEST(
        run_kpal({"convert", cut, "-t", "generic-8bpp", "-o", (dir / "keep.h").string()}).status ==
        2);
    BOOST_TEST(test::read_text(dir / "keep.h") == "old");
    BOOST_TEST(dir.files().size() == 1u);
}

BOOST_AUTO_TEST_CASE(two_runs_give_identical_bytes) {
    test::ScratchDir a, b;
    const std::string kodak = (test::shared_images / "kodak/kodim03.png").string();
    for (const test::ScratchDir* d : {&a, &b}) {
        BOOST_TEST_REQUIRE(
            run_kpal({"convert", kodak, "-t", "vga-mode13h", "-o", (*d / "k.h").string(),
                      "--preview", (*d / "k.png").string(), "-q"})
                .status == 0);
        BOOST_TEST_REQUIRE(
            run_kpal({"convert", kodak, "-t", "st7735-4bpp", "-o", (*d / "k.bin").string(), "-q"})
                .status == 0);
        // A seed and OKLab, with different thread counts in the two runs.
        BOOST_TEST_REQUIRE(run_kpal({"convert", kodak, "-t", "generic-8bpp", "--seed", "9",
                                     "--colorspace", "oklab", "--threads", d == &a ? "1" : "2",
                                     "-o", (*d / "s.bin").string(), "-q"})
                               .status == 0);
    }
    for (const char* f : {"k.h", "k.png", "k.bin", "k.pal", "s.bin", "s.pal"})
        BOOST_TEST((test::read_bytes(a / f) == test::read_bytes(b / f)), f);
}

// Every valid PngSuite file converts; its preview (read back by libpng) shows exactly the
// pixels that unpacking the binary through the decoded palette gives.
BOOST_AUTO_TEST_CASE(every_valid_pngsuite_file_converts_and_its_preview_matches_the_binary) {
    int converted = 0;
    for (const auto& e : fs::directory_iterator(test::shared_images / "pngsuite")) {
        const std::string name = e.path().filename().string();
        if (name[0] == 'x' || e.path().extension() != ".png") continue;
        for (const char* target_name : {"st7735-4bpp", "vga-mode13h"}) {
            BOOST_TEST_CONTEXT(name << " " << target_name) {
                test::ScratchDir dir;
                const test::Run r = run_kpal({"convert", e.path().string(), "-t", target_name, "-o",
                                              (dir / "o.bin").string(), "--preview",
                                              (dir / "p.png").string(), "-q"});
                BOOST_TEST_REQUIRE(r.status == 0, r.err);
                const Target target = load_target(target_name);
                const Image preview = load_image((dir / "p.png").string());
                const Geometry g{preview.width, preview.height, target.bpp, target.row_align};
                const auto indices = target.layout->unpack(g, test::read_bytes(dir / "o.bin"));
                const auto shown =
                    decode_palette(*target.palette_format, test::read_bytes(dir / "o.pal"));
                BOOST_TEST_REQUIRE(shown.size() == std::size_t(target.palette_size));
                for (std::size_t i = 0; i < preview.pixel_count(); ++i)
                    BOOST_TEST_REQUIRE((preview.rgb_at(i) == shown[indices[i]]));
                ++converted;
            }
        }
    }
    BOOST_TEST(converted > 300);
}

BOOST_AUTO_TEST_CASE(stats_print_one_line_each) {
    test::ScratchDir dir;
    const test::Run r = run_kpal(
        {"convert", parrot, "-t", "generic-4bpp", "-o", (dir / "p.h").string(), "--stats", "-q"});
    BOOST_TEST_REQUIRE(r.status == 0);
    const auto lines = words(r.out);
    BOOST_TEST(r.out.starts_with("colours used: 16\nMSE: "));
    BOOST_TEST(r.out.find("\nPSNR: ") != std::string::npos);
    BOOST_TEST(r.out.find(" dB\nbytes: pixels 630, palette 48\ntime: ") != std::string::npos,
               r.out);
}

// "time: T ms (stage t + stage t ...)": the stages of the whole conversion, in the order they
// ran, and a total that is exactly their sum (the figures are whole microseconds).
BOOST_AUTO_TEST_CASE(stats_time_the_whole_conversion_stage_by_stage) {
    const auto microseconds = [](std::string ms) {
        const std::size_t dot = ms.find('.');
        BOOST_TEST_REQUIRE((dot != std::string::npos && ms.size() - dot == 4), ms);
        return std::stoll(ms.erase(dot, 1));
    };
    const auto check = [&](const std::string& line, const std::vector<std::string>& stages) {
        const auto w = words(line);
        BOOST_TEST_REQUIRE(w.size() == 2 + 3 * stages.size(), line);
        BOOST_TEST((w[0] == "time:" && w[2] == "ms"), line);
        long long sum = 0;
        for (std::size_t i = 0; i < stages.size(); ++i) {
            std::string name = w[3 + 3 * i], figure = w[4 + 3 * i];
            if (i == 0) name.erase(0, 1); // "("
            if (i + 1 == stages.size())
                figure.pop_back(); // ")"
            else
                BOOST_TEST(w[5 + 3 * i] == "+", line);
            BOOST_TEST(name == stages[i], line);
            sum += microseconds(figure);
        }
        BOOST_TEST(sum == microseconds(w[1]), line);
    };
    const auto time_lines = [](const std::string& out) {
        std::vector<std::string> lines;
        std::istringstream in(out);
        for (std::string line; std::getline(in, line);)
            if (line.starts_with("time: ")) lines.push_back(line);
        return lines;
    };
    test::ScratchDir dir;
    const std::vector<std::string> one_image{"load", "histogram", "design", "render",
                                             "emit", "write",     "stats"};
    for (const char* engine : {"kmeans", "fixed"}) {
        const test::Run r = run_kpal({"convert", parrot, "-t", "generic-4bpp", "-o",
                                      (dir / "p.h").string(), "--stats", "-q", "--engine", engine});
        BOOST_TEST_REQUIRE(r.status == 0, r.err);
        const auto lines = time_lines(r.out);
        BOOST_TEST_REQUIRE(lines.size() == 1u, r.out);
        check(lines[0], one_image);
    }
    // A batch: each image on its own. A shared palette: its design once, then each image.
    const std::string gradient = (golden / "gradient.png").string();
    const test::Run batch = run_kpal({"convert", parrot, gradient, "-t", "generic-4bpp", "-o",
                                      (dir / "b/").string(), "--stats", "-q", "-j", "2"});
    BOOST_TEST_REQUIRE(batch.status == 0, batch.err);
    const auto batch_lines = time_lines(batch.out);
    BOOST_TEST_REQUIRE(batch_lines.size() == 2u, batch.out);
    for (const std::string& line : batch_lines) check(line, one_image);
    const test::Run shared = run_kpal({"convert", parrot, gradient, "-t", "generic-4bpp", "-o",
                                       (dir / "s/").string(), "--stats", "-q", "--shared-palette"});
    BOOST_TEST_REQUIRE(shared.status == 0, shared.err);
    BOOST_TEST(shared.out.starts_with("palette shared by 2 images:\ntime: "), shared.out);
    const auto shared_lines = time_lines(shared.out);
    BOOST_TEST_REQUIRE(shared_lines.size() == 3u, shared.out);
    check(shared_lines[0], {"design", "emit", "write"}); // from the images' renders
    for (int i : {1, 2})
        check(shared_lines[i], {"load", "histogram", "render", "emit", "write", "stats"});
}

namespace {

// Every file under `root`, sorted.
std::vector<std::string> files_under(const fs::path& root) {
    std::vector<std::string> out;
    for (const auto& e : fs::recursive_directory_iterator(root))
        if (e.is_regular_file()) out.push_back(e.path().string());
    std::sort(out.begin(), out.end());
    return out;
}

// A depfile's one rule: its targets and its prerequisites (paths without spaces), each sorted.
struct Rule {
    std::vector<std::string> targets, prerequisites;
};
Rule read_rule(const fs::path& depfile) {
    Rule rule;
    bool after_colon = false;
    for (const std::string& w : words(test::read_text(depfile))) {
        if (w == "\\") continue;
        if (w == ":") {
            BOOST_TEST_REQUIRE(!after_colon, "two colons in " << depfile);
            after_colon = true;
            continue;
        }
        (after_colon ? rule.prerequisites : rule.targets).push_back(w);
    }
    BOOST_TEST_REQUIRE(after_colon, "no rule in " << depfile);
    std::sort(rule.targets.begin(), rule.targets.end());
    std::sort(rule.prerequisites.begin(), rule.prerequisites.end());
    return rule;
}

} // namespace

// For every kind of run, the depfile's rule names exactly the files the run made (in out/, which
// starts empty) and depends on the images, the profile file and the palette files.
BOOST_AUTO_TEST_CASE(the_depfile_names_exactly_the_files_each_kind_of_run_made) {
    const std::string gradient = (golden / "gradient.png").string();
    const std::string gpl = (golden / "expected/parrot.gpl").string();
    struct Case {
        const char* what;
        std::vector<std::string> args; // OUT stands for the output folder
        std::vector<std::string> prerequisites;
    };
    const std::vector<Case> cases{
        {"one image",
         {parrot, "-t", "PROFILE", "-o", "OUT/p.bin", "--preview", "OUT/p.png", "--sheet",
          "OUT/s.png", "--palette-out", "OUT/saved.gpl", "--fix-palette", gpl},
         {parrot, "PROFILE", gpl}},
        {"one image, a given palette",
         {parrot, "-t", "generic-8bpp", "-o", "OUT/p.c", "--palette", gpl},
         {parrot, gpl}},
        {"a batch",
         {parrot, gradient, "-t", "PROFILE", "-o", "OUT/", "--preview", "OUT/"},
         {gradient, parrot, "PROFILE"}},
        {"a shared batch",
         {parrot, gradient, "-t", "generic-4bpp", "-o", "OUT/", "--shared-palette", "--format",
          "c-source", "--palette-out", "OUT/shared.gpl"},
         {gradient, parrot}},
        {"the fixed engine",
         {parrot, "-t", "PROFILE", "-o", "OUT/f.h", "--engine", "fixed"},
         {parrot, "PROFILE"}},
        {"a header printed into a file",
         {parrot, "-t", "generic-4bpp", "-o", "/dev/stdout", "--preview", "OUT/p.png", ">",
          "OUT/printed.h"},
         {parrot}},
    };
    for (const Case& c : cases) {
        BOOST_TEST_CONTEXT(c.what) {
            test::ScratchDir dir;
            fs::create_directory(dir / "out");
            fs::copy_file(test::source_dir / "targets/generic-8bpp.ini", dir / "mine.ini");
            const auto fill = [&](std::string arg) {
                if (arg.starts_with("OUT")) arg.replace(0, 3, (dir / "out").string());
                if (arg == "PROFILE") arg = (dir / "mine.ini").string();
                return arg;
            };
            std::vector<std::string> args{"convert", "-q", "--depfile", (dir / "deps.d").string()};
            for (const std::string& a : c.args) args.push_back(fill(a));
            std::string command = "{ " + test::quote(KPAL_EXE); // a '>' of its own wins
            for (const std::string& a : args) command += " " + (a == ">" ? a : test::quote(a));
            const test::Run r = test::run_shell(command + "; }");
            BOOST_TEST_REQUIRE(r.status == 0, r.err);
            const Rule rule = read_rule(dir / "deps.d");
            BOOST_TEST(rule.targets == files_under(dir / "out"), test::read_text(dir / "deps.d"));
            std::vector<std::string> prerequisites;
            for (const std::string& p : c.prerequisites) prerequisites.push_back(fill(p));
            std::sort(prerequisites.begin(), prerequisites.end());
            BOOST_TEST(rule.prerequisites == prerequisites, test::read_text(dir / "deps.d"));
        }
    }
    // Printed into a pipe, no file made: the rule names the stream, so that it stays a rule.
    test::ScratchDir dir;
    BOOST_TEST_REQUIRE(test::run_shell(test::quote(KPAL_EXE) + " convert " + test::quote(parrot) +
                                       " -t generic-4bpp -o /dev/stdout --depfile " +
                                       test::q(dir / "deps.d") + " | cat")
                           .status == 0);
    BOOST_TEST(read_rule(dir / "deps.d").targets == std::vector<std::string>{"/dev/stdout"});
}

BOOST_AUTO_TEST_CASE(a_failed_run_writes_no_depfile) {
    const std::string missing = (golden / "no-such.png").string();
    for (const auto& extra : std::vector<std::vector<std::string>>{
             {"-o", "OUT.h"},                            // one image
             {parrot, "-o", "OUT/"},                     // a batch, one image failing
             {parrot, "-o", "OUT/", "--shared-palette"}, // a shared batch
             {"-o", "OUT.h", "--engine", "fixed"}}) {
        test::ScratchDir dir;
        std::vector<std::string> args{
            "convert", missing, "-t", "generic-4bpp", "-q", "--depfile", (dir / "deps.d").string()};
        for (std::string a : extra)
            args.push_back(a.starts_with("OUT") ? a.replace(0, 3, (dir / "out").string()) : a);
        BOOST_TEST(run_kpal(args).status == 2);
        BOOST_TEST(!fs::exists(dir / "deps.d"), args.back());
    }
}

// tests/golden/CASE.args holds an input (in tests/golden) and options, with -o naming the output
// file; every file the run writes must equal the one of that name in tests/golden/expected.
// KPAL_UPDATE_GOLDEN=1 rewrites them after a deliberate change; review the diff before
// committing. (Errors: tests/errors.)
BOOST_AUTO_TEST_CASE(golden_files) {
    const bool update = std::getenv("KPAL_UPDATE_GOLDEN") != nullptr;
    const fs::path expected = golden / "expected";
    int cases = 0;
    for (const auto& e : fs::directory_iterator(golden)) {
        if (e.path().extension() != ".args") continue;
        ++cases;
        const std::string stem = e.path().stem().string();
        std::vector<std::string> args = words(test::read_text(e.path()));
        test::ScratchDir dir;
        args[0] = (golden / args[0]).string();
        const auto output = std::find(args.begin(), args.end(), "-o");
        BOOST_TEST_REQUIRE((output != args.end() && output + 1 != args.end()), stem << ": no -o");
        output[1] = (dir / output[1]).string();
        args.insert(args.begin(), "convert");
        args.push_back("-q");
        BOOST_TEST_CONTEXT(stem) {
            const test::Run r = run_kpal(args);
            BOOST_TEST_REQUIRE(r.status == 0, r.err);
            BOOST_TEST_REQUIRE(!dir.files().empty());
            for (const std::string& name : dir.files()) {
                if (update)
                    fs::copy_file(dir / name, expected / name,
                                  fs::copy_options::overwrite_existing);
                BOOST_TEST((test::read_bytes(dir / name) == test::read_bytes(expected / name)),
                           name);
            }
        }
    }
    BOOST_TEST(cases >= 20);
}

// `kpal preview` of every target's binary shows exactly what `kpal convert --preview` wrote.
BOOST_AUTO_TEST_CASE(preview_of_every_targets_binary_equals_the_convert_preview) {
    for (const std::string& target : builtin_target_names()) {
        if (load_target(target).screen) continue; // fixed sizes: cells_test
        BOOST_TEST_CONTEXT(target) {
            test::ScratchDir dir;
            BOOST_TEST_REQUIRE(
                run_kpal({"convert", parrot, "-t", target, "-o", (dir / "p.bin").string(),
                          "--preview", (dir / "convert.png").string(), "-q"})
                    .status == 0);
            const test::Run r = run_kpal({"preview", (dir / "p.bin").string(), "-t", target,
                                          "--size", "41x30", "-o", (dir / "preview.png").string()});
            BOOST_TEST_REQUIRE(r.status == 0, r.err);
            const Image a = load_image((dir / "convert.png").string());
            const Image b = load_image((dir / "preview.png").string());
            BOOST_TEST((a.rgba == b.rgba));
        }
    }
}

// Tile data that does not fit: one line naming the file and the problem, exit status 2, no PNG.
BOOST_AUTO_TEST_CASE(preview_rejects_tile_data_that_does_not_fit) {
    test::ScratchDir dir, out;
    const std::string data = (dir / "p.bin").string(), png = (out / "x.png").string();
    BOOST_TEST_REQUIRE(
        run_kpal({"convert", parrot, "-t", "gba-bg-4bpp", "--palettes", "1", "-o", data, "-q"})
            .status == 0);
    const auto preview = [&](std::vector<std::string> more) {
        std::vector<std::string> args{"preview", data, "-t", "gba-bg-4bpp", "-o", png};
        args.insert(args.end(), more.begin(), more.end());
        return run_kpal(args);
    };
    BOOST_TEST_REQUIRE(preview({"--size", "41x30"}).status == 0);
    fs::remove(png);
    check_failure(preview({"--size", "56x30"}), 2,
                  data + ": map of 48 bytes; a 56x30 picture for target gba-bg-4bpp takes 56", out);
    std::string map = test::read_text(dir / "p.map");
    map[0] = char(0xff), map[1] = 0x03; // tile 1023
    test::write_text(dir / "bad.map", map);
    check_failure(preview({"--size", "41x30", "--map", (dir / "bad.map").string()}), 2,
                  data + ": map entry at tile (0, 0) names tile 1023, which is not there", out);
    check_failure(preview({"--size", "41x30", "--palette-bank", "2"}), 2,
                  data + ": map entry at tile (0, 0) names palette bank 0, which is not there",
                  out);
    test::write_text(dir / "odd.pal", "123");
    check_failure(preview({"--size", "41x30", "--palette", (dir / "odd.pal").string()}), 2,
                  data + ": palette of 3 bytes is not a whole number of 2-byte bgr555-le entries",
                  out);
    std::string tiles = test::read_text(dir / "p.bin");
    test::write_text(dir / "p.bin", tiles.substr(1));
    check_failure(preview({"--size", "41x30"}), 2,
                  data + ": holds " + std::to_string(tiles.size() - 1) +
                      " bytes, not a whole number of 32-byte gba-4bpp tiles",
                  out);
}

// A picture with more tiles than the target holds: exit status 2 naming the image, the count and
// the limit, and nothing written. Tile options on a target they do not fit: usage errors.
BOOST_AUTO_TEST_CASE(tile_limits_and_tile_options_fail_cleanly) {
    test::ScratchDir dir;
    const std::string kodak = (test::shared_images / "kodak/kodim23.png").string();
    const std::string out = (dir / "t.bin").string();
    check_failure(run_kpal({"convert", kodak, "-t", "sms-bg", "--resize", "256x192", "-o", out,
                            "--preview", (dir / "t.png").string()}),
                  2, kodak + ": 572 tiles do not fit the target's 448 tiles", dir);
    check_failure(run_kpal({"convert", parrot, "-t", "vga-mode13h", "--no-flip", "-o", out}), 1,
                  "--no-flip is for tile hardware; vga-mode13h is a framebuffer", dir);
    check_failure(run_kpal({"convert", parrot, "-t", "md-bg", "--frame", "16x16", "-o", out}), 1,
                  "--frame does not go with target md-bg (a map)", dir);
    check_failure(run_kpal({"convert", parrot, "-t", "md-sprite", "--frame", "12x8", "-o", out}), 1,
                  "--frame 12x8 is not whole 8x8 tiles", dir);
    check_failure(
        run_kpal({"convert", parrot, "-t", "gba-bg-4bpp", "--palette-bank", "16", "-o", out}), 1,
        "--palette-bank 16 is past the map's 16 banks", dir);
    check_failure(
        run_kpal({"convert", parrot, "-t", "gba-obj-4bpp", "--transparent-index", "3", "-o", out}),
        1,
        "--transparent-index: on target gba-obj-4bpp the hardware makes index 0 "
        "transparent",
        dir);
}

// --merge-tiles: a photo with more tiles than the target holds converts to at most the limit
// (less --tile-offset), the same bytes on any thread count, and its bytes decode to the preview;
// --stats reports the count before and the PSNR it cost. --max-tiles lowers the limit.
BOOST_AUTO_TEST_CASE(merging_fits_the_tile_budget) {
    test::ScratchDir dir;
    const std::string kodak = (test::shared_images / "kodak/kodim23.png").string();
    const auto convert = [&](const std::string& name, std::vector<std::string> more) {
        std::vector<std::string> args{"convert",
                                      kodak,
                                      "-t",
                                      "sms-bg",
                                      "--resize",
                                      "256x192",
                                      "--merge-tiles",
                                      "--stats",
                                      "-o",
                                      (dir / (name + ".bin")).string(),
                                      "--preview",
                                      (dir / (name + ".png")).string()};
        args.insert(args.end(), more.begin(), more.end());
        const test::Run r = run_kpal(args);
        BOOST_TEST_REQUIRE(r.status == 0, r.err);
        return r.out;
    };
    const std::string stats = convert("t1", {"--threads", "1"});
    convert("t2", {"--threads", "2"});
    const std::size_t tiles = test::read_bytes(dir / "t1.bin").size() / 32; // 4bpp 8x8
    BOOST_TEST(tiles <= 448u);
    BOOST_TEST(stats.find("tiles: " + std::to_string(tiles) + " (merged from 572, PSNR ") !=
                   std::string::npos,
               stats);
    for (const char* suffix : {".bin", ".map", ".pal"})
        BOOST_TEST((test::read_bytes(dir / (std::string("t1") + suffix)) ==
                    test::read_bytes(dir / (std::string("t2") + suffix))),
                   suffix);
    const test::Run shown = run_kpal({"preview", (dir / "t1.bin").string(), "-t", "sms-bg",
                                      "--size", "256x192", "-o", (dir / "decoded.png").string()});
    BOOST_TEST_REQUIRE(shown.status == 0, shown.err);
    BOOST_TEST((load_image((dir / "t1.png").string()).rgba ==
                load_image((dir / "decoded.png").string()).rgba));

    convert("offset", {"--tile-offset", "400"});
    BOOST_TEST(test::read_bytes(dir / "offset.bin").size() <= 48u * 32);
    convert("low", {"--max-tiles", "100"});
    BOOST_TEST(test::read_bytes(dir / "low.bin").size() <= 100u * 32);

    test::ScratchDir empty;
    const std::string out = (empty / "x.bin").string();
    check_failure(run_kpal({"convert", kodak, "-t", "sms-bg", "--resize", "256x192", "--max-tiles",
                            "100", "-o", out}),
                  2, kodak + ": 572 tiles do not fit --max-tiles 100; use --merge-tiles", empty);
    check_failure(run_kpal({"convert", parrot, "-t", "sms-bg", "--max-tiles", "0", "-o", out}), 1,
                  "--max-tiles 0 is out of range: 1..65535", empty);
    check_failure(
        run_kpal({"convert", parrot, "-t", "sms-bg", "--merge-tiles", "--no-dedup", "-o", out}), 1,
        "--merge-tiles does not go with --no-dedup", empty);
    check_failure(run_kpal({"convert", parrot, "-t", "gba-obj-4bpp", "--merge-tiles", "-o", out}),
                  1, "--merge-tiles does not go with target gba-obj-4bpp (sprites: no map)", empty);
    check_failure(run_kpal({"convert", parrot, "-t", "sms-bg", "--merge-tiles", "--tile-offset",
                            "448", "-o", out}),
                  1, "--merge-tiles: target sms-bg's 448 tiles leave none after --tile-offset 448",
                  empty);
}

BOOST_AUTO_TEST_CASE(preview_rejects_data_that_does_not_fit_the_target) {
    test::ScratchDir dir, out;
    BOOST_TEST_REQUIRE(
        run_kpal({"convert", parrot, "-t", "vga-mode13h", "-o", (dir / "p.bin").string(), "-q"})
            .status == 0);
    const std::string data = (dir / "p.bin").string();
    check_failure(
        run_kpal({"preview", data, "-t", "vga-mode13h", "--size", "40x30", "-o",
                  (out / "x.png").string()}),
        2, data + ": holds 1230 bytes, but a 40x30 image for target vga-mode13h takes 1200", out);
    check_failure(run_kpal({"preview", data, "-t", "vga-mode13h", "--size", "41x30", "--palette",
                            data, "-o", (out / "x.png").string()}),
                  2, data + ": palette of 410 entries is larger than target vga-mode13h's 256",
                  out);
    test::write_text(dir / "odd.pal", "1234567");
    check_failure(run_kpal({"preview", data, "-t", "vga-mode13h", "--size", "41x30", "--palette",
                            (dir / "odd.pal").string(), "-o", (out / "x.png").string()}),
                  2, data + ": palette of 7 bytes is not a whole number of 3-byte vga-dac entries",
                  out);
    check_failure(run_kpal({"preview", data, "-t", "vga-mode13h", "--size", "41", "-o",
                            (out / "x.png").string()}),
                  1, "--size 41 is not WxH", out);
}

// A palette file kpal writes gives, read back by --palette, the same palette bytes.
BOOST_AUTO_TEST_CASE(palette_files_round_trip_through_palette) {
    test::ScratchDir dir;
    BOOST_TEST_REQUIRE(run_kpal({"convert", parrot, "-t", "ili9341-8bpp", "-k", "20", "-q", "-o",
                                 (dir / "a.bin").string()})
                           .status == 0);
    for (const char* file : {"p.gpl", "p.act", "p.jasc"}) {
        BOOST_TEST_CONTEXT(file) {
            const std::string format = std::string(file).ends_with(".jasc")  ? "jasc-pal"
                                       : std::string(file).ends_with(".gpl") ? "gpl"
                                                                             : "act";
            BOOST_TEST_REQUIRE(run_kpal({"convert", parrot, "-t", "ili9341-8bpp", "-k", "20", "-q",
                                         "--format", format, "-o", (dir / file).string()})
                                   .status == 0);
            const test::Run r =
                run_kpal({"convert", parrot, "-t", "ili9341-8bpp", "--palette",
                          (dir / file).string(), "-q", "-o", (dir / "b.bin").string()});
            BOOST_TEST_REQUIRE(r.status == 0, r.err);
            BOOST_TEST((test::read_bytes(dir / "b.pal") == test::read_bytes(dir / "a.pal")));
            BOOST_TEST((test::read_bytes(dir / "b.bin") == test::read_bytes(dir / "a.bin")));
        }
    }
    // --palette-out saves the same palette.
    BOOST_TEST_REQUIRE(
        run_kpal({"convert", parrot, "-t", "ili9341-8bpp", "-k", "20", "-q", "-o",
                  (dir / "c.bin").string(), "--palette-out", (dir / "saved.gpl").string()})
            .status == 0);
    const test::Run r =
        run_kpal({"convert", parrot, "-t", "ili9341-8bpp", "--palette",
                  (dir / "saved.gpl").string(), "-q", "-o", (dir / "d.bin").string()});
    BOOST_TEST_REQUIRE(r.status == 0, r.err);
    BOOST_TEST((test::read_bytes(dir / "d.pal") == test::read_bytes(dir / "a.pal")));
}

BOOST_AUTO_TEST_CASE(a_batch_converts_every_image_and_reports_the_ones_that_fail) {
    test::ScratchDir dir, inputs;
    test::write_text(inputs / "broken.png", "not an image");
    const std::string gradient = (test::source_dir / "tests/golden/gradient.png").string();
    const std::string broken = (inputs / "broken.png").string();
    const test::Run r =
        run_kpal({"convert", parrot, broken, gradient, "-t", "generic-4bpp", "-j", "2", "-q", "-o",
                  (dir.path.string() + "/out/"), "--preview", dir.path.string() + "/out/"});
    BOOST_TEST(r.status == 2);
    BOOST_TEST(r.err == "kpal: " + broken + ": not a PNG or JPEG image\n");
    const fs::path out = dir / "out";
    BOOST_TEST(fs::exists(out / "parrot.h"));
    BOOST_TEST(fs::exists(out / "parrot.png"));
    BOOST_TEST(fs::exists(out / "gradient.h"));
    BOOST_TEST(!fs::exists(out / "broken.h"));
    // The same bytes as converting each alone.
    BOOST_TEST_REQUIRE(
        run_kpal({"convert", parrot, "-t", "generic-4bpp", "-q", "-o", (dir / "parrot.h").string()})
            .status == 0);
    BOOST_TEST((test::read_bytes(dir / "parrot.h") == test::read_bytes(out / "parrot.h")));
}

BOOST_AUTO_TEST_CASE(a_shared_palette_is_written_once_and_does_not_depend_on_the_order) {
    test::ScratchDir a, b;
    const std::string gradient = (test::source_dir / "tests/golden/gradient.png").string();
    BOOST_TEST_REQUIRE(run_kpal({"convert", parrot, gradient, "-t", "gba-mode4", "--shared-palette",
                                 "-q", "-o", a.path.string() + "/", "--format", "bin"})
                           .status == 0);
    BOOST_TEST_REQUIRE(run_kpal({"convert", gradient, parrot, "-t", "gba-mode4", "--shared-palette",
                                 "-q", "-o", b.path.string() + "/", "--format", "bin"})
                           .status == 0);
    for (const char* f : {"palette.bin", "parrot.bin", "gradient.bin"})
        BOOST_TEST((test::read_bytes(a / f) == test::read_bytes(b / f)), f);
    BOOST_TEST(!fs::exists(a / "parrot.pal"));
    BOOST_TEST(test::read_bytes(a / "palette.bin").size() == 512u);
}

// On tile hardware the images share the target's banks, designed over all their tiles: one
// palette file of every bank, the same whichever order the images come in, and each image's
// tiles and map decode with it to its preview; --palettes 1 shares one palette.
BOOST_AUTO_TEST_CASE(a_shared_palette_on_tile_hardware_is_its_banks) {
    test::ScratchDir a, b;
    const std::string gradient = (test::source_dir / "tests/golden/gradient.png").string();
    const auto convert = [&](const test::ScratchDir& dir, std::vector<std::string> more) {
        std::vector<std::string> args{
            "convert",  "-t",      "gba-bg-4bpp", "--shared-palette",
            "-q",       "--stats", "-o",          dir.path.string() + "/",
            "--format", "bin",     "--preview",   dir.path.string() + "/"};
        args.insert(args.end(), more.begin(), more.end());
        const test::Run r = run_kpal(args);
        BOOST_TEST_REQUIRE(r.status == 0, r.err);
        return r.out;
    };
    const std::string stats = convert(a, {parrot, gradient});
    convert(b, {gradient, parrot});
    for (const char* f :
         {"palette.bin", "parrot.bin", "parrot.map", "gradient.bin", "gradient.map"})
        BOOST_TEST((test::read_bytes(a / f) == test::read_bytes(b / f)), f);
    BOOST_TEST(test::read_bytes(a / "palette.bin").size() == 16u * 32);
    BOOST_TEST(stats.find("palette banks used: 1 of") == std::string::npos, stats);
    for (const auto& [name, size] : {std::pair{"parrot", "41x30"}, {"gradient", "32x32"}}) {
        const std::string stem = a.path.string() + "/" + name;
        const test::Run r = run_kpal(
            {"preview", stem + ".bin", "-t", "gba-bg-4bpp", "--size", size, "--map", stem + ".map",
             "--palette", a.path.string() + "/palette.bin", "-o", stem + "-decoded.png"});
        BOOST_TEST_REQUIRE(r.status == 0, r.err);
        BOOST_TEST((load_image(stem + ".png").rgba == load_image(stem + "-decoded.png").rgba),
                   name);
    }
    test::ScratchDir one;
    convert(one, {parrot, gradient, "--palettes", "1"});
    BOOST_TEST(test::read_bytes(one / "palette.bin").size() == 32u);
}

BOOST_AUTO_TEST_CASE(the_sheet_shows_both_pictures_and_the_swatches) {
    test::ScratchDir dir;
    BOOST_TEST_REQUIRE(run_kpal({"convert", parrot, "-t", "generic-4bpp", "--dither", "fs", "-q",
                                 "-o", (dir / "p.h").string(), "--sheet", (dir / "s.png").string()})
                           .status == 0);
    const Image sheet = load_image((dir / "s.png").string());
    // Panels zoomed 7x (320 / 41) side by side with 8-pixel gaps, or the swatch row if wider;
    // one row of 16 swatches below.
    BOOST_TEST(sheet.width == std::max(3 * 8 + 2 * 41 * 7, 2 * 8 + 16 * 40));
    BOOST_TEST(sheet.height == 3 * 8 + 30 * 7 + 24 + 8);
}

// With banks, a third panel shows each tile's bank: tiles whose map entries (GBA: bits 12-15)
// name the same bank have one colour there, different banks different colours, and it is the
// colour that leads that bank's row of swatches.
BOOST_AUTO_TEST_CASE(the_sheet_shows_which_bank_each_tile_takes) {
    test::ScratchDir dir;
    BOOST_TEST_REQUIRE(run_kpal({"convert", parrot, "-t", "gba-bg-4bpp", "-q", "-o",
                                 (dir / "p.bin").string(), "--sheet", (dir / "s.png").string()})
                           .status == 0);
    const Image sheet = load_image((dir / "s.png").string());
    const int zoom = 7, w = 41 * zoom, h = 30 * zoom;
    BOOST_TEST(sheet.width == 4 * 8 + 3 * w);            // three panels
    BOOST_TEST(sheet.height == 3 * 8 + h + 16 * 24 + 8); // a row of swatches a bank
    const auto at = [&](int x, int y) { return sheet.rgb_at(std::size_t(y) * sheet.width + x); };
    const std::vector<std::uint8_t> map = test::read_bytes(dir / "p.map");
    BOOST_TEST_REQUIRE(map.size() == 6u * 4 * 2);
    std::map<int, Rgb> colour_of;
    std::set<std::array<std::uint8_t, 3>> colours;
    for (int ty = 0; ty < 4; ++ty)
        for (int tx = 0; tx < 6; ++tx) {
            const std::size_t e = 2 * std::size_t(ty * 6 + tx);
            const int bank = (map[e] | map[e + 1] << 8) >> 12;
            const Rgb shown = at(3 * 8 + 2 * w + tx * 8 * zoom + 3, 8 + ty * 8 * zoom + 4 * zoom);
            const Rgb lead = at(8 + 20, 2 * 8 + h + bank * 24 + 12);
            BOOST_TEST((shown == lead), "tile " << tx << "," << ty << " bank " << bank);
            const auto [it, added] = colour_of.emplace(bank, shown);
            BOOST_TEST((it->second == shown));
            if (added) colours.insert({shown.r, shown.g, shown.b});
        }
    BOOST_TEST(colours.size() == colour_of.size()); // one colour a bank
    BOOST_TEST(colour_of.size() > 1u);
}

BOOST_AUTO_TEST_CASE(transparency_reaches_the_preview) {
    test::ScratchDir dir;
    const std::string rgba = (test::shared_images / "pngsuite/basn6a08.png").string();
    BOOST_TEST_REQUIRE(run_kpal({"convert", rgba, "-t", "generic-4bpp", "-q", "-o",
                                 (dir / "a.bin").string(), "--preview", (dir / "a.png").string()})
                           .status == 0);
    const Image source = load_image(rgba), preview = load_image((dir / "a.png").string());
    for (std::size_t i = 0; i < source.pixel_count(); ++i)
        BOOST_TEST_REQUIRE((preview.rgba[4 * i + 3] == 0) == (source.rgba[4 * i + 3] < 128));
    // On tile hardware with banks colour 0 of every bank is transparent: a photo with a hole
    // and a transparent band, over the GBA's 16 banks and the Mega Drive's 4, tiles merged too.
    Image holed = load_image((test::shared_images / "scaling/akihabara_240x160.jpg").string());
    for (int y = 0; y < holed.height; ++y)
        for (int x = 0; x < holed.width; ++x)
            if ((x - 120) * (x - 120) + (y - 80) * (y - 80) < 50 * 50 || x < 30)
                holed.rgba[(std::size_t(y) * std::size_t(holed.width) + std::size_t(x)) * 4 + 3] =
                    0;
    const std::vector<std::uint8_t> png = encode_rgba_png(holed);
    test::write_text(dir / "holed.png", std::string(png.begin(), png.end()));
    for (const char* target : {"gba-bg-4bpp", "md-bg"}) {
        BOOST_TEST_CONTEXT(target) {
            BOOST_TEST_REQUIRE(
                run_kpal({"convert", (dir / "holed.png").string(), "-t", target, "--merge-tiles",
                          "--max-tiles", "200", "-q", "-o", (dir / "t.bin").string(), "--preview",
                          (dir / "t.png").string()})
                    .status == 0);
            const Image shown = load_image((dir / "t.png").string());
            std::size_t wrong = 0;
            for (std::size_t i = 0; i < holed.pixel_count(); ++i)
                wrong += (shown.rgba[4 * i + 3] == 0) != (holed.rgba[4 * i + 3] == 0);
            BOOST_TEST(wrong == 0u);
        }
    }
}

// --flatten: the same bytes as converting the picture flattened beforehand (by the library's
// flatten, whose arithmetic resize_test checks), an opaque preview, and the option recorded.
BOOST_AUTO_TEST_CASE(flatten_composites_the_picture_over_a_colour_first) {
    test::ScratchDir dir;
    const std::string rgba = (test::shared_images / "pngsuite/basn6a08.png").string();
    const std::vector<std::uint8_t> png = encode_rgba_png(flatten(load_image(rgba), {32, 64, 96}));
    test::write_text(dir / "flat.png", std::string(png.begin(), png.end()));
    const auto convert = [&](const std::string& input, const std::string& out,
                             std::vector<std::string> extra) {
        std::vector<std::string> args{"convert", input, "-t", "generic-4bpp",      "-q",
                                      "--name",  "img", "-o", (dir / out).string()};
        args.insert(args.end(), extra.begin(), extra.end());
        BOOST_TEST_REQUIRE(run_kpal(args).status == 0);
        return test::read_text(dir / out);
    };
    const std::string flattened =
        convert(rgba, "a.h", {"--flatten", "#204060", "--preview", (dir / "a.png").string()});
    const std::string before = convert((dir / "flat.png").string(), "b.h", {});
    BOOST_TEST(flattened.find("--flatten #204060") != std::string::npos);
    const auto data = [](const std::string& header) { return header.substr(header.find("*/")); };
    BOOST_TEST(data(flattened) == data(before));
    const Image shown = load_image((dir / "a.png").string());
    for (std::size_t i = 0; i < shown.pixel_count(); ++i)
        BOOST_TEST_REQUIRE(shown.rgba[4 * i + 3] == 255);
}

BOOST_AUTO_TEST_CASE(a_batch_gives_the_same_bytes_with_any_number_of_jobs) {
    test::ScratchDir one, four;
    const std::string kodak = (test::shared_images / "kodak").string();
    std::vector<std::string> images;
    for (const char* name :
         {"kodim01.png", "kodim02.png", "kodim03.png", "kodim04.png", "kodim05.png"})
        images.push_back(kodak + "/" + name);
    for (auto [dir, jobs] : {std::pair{&one, "1"}, {&four, "4"}}) {
        std::vector<std::string> args{"convert"};
        args.insert(args.end(), images.begin(), images.end());
        args.insert(args.end(),
                    {"-t", "vga-mode13h", "-q", "-j", jobs, "--resize", "160x100", "-o",
                     dir->path.string() + "/", "--depfile", (*dir / "deps.d").string()});
        BOOST_TEST_REQUIRE(run_kpal(args).status == 0);
    }
    for (const char* name : {"kodim01.h", "kodim02.h", "kodim03.h", "kodim04.h", "kodim05.h"})
        BOOST_TEST((test::read_bytes(one / name) == test::read_bytes(four / name)), name);
    // The depfile names every output and every input.
    const std::string deps = test::read_text(one / "deps.d");
    BOOST_TEST(deps.find((one / "kodim05.h").string() + " :") != std::string::npos, deps);
    BOOST_TEST(deps.find(kodak + "/kodim03.png") != std::string::npos, deps);
}

// Every file that once crashed, hung or exhausted a fuzzer (tests/fuzz/regressions/image) is
// rejected with one line and exit status 2, leaves no output, and peaks under 64 MB of memory.
BOOST_AUTO_TEST_CASE(fuzzer_findings_are_rejected_cleanly) {
    int files = 0;
    for (const auto& e :
         fs::directory_iterator(test::source_dir / "tests/fuzz/regressions/image")) {
        ++files;
        BOOST_TEST_CONTEXT(e.path().filename()) {
            test::ScratchDir dir;
            const std::string out = (dir / "x.h").string();
            check_failure(run_kpal({"convert", e.path().string(), "-t", "generic-8bpp", "-o", out}),
                          2, e.path().string() + ": ", dir);
#if !defined(__SANITIZE_ADDRESS__) // ASan's shadow memory would dwarf the measure
            const test::Run timed = test::run_shell(
                "/usr/bin/time -f %M -o " + test::quote((dir / "kib").string()) + " " +
                test::quote(KPAL_EXE) + " convert " + test::quote(e.path().string()) +
                " -t generic-8bpp -o " + test::quote(out));
            BOOST_TEST(timed.status == 2, timed.err);
            const std::string kib = test::read_text(dir / "kib"); // "Command exited ...\nKIB\n"
            BOOST_TEST(std::stol(kib.substr(kib.find_last_of('\n', kib.size() - 2) + 1)) < 65536,
                       kib);
#endif
        }
    }
    BOOST_TEST(files > 0);
}

// A palette PNG drawn in the GBA's colours keeps its indices and palette order, duplicate entries
// included (palette swaps depend on them); --redesign, or a colour the GBA cannot show, designs.
BOOST_AUTO_TEST_CASE(art_in_the_consoles_colours_keeps_its_indices_and_palette) {
    const auto gba = [](unsigned r, unsigned g, unsigned b) { // 5-bit codes, shown as the GBA does
        const auto e = [](unsigned v) { return std::uint8_t((v << 3) | (v >> 2)); };
        return Rgb{e(r), e(g), e(b)};
    };
    std::vector<Rgb> plte{gba(31, 0, 0),   gba(0, 9, 20), gba(3, 3, 3),    gba(31, 31, 0),
                          gba(7, 20, 1),   gba(0, 0, 31), gba(12, 12, 30), gba(3, 3, 3),
                          gba(31, 31, 31), gba(1, 2, 3)};
    IndexedImage art{24, 16, {}};
    for (int y = 0; y < 16; ++y)
        for (int x = 0; x < 24; ++x)
            art.indices.push_back(std::uint8_t((x / 3 + y * 7 + x * y) % 10));
    test::ScratchDir dir;
    const auto convert = [&](const std::vector<Rgb>& colours, std::vector<std::string> more) {
        const auto png = encode_preview_png(art, colours, std::nullopt);
        test::write_text(dir / "art.png", std::string(png.begin(), png.end()));
        std::vector<std::string> args{
            "convert", (dir / "art.png").string(), "-t", "gba-bg-4bpp", "-q",
            "-o",      (dir / "art.bin").string()};
        args.insert(args.end(), more.begin(), more.end());
        BOOST_TEST_REQUIRE(run_kpal(args).status == 0);
        const Target t = load_target("gba-bg-4bpp");
        const auto tiles = test::read_bytes(dir / "art.bin");
        const auto map = test::read_bytes(dir / "art.map");
        return std::pair{decode_tiles(t, {}, 24, 16, tiles, map, 1, "art").indices,
                         decode_palette(*t.palette_format, test::read_bytes(dir / "art.pal"))};
    };
    const auto [kept, palette] = convert(plte, {});
    BOOST_TEST((kept == art.indices));
    BOOST_TEST((std::vector<Rgb>(palette.begin(), palette.begin() + 10) == plte));
    BOOST_TEST(convert(plte, {"--redesign"}).first != art.indices);
    std::vector<Rgb> off = plte;
    off[1].g ^= 1; // not a colour the GBA shows
    BOOST_TEST(convert(off, {}).first != art.indices);
}

namespace {
// Bit x (0 the leftmost pixel) of a plane byte.
unsigned plane_bit(std::uint8_t byte, int x) {
    return (byte >> (7 - x)) & 1u;
}
} // namespace

// The NES and Game Boy outputs read as their documentation describes them, not through kpal's
// tables: NES (NESdev wiki, "PPU pattern tables", "PPU nametables", "PPU attribute tables"): tile
// t is bytes 16t..16t+15, plane 0 then plane 1; the 1 KiB map is 960 tile numbers then the
// attribute table, a 2-bit palette for each 16x16 area; pixel colour is palette RAM
// [4 x palette + value], a master palette code, and value 0 the backdrop ($3F00) in every
// palette. The picture uses several palettes (the target's default, four). Game Boy (Pan Docs):
// rows of low plane byte then high, a byte a map entry, and the shade of value v in bits 2v+1..2v
// of BGP. Each equals the picture `kpal convert --preview` wrote.
BOOST_AUTO_TEST_CASE(nes_and_game_boy_data_decode_as_the_hardware_documents) {
    test::ScratchDir dir;
    const auto convert = [&](const std::string& target) {
        BOOST_TEST_REQUIRE(
            run_kpal({"convert", parrot, "-t", target, "-o", (dir / (target + ".bin")).string(),
                      "--preview", (dir / (target + ".png")).string(), "-q"})
                .status == 0);
        return load_image((dir / (target + ".png")).string());
    };
    const auto file = [&](const std::string& name) { return test::read_bytes(dir / name); };
    const std::vector<Rgb>& master = find_palette_format("nes")->shown;
    const Image nes = convert("nes-bg");
    const auto tiles = file("nes-bg.bin"), map = file("nes-bg.map"), pal = file("nes-bg.pal");
    BOOST_TEST_REQUIRE(map.size() == 1024u);
    BOOST_TEST_REQUIRE(pal.size() == 16u);
    std::set<unsigned> palettes;
    for (int y = 0; y < nes.height; ++y)
        for (int x = 0; x < nes.width; ++x) {
            const int tx = x / 8, ty = y / 8;
            const std::size_t tile = map[std::size_t(ty * 32 + tx)];
            const std::uint8_t attr = map[std::size_t(0x3c0 + (ty / 4) * 8 + tx / 4)];
            const unsigned palette = (attr >> ((ty & 2) << 1 | (tx & 2))) & 3u;
            const unsigned v = plane_bit(tiles.at(16 * tile + std::size_t(y % 8)), x % 8) |
                               plane_bit(tiles.at(16 * tile + 8 + std::size_t(y % 8)), x % 8) << 1;
            palettes.insert(palette);
            BOOST_TEST_REQUIRE((nes.rgb_at(std::size_t(y) * nes.width + x) ==
                                master[pal[v ? 4 * palette + v : 0] & 63]),
                               x << "," << y);
        }
    BOOST_TEST(palettes.size() > 1u); // several of the four (3 on this 3x2-area picture)
    const Image gb = convert("gb-bg");
    const auto gtiles = file("gb-bg.bin"), gmap = file("gb-bg.map"), bgp = file("gb-bg.pal");
    BOOST_TEST_REQUIRE(bgp.size() == 1u);
    const int across = (gb.width + 7) / 8;
    for (int y = 0; y < gb.height; ++y)
        for (int x = 0; x < gb.width; ++x) {
            const std::size_t tile = gmap[std::size_t((y / 8) * across + x / 8)];
            const std::size_t row = 16 * tile + 2 * std::size_t(y % 8);
            const unsigned v =
                plane_bit(gtiles.at(row), x % 8) | plane_bit(gtiles.at(row + 1), x % 8) << 1;
            const unsigned shade = (bgp[0] >> (2 * v)) & 3u;
            const std::uint8_t grey = std::uint8_t(255 - 85 * shade);
            BOOST_TEST_REQUIRE((gb.rgb_at(std::size_t(y) * gb.width + x) == Rgb{grey, grey, grey}),
                               x << "," << y);
        }
}

// A profile's master palette (an emulator's .pal) is what design snaps to and what the preview
// shows; the depfile names it; the fixed engine, which has no code formats, says so.
BOOST_AUTO_TEST_CASE(a_master_palette_file_changes_the_colours_and_is_a_dependency) {
    test::ScratchDir dir, out;
    std::string green(12, '\0'); // the DMG's four greens, lightest first
    const std::uint8_t shades[4][3] = {{155, 188, 15}, {139, 172, 15}, {48, 98, 48}, {15, 56, 15}};
    for (int i = 0; i < 12; ++i) green[std::size_t(i)] = char(shades[i / 3][i % 3]);
    test::write_text(dir / "dmg.pal", green);
    test::write_text(dir / "dmg.ini", test::read_text(test::source_dir / "targets/gb-bg.ini") +
                                          "master_palette = dmg.pal\n");
    const std::string profile = (dir / "dmg.ini").string();
    const test::Run r =
        run_kpal({"convert", parrot, "-t", profile, "-o", (out / "p.bin").string(), "--preview",
                  (out / "p.png").string(), "--depfile", (out / "p.d").string(), "-q"});
    BOOST_TEST_REQUIRE(r.status == 0, r.err);
    const Image shown = load_image((out / "p.png").string());
    for (std::size_t i = 0; i < shown.pixel_count(); ++i) {
        const Rgb c = shown.rgb_at(i);
        BOOST_TEST_REQUIRE((std::find_if(std::begin(shades), std::end(shades), [&](const auto& s) {
                                return c == Rgb{s[0], s[1], s[2]};
                            }) != std::end(shades)));
    }
    BOOST_TEST(test::read_text(out / "p.d").find((dir / "dmg.pal").string()) != std::string::npos);
    const test::Run again = run_kpal({"preview", (out / "p.bin").string(), "-t", profile, "--size",
                                      "41x30", "-o", (out / "q.png").string()});
    BOOST_TEST_REQUIRE(again.status == 0, again.err);
    BOOST_TEST((load_image((out / "q.png").string()).rgba == shown.rgba));

    test::ScratchDir none;
    check_failure(run_kpal({"convert", parrot, "-t", "nes-bg", "--engine", "fixed", "-o",
                            (none / "x.bin").string()}),
                  1,
                  "--engine fixed: target nes-bg's palette format nes is a set of colour codes, "
                  "which the fixed-point core does not design for; use the default engine",
                  none);
}

// --compress: each data file holds the packed stream, which unpacks to the raw run's bytes; the
// header says both sizes; an unknown method is a usage error.
// Several palettes: every tile draws from one bank, the same bytes for any thread count, the
// default is the target's banks, and the options they cannot take say so.
BOOST_AUTO_TEST_CASE(several_palettes_are_deterministic_and_checked) {
    const test::ScratchDir dir;
    const std::string photo = (test::shared_images / "kodak/kodim23.png").string();
    for (const char* threads : {"1", "2"})
        BOOST_TEST_REQUIRE(run_kpal({"convert", photo, "-t", "gba-bg-4bpp", "--fit", "240x160",
                                     "--palettes", "16", "--threads", threads, "-q", "-o",
                                     (dir / (std::string("t") + threads + ".bin")).string()})
                               .status == 0);
    // Dithered within each tile's bank: every tile still draws from one bank (the tile stage
    // refuses a tile that mixes banks), and the map still names several.
    BOOST_TEST_REQUIRE(
        run_kpal({"convert", photo, "-t", "gba-bg-4bpp", "--fit", "240x160", "--palettes", "16",
                  "--dither", "fs", "-q", "-o", (dir / "fs.bin").string()})
            .status == 0);
    for (const char* suffix : {".bin", ".map", ".pal"})
        BOOST_TEST((test::read_bytes(dir / (std::string("t1") + suffix)) ==
                    test::read_bytes(dir / (std::string("t2") + suffix))),
                   suffix);
    BOOST_TEST(test::read_bytes(dir / "t1.pal").size() == 16u * 16 * 2); // 16 banks of 16
    // By default the target's banks (16 on the GBA), from --palette-bank on; one palette where an
    // option asks for one.
    const auto pal_size = [&](std::vector<std::string> more) {
        std::vector<std::string> args{
            "convert", parrot, "-t", "gba-bg-4bpp", "-q", "-o", (dir / "d.bin").string()};
        args.insert(args.end(), more.begin(), more.end());
        BOOST_TEST_REQUIRE(run_kpal(args).status == 0);
        return test::read_bytes(dir / "d.pal").size();
    };
    BOOST_TEST(pal_size({}) == 16u * 32);
    BOOST_TEST(pal_size({"--palette-bank", "3"}) == 13u * 32);
    BOOST_TEST(pal_size({"--fix", "1=#ff0000"}) == 32u);
    BOOST_TEST(pal_size({"--order", "luminance"}) == 32u);
    BOOST_TEST(pal_size({"--palettes", "1"}) == 32u);
    const auto refused = [&](const std::vector<std::string>& args, const std::string& says) {
        test::convert_refused(parrot, dir / "x.bin", args, says);
    };
    refused({"-t", "st7735-4bpp", "--palettes", "2"}, "tile hardware with a map");
    refused({"-t", "md-bg", "--palettes", "5"}, "has 4 banks");
    refused({"-t", "gba-bg-4bpp", "--palettes", "4", "--palette-bank", "14"}, "has 16 banks");
    refused({"-t", "gba-bg-4bpp", "--palettes", "4", "--fix", "1=#ff0000"}, "--fix");
    refused({"-t", "gba-bg-4bpp", "--palettes", "4", "--order", "luminance"}, "--order");
}

// --compress platform takes the first method the target's platform decodes (its profile's
// decoders), for the output format at hand; a target without decoders says so.
BOOST_AUTO_TEST_CASE(compress_platform_picks_the_targets_own_decoder) {
    const test::ScratchDir dir;
    const std::string out = (dir / "p.h").string();
    BOOST_TEST_REQUIRE(
        run_kpal({"convert", parrot, "-t", "gba-bg-4bpp", "--compress", "platform", "-o", out})
            .status == 0);
    BOOST_TEST(test::read_text(out).find("--compress gba-lz77 ") != std::string::npos);
    BOOST_TEST_REQUIRE(run_kpal({"convert", parrot, "-t", "lvgl-i4", "--format", "lvgl",
                                 "--compress", "platform", "-o", (dir / "l.c").string()})
                           .status == 0);
    BOOST_TEST(test::read_text(dir / "l.c").find("--compress lvgl-lz4 ") != std::string::npos);
    const test::Run none = run_kpal(
        {"convert", parrot, "-t", "st7735-4bpp", "--compress", "platform", "-o", out + "x"});
    BOOST_TEST(none.status == 1);
    BOOST_TEST(none.err.find("names no decoders") != std::string::npos, none.err);
    test::write_text(dir / "bad.ini", "layout = linear\nbpp = 8\npalette_format = rgb888\n"
                                      "decoders = zip\n");
    const test::Run bad =
        run_kpal({"convert", parrot, "-t", (dir / "bad.ini").string(), "-o", out + "y"});
    BOOST_TEST(bad.status == 2);
    BOOST_TEST(bad.err.find("bad.ini:4: 'decoders': unknown method 'zip'") != std::string::npos,
               bad.err);
}

BOOST_AUTO_TEST_CASE(compressed_outputs_unpack_to_the_raw_ones) {
    test::ScratchDir raw, packed;
    BOOST_TEST_REQUIRE(
        run_kpal({"convert", parrot, "-t", "gbc-bg", "-o", (raw / "p.bin").string(), "-q"})
            .status == 0);
    for (const char* method : {"gba-lz77", "gba-rle", "lz4"}) {
        BOOST_TEST_CONTEXT(method) {
            const test::Run r = run_kpal({"convert", parrot, "-t", "gbc-bg", "--compress", method,
                                          "-o", (packed / "p.bin").string(), "-q"});
            BOOST_TEST_REQUIRE(r.status == 0, r.err);
            const CompressMethod& m = *find_compress_method(method);
            for (const char* file : {"p.bin", "p.map", "p.attr"}) {
                const auto want = test::read_bytes(raw / file);
                BOOST_TEST((unpack(m, test::read_bytes(packed / file), want.size(), file) == want));
            }
            BOOST_TEST((test::read_bytes(packed / "p.pal") == test::read_bytes(raw / "p.pal")));
            // kpal preview --compress unpacks them again and shows the raw conversion's picture.
            for (const auto& [target, folder] :
                 {std::pair{"gbc-bg", &packed}, std::pair{"st7735-4bpp", &packed}}) {
                const std::string bin = (*folder / (std::string(target) + ".bin")).string();
                BOOST_TEST_REQUIRE(run_kpal({"convert", parrot, "-t", target, "--compress", method,
                                             "-o", bin, "--preview", bin + ".png", "-q"})
                                       .status == 0);
                BOOST_TEST_REQUIRE(run_kpal({"preview", bin, "-t", target, "--size", "41x30",
                                             "--compress", method, "-o", bin + ".again.png"})
                                       .status == 0);
                BOOST_TEST((test::read_bytes(bin + ".png") == test::read_bytes(bin + ".again.png")),
                           target);
            }
        }
    }
    BOOST_TEST_REQUIRE(run_kpal({"convert", parrot, "-t", "gbc-bg", "--compress", "lz4", "-o",
                                 (packed / "p.h").string(), "-q"})
                           .status == 0);
    const std::string header = test::read_text(packed / "p.h");
    BOOST_TEST(header.find("#define P_TILES_DECOMPRESSED_SIZE " +
                           std::to_string(test::read_bytes(raw / "p.bin").size())) !=
               std::string::npos);
    BOOST_TEST(header.find("P_ATTR_COMPRESSED_SIZE") != std::string::npos);
    test::ScratchDir none;
    check_failure(run_kpal({"convert", parrot, "-t", "gbc-bg", "--compress", "zip", "-o",
                            (none / "x.bin").string()}),
                  1,
                  "--compress zip is not one of: platform, gba-lz77, gba-lz77-vram, gba-rle, lz4, "
                  "lvgl-rle, lvgl-lz4",
                  none);
}

// ---- What a new user meets first -------------------------------------------------------------

BOOST_AUTO_TEST_CASE(every_command_has_help_that_says_what_it_takes) {
    const test::Run targets = run_kpal({"targets", "--help"});
    BOOST_TEST(targets.status == 0, targets.err);
    BOOST_TEST(targets.out.find("--names") != std::string::npos);
    BOOST_TEST(run_kpal({"--help"}).out.find("kpal convert IMAGE...") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_mistyped_target_gets_the_nearest_name) {
    test::ScratchDir dir;
    check_failure(run_kpal({"convert", parrot, "-t", "gba-mod4", "-o", (dir / "x.h").string()}), 2,
                  "gba-mod4: no such target; did you mean gba-mode4?", dir);
    check_failure(
        run_kpal({"convert", parrot, "-t", "sd1306-128x64", "-o", (dir / "x.h").string()}), 2,
        "sd1306-128x64: no such target; did you mean ssd1306-128x64?", dir);
    const test::Run far = run_kpal({"convert", parrot, "-t", "zzz", "-o", (dir / "x.h").string()});
    BOOST_TEST(far.err.find("did you mean") == std::string::npos, far.err);
}

// A picture's suffix names no data format: kpal says where pictures go instead of writing a C
// header into a .png.
BOOST_AUTO_TEST_CASE(an_output_named_like_a_picture_is_refused) {
    test::ScratchDir dir;
    for (const char* name : {"x.png", "x.jpg"})
        check_failure(
            run_kpal({"convert", parrot, "-t", "generic-4bpp", "-o", (dir / name).string()}), 1,
            "-o " + (dir / name).string() + ": kpal writes data", dir);
    BOOST_TEST(run_kpal({"convert", parrot, "-t", "generic-4bpp", "--format", "bin", "-q", "-o",
                         (dir / "x.png").string()})
                   .status == 0);
}

// As a build system expects, the folders of an output are made (the README's Make rule on a
// clean tree), only once the conversion has succeeded.
BOOST_AUTO_TEST_CASE(outputs_go_into_folders_that_do_not_exist_yet) {
    test::ScratchDir dir;
    const test::Run r = run_kpal({"convert", parrot, "-t", "generic-4bpp", "-q", "-o",
                                  (dir / "build/assets/x.h").string(), "--preview",
                                  (dir / "check/x.png").string()});
    BOOST_TEST(r.status == 0, r.err);
    BOOST_TEST(fs::is_regular_file(dir / "build/assets/x.h"));
    BOOST_TEST(fs::is_regular_file(dir / "check/x.png"));
    const test::Run bad = run_kpal(
        {"convert", parrot, "-t", "generic-4bpp", "-k", "99", "-o", (dir / "later/x.h").string()});
    BOOST_TEST(bad.status == 1);
    BOOST_TEST(!fs::exists(dir / "later"));
}

// Printed to a stream, the data is named after the image, not after the stream.
BOOST_AUTO_TEST_CASE(data_written_to_stdout_is_named_after_the_image) {
    const test::Run r =
        run_kpal({"convert", parrot, "-t", "generic-4bpp", "-q", "-o", "/dev/stdout"});
    BOOST_TEST(r.status == 0, r.err);
    BOOST_TEST(r.out.find("parrot_pixels[") != std::string::npos);
    BOOST_TEST(r.out.find("stdout") == std::string::npos);
}

// A sprite frame must be a size the hardware draws (GBATEK's twelve OBJ shapes; the Mega
// Drive's 1-4 x 1-4 tiles).
BOOST_AUTO_TEST_CASE(sprite_frames_are_sizes_the_hardware_draws) {
    test::ScratchDir dir;
    test::write_png(dir / "sheet.png", test::make_image(48, 64, [](int x, int y) {
                        return Rgb{std::uint8_t(4 * x), std::uint8_t(3 * y), 70};
                    }));
    const auto frame = [&](const std::string& target, const std::string& size) {
        return run_kpal({"convert", (dir / "sheet.png").string(), "-t", target, "--frame", size,
                         "-q", "-o", (dir / "s.h").string()});
    };
    const test::Run odd = frame("gba-obj-4bpp", "24x32");
    BOOST_TEST(odd.status == 1);
    BOOST_TEST(odd.err.find("a frame of 24x32 is not a sprite size") != std::string::npos, odd.err);
    BOOST_TEST(frame("gba-obj-4bpp", "16x32").status == 0);
    BOOST_TEST(frame("gba-obj-4bpp", "48x64").status == 1);
    BOOST_TEST(frame("md-sprite", "24x32").status == 0);
    BOOST_TEST(frame("md-sprite", "48x32").status == 1);
}

// Every output option either changes what a format writes or is refused with a line naming
// the format: never accepted and ignored. Each accepted option's files differ from the files
// written without it.
BOOST_AUTO_TEST_CASE(every_output_option_takes_effect_or_is_refused_for_every_format) {
    test::ScratchDir dir;
    const auto files_of = [](const fs::path& folder) {
        std::map<std::string, std::string> out;
        for (const auto& e : fs::directory_iterator(folder))
            out[e.path().filename()] = test::read_text(e.path());
        return out;
    };
    const std::map<std::string, std::string> target_of = {{"xbm", "ssd1306-128x64"},
                                                          {"arduboy", "arduboy"},
                                                          {"lvgl", "lvgl-i4"},
                                                          {"lvgl-bin", "lvgl-i4"}};
    for (const OutputFormat& format : output_formats()) {
        const std::string name(format.name);
        const std::string target =
            target_of.count(name) ? target_of.at(name) : std::string("generic-4bpp");
        const auto run = [&](const std::string& folder, std::vector<std::string> extra) {
            fs::create_directories(dir / folder);
            std::vector<std::string> args{
                "convert", parrot,     "-t",
                target,    "--format", name,
                "-q",      "-o",       (dir / folder / "img.out").string()};
            args.insert(args.end(), extra.begin(), extra.end());
            return run_kpal(args);
        };
        BOOST_TEST_REQUIRE(run(name, {}).status == 0);
        const auto plain = files_of(dir / name);
        for (const EmitOption option : emit_options()) {
            const std::string flag(emit_option_name(option));
            std::vector<std::string> extra{flag};
            if (option == EmitOption::name) extra.push_back("other");
            if (option == EmitOption::section) extra.push_back(".mysection");
            if (option == EmitOption::align) extra.push_back("16");
            if (option == EmitOption::row_align) extra.push_back("8");
            if (option == EmitOption::lvgl) extra.push_back("8");
            if (option == EmitOption::compress)
                extra.push_back(name.starts_with("lvgl") ? "lvgl-rle" : "gba-rle");
            const std::string folder = name + flag;
            const test::Run r = run(folder, extra);
            BOOST_TEST_CONTEXT(name << " " << flag) {
                if (format.takes_option(option)) {
                    BOOST_TEST(r.status == 0, r.err);
                    BOOST_TEST((files_of(dir / folder) != plain));
                } else {
                    BOOST_TEST(r.status == 1);
                    BOOST_TEST(
                        r.err.starts_with("kpal: " + flag + " does not go with --format " + name),
                        r.err);
                    BOOST_TEST(files_of(dir / folder).empty());
                }
            }
        }
    }
}

// A transparent input's preview marks exactly the transparent pixels, on every framebuffer
// target: on a fixed palette the transparent pixels' code is the panel's background, which
// opaque pixels (here black and white patches) show too. `kpal preview --mask` of the same
// bytes shows the same picture.
BOOST_AUTO_TEST_CASE(transparent_inputs_preview_exactly_their_mask_on_every_target) {
    test::ScratchDir dir;
    Image image = test::make_image(24, 16, [](int x, int y) {
        if (x < 8) return Rgb{0, 0, 0};
        if (x < 16) return Rgb{255, 255, 255};
        return Rgb{std::uint8_t(30 * y), std::uint8_t(20 * x), 128};
    });
    const auto hidden = [](std::size_t i) { return (i % 24 + i / 24) % 3 == 0; };
    for (std::size_t i = 0; i < image.pixel_count(); ++i)
        image.rgba[4 * i + 3] = hidden(i) ? 0 : 255;
    test::write_png(dir / "alpha.png", image);
    for (const std::string& target : builtin_target_names()) {
        if (load_target(target).tiles) continue;  // colour 0: transparency_reaches_the_preview
        if (load_target(target).screen) continue; // no transparency: cells_test
        BOOST_TEST_CONTEXT(target) {
            const test::Run r =
                run_kpal({"convert", (dir / "alpha.png").string(), "-t", target, "--mask", "-q",
                          "-o", (dir / "t.bin").string(), "--preview",
                          (dir / "convert.png").string(), "--sheet", (dir / "sheet.png").string()});
            BOOST_TEST_REQUIRE(r.status == 0, r.err);
            const test::Run p = run_kpal({"preview", (dir / "t.bin").string(), "-t", target,
                                          "--size", "24x16", "--mask", (dir / "t.mask").string(),
                                          "-o", (dir / "preview.png").string()});
            BOOST_TEST_REQUIRE(p.status == 0, p.err);
            const Image a = load_image((dir / "convert.png").string());
            const Image b = load_image((dir / "preview.png").string());
            int wrong = 0, differ = 0;
            for (std::size_t i = 0; i < image.pixel_count(); ++i) {
                wrong += (a.rgba[4 * i + 3] == 0) != hidden(i);
                differ +=
                    a.rgba[4 * i + 3] != b.rgba[4 * i + 3] ||
                    (!hidden(i) && !std::equal(&a.rgba[4 * i], &a.rgba[4 * i + 3], &b.rgba[4 * i]));
            }
            BOOST_TEST(wrong == 0);
            BOOST_TEST(differ == 0);
            // The sheet's display panel (8 px margins, each pixel a 13 px square for a 24 px
            // wide picture) shows every opaque pixel in its colour, not as the checkerboard.
            const Image sheet = load_image((dir / "sheet.png").string());
            int checkered = 0;
            for (std::size_t i = 0; i < image.pixel_count(); ++i) {
                if (hidden(i)) continue;
                const std::size_t sx = 2 * 8 + 24 * 13 + (i % 24) * 13 + 6,
                                  sy = 8 + (i / 24) * 13 + 6;
                checkered += !(sheet.rgb_at(sy * std::size_t(sheet.width) + sx) == a.rgb_at(i));
            }
            BOOST_TEST(checkered == 0);
        }
    }
}

// ---- The NES's master palette and emulators' colour models ----------------------------------

namespace {

// FCEUX's palettes as Debian's fceux package ships them: published .pal files (R, G, B a code).
const fs::path fceux_palettes = "/usr/share/fceux/palettes";

std::vector<Rgb> read_pal(const fs::path& path) {
    const std::vector<std::uint8_t> bytes = test::read_bytes(path);
    std::vector<Rgb> out;
    for (std::size_t i = 0; i + 2 < bytes.size() && out.size() < 64; i += 3)
        out.push_back({bytes[i], bytes[i + 1], bytes[i + 2]});
    return out;
}

} // namespace

// --master-palette FILE.pal: an emulator's published NES palette (FCEUX's own) is what design
// snaps to, what the preview shows and `kpal preview` shows again, and a dependency. Pure red
// takes $16, FCEUX's red ($15 is its pink).
BOOST_AUTO_TEST_CASE(an_emulators_published_nes_palette_is_what_the_preview_shows) {
    if (!test::have_tool("/usr/games/fceux")) return; // its package ships the palettes
    const fs::path pal = fceux_palettes / "FCEUX.pal";
    const std::vector<Rgb> colours = read_pal(pal);
    BOOST_TEST_REQUIRE(colours.size() == 64u);
    test::ScratchDir dir;
    test::write_png(dir / "red.png", test::make_image(16, 16, [](int, int) {
                        return Rgb{255, 0, 0};
                    }));
    const test::Run r =
        run_kpal({"convert", (dir / "red.png").string(), "-t", "nes-bg", "--master-palette",
                  pal.string(), "-q", "-o", (dir / "t.bin").string(), "--preview",
                  (dir / "t.png").string(), "--depfile", (dir / "t.d").string()});
    BOOST_TEST_REQUIRE(r.status == 0, r.err);
    const std::vector<std::uint8_t> codes = test::read_bytes(dir / "t.pal");
    BOOST_TEST(std::count(codes.begin(), codes.end(), 0x16) >= 1);
    const Image shown = load_image((dir / "t.png").string());
    BOOST_TEST((shown.rgb_at(0) == colours[0x16]));
    BOOST_TEST(test::read_text(dir / "t.d").find(pal.string()) != std::string::npos);
    const test::Run again =
        run_kpal({"preview", (dir / "t.bin").string(), "-t", "nes-bg", "--master-palette",
                  pal.string(), "--size", "16x16", "-o", (dir / "again.png").string()});
    BOOST_TEST_REQUIRE(again.status == 0, again.err);
    BOOST_TEST((load_image((dir / "again.png").string()).rgba == shown.rgba));
    test::ScratchDir none;
    check_failure(run_kpal({"convert", parrot, "-t", "gba-mode4", "--master-palette", pal.string(),
                            "-o", (none / "x.h").string()}),
                  1, "a master palette goes with a target whose palette is colour codes", none);
}

// kpal's default NES colours, an NTSC decoding of the PPU's documented signal, are close to the
// published palettes made the same way (FirebrandX's Composite Direct and Smooth, shipped with
// FCEUX): on average within 25 of theirs in RGB and never over 55 (measured 17.7 and 18.5, at
// most 42.5 and 49.0; FCEUX's own, more saturated palette averages 39.1 away, at most 107.7).
BOOST_AUTO_TEST_CASE(the_default_nes_colours_are_close_to_published_ntsc_decodings) {
    if (!test::have_tool("/usr/games/fceux")) return; // its package ships the palettes
    const std::vector<Rgb>& kpal = find_palette_format("nes")->shown;
    for (const char* name : {"Composite_Direct_FBX.pal", "Smooth_FBX.pal"}) {
        const std::vector<Rgb> published = read_pal(fceux_palettes / name);
        BOOST_TEST_REQUIRE(published.size() == 64u);
        double total = 0, most = 0;
        int colours = 0;
        for (int code = 0; code < 64; ++code) {
            if ((code & 15) >= 13) continue; // blacks, and $0D below black
            const Rgb a = kpal[std::size_t(code)], b = published[std::size_t(code)];
            const double distance = std::sqrt(double(
                (a.r - b.r) * (a.r - b.r) + (a.g - b.g) * (a.g - b.g) + (a.b - b.b) * (a.b - b.b)));
            total += distance, most = std::max(most, distance), ++colours;
        }
        BOOST_TEST_CONTEXT(name) {
            BOOST_TEST(total / colours < 25.0);
            BOOST_TEST(most < 55.0);
        }
    }
}

// --dac mednafen on the PC Engine shows a 3-bit code v as 36 * v, and mednafen-gbc mixes the Game
// Boy Color's channels as its gb module does: the preview's pixels are the ideal preview's
// codes through those models.
BOOST_AUTO_TEST_CASE(emulator_colour_models_show_the_codes_as_the_emulators_do) {
    test::ScratchDir dir;
    struct Case {
        const char *target, *dac;
        int bits;
        Rgb (*show)(unsigned, unsigned, unsigned);
    };
    const Case cases[] = {
        {"pce-bg", "mednafen", 3,
         [](unsigned r, unsigned g, unsigned b) {
             return Rgb{std::uint8_t(36 * r), std::uint8_t(36 * g), std::uint8_t(36 * b)};
         }},
        {"gbc-bg", "mednafen-gbc", 5, [](unsigned r, unsigned g, unsigned b) {
             return Rgb{std::uint8_t((226 * r + 29 * g) / 31),
                        std::uint8_t((29 * r + 197 * g + 29 * b) / 31),
                        std::uint8_t((30 * r + 73 * g + 152 * b) / 31)};
         }}};
    for (const Case& c : cases) {
        BOOST_TEST_CONTEXT(c.target) {
            const std::string bin = (dir / (std::string(c.target) + ".bin")).string();
            BOOST_TEST_REQUIRE(run_kpal({"convert", parrot, "-t", c.target, "-q", "-o", bin,
                                         "--preview", (dir / "ideal.png").string()})
                                   .status == 0);
            const test::Run r = run_kpal({"preview", bin, "-t", c.target, "--size", "41x30",
                                          "--dac", c.dac, "-o", (dir / "dac.png").string()});
            BOOST_TEST_REQUIRE(r.status == 0, r.err);
            const Image ideal = load_image((dir / "ideal.png").string());
            const Image shown = load_image((dir / "dac.png").string());
            int differ = 0;
            for (std::size_t i = 0; i < ideal.pixel_count(); ++i) {
                const Rgb v = ideal.rgb_at(i);
                const int drop = 8 - c.bits;
                differ += !(shown.rgb_at(i) == c.show(v.r >> drop, v.g >> drop, v.b >> drop));
            }
            BOOST_TEST(differ == 0);
        }
    }
}

// A picture larger than a framebuffer's screen is converted with a warning that names both
// sizes and the fix; --fit screen (crop or letterbox) makes it the screen's size, silently.
BOOST_AUTO_TEST_CASE(a_picture_larger_than_the_screen_gets_a_warning_and_a_hint) {
    test::ScratchDir dir;
    const std::string photo = (test::shared_images / "kodak/kodim01.png").string();
    const test::Run big =
        run_kpal({"convert", photo, "-t", "vga-mode13h", "-o", (dir / "a.h").string()});
    BOOST_TEST(big.status == 0, big.err);
    BOOST_TEST(big.err.find("warning: " + photo +
                            " is 768x512, larger than target vga-mode13h's 320x200 screen") !=
                   std::string::npos,
               big.err);
    BOOST_TEST(big.err.find("--fit screen") != std::string::npos);
    for (const char* mode : {"crop", "letterbox"}) {
        const test::Run fits =
            run_kpal({"convert", photo, "-t", "vga-mode13h", "--fit", "screen", "--fit-mode", mode,
                      "-o", (dir / "b.h").string(), "--preview", (dir / "b.png").string()});
        BOOST_TEST(fits.status == 0, fits.err);
        BOOST_TEST(fits.err.empty(), fits.err);
        const Image shown = load_image((dir / "b.png").string());
        BOOST_TEST(shown.width == 320);
        BOOST_TEST(shown.height == 200);
    }
    // Tile maps scroll and sprite sheets are cut into frames: no warning there.
    BOOST_TEST(run_kpal({"convert", photo, "-t", "gba-obj-4bpp", "--resize", "128x64", "--frame",
                         "64x64", "-o", (dir / "s.h").string()})
                   .err.empty());
    const test::Run orphan = run_kpal(
        {"convert", photo, "-t", "vga-mode13h", "--anchor", "top", "-o", (dir / "c.h").string()});
    BOOST_TEST(orphan.status == 1);
    BOOST_TEST(orphan.err.find("--anchor goes with --fit") != std::string::npos, orphan.err);
}

// --stats measures a few rows at a time: on a 2048x2048 picture it takes at most 1.5 times the
// memory of the same conversion without it (it took 6 times, 117 bytes a pixel, before).
BOOST_AUTO_TEST_CASE(stats_take_little_more_memory_than_the_conversion) {
    if (!test::have_tool("/usr/bin/time")) return;
    test::ScratchDir dir;
    test::write_png(dir / "big.png", test::make_image(2048, 2048, [](int x, int y) {
                        return Rgb{std::uint8_t(x / 8), std::uint8_t(y / 8),
                                   std::uint8_t((x * 7 + y * 13) % 256)};
                    }));
    const auto peak_kb = [&](const std::string& extra) {
        const test::Run r =
            test::must("/usr/bin/time -f '%M' " + test::quote(KPAL_EXE) + " convert " +
                       test::q(dir / "big.png") + " -t generic-8bpp -q -o " +
                       test::q(dir / "big.bin") + extra + " >/dev/null");
        return std::stod(r.err.substr(r.err.find_last_of('\n', r.err.size() - 2) + 1));
    };
    const double plain = peak_kb(""), with_stats = peak_kb(" --stats");
    BOOST_TEST(with_stats <= 1.5 * plain, with_stats << " KB against " << plain << " KB");
}

// A conversion that runs more than two seconds shows on a terminal (here `script`'s) which
// stage is running and which are done, then clears the line; with no terminal it prints nothing.
BOOST_AUTO_TEST_CASE(a_long_conversion_shows_its_stages_on_a_terminal) {
    if (!test::have_tool("script")) return;
    test::ScratchDir dir;
    const std::string photo = (test::shared_images / "kodak/kodim05.png").string();
    const std::string command = test::quote(KPAL_EXE) + " convert " + test::quote(photo) +
                                " -t generic-8bpp --resize 4096x4096 --effort 3 --dither fs -o " +
                                test::q(dir / "x.h");
    const test::Run shown = test::must("script -qec " + test::quote(command) + " /dev/null");
    BOOST_TEST(shown.out.find("kpal: " + photo + ": ") != std::string::npos, shown.out);
    BOOST_TEST(shown.out.find("(load, histogram") != std::string::npos, shown.out);
    BOOST_TEST(shown.out.find("\r\033[Kkpal: " + photo + " -> ") != std::string::npos, shown.out);
    const test::Run piped = test::must(command);
    BOOST_TEST(piped.err.empty(), piped.err);
}

// The demo (tools/demo.sh, the README's first command) fits the photo to every target that has
// a screen, keeping its aspect, and its table gives the blurred PSNR beside the plain one.
BOOST_AUTO_TEST_CASE(the_demo_shows_each_screen_at_its_size) {
    test::ScratchDir dir;
    const test::Run demo =
        test::must("KPAL_BUILD=" + test::quote(KPAL_BUILD_DIR) + " KPAL_OUT=" + test::q(dir.path) +
                   " bash " + test::q(test::source_dir / "tools/demo.sh"));
    BOOST_TEST(demo.out.find("colours     PSNR  blurred") != std::string::npos, demo.out);
    int checked = 0;
    for (const std::string& name : builtin_target_names()) {
        const Target t = load_target(name);
        BOOST_TEST_CONTEXT(name) {
            const Image shown = load_image((dir / (name + ".png")).string());
            if (!t.screen_width) continue;
            // Wide pixels show twice (the C64's multicolour).
            BOOST_TEST(shown.width == t.screen_width * (t.screen ? t.screen->pixel_width : 1));
            BOOST_TEST(shown.height == t.screen_height);
            ++checked;
        }
    }
    BOOST_TEST(checked > 30);
}

// --stats gives each array's bytes, raw and packed, for flash and video memory budgets: the sizes
// of the files a .bin conversion writes, without and with --compress.
BOOST_AUTO_TEST_CASE(stats_give_each_arrays_bytes_raw_and_packed) {
    test::ScratchDir raw, packed;
    const auto stats = [&](const test::ScratchDir& dir, std::vector<std::string> extra) {
        std::vector<std::string> args{"convert", parrot,    "-t", "gbc-bg",
                                      "-q",      "--stats", "-o", (dir / "x.bin").string()};
        args.insert(args.end(), extra.begin(), extra.end());
        const test::Run r = run_kpal(args);
        BOOST_TEST_REQUIRE(r.status == 0, r.err);
        const std::size_t at = r.out.find("bytes: ");
        BOOST_TEST_REQUIRE(at != std::string::npos, r.out);
        return r.out.substr(at, r.out.find('\n', at) - at);
    };
    const auto size = [](const fs::path& p) { return std::to_string(fs::file_size(p)); };
    const std::string plain = stats(raw, {}), lz4 = stats(packed, {"--compress", "lz4"});
    BOOST_TEST(plain == "bytes: tiles " + size(raw / "x.bin") + ", map " + size(raw / "x.map") +
                            ", attr " + size(raw / "x.attr") + ", palette " + size(raw / "x.pal"));
    BOOST_TEST(lz4 == "bytes: tiles " + size(raw / "x.bin") + " (packed " + size(packed / "x.bin") +
                          "), map " + size(raw / "x.map") + " (packed " + size(packed / "x.map") +
                          "), attr " + size(raw / "x.attr") + " (packed " +
                          size(packed / "x.attr") + "), palette " + size(raw / "x.pal"));
}

// --dither alone means --dither auto, at the end of the line, before an option or before a file
// name; auto takes each family's measured kind and the provenance records it by name.
BOOST_AUTO_TEST_CASE(a_bare_dither_picks_the_family_kind) {
    const test::ScratchDir dir;
    const std::string out = (dir.path / "a.h").string();
    const auto recorded = [&](std::vector<std::string> args) {
        const test::Run r = run_kpal(args);
        BOOST_TEST_REQUIRE(r.status == 0, r.err);
        const std::string text = test::read_text(out);
        const std::size_t at = text.find("--dither ");
        return at == std::string::npos ? std::string()
                                       : words(text.substr(at, text.find('\n', at) - at))[1];
    };
    BOOST_TEST(recorded({"convert", parrot, "-t", "ssd1306-128x64", "-o", out, "--dither"}) ==
               "sierra-lite");
    BOOST_TEST(test::read_text(out).find("--dither-space light") != std::string::npos);
    // A space given stands.
    recorded({"convert", parrot, "-t", "ssd1306-128x64", "-o", out, "--dither", "--dither-space",
              "srgb"});
    BOOST_TEST(test::read_text(out).find("--dither-space") == std::string::npos);
    BOOST_TEST(recorded({"convert", "--dither", parrot, "-t", "gba-bg-4bpp", "-o", out}) ==
               "blue-noise");
    BOOST_TEST(recorded({"convert", parrot, "--dither", "-t", "generic-4bpp", "-o", out}) ==
               "search");
    BOOST_TEST(recorded({"convert", parrot, "-t", "generic-4bpp", "--dither", "auto", "-o", out,
                         "--engine", "fixed"}) == "bayer8");
    BOOST_TEST(recorded({"convert", parrot, "-t", "generic-4bpp", "--dither", "fs", "-o", out}) ==
               "fs");
}
