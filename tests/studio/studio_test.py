#!/usr/bin/python3
"""kpal studio in a real browser (Debian's chromium, headless, driven by Selenium) and its safety.

The page is loaded, the target, K and dithering are changed with its controls, and for each
setting the device view's pixels must equal the preview the CLI writes for the command line the
page offers to copy; its readouts must equal the CLI's --stats, and its downloads the CLI's files
byte for byte. Changing K must change the pixels. Then: requests without the token or with a
foreign Host are refused, no request reads outside the images given, 1,000 requests leave the
memory flat, and Ctrl-C stops the server and removes its folder.

Usage: studio_test.py KPAL IMAGE [SCREENSHOT.png]
"""
import http.client
import io
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

from PIL import Image
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.support.ui import Select, WebDriverWait

KPAL, SOURCE = sys.argv[1], sys.argv[2]
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCREENSHOT = sys.argv[3] if len(sys.argv) > 3 else None
failures = []


def check(condition, what):
    print(("ok   " if condition else "FAIL ") + what, flush=True)
    if not condition:
        failures.append(what)


def start_studio(cwd):
    # Under AddressSanitizer freed memory waits in a quarantine, which would read as growth.
    env = dict(os.environ)
    env["ASAN_OPTIONS"] = env.get("ASAN_OPTIONS", "") + ":quarantine_size_mb=0:thread_local_quarantine_size_kb=0"
    studio = subprocess.Popen([KPAL, "studio", "art", "my-panel.ini", "mine.gpl", "--no-browser"], cwd=cwd,
                              stdout=subprocess.PIPE, text=True, env=env)
    line = studio.stdout.readline()
    match = re.search(r"(http://127\.0\.0\.1:(\d+))/\?t=([0-9a-f]{32})", line)
    if not match:
        sys.exit("kpal studio printed no URL: " + line)
    return studio, match.group(1), int(match.group(2)), match.group(3)


def status_of(url, method="GET", body=None, host=None):
    parsed = urllib.request.urlparse(url)
    connection = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=30)
    headers = {"Host": host} if host else {}
    connection.request(method, parsed.path + ("?" + parsed.query if parsed.query else ""),
                       body=body, headers=headers)
    response = connection.getresponse()
    data = response.read()
    connection.close()
    return response.status, data


def browser():
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--force-color-profile=srgb",
                 "--window-size=1400,1000", "--disable-dev-shm-usage"):
        options.add_argument(flag)
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


def wait_final(driver, previous_command):
    """Waits for a final result whose command line differs from the previous one."""
    def ready(d):
        state = d.find_element("id", "state").text
        command = d.find_element("id", "command").text
        return state.startswith("final") and command and command != previous_command
    WebDriverWait(driver, 60).until(ready)
    return driver.find_element("id", "command").text


def device_pixels(driver):
    return driver.execute_script("""
        const c = document.getElementById('device');
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        return [c.width, c.height, Array.from(d)];""")


def device_pixels_plain(driver):
    """The device picture as decoded from its PNG, without anything drawn over it."""
    return driver.execute_script("""
        const c = document.createElement('canvas'); c.width = device.naturalWidth; c.height = device.naturalHeight;
        c.getContext('2d').drawImage(device, 0, 0);
        return Array.from(c.getContext('2d').getImageData(0, 0, c.width, c.height).data);""")


def run_cli(command, cwd):
    words = shlex.split(command)
    words[0] = KPAL
    out = subprocess.run(words + ["--stats"], cwd=cwd, capture_output=True, text=True)
    check(out.returncode == 0, "the copied command runs: " + command + " " + out.stderr)
    return out.stdout


def measures(text):
    return [line for line in text.splitlines()
            if line.split(":")[0] in ("colours used", "MSE", "PSNR", "PSNR blurred", "tiles")]


def compare_with_cli(driver, command, base, token, work):
    cli_dir = tempfile.mkdtemp(dir=work)
    shutil.copytree(os.path.join(work, "studio", "art"), os.path.join(cli_dir, "art"))
    for name in ("my-panel.ini", "mine.gpl"):
        shutil.copy(os.path.join(work, "studio", name), cli_dir)
    stats = run_cli(command, cli_dir)
    words = shlex.split(command)
    preview = Image.open(os.path.join(cli_dir, words[words.index("--preview") + 1])).convert("RGBA")
    width, height, pixels = device_pixels(driver)
    check((width, height) == preview.size, "the device view is the preview's size")
    expected = list(preview.tobytes())
    differ = sum(1 for i in range(0, len(expected), 4)
                 if expected[i + 3] and expected[i:i + 3] != pixels[i:i + 3])
    check(differ == 0, "device view equals the CLI preview pixel for pixel (%d differ)" % differ)
    readouts = driver.find_element("id", "readouts").text
    shown = measures(readouts)
    check(len(shown) == len(measures(stats)) and
          all(a.startswith(b) for a, b in zip(shown, measures(stats))),
          "the readouts are the CLI's --stats")
    links = driver.find_elements("css selector", "#files a")
    check(len(links) >= 2, "the files are offered for download")
    for link in links:
        name = link.get_attribute("download")
        status, data = status_of(link.get_attribute("href"))
        with open(os.path.join(cli_dir, name), "rb") as f:
            check(status == 200 and data == f.read(), "download %s equals the CLI's file" % name)
    return pixels


def choose(driver, option, value):
    element = driver.find_element("id", "opt-" + option)
    if element.tag_name == "select":
        Select(element).select_by_value(value)
    else:
        element.clear()
        element.send_keys(value)


def browser_tests(base, token, work):
    driver = browser()
    try:
        driver.get(base + "/?t=" + token)
        command = wait_final(driver, "")
        check("--target st7735-4bpp" in command, "the page opens on a target and converts")
        settings = [("st7735-4bpp", "8", "fs", ""), ("epd-acep7", "", "atkinson", ""),
                    ("my-panel.ini", "", "", "mine.gpl"), ("c64-multicolor", "", "auto", ""),
                    ("gba-bg-4bpp", "16", "", "")]
        previous = None
        for target, colours, dither, palette in settings:
            driver.execute_script("""
                window.kpalStates = [];
                new MutationObserver(() => window.kpalStates.push(document.getElementById('state').textContent))
                    .observe(document.getElementById('state'), {childList: true, characterData: true, subtree: true});""")
            choose(driver, "target", target)
            choose(driver, "colors", colours)
            choose(driver, "dither", dither)
            choose(driver, "palette", palette)
            command = wait_final(driver, command)
            check("--target " + target in command, "the command line names " + target)
            if target == "c64-multicolor":  # a screen of cells is fitted to its size
                check("--fit screen" in command, "a screen of cells is fitted: " + command)
            if target == "gba-bg-4bpp": # 16 banks take about a second: a draft shows first
                states = driver.execute_script("return window.kpalStates")
                check(any(s.startswith("draft") for s in states), "a draft shows before the final")
            pixels = compare_with_cli(driver, command, base, token, work)
            if SCREENSHOT and target == "gba-bg-4bpp":
                driver.execute_script("document.getElementById('side').scrollTop = 0")
                driver.save_screenshot(SCREENSHOT)
            previous = pixels
        choose(driver, "colors", "4")
        command = wait_final(driver, command)
        check(device_pixels(driver)[2] != previous, "changing K changes what the device shows")
        # The bank map tints the view; turning it off gives the device's pixels back.
        driver.find_element("id", "banks").click()
        check(device_pixels(driver)[2] != device_pixels_plain(driver), "the bank map tints the view")
        driver.find_element("id", "banks").click()
        # An image given through the page's file picker (as a drop does) is converted.
        picked = os.path.join(work, "picked.png")
        Image.open(SOURCE).convert("RGB").transpose(Image.FLIP_LEFT_RIGHT).save(picked)
        driver.find_element("id", "upload").send_keys(picked)
        command = wait_final(driver, command)
        check("picked" in command and "art/" not in command, "a picked image converts: " + command)
        # The split wipe and the blink draw the same device picture.
        driver.find_element("css selector", "input[value=wipe]").click()
        check(driver.find_elements("css selector", "#wipe-wrap canvas.top"), "the split wipe shows")
    finally:
        driver.quit()


def safety_tests(base, port, token, studio_dir):
    check(status_of(base + "/")[0] == 403, "no token: 403")
    check(status_of(base + "/?t=" + "0" * 32)[0] == 403, "a wrong token: 403")
    check(status_of(base + "/?t=" + token, host="evil.example:%d" % port)[0] == 403,
          "a foreign Host (DNS rebinding): 403")
    api = base + "/api/convert?t=" + token
    IMAGE = ("art/" + os.path.basename(SOURCE)).encode()
    for body, what in [(b"/etc/passwd\n--target\nst7735-4bpp", "an image not given"),
                       (IMAGE + b"\n--target\n../../etc/passwd", "a target outside the built-ins"),
                       (IMAGE + b"\n--target\nst7735-4bpp\n--palette\n/etc/passwd", "a palette file by path"),
                       (IMAGE + b"\n--colors\n4", "no --target"),
                       (IMAGE + b"\n--output\n/tmp/x", "an option the studio owns"),
                       (IMAGE + b"\n--frobnicate", "an unknown option"),
                       (b"", "an empty request"), (b"\xff\xfe\x00", "bytes that are not text")]:
        check(status_of(api, "POST", body)[0] == 400, "refused with 400: " + what)
    for name in ["../../../etc/passwd", ".err", "%2e%2e", "/etc/passwd"]:
        check(status_of(base + "/api/file?t=%s&job=1&name=%s" % (token, name))[0] in (400, 404),
              "no file outside a job's outputs: " + name)
    check(status_of(base + "/api/file?t=%s&job=x&name=a" % token)[0] == 400, "a malformed job: 400")
    check(status_of(base + "/api/upload?t=%s&name=a.png" % token, "POST", b"not a picture")[0] == 400,
          "an upload that is not a PNG or JPEG: 400")


def memory_test(base, token, pid):
    def rss():
        with open("/proc/%d/status" % pid) as f:
            return int(re.search(r"VmRSS:\s+(\d+)", f.read()).group(1))
    for _ in range(100):
        status_of(base + "/api/options?t=" + token)
    before = rss()
    for _ in range(1000):
        status_of(base + "/api/options?t=" + token)
        status_of(base + "/api/file?t=%s&job=1&name=..%%2f" % token)
    after = rss()
    check(after - before < 8 * 1024, "1,000 requests leave the memory flat (%d KiB more)"
          % (after - before))


def main():
    work = tempfile.mkdtemp(prefix="kpal-studio-test-")
    studio_dir = os.path.join(work, "studio")
    os.makedirs(os.path.join(studio_dir, "art"))
    shutil.copy(SOURCE, os.path.join(studio_dir, "art"))
    # A profile of the user's own display and a palette file, named to the studio.
    shutil.copy(os.path.join(ROOT, "targets", "st7735-4bpp.ini"), os.path.join(studio_dir, "my-panel.ini"))
    with open(os.path.join(studio_dir, "mine.gpl"), "w") as f:
        f.write("GIMP Palette\nName: mine\n#\n" +
                "".join("%d %d %d\tc%d\n" % (17 * i, 255 - 17 * i, (97 * i) % 256, i) for i in range(16)))
    studio, base, port, token = start_studio(studio_dir)
    try:
        browser_tests(base, token, work)
        safety_tests(base, port, token, studio_dir)
        memory_test(base, token, studio.pid)
    finally:
        studio.send_signal(signal.SIGINT)
        try:
            code = studio.wait(timeout=10)
            check(code == 0, "Ctrl-C stops the studio cleanly")
        except subprocess.TimeoutExpired:
            studio.kill()
            check(False, "Ctrl-C stops the studio within 10 s")
        shutil.rmtree(work, ignore_errors=True)
    if failures:
        sys.exit("%d failures" % len(failures))
    print("studio: all checks passed")


main()
