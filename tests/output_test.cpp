#define BOOST_TEST_MODULE output
#include "kpal/error.h"
#include "kpal/output.h"
#include "support.h"

#include <boost/test/unit_test.hpp>

#include <chrono>
#include <sys/stat.h>
#include <sys/sysmacros.h>

using namespace kpal;

namespace {

// An output gets the permissions of any new file: 0666 less the umask.
void check_usual_permissions(const std::filesystem::path& file) {
    struct stat st {};
    BOOST_TEST_REQUIRE(::stat(file.c_str(), &st) == 0);
    const mode_t mask = ::umask(0);
    ::umask(mask);
    BOOST_TEST((st.st_mode & 0777) == (0666 & ~mask));
}

} // namespace

BOOST_AUTO_TEST_CASE(all_files_appear_together_with_their_contents) {
    test::ScratchDir dir;
    OutputSet out;
    out.add((dir / "a.h").string(), std::string("text"));
    out.add((dir / "b.bin").string(), std::vector<std::uint8_t>{1, 2, 3});
    BOOST_TEST(dir.files().empty()); // nothing is written before commit
    out.commit();
    BOOST_TEST(test::read_text(dir / "a.h") == "text");
    BOOST_TEST(test::read_bytes(dir / "b.bin") == (std::vector<std::uint8_t>{1, 2, 3}));
    BOOST_TEST(dir.files().size() == 2u); // no temporary files left
}

BOOST_AUTO_TEST_CASE(a_file_that_cannot_be_written_leaves_every_file_untouched) {
    test::ScratchDir dir;
    test::write_text(dir / "old.h", "old");
    OutputSet out;
    out.add((dir / "old.h").string(), std::string("new"));
    out.add((dir / "new/folders/x.bin").string(), std::string("pixels"));
    out.add((dir / "old.h/x.pal").string(), std::string("palette")); // a file, not a folder
    BOOST_CHECK_EXCEPTION(out.commit(), Error, [&](const Error& e) {
        return e.kind() == ErrorKind::output &&
               std::string(e.what()).starts_with((dir / "old.h/x.pal").string() + ": cannot write");
    });
    BOOST_TEST(test::read_text(dir / "old.h") == "old");
    BOOST_TEST(dir.files() == std::vector<std::string>{"old.h"}); // the new folders removed
}

// A file in folders that do not exist yet gets them.
BOOST_AUTO_TEST_CASE(missing_folders_are_made) {
    test::ScratchDir dir;
    OutputSet out;
    out.add((dir / "a/b/c.h").string(), std::string("text"));
    out.commit();
    BOOST_TEST(test::read_text(dir / "a/b/c.h") == "text");
}

BOOST_AUTO_TEST_CASE(an_uncommitted_set_leaves_nothing_behind) {
    test::ScratchDir dir;
    {
        OutputSet out;
        out.add((dir / "a.h").string(), std::string("text"));
    }
    BOOST_TEST(dir.files().empty());
}

BOOST_AUTO_TEST_CASE(outputs_get_the_usual_permissions) {
    test::ScratchDir dir;
    OutputSet out;
    out.add((dir / "a.h").string(), std::string("x"));
    out.commit();
    check_usual_permissions(dir / "a.h");
}

// Killing kpal at any moment leaves the old output or the new one, never a part: the new bytes
// go to a file that is renamed over the old one only when complete.
BOOST_AUTO_TEST_CASE(a_kill_at_any_moment_leaves_the_old_file_or_the_new_one) {
    test::ScratchDir dir;
    const std::string image = (test::source_dir / "tests/golden/parrot.png").string();
    const std::string out = (dir / "big.h").string();
    const std::string command = test::quote(KPAL_EXE) + " convert " + test::quote(image) +
                                " -t generic-8bpp --resize 2000x1500 -q -o " + test::quote(out);
    const auto start = std::chrono::steady_clock::now();
    BOOST_TEST_REQUIRE(test::run_shell(command).status == 0);
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const std::string complete = test::read_text(out);
    BOOST_TEST_REQUIRE(complete.size() > 10'000'000u);
    int old_seen = 0, new_seen = 0;
    for (int step = 1; step <= 12; ++step) {
        test::write_text(out, "old");
        // Kill points across the whole run, then two far past it (a busy machine runs slower than
        // the timed run did: a kill at 1.2 times its time can still come before the rename).
        const double at = step <= 10 ? seconds * step / 10.0 : seconds * 10 * (step - 10);
        char kill[64];
        std::snprintf(kill, sizeof kill, "timeout -s KILL %.3f ", at);
        test::run_shell(kill + command);
        const std::string now = test::read_text(out);
        BOOST_TEST_REQUIRE((now == "old" || now == complete),
                           "killed at " << at << " s: " << now.size() << " bytes");
        (now == "old" ? old_seen : new_seen)++;
    }
    BOOST_TEST(old_seen > 0); // some kills came before the rename
    BOOST_TEST(new_seen > 0); // and some after
}

// Killed while writing its outputs (strace delivers SIGKILL at the first or second write: before
// the bytes of the .bin, or after them and before the .pal's), kpal leaves the old files and
// nothing else: outputs are unnamed (O_TMPFILE) until every one is complete.
BOOST_AUTO_TEST_CASE(a_kill_while_writing_leaves_no_temporary_file) {
    if (!test::have_tool("strace")) return;
    const std::string image = (test::source_dir / "tests/golden/parrot.png").string();
    for (int when : {1, 2}) {
        BOOST_TEST_CONTEXT("killed at write " << when) {
            test::ScratchDir dir;
            test::write_text(dir / "out.bin", "old");
            test::write_text(dir / "out.pal", "old");
            const test::Run r = test::run_shell(
                "strace -f -o /dev/null -e trace=write -e inject=write:signal=KILL:when=" +
                std::to_string(when) + " " + test::quote(KPAL_EXE) + " convert " +
                test::quote(image) + " -t generic-8bpp -q -o " +
                test::quote((dir / "out.bin").string()));
            BOOST_TEST(r.status != 0); // the kill happened
            BOOST_TEST(dir.files() == (std::vector<std::string>{"out.bin", "out.pal"}));
            BOOST_TEST(test::read_text(dir / "out.bin") == "old");
            BOOST_TEST(test::read_text(dir / "out.pal") == "old");
        }
    }
}

// Where an unnamed file cannot be named (no /proc/self/fd; the same path serves file systems
// without O_TMPFILE, such as overlayfs before Linux 6.6), outputs go through named temporary files
// and still appear complete, with the usual permissions, and with no temporary file left. An
// empty folder mounted over the process's /proc/PID/fd, in a mount namespace of its own, hides
// it (the rest of /proc stays: the sanitizers read it).
BOOST_AUTO_TEST_CASE(without_proc_self_fd_the_outputs_still_appear_complete) {
    test::ScratchDir dir, empty;
    const std::string hide = "unshare --mount --propagation private sh -c " +
                             test::quote("mount --bind " + test::quote(empty.path.string()) +
                                         " /proc/$$/fd && exec \"$0\" \"$@\"");
    if (test::run_shell(hide + " true").status != 0) {
        BOOST_TEST_REQUIRE(!std::getenv("CI"), "CI must run as root to hide /proc/self/fd");
        std::printf("skipped: hiding /proc/self/fd needs root\n");
        return;
    }
    const std::string image = (test::source_dir / "tests/golden/parrot.png").string();
    const std::string convert =
        test::quote(KPAL_EXE) + " convert " + test::quote(image) + " -t generic-8bpp -q -o ";
    BOOST_TEST_REQUIRE(test::run_shell(convert + test::quote((dir / "a.bin").string())).status ==
                       0);
    const test::Run hidden =
        test::run_shell(hide + " " + convert + test::quote((dir / "b.bin").string()));
    BOOST_TEST_REQUIRE(hidden.status == 0, hidden.err);
    BOOST_TEST(dir.files() == (std::vector<std::string>{"a.bin", "a.pal", "b.bin", "b.pal"}));
    BOOST_TEST(test::read_bytes(dir / "b.bin") == test::read_bytes(dir / "a.bin"));
    BOOST_TEST(test::read_bytes(dir / "b.pal") == test::read_bytes(dir / "a.pal"));
    check_usual_permissions(dir / "b.bin");
}

// A pipe, a device or a socket (`-o /dev/stdout`, `-o /dev/null`) is written in place as a
// stream: renaming a file over it would replace the device node, and as root `-o /dev/null`
// would leave the whole system without one.
BOOST_AUTO_TEST_CASE(a_pipe_is_written_in_place_and_stays_a_pipe) {
    test::ScratchDir dir;
    const std::string fifo = (dir / "pipe").string();
    BOOST_TEST_REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    const std::string image = (test::source_dir / "tests/golden/parrot.png").string();
    const std::string convert = test::quote(KPAL_EXE) + " convert " + test::quote(image) +
                                " -t generic-8bpp --format c -q -o ";
    BOOST_TEST_REQUIRE(test::run_shell(convert + test::quote((dir / "a.h").string())).status == 0);
    const test::Run r = test::run_shell("timeout 20 cat " + test::quote(fifo) + " >" +
                                        test::quote((dir / "read").string()) + " & " + convert +
                                        test::quote(fifo) + " --name a; wait");
    BOOST_TEST_REQUIRE(r.status == 0, r.err);
    struct stat st {};
    BOOST_TEST_REQUIRE(::stat(fifo.c_str(), &st) == 0);
    BOOST_TEST(S_ISFIFO(st.st_mode));
    BOOST_TEST(test::read_text(dir / "read") == test::read_text(dir / "a.h"));
    BOOST_TEST(dir.files() == (std::vector<std::string>{"a.h", "pipe", "read"}));
}

BOOST_AUTO_TEST_CASE(a_device_stays_a_device) {
    test::ScratchDir dir;
    const std::string null = (dir / "null").string();
    if (::mknod(null.c_str(), S_IFCHR | 0666, ::makedev(1, 3)) != 0) { // /dev/null's numbers
        std::printf("skipped: making a device node needs root\n");
        return;
    }
    const std::string image = (test::source_dir / "tests/golden/parrot.png").string();
    BOOST_TEST_REQUIRE(
        test::run_kpal({"convert", image, "-t", "generic-8bpp", "--format", "c", "-q", "-o", null})
            .status == 0);
    struct stat st {};
    BOOST_TEST_REQUIRE(::stat(null.c_str(), &st) == 0);
    BOOST_TEST(S_ISCHR(st.st_mode));
    BOOST_TEST(dir.files() == std::vector<std::string>{"null"});
}

BOOST_AUTO_TEST_CASE(a_folder_in_the_way_fails_before_anything_is_written) {
    test::ScratchDir dir;
    std::filesystem::create_directory(dir / "sub");
    OutputSet out;
    out.add((dir / "a.h").string(), std::string("text"));
    out.add((dir / "sub").string(), std::string("text"));
    BOOST_CHECK_EXCEPTION(out.commit(), Error, [&](const Error& e) {
        return e.kind() == ErrorKind::output &&
               std::string(e.what()) == (dir / "sub").string() + ": cannot write: Is a directory";
    });
    BOOST_TEST(dir.files() == std::vector<std::string>{"sub"});
}

// A symbolic link to a file stays a link and its file is replaced (atomically, as any output);
// a link into /proc/self/fd, as /dev/stdout is, writes the file that standard output goes to.
BOOST_AUTO_TEST_CASE(a_link_to_a_file_stays_a_link) {
    test::ScratchDir dir;
    test::write_text(dir / "real.h", "old");
    std::filesystem::create_symlink("real.h", dir / "link.h");
    std::filesystem::create_symlink("/proc/self/fd/1", dir / "stdout");
    const std::string image = (test::source_dir / "tests/golden/parrot.png").string();
    const std::string convert = test::quote(KPAL_EXE) + " convert " + test::quote(image) +
                                " -t generic-8bpp --format c --name art -q -o ";
    BOOST_TEST_REQUIRE(test::run_shell(convert + test::quote((dir / "link.h").string())).status ==
                       0);
    // run_shell sends standard output to a file, as `kpal ... -o /dev/stdout > file` would.
    const test::Run printed = test::run_shell(convert + test::quote((dir / "stdout").string()));
    BOOST_TEST_REQUIRE(printed.status == 0, printed.err);
    BOOST_TEST(std::filesystem::is_symlink(dir / "link.h"));
    BOOST_TEST(std::filesystem::is_symlink(dir / "stdout"));
    BOOST_TEST(test::read_text(dir / "real.h").starts_with("/* Generated by kpal"));
    BOOST_TEST(printed.out == test::read_text(dir / "real.h"));
    BOOST_TEST(dir.files() == (std::vector<std::string>{"link.h", "real.h", "stdout"}));
}
