# Sourced by the capture scripts: a scratch folder ($work) and a virtual X server of their own
# ($xvfb, DISPLAY); on exit the emulator whose PID the script puts in $emulator, the server and
# the folder are gone.
work=$(mktemp -d)
xvfb=""
emulator=""
cleanup() {
    [ -n "$emulator" ] && kill "$emulator" 2>/dev/null
    [ -n "$xvfb" ] && kill "$xvfb" 2>/dev/null
    wait 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT

# Waits up to $2 tenths of a second, while process $1 lives, for the command after them to
# succeed.
wait_until() {
    local pid=$1 tenths=$2
    shift 2
    for _ in $(seq "$tenths"); do
        "$@" && return 0
        kill -0 "$pid" 2>/dev/null || return 1
        sleep 0.1
    done
    return 1
}

# A display of our own. Xvfb picks the number itself (-displayfd): it tries each display until it
# can bind both the socket file and the abstract socket, so a server in another container that
# shares the network namespace (invisible to a check of /tmp/.X*-lock) cannot be mistaken for ours.
# -noreset: the server must not reset when the readiness probe, the last client, disconnects.
start_xvfb() {
    : >"$work/display"
    Xvfb -displayfd 3 -noreset -screen 0 1024x768x24 -nolisten tcp 3>"$work/display" \
        >"$work/xvfb.log" 2>&1 &
    xvfb=$!
    wait_until "$xvfb" 100 test -s "$work/display" || {
        echo "$(basename "$0"): Xvfb did not start: $(tr '\n' ' ' <"$work/xvfb.log" | tail -c 300)" >&2
        exit 1
    }
    export DISPLAY=":$(head -n 1 "$work/display")"
    xdotool getdisplaygeometry >/dev/null 2>&1 ||
        { echo "$(basename "$0"): Xvfb on $DISPLAY does not answer" >&2; exit 1; }
}
