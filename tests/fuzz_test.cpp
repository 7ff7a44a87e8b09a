#define BOOST_TEST_MODULE fuzz
#include "support.h"

#include <boost/test/unit_test.hpp>

namespace fs = std::filesystem;

namespace {

const fs::path build = fs::path(KPAL_BUILD_DIR) / "fuzz";

using test::q;

bool build_fuzzers() {
    if (!test::have_tool("clang++")) return false;
    const test::Run configure =
        test::run_shell("CC=clang CXX=clang++ cmake -S " + q(test::source_dir) + " -B " + q(build) +
                        " -DKPAL_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo");
    BOOST_TEST_REQUIRE(configure.status == 0, configure.out << configure.err);
    const test::Run made = test::run_shell("cmake --build " + q(build) + " -j 2");
    BOOST_TEST_REQUIRE(made.status == 0, made.out << made.err);
    return true;
}

} // namespace

// Each libFuzzer target (built with clang, ASan and UBSan) replays its crash regressions, then
// runs for a short bounded time from the seed corpus with no crash, hang, leak or sanitizer
// report. tools/fuzz.sh runs them for longer.
BOOST_AUTO_TEST_CASE(fuzz_targets_run_clean) {
    if (!build_fuzzers()) return;
    const char* env = std::getenv("KPAL_FUZZ_SECONDS");
    const std::string seconds = env ? env : "15";
    for (const std::string target : {"image", "target", "palette", "cli", "core", "unpack",
                                     "studio", "screen", "tileset", "animation"}) {
        BOOST_TEST_CONTEXT(target) {
            test::ScratchDir work;
            const fs::path fuzzer = build / "tests/fuzz" / ("fuzz_" + target);
            const fs::path regressions = test::source_dir / "tests/fuzz/regressions" / target;
            if (fs::exists(regressions)) {
                std::string files;
                for (const auto& e : fs::directory_iterator(regressions))
                    files += " " + q(e.path());
                const test::Run replay = test::run_shell("cd " + q(work.path) + " && timeout 120 " +
                                                         q(fuzzer) + " -timeout=10" + files);
                BOOST_TEST(
                    replay.status == 0,
                    replay.err.substr(replay.err.size() > 3000 ? replay.err.size() - 3000 : 0));
            }
            fs::create_directories(work / "corpus");
            const test::Run run = test::run_shell(
                "cd " + q(work.path) + " && " + q(fuzzer) + " -max_total_time=" + seconds +
                " -timeout=10 -rss_limit_mb=2048 -close_fd_mask=3 " + q(work / "corpus") + " " +
                q(test::source_dir / "tests/fuzz/corpus" / target));
            BOOST_TEST(run.status == 0,
                       run.err.substr(run.err.size() > 3000 ? run.err.size() - 3000 : 0));
        }
    }
}
