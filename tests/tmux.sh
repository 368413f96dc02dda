# The live-view suites' tmux harness: source it after lib.sh, with $socket
# naming the suite's tmux server.
#   fresh_view SOCKET WIDTH HEIGHT COMMAND  the view in window "view" of a
#       new server (a dying one may refuse the next session)
#   screen / on_screen PATTERN / wait_for PATTERN [TENTHS]  what it shows
#   restored  the terminal back out of the alternate screen
# wait_for polls for up to 10 s, $wait_tenths/10 s if set, or TENTHS/10.

tm() { tmux -L "$socket" "$@"; }
trap 'tm kill-server 2>/dev/null || true; rm -rf "$tmp"' EXIT

fresh_view() {
	tm kill-server 2>/dev/null || true
	socket=$1
	tm -f /dev/null new-session -d -s view -x "$2" -y "$3" "$4"
}

screen() { tm capture-pane -p -t view >"$out" 2>/dev/null || : >"$out"; }
on_screen() { screen; grep -q -- "$1" "$out"; }
wait_for() {
	i=0
	while [ $i -lt "${2:-${wait_tenths:-100}}" ]; do
		on_screen "$1" && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}
restored() { [ "$(tm display -p -t view '#{alternate_on}')" = 0 ]; }
