// How an image is prepared before conversion (picture.h).
#include "picture.h"

#include "cli.h"
#include "kpal/error.h"

namespace kpal::cli {

Picture settle_picture(Args& args, const Target& target) {
    if (args.given("fit") && args.given("resize"))
        throw Error(ErrorKind::usage, "--fit and --resize both size the image: give one");
    const std::string option = args.given("fit") ? "fit" : "resize";
    Picture s;
    if (const auto under = parse_hex_colour(args.text("flatten")))
        s.flatten = Rgb{(*under)[0], (*under)[1], (*under)[2]};
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
    Image image = load_image(input, limits);
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
