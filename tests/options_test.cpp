#define BOOST_TEST_MODULE options
#include "cli/options.h"
#include "kpal/error.h"
#include "support.h"

#include <boost/test/unit_test.hpp>

#include <set>

using namespace kpal;
using namespace kpal::cli;
namespace fs = std::filesystem;

namespace {

const std::string parrot = (test::source_dir / "tests/golden/parrot.png").string();

// A target each kind of row fits, and what it needs given, for a convert run.
std::vector<std::string> context_for(const Option& o) {
    std::vector<std::string> args{"-t", o.fits == Fits::map      ? "gba-bg-4bpp"
                                        : o.fits == Fits::frames ? "md-sprite"
                                        : o.name == "lvgl"       ? "lvgl-i4"
                                                                 : "generic-4bpp"};
    if (o.name == "lvgl") args.insert(args.end(), {"--format", "lvgl"});
    if (o.needs == "fit" || o.needs == "fit-mode=letterbox")
        args.insert(args.end(), {"--fit", "24x24"});
    if (o.needs == "fit-mode=letterbox") args.insert(args.end(), {"--fit-mode", "letterbox"});
    if (o.needs == "dither") args.insert(args.end(), {"--dither", "fs"});
    if (o.needs == "engine=fixed") args.insert(args.end(), {"--engine", "fixed"});
    return args;
}

std::map<std::string, std::string> files_in(const fs::path& folder) {
    std::map<std::string, std::string> out;
    for (const auto& e : fs::directory_iterator(folder))
        out[e.path().filename()] = test::read_text(e.path());
    return out;
}

// A value each type refuses.
std::string bad_value(Type type) {
    switch (type) {
    case Type::whole:
        return "-1";
    case Type::real:
        return "2.5";
    case Type::choice:
        return "no-such-choice";
    case Type::size:
        return "12";
    case Type::colour:
        return "red";
    default:
        return "";
    }
}

} // namespace

// Every default in the table is what the program does without the option: giving it changes
// no byte of the output (the provenance comment included, as a default is not recorded).
BOOST_AUTO_TEST_CASE(every_default_is_what_the_program_does_without_it) {
    int checked = 0;
    for (const Option& o : option_table()) {
        if (!(o.commands & Command::convert) || o.fallback.empty()) continue;
        BOOST_TEST_CONTEXT("--" << o.name << " " << o.fallback) {
            test::ScratchDir a, b;
            std::vector<std::string> base{"convert", parrot, "-q", "--name", "img"};
            const std::vector<std::string> context = context_for(o);
            base.insert(base.end(), context.begin(), context.end());
            std::vector<std::string> without = base, with = base;
            without.insert(without.end(), {"-o", (a / "img.h").string()});
            with.insert(with.end(), {"-o", (b / "img.h").string(), "--" + std::string(o.name),
                                     std::string(o.fallback)});
            const test::Run r1 = test::run_kpal(without), r2 = test::run_kpal(with);
            BOOST_TEST_REQUIRE(r1.status == 0, r1.err);
            BOOST_TEST_REQUIRE(r2.status == 0, r2.err);
            BOOST_TEST((files_in(a.path) == files_in(b.path)));
            ++checked;
        }
    }
    BOOST_TEST(checked >= 12);
}

// Each row's check refuses a value of the wrong kind, naming the option and the value.
BOOST_AUTO_TEST_CASE(every_typed_row_refuses_a_bad_value) {
    for (const Option& o : option_table()) {
        const std::string bad = bad_value(o.type);
        if (bad.empty()) continue;
        const Command command =
            (o.commands & Command::convert) ? Command::convert : Command::preview;
        BOOST_TEST_CONTEXT("--" << o.name) {
            try {
                parse_command_line(command, {"--" + std::string(o.name), bad}, "image", -1);
                BOOST_ERROR("accepted " << bad);
            } catch (const Error& e) {
                BOOST_TEST((e.kind() == ErrorKind::usage));
                BOOST_TEST(std::string(e.what()).starts_with(o.shown() + " " + bad), e.what());
            }
        }
    }
}

// A value given is recorded unless it is the default; a file by its name only.
BOOST_AUTO_TEST_CASE(the_provenance_records_what_differs_from_the_default) {
    const auto recorded_for = [](std::vector<std::string> args) {
        return recorded(parse_command_line(Command::convert, args, "image", -1), Command::convert);
    };
    BOOST_TEST(recorded_for({"--effort", "2", "--seed", "0", "--dither", "none"}) == "");
    BOOST_TEST(recorded_for({"--effort", "3", "--seed", "007", "--dither", "fs"}) ==
               " --dither fs --seed 7 --effort 3");
    BOOST_TEST(recorded_for({"--master-palette", "/some/where/fceux.pal", "--no-flip"}) ==
               " --no-flip --master-palette fceux.pal");
    BOOST_TEST(recorded_for({"--preview", "p.png", "--stats", "-j", "2"}) == "");
}

// Each command's --help names each of its rows; the JSON is valid and lists every row.
BOOST_AUTO_TEST_CASE(help_and_json_describe_every_row) {
    for (const Command command : {Command::convert, Command::preview}) {
        const std::string help = test::run_kpal({command_name(command), "--help"}).out;
        for (const Option& o : option_table())
            if (o.commands & command)
                BOOST_TEST(help.find("--" + std::string(o.name)) != std::string::npos, o.name);
    }
    const test::Run json = test::run_shell(
        test::quote(KPAL_EXE) + " options --json | /usr/bin/python3 -c 'import json, sys; "
                                "d = json.load(sys.stdin); print(len(d[\"options\"]))'");
    BOOST_TEST_REQUIRE(json.status == 0, json.err);
    BOOST_TEST(std::stoul(json.out) == option_table().size());
    // Names are unique within a command.
    for (const Command command : {Command::convert, Command::preview}) {
        std::set<std::string_view> names;
        for (const Option& o : option_table())
            if (o.commands & command) BOOST_TEST(names.insert(o.name).second, o.name);
    }
}
