/* The sprites and their shared palette, as a game would find them in flash. Prints each array's
 * size and byte sum, so the host build can be checked against kpal's own output. */
#include <stdio.h>

#include "ghost.h"
#include "hats.h"
#include "palette.h"
#include "parrot.h"

static unsigned long sum(const unsigned char* bytes, unsigned long size) {
    unsigned long s = 0, i;
    for (i = 0; i < size; ++i) s += bytes[i];
    return s;
}

#define SHOW(name, array)                                                                          \
    printf("%s %lu %lu\n", name, (unsigned long)sizeof array, sum(array, sizeof array))

int main(void) {
    SHOW("palette", palette_palette);
    SHOW("ghost", ghost_pixels);
    SHOW("hats", hats_pixels);
    SHOW("parrot", parrot_pixels);
    return 0;
}
