/* Two levels whose screens each share a palette: prints each set's palette size and each
 * screen's first pixel, from the four headers and two palette headers kpal wrote. */
#include "a.h"
#include "b.h"
#include "c.h"
#include "d.h"
#include "level1_palette.h"
#include "level2_palette.h"
#include <stdio.h>

int main(void) {
    printf("%u %u %u %u %u %u\n", (unsigned)sizeof level1_palette_palette,
           (unsigned)sizeof level2_palette_palette, a_pixels[0], b_pixels[0], c_pixels[0],
           d_pixels[0]);
    return 0;
}
