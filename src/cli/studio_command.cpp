// `kpal studio`: a local web page that shows what the device shows while the options change.
// kpal serves it on 127.0.0.1 (cpp-httplib); the page builds its controls from the option table
// (`kpal options --json`), and every picture it shows is made by the kpal program itself run with
// the command line the page offers to copy (studio_jobs.h), so the bytes are the CLI's.
//
// Safety: it listens on the loopback only; every request must carry the random token the printed
// URL holds and a Host header naming the loopback (no DNS rebinding); images are only the files
// and folders named on the command line and the uploads, chosen by their listed names; option
// values are checked against the table, and files only by their built-in names.
#include "cli.h"
#include "kpal/emit.h"
#include "kpal/error.h"
#include "kpal/load.h"
#include "kpal/output.h"
#include "kpal/preview.h"
#include "kpal/target.h"
#include "options.h"
#include "picture.h"
#include "studio_jobs.h"
#include "studio_page.h"
#include "studio_request.h"

#include <httplib.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <pthread.h>
#include <spawn.h>
#include <sstream>
#include <thread>
#include <unistd.h>

extern char** environ;

namespace kpal::cli {
namespace {

namespace fs = std::filesystem;

constexpr const char* usage_text =
    R"(Usage: kpal studio [IMAGE|FOLDER|PROFILE.ini|PALETTE ...] [--port N] [--no-browser]

Serves kpal studio on http://127.0.0.1 and opens it in the default browser (the URL is printed
in any case): choose an image (those named here, the PNG and JPEG files of the folders named, or
one dropped on the page), a target (built-in, or a profile file named here) and any option of
'kpal convert' (palette files named here for --palette), and see the original and
what the device shows side by side, zoomed, with a split wipe and a blink, the palette, each
pixel's index, bank and tile, PSNR and the bytes of every output. Every change converts again;
a newer change stops the older one; a source file saved again is converted again. "Copy command
line" gives the 'kpal convert' that makes exactly what is shown, and the files can be downloaded.

Only this machine can reach it, and only with the URL's token. Ctrl-C stops it.

Options:
  --port N        listen on port N (default: any free port)
  --no-browser    only print the URL
  -h [ --help ]   show this help
)";

std::string base64(std::span<const std::uint8_t> bytes) {
    static const char digits[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    for (std::size_t i = 0; i < bytes.size(); i += 3) {
        const std::uint32_t n = std::uint32_t(bytes[i]) << 16 |
                                (i + 1 < bytes.size() ? std::uint32_t(bytes[i + 1]) << 8 : 0) |
                                (i + 2 < bytes.size() ? std::uint32_t(bytes[i + 2]) : 0);
        out += digits[n >> 18 & 63];
        out += digits[n >> 12 & 63];
        out += i + 1 < bytes.size() ? digits[n >> 6 & 63] : '=';
        out += i + 2 < bytes.size() ? digits[n & 63] : '=';
    }
    return out;
}

// A command-line word as a POSIX shell reads it back.
std::string shell_quoted(const std::string& word) {
    if (!word.empty() &&
        word.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                               "0123456789-_./=:,+%@") == std::string::npos)
        return word;
    std::string out = "'";
    for (const char c : word) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

std::string random_token() {
    std::ifstream random("/dev/urandom", std::ios::binary);
    std::uint8_t bytes[16] = {};
    random.read(reinterpret_cast<char*>(bytes), sizeof bytes);
    if (!random) throw Error(ErrorKind::output, "/dev/urandom: cannot read a token");
    std::string out;
    for (const std::uint8_t b : bytes) {
        char hex[3];
        std::snprintf(hex, sizeof hex, "%02x", b);
        out += hex;
    }
    return out;
}

// A file written whole or not at all (OutputSet: beside its path, then renamed), so that a
// listing of the uploads or a job never shows a half-written file; throws Error{output}.
void write_whole(const std::string& path, std::vector<std::uint8_t> bytes) {
    OutputSet file;
    file.add(path, std::move(bytes));
    file.commit();
}

bool is_picture(const fs::path& path) {
    std::string ext = path.extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(),
                   [](unsigned char c) { return std::tolower(c); });
    return ext == ".png" || ext == ".jpg" || ext == ".jpeg";
}

// One studio: what it may read, its token, its conversions.
struct Studio {
    std::vector<std::string> roots; // the files and folders named on the command line
    fs::path uploads;
    std::string token;
    int port = 0;
    StudioJobs* jobs = nullptr;
    std::mutex upload_mutex;
    int next_upload = 1;

    // Every image it may convert: the files named, the pictures in the folders named (not their
    // subfolders), and the uploads, each by its path.
    std::vector<std::string> images() const {
        std::vector<std::string> out;
        for (const std::string& root : roots) {
            std::error_code ec;
            if (fs::is_directory(root, ec)) {
                std::vector<std::string> inside;
                for (const auto& e : fs::directory_iterator(root, ec))
                    if (e.is_regular_file() && is_picture(e.path()))
                        inside.push_back(e.path().string());
                std::sort(inside.begin(), inside.end());
                out.insert(out.end(), inside.begin(), inside.end());
            } else if (is_picture(root)) {
                out.push_back(root);
            }
        }
        std::vector<std::string> uploaded;
        std::error_code ec;
        for (const auto& e : fs::directory_iterator(uploads, ec))
            if (is_picture(e.path()))
                uploaded.push_back(e.path().string()); // not one being written
        std::sort(uploaded.begin(), uploaded.end());
        out.insert(out.end(), uploaded.begin(), uploaded.end());
        return out;
    }

    // The other files named: target profiles and palette files, which options may name.
    std::vector<std::string> files() const {
        std::vector<std::string> out;
        for (const std::string& root : roots) {
            std::error_code ec;
            if (fs::is_regular_file(root, ec) && !is_picture(root)) out.push_back(root);
        }
        return out;
    }
};

std::string images_json(const Studio& studio) {
    std::string out = "[";
    for (const std::string& path : studio.images()) {
        std::error_code ec;
        const auto time = fs::last_write_time(path, ec);
        // Milliseconds: exact in a JavaScript number.
        const long long stamp = ec ? 0
                                   : std::chrono::duration_cast<std::chrono::milliseconds>(
                                         std::chrono::file_clock::to_sys(time).time_since_epoch())
                                         .count();
        out += std::string(out.size() > 1 ? "," : "") + "{\"path\":" + json_string(path) +
               ",\"name\":" + json_string(fs::path(path).filename().string()) +
               ",\"stamp\":" + std::to_string(stamp) + "}";
    }
    return out + "]";
}

// The built-in targets, then the profiles named on the command line (named by their path).
std::string targets_json(const Studio& studio) {
    std::vector<std::pair<std::string, Target>> all;
    for (const std::string& name : builtin_target_names())
        all.emplace_back(name, load_target(name));
    for (const std::string& file : studio.files()) {
        if (!file.ends_with(".ini")) continue;
        try {
            all.emplace_back(file, load_target(file));
        } catch (const Error& e) {
            std::cerr << "kpal studio: " << e.what() << " (left out)\n";
        }
    }
    std::string out = "[";
    for (const auto& [name, t] : all) {
        out += std::string(out.size() > 1 ? ",\n" : "") + "{\"name\":" + json_string(name) +
               ",\"profile\":" + (t.origin == "built-in" ? "false" : "true") +
               ",\"description\":" + json_string(t.description) + ",\"screen\":[" +
               std::to_string(t.screen_width) + "," + std::to_string(t.screen_height) +
               "],\"bpp\":" + std::to_string(t.bpp) +
               ",\"colours\":" + std::to_string(t.palette_size) +
               ",\"palette_format\":" + json_string(t.palette_format->name) +
               ",\"fixed\":" + (t.palette_format->is_fixed() ? "true" : "false") +
               ",\"tiles\":" + (t.tiles ? "true" : "false") +
               ",\"cells\":" + (t.screen ? "true" : "false") +
               ",\"map\":" + (t.tiles && t.tiles->map ? "true" : "false") +
               ",\"banks\":" + std::to_string(t.tiles ? t.tiles->banks : 1) +
               ",\"max_tiles\":" + std::to_string(t.tiles ? t.tiles->max_tiles : 0) +
               ",\"palette_cell\":" +
               std::to_string(t.tiles && t.tiles->map ? t.tiles->map->palette_cell() : 8) + "}";
    }
    return out + "]";
}

// The picture as kpal prepares it (--fit, --flatten, ...), as a PNG, for the page's left view.
std::vector<std::uint8_t> prepared_png(const std::string& image,
                                       const std::vector<std::string>& options) {
    std::vector<std::string> words{image};
    words.insert(words.end(), options.begin(), options.end());
    Args args = parse_command_line(Command::convert, words, "image", -1);
    const Target target = load_target(args.text("target"));
    LoadLimits limits;
    limits.max_pixels = args.whole("max-pixels");
    const Image prepared = load_for(image, settle_picture(args, target), limits);
    // Wide pixels (the C64's multicolour) shown as wide as the device view shows them.
    const int wide = target.screen ? target.screen->pixel_width : 1;
    return encode_rgba_png(
        wide == 1 ? prepared : resize_area(prepared, prepared.width * wide, prepared.height));
}

std::string convert_json(Studio& studio, const std::string& body, bool draft,
                         std::uint64_t change) {
    const std::vector<std::string> files = studio.files();
    StudioRequest request = parse_studio_request(body, studio.images(), files);
    const std::string& image = request.image;
    const std::vector<std::string> options =
        draft ? draft_options(request.options) : request.options;
    std::string format_name;
    for (std::size_t i = 0; i + 1 < options.size(); ++i)
        if (options[i] == "--format") format_name = options[i + 1];
    const OutputFormat& format =
        format_name.empty() ? format_for_path("x.h") : find_output_format(format_name);
    const std::string stem = fs::path(image).stem().string();
    const std::string output = stem + std::string(format.suffix), preview = stem + "-preview.png";
    // The command as the user would type it where the studio was started; the child runs in its
    // job's folder, so it is given the image's absolute path (the files name only its last part).
    std::vector<std::string> words{"convert", image};
    words.insert(words.end(), options.begin(), options.end());
    words.insert(words.end(), {"-o", output, "--preview", preview});
    std::string command = "kpal";
    for (const std::string& w : words) command += " " + shell_quoted(w);
    for (std::size_t i = 1; i < words.size(); ++i)
        if (i == 1 || std::find(files.begin(), files.end(), words[i]) != files.end())
            words[i] = fs::absolute(words[i]).string();
    words.push_back("--stats");
    const JobResult job = studio.jobs->run(words, change);
    std::string out =
        "{\"job\":" + std::to_string(job.id) + ",\"draft\":" + (draft ? "true" : "false") +
        ",\"status\":" + std::to_string(job.status) + ",\"command\":" + json_string(command) +
        ",\"error\":" + json_string(job.err) + ",\"stats\":" + json_string(job.out) +
        ",\"milliseconds\":" + std::to_string(job.milliseconds) + ",\"files\":[";
    for (std::size_t i = 0; i < job.files.size(); ++i)
        out += std::string(i ? "," : "") + "{\"name\":" + json_string(job.files[i]) +
               ",\"bytes\":" + std::to_string(fs::file_size(job.folder / job.files[i])) + "}";
    out += "]";
    if (job.status != 0) return out + "}";
    // What the page draws: the prepared original, the device's picture, its indices and palette.
    const std::vector<std::uint8_t> original = prepared_png(image, options);
    write_whole((job.folder / ".original.png").string(), original);
    const Image shown = load_image((job.folder / preview).string());
    std::ifstream png_in(job.folder / preview, std::ios::binary);
    const std::vector<std::uint8_t> png_bytes((std::istreambuf_iterator<char>(png_in)), {});
    const std::vector<Rgb> palette = png_colors(png_bytes, preview);
    out += ",\"preview\":" + json_string(preview) + ",\"width\":" + std::to_string(shown.width) +
           ",\"height\":" + std::to_string(shown.height) + ",\"palette\":[";
    for (std::size_t i = 0; i < palette.size(); ++i)
        out += std::string(i ? "," : "") + "[" + std::to_string(palette[i].r) + "," +
               std::to_string(palette[i].g) + "," + std::to_string(palette[i].b) + "]";
    return out + "],\"indices\":\"" + base64(shown.source_indices) + "\"}";
}

// Refuses a request without the token or with a Host that is not the loopback's.
bool allowed(const Studio& studio, const httplib::Request& request) {
    const std::string host = request.get_header_value("Host");
    const std::string port = ":" + std::to_string(studio.port);
    if (host != "127.0.0.1" + port && host != "localhost" + port) return false;
    const std::string token = request.get_param_value("t");
    if (token.size() != studio.token.size()) return false;
    unsigned differ = 0; // every byte compared, whatever the first difference
    for (std::size_t i = 0; i < token.size(); ++i) differ |= unsigned(token[i] ^ studio.token[i]);
    return differ == 0;
}

void serve_file(Studio& studio, const httplib::Request& request, httplib::Response& response) {
    const std::string name = request.get_param_value("name");
    std::uint64_t job = 0;
    try {
        job = std::stoull(request.get_param_value("job"));
    } catch (const std::exception&) {
        response.status = 400;
        return;
    }
    const fs::path folder = studio.jobs->folder_of(job);
    if (folder.empty() || name.empty() || name.find('/') != std::string::npos || name == "." ||
        name == ".." || (name.starts_with(".") && name != ".original.png") ||
        !fs::is_regular_file(folder / name)) {
        response.status = 404;
        return;
    }
    std::ifstream in(folder / name, std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    response.set_content(bytes.str(),
                         name.ends_with(".png") ? "image/png" : "application/octet-stream");
    if (request.has_param("download"))
        response.set_header("Content-Disposition", "attachment; filename=\"" + name + "\"");
}

void serve_upload(Studio& studio, const httplib::Request& request, httplib::Response& response) {
    const std::string& bytes = request.body;
    const bool png = bytes.starts_with("\x89PNG");
    const bool jpeg = bytes.starts_with("\xff\xd8");
    if (!png && !jpeg) {
        response.status = 400;
        response.set_content("{\"error\":\"not a PNG or JPEG file\"}", "application/json");
        return;
    }
    std::string name = request.get_param_value("name");
    name = fs::path(name).stem().string();
    name.erase(
        std::remove_if(name.begin(), name.end(),
                       [](unsigned char c) { return !std::isalnum(c) && c != '-' && c != '_'; }),
        name.end());
    std::lock_guard lock(studio.upload_mutex);
    const fs::path path =
        studio.uploads / (std::to_string(studio.next_upload++) + "-" +
                          (name.empty() ? "upload" : name.substr(0, 40)) + (png ? ".png" : ".jpg"));
    write_whole(path.string(), std::vector<std::uint8_t>(bytes.begin(), bytes.end()));
    response.set_content("{\"path\":" + json_string(path.string()) + "}", "application/json");
}

void add_routes(httplib::Server& server, Studio& studio) {
    server.set_pre_routing_handler(
        [&](const httplib::Request& request, httplib::Response& response) {
            if (allowed(studio, request)) return httplib::Server::HandlerResponse::Unhandled;
            response.status = 403;
            response.set_content("kpal studio: open the URL kpal printed (it holds the token)\n",
                                 "text/plain");
            return httplib::Server::HandlerResponse::Handled;
        });
    server.Get("/", [](const httplib::Request&, httplib::Response& response) {
        response.set_content(studio_page, "text/html; charset=utf-8");
        response.set_header("Content-Security-Policy",
                            "default-src 'self'; img-src 'self' blob: data:; style-src 'self' "
                            "'unsafe-inline'; script-src 'self' 'unsafe-inline'");
    });
    const auto json = [](httplib::Response& response, const std::string& text) {
        response.set_content(text, "application/json");
    };
    server.Get("/api/options",
               [json](const httplib::Request&, httplib::Response& r) { json(r, options_json()); });
    server.Get("/api/targets", [&studio, json](const httplib::Request&, httplib::Response& r) {
        json(r, targets_json(studio));
    });
    server.Get("/api/files", [&studio, json](const httplib::Request&, httplib::Response& r) {
        std::string out = "[";
        for (const std::string& file : studio.files())
            out += std::string(out.size() > 1 ? "," : "") + json_string(file);
        json(r, out + "]");
    });
    server.Get("/api/images", [&studio, json](const httplib::Request&, httplib::Response& r) {
        json(r, images_json(studio));
    });
    server.Post("/api/convert", [&studio, json](const httplib::Request& q, httplib::Response& r) {
        try {
            const std::string change_text = q.get_param_value("change");
            std::uint64_t change = 0;
            std::from_chars(change_text.data(), change_text.data() + change_text.size(), change);
            json(r, convert_json(studio, q.body, q.get_param_value("draft") == "1", change));
        } catch (const Error& e) {
            r.status = e.kind() == ErrorKind::usage ? 400 : 500;
            json(r, "{\"status\":" + std::to_string(int(e.kind())) +
                        ",\"error\":" + json_string(std::string("kpal: ") + e.what()) + "}");
        }
    });
    server.Get("/api/file", [&studio](const httplib::Request& q, httplib::Response& r) {
        serve_file(studio, q, r);
    });
    server.Post("/api/upload", [&studio](const httplib::Request& q, httplib::Response& r) {
        serve_upload(studio, q, r);
    });
}

void open_browser(const std::string& url) {
    if (!std::getenv("DISPLAY") && !std::getenv("WAYLAND_DISPLAY")) return;
    std::string program = "xdg-open";
    std::vector<char*> argv{program.data(), const_cast<char*>(url.c_str()), nullptr};
    pid_t pid = 0;
    posix_spawnp(&pid, "xdg-open", nullptr, nullptr, argv.data(), environ);
}

} // namespace

int studio_command(const std::vector<std::string>& args) {
    Studio studio;
    int port = 0;
    bool browser = true;
    for (std::size_t i = 0; i < args.size(); ++i) {
        if (args[i] == "--help" || args[i] == "-h") {
            std::cout << usage_text;
            return 0;
        }
        if (args[i] == "--no-browser") {
            browser = false;
        } else if (args[i] == "--port") {
            const auto number = i + 1 < args.size() ? parse_size("1x" + args[i + 1]) : std::nullopt;
            if (!number) return usage_error("--port needs a number from 1 to 65535", "studio");
            port = number->second;
            ++i;
        } else if (args[i].starts_with("-")) {
            return usage_error("unrecognised option '" + args[i] + "'", "studio");
        } else { // pictures and folders of them; profiles (.ini) and palette files for options
            if (!fs::exists(args[i])) throw_input_error(args[i], "no such file or folder");
            const std::string ext = fs::path(args[i]).extension().string();
            if (ext == ".gif" || ext == ".ase" || ext == ".aseprite")
                std::cerr << "kpal: warning: " << args[i]
                          << ": the studio shows still pictures (PNG, JPEG); convert an "
                             "animation with kpal convert (its --preview plays it)\n";
            studio.roots.push_back(args[i]);
        }
    }
    char folder[] = "/tmp/kpal-studio-XXXXXX";
    if (!::mkdtemp(folder)) throw Error(ErrorKind::output, "cannot make a folder in /tmp");
    const fs::path root = folder;
    studio.uploads = root / "uploads";
    fs::create_directories(studio.uploads);
    StudioJobs jobs(fs::read_symlink("/proc/self/exe"), root);
    studio.jobs = &jobs;
    studio.token = random_token();

    // Ctrl-C and SIGTERM stop the server from a thread of its own.
    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGINT);
    sigaddset(&stop_signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
    httplib::Server server;
    server.set_payload_max_length(std::size_t(64) << 20);
    add_routes(server, studio);
    studio.port = port ? (server.bind_to_port("127.0.0.1", port) ? port : -1)
                       : server.bind_to_any_port("127.0.0.1");
    if (studio.port <= 0) {
        fs::remove_all(root);
        throw Error(ErrorKind::output, "127.0.0.1:" + std::to_string(port) + ": cannot listen");
    }
    const std::string url =
        "http://127.0.0.1:" + std::to_string(studio.port) + "/?t=" + studio.token;
    std::cout << "kpal studio: " << url << "\n(Ctrl-C stops it)" << std::endl;
    if (browser) open_browser(url);
    std::thread stopper([&] {
        int signal = 0;
        sigwait(&stop_signals, &signal);
        jobs.stop();
        server.stop();
    });
    server.listen_after_bind();
    if (server.is_running()) server.stop();
    pthread_kill(stopper.native_handle(), SIGTERM);
    stopper.join();
    std::error_code ec;
    fs::remove_all(root, ec);
    std::cout << "kpal studio: stopped" << std::endl;
    return 0;
}

} // namespace kpal::cli
