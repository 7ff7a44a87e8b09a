// libFuzzer target: target profile parsing.
#include "kpal/error.h"
#include "kpal/target.h"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    try {
        kpal::parse_target(std::string_view(reinterpret_cast<const char*>(data), size), "fuzz.ini",
                           "fuzz");
    } catch (const kpal::Error&) {
    }
    return 0;
}
