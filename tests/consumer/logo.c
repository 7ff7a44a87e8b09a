/* Prints the second asset's pixel bytes (its profile and palette are the project's own files). */
#include "sprite.h" /* the file is named after the image; NAME gives the symbols */
#include <stdio.h>

int main(void) {
    fwrite(logo_pixels, 1, sizeof logo_pixels, stdout);
    return 0;
}
