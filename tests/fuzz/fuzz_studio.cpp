// libFuzzer target: kpal studio's conversion requests (the body a page sends). Every refusal
// must be a kpal::Error; an accepted request's draft options must be made without a crash.
#include "../../src/cli/studio_request.h"
#include "kpal/error.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const std::vector<std::string> images{"art/a.png", "b.jpg"}, files{"mine.gpl"};
    try {
        const kpal::cli::StudioRequest request = kpal::cli::parse_studio_request(
            std::string(reinterpret_cast<const char*>(data), size), images, files);
        kpal::cli::draft_options(request.options);
    } catch (const kpal::Error&) {
    }
    return 0;
}
