// Uses the library: prints a target's bits per pixel and palette format.
#include "kpal/target.h"

#include <cstdio>

int main() {
    const kpal::Target t = kpal::load_target("st7735-4bpp");
    std::printf("%d %s\n", t.bpp, std::string(t.palette_format->name).c_str());
}
