// How an image is prepared before conversion (picture.h).
#include "picture.h"

#include "cli.h"
#include "kpal/error.h"

#include <charconv>
#include <fstream>

namespace kpal::cli {

namespace {

// --frames A-B, or nothing.
std::optional<std::pair<int, int>> parse_frames(const std::string& text) {
    const std::size_t dash = text.find('-');
    int first = 0, last = 0;
    const char* end = text.data() + text.size();
    if (dash == std::string::npos) return std::nullopt;
    const auto a = std::from_chars(text.data(), text.data() + dash, first);
    const auto b = std::from_chars(text.data() + dash + 1, end, last);
    if (a.ec != std::errc() || a.ptr != text.data() + dash || b.ec != std::errc() || b.ptr != end)
        return std::nullopt;
    return std::pair{first, last};
}

// Whether the file begins as an animation (GIF, Aseprite).
bool animated(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::array<char, 6> head{};
    in.read(head.data(), head.size());
    const std::span<const std::uint8_t> bytes(reinterpret_cast<const std::uint8_t*>(head.data()),
                                              std::size_t(in.gcount()));
    return is_animation(bytes);
}

} // namespace

Picture settle_picture(Args& args, const Target& target) {
    if (args.given("fit") && args.given("resize"))
        throw Error(ErrorKind::usage, "--fit and --resize both size the image: give one");
    const std::string option = args.given("fit") ? "fit" : "resize";
    Picture s;
    if (const auto under = parse_hex_colour(args.text("flatten")))
        s.flatten = Rgb{(*under)[0], (*under)[1], (*under)[2]};
    s.frames.tag = args.text("tag");
    if (args.given("frames")) {
        s.frames.range = parse_frames(args.text("frames"));
        if (!s.frames.range)
            throw Error(ErrorKind::usage, "--frames " + args.text("frames") +
                                              " is not FIRST-LAST (frames counted from 1)");
    }
    if (!args.given(option)) return s;
    if (args.text(option) == "screen") {
        if (!target.screen_width || !target.screen_height)
            throw Error(ErrorKind::usage, "--" + option + " screen: target " + target.name +
                                              " has no screen size; give --" + option + " WxH");
        args.resolve(option, std::to_string(target.screen_width) + "x" +
                                 std::to_string(target.screen_height));
    }
    s.size = parse_size(args.text(option));
    if (target.screen) s.pixel_width = target.screen->pixel_width;
    s.fit = option == "fit";
    s.letterbox = args.text("fit-mode") == "letterbox";
    s.anchor = *parse_anchor(args.text("anchor"));
    if (const auto fill = parse_hex_colour(args.text("fill")))
        s.fill = {(*fill)[0], (*fill)[1], (*fill)[2], 255};
    else
        s.fill = {0, 0, 0, 0}; // transparent
    return s;
}

Image load_for(const std::string& input, const Picture& picture, const LoadLimits& limits) {
    if (animated(input)) {
        const Animation animation = load_animation(input, limits);
        std::vector<Image> frames;
        std::vector<int> durations;
        for (const int i : picked_frames(animation, picture.frames, input)) {
            frames.push_back(prepared(animation.frames[std::size_t(i)], picture));
            durations.push_back(animation.durations_ms[std::size_t(i)]);
        }
        return frame_stack(frames, durations);
    }
    if (!picture.frames.tag.empty() || picture.frames.range)
        throw Error(ErrorKind::usage,
                    std::string(picture.frames.tag.empty() ? "--frames" : "--tag") + ": " + input +
                        " is a still picture, not an animation (GIF or Aseprite)");
    return prepared(load_image(input, limits), picture);
}

Image prepared(Image image, const Picture& picture) {
    if (picture.flatten) image = flatten(image, *picture.flatten);
    if (!picture.size) return image;
    const auto [w, h] = *picture.size;
    if (!picture.fit) return resize_area(image, w, h);
    // Wide pixels: fitted to the screen's shape, then squeezed into its pixels.
    const int shown = w * picture.pixel_width;
    const Image fitted = picture.letterbox
                             ? fit_letterbox(image, shown, h, picture.anchor, picture.fill)
                             : fit_cover(image, shown, h, picture.anchor);
    return picture.pixel_width == 1 ? fitted : resize_area(fitted, w, h);
}

} // namespace kpal::cli
