#include "kpal/error.h"

namespace kpal {

void throw_input_error(const std::string& file, const std::string& problem) {
    throw Error(ErrorKind::input, file + ": " + problem);
}

} // namespace kpal
