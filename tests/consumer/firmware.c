/* Prints the converted image's pixel and palette bytes, as a display driver would send them. */
#include "sprite.h"
#include <stdio.h>

int main(void) {
    fwrite(sprite_pixels, 1, sizeof sprite_pixels, stdout);
    fwrite(sprite_palette, 1, sizeof sprite_palette, stdout);
    return 0;
}
