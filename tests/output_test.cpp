#define BOOST_TEST_MODULE output
#include "kpal/error.h"
#include "kpal/output.h"
#include "support.h"

#include <boost/test/unit_test.hpp>

#include <sys/stat.h>

using namespace kpal;

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
    out.add((dir / "missing-folder/x.pal").string(), std::string("palette"));
    BOOST_CHECK_EXCEPTION(out.commit(), Error, [&](const Error& e) {
        return e.kind() == ErrorKind::output &&
               std::string(e.what()).starts_with((dir / "missing-folder/x.pal").string() +
                                                 ": cannot write");
    });
    BOOST_TEST(test::read_text(dir / "old.h") == "old");
    BOOST_TEST(dir.files() == std::vector<std::string>{"old.h"});
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
    struct stat st {};
    BOOST_TEST_REQUIRE(::stat((dir / "a.h").c_str(), &st) == 0);
    const mode_t mask = ::umask(0);
    ::umask(mask);
    BOOST_TEST((st.st_mode & 0777) == (0666 & ~mask));
}
