#include "kpal/animation.h"
#include "kpal/error.h"

#include <algorithm>
#include <fstream>
#include <iterator>

namespace kpal {

bool is_animation(std::span<const std::uint8_t> bytes) {
    const auto starts = [&](std::string_view magic) {
        return bytes.size() >= magic.size() &&
               std::equal(magic.begin(), magic.end(), bytes.begin());
    };
    const bool aseprite = bytes.size() >= 6 && bytes[4] == 0xE0 && bytes[5] == 0xA5;
    return starts("GIF87a") || starts("GIF89a") || aseprite;
}

Animation load_animation(const std::string& path, const LoadLimits& limits) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw_input_error(path, "cannot open");
    in.seekg(0, std::ios::end);
    const std::streamoff size = in.tellg();
    if (size < 0 || std::uint64_t(size) > limits.max_file_bytes)
        throw_input_error(path,
                          "is larger than " + std::to_string(limits.max_file_bytes) + " bytes");
    in.seekg(0);
    std::vector<std::uint8_t> bytes(static_cast<std::size_t>(size));
    if (!in.read(reinterpret_cast<char*>(bytes.data()), size))
        throw_input_error(path, "cannot read");
    if (bytes.size() >= 3 && bytes[0] == 'G' && bytes[1] == 'I' && bytes[2] == 'F')
        return decode_gif(bytes, path, limits);
    return decode_aseprite(bytes, path, limits);
}

std::vector<int> picked_frames(const Animation& animation, const FramePick& pick,
                               const std::string& name) {
    const int count = int(animation.frames.size());
    int from = 0, to = count - 1;
    if (!pick.tag.empty()) {
        const auto tag = std::find_if(animation.tags.begin(), animation.tags.end(),
                                      [&](const Animation::Tag& t) { return t.name == pick.tag; });
        if (tag == animation.tags.end()) {
            std::string known;
            for (const Animation::Tag& t : animation.tags)
                known += (known.empty() ? "" : ", ") + t.name;
            throw Error(ErrorKind::usage, "--tag " + pick.tag + ": " + name + " has " +
                                              (known.empty() ? "no tags" : "the tags " + known));
        }
        from = tag->from, to = tag->to;
    }
    if (pick.range) {
        const auto [first, last] = *pick.range;
        if (first < 1 || last < first || last > count)
            throw Error(ErrorKind::usage, "--frames " + std::to_string(first) + "-" +
                                              std::to_string(last) + ": " + name +
                                              " has frames 1-" + std::to_string(count));
        from = first - 1, to = last - 1;
    }
    std::vector<int> out;
    for (int i = from; i <= to; ++i) out.push_back(i);
    return out;
}

Image frame_stack(std::span<const Image> frames, std::span<const int> durations_ms) {
    Image out{frames[0].width, 0, {}};
    for (const Image& frame : frames) {
        out.height += frame.height;
        out.rgba.insert(out.rgba.end(), frame.rgba.begin(), frame.rgba.end());
    }
    out.frame_ms.assign(durations_ms.begin(), durations_ms.end());
    return out;
}

int frame_count(const Image& image) {
    return std::max<int>(1, int(image.frame_ms.size()));
}

} // namespace kpal
