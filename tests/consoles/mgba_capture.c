/* Runs a ROM in the mGBA core (libmgba: no window, no BIOS, no user configuration) until it
 * writes 0x600DF00D at READY (0x02000000 unless given: the GBA's EWRAM; a Game Boy ROM gives its
 * WRAM, 0xC000), two frames more, and saves the screen as a PNG:
 *
 *   mgba-capture ROM OUT.png [READY]
 *
 * Exit status 0 on success, 1 on wrong usage, 2 when the ROM does not load, 3 when it never
 * says it is ready (600 frames), 4 when the screenshot cannot be written. */
#include <mgba-util/vfs.h>
#include <mgba/core/config.h>
#include <mgba/core/core.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char** argv) {
    struct mCore* core;
    unsigned width = 0, height = 0, frame;
    color_t* buffer;
    struct VFile* out;
    int status = 0;
    unsigned long ready = 0x02000000ul;
    if (argc != 3 && argc != 4) {
        fprintf(stderr, "usage: mgba-capture ROM OUT.png [READY]\n");
        return 1;
    }
    if (argc == 4) ready = strtoul(argv[3], NULL, 0);
    core = mCoreFind(argv[1]);
    if (!core || !core->init(core)) {
        fprintf(stderr, "mgba-capture: %s: not a ROM mGBA knows\n", argv[1]);
        return 2;
    }
    mCoreInitConfig(core, NULL);
    core->desiredVideoDimensions(core, &width, &height);
    buffer = calloc((size_t)width * height, BYTES_PER_PIXEL);
    core->setVideoBuffer(core, buffer, width);
    if (!mCoreLoadFile(core, argv[1])) {
        fprintf(stderr, "mgba-capture: %s: cannot load\n", argv[1]);
        return 2;
    }
    core->reset(core);
    for (frame = 0; frame < 600 && core->busRead32(core, (uint32_t)ready) != 0x600DF00Du; ++frame)
        core->runFrame(core);
    if (frame == 600) {
        fprintf(stderr, "mgba-capture: %s: never wrote the ready word\n", argv[1]);
        status = 3;
    } else {
        core->runFrame(core);
        core->runFrame(core);
        out = VFileOpen(argv[2], O_CREAT | O_TRUNC | O_WRONLY);
        if (!out || !mCoreTakeScreenshotVF(core, out)) {
            fprintf(stderr, "mgba-capture: %s: cannot write the screenshot\n", argv[2]);
            status = 4;
        }
        if (out) out->close(out);
    }
    mCoreConfigDeinit(&core->config);
    core->deinit(core);
    free(buffer);
    return status;
}
