/* A world of two screens on one tileset seeded by a font: prints the tileset's tiles and each
 * screen's map size, from the set's header and the screens' headers kpal wrote. */
#include "screen0.h"
#include "screen1.h"
#include "world_tileset.h"
#include <stdio.h>

int main(void) {
    printf("%u %u %u\n", (unsigned)WORLD_TILESET_TILE_COUNT, (unsigned)sizeof screen0_map,
           (unsigned)sizeof screen1_map);
    return 0;
}
