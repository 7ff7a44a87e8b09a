// Animations as input: a GIF's frames (giflib), or an Aseprite file's (.ase, .aseprite, read
// from its published format: no Aseprite program needed), each frame the whole picture as it is
// shown, with its duration; and the choice of frames (a tag, a range), stacked into one picture
// that the rest of kpal converts with one palette for all of them.
#pragma once

#include "kpal/image.h"
#include "kpal/load.h"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace kpal {

struct Animation {
    int width = 0, height = 0;
    std::vector<Image> frames; // each width x height, RGBA, as shown (layers and disposal done)
    std::vector<int> durations_ms;
    struct Tag {
        std::string name;
        int from = 0, to = 0; // frame indices, inclusive
    };
    std::vector<Tag> tags; // Aseprite's; a GIF has none
};

// Whether `bytes` begin as a GIF or an Aseprite file.
bool is_animation(std::span<const std::uint8_t> bytes);

// The GIF in `bytes`: every frame composed on the logical screen as its disposal says (1: kept,
// 2: cleared to transparent, 3: restored), with its delay (a delay under 2/100 s is shown as 100
// ms, as browsers do). Throws Error{input} naming `name` for a corrupt file or one past `limits`
// (all the frames' pixels together).
Animation decode_gif(std::span<const std::uint8_t> bytes, const std::string& name,
                     const LoadLimits& limits = {});

// The Aseprite file in `bytes` (RGBA, grey or indexed): each frame's visible layers (in a visible
// group, not reference layers) composed bottom to top by their cels, layer and cel opacity, with
// Aseprite's normal blending; its duration and the tags. Throws Error{input} naming `name` for a
// corrupt file, one past `limits`, a layer blended other than normally or a tilemap layer (each
// named, with what to do).
Animation decode_aseprite(std::span<const std::uint8_t> bytes, const std::string& name,
                          const LoadLimits& limits = {});

// decode_gif or decode_aseprite, as the file's first bytes say.
Animation load_animation(const std::string& path, const LoadLimits& limits = {});

// Which frames to convert: all, a tag's (by name), or a range (first to last, counted from 1
// as Aseprite shows them).
struct FramePick {
    std::string tag;
    std::optional<std::pair<int, int>> range;
};

// The frames `pick` names, in order. Throws Error{usage} for a tag the file does not have
// (listing those it has) or a range outside its frames.
std::vector<int> picked_frames(const Animation& animation, const FramePick& pick,
                               const std::string& name);

// `frames`, all one size, stacked top to bottom into one picture, its frame_ms their durations
// (an animation file of one frame too: its outputs do not depend on how many frames it has).
Image frame_stack(std::span<const Image> frames, std::span<const int> durations_ms);

// The frames of a stack: frame i is rows i x height / frames up to the next.
int frame_count(const Image& image);

} // namespace kpal
