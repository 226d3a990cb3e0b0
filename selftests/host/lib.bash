# SPDX-License-Identifier: GPL-2.0
# Helpers for clp's host tests (bash, sourced; not a test itself).  The
# first failed expectation prints "FAIL: ..." and exits 1.

TOP=${TOP:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/clp-host.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

fail() { echo "FAIL: $*"; exit 1; }
skip() { echo "SKIP: $*"; exit 4; }
note() { echo "$*"; }

# need_clp - $clp: the clp built by 'make tools' (a test of it fails without)
need_clp() {
	clp=$TOP/build/host/bin/clp
	[ -x "$clp" ] || fail "$clp missing (make tools)"
}

# need_headers_61 - $rel and $kdir: the 6.1 kernel of the matrix and its
# unpacked headers (the test is skipped without them: make setup)
need_headers_61() {
	rel=$("$TOP/scripts/kernel-release" 6.1 2>/dev/null) ||
		skip "no 6.1 kernel in the matrix (make setup)"
	kdir=$TOP/.cache/kernels/$rel/build
	[ -f "$kdir/Makefile" ] || skip "no headers at $kdir (make setup)"
}

# run CMD... - run CMD; its exit status in $rc, stdout in $out, stderr in $err
run() {
	"$@" > "$tmp/.out" 2> "$tmp/.err"
	rc=$?
	out=$(cat "$tmp/.out")
	err=$(cat "$tmp/.err")
}

# show - what the last run printed, for a failure message
show() {
	[ -n "$out" ] && sed 's/^/  stdout| /' <<< "$out"
	[ -n "$err" ] && sed 's/^/  stderr| /' <<< "$err"
	return 0
}

# expect_rc WHAT RC - the last run exited RC
expect_rc() {
	[ "$rc" = "$2" ] || { show; fail "$1: exit $rc, expected $2"; }
	note "ok: $1: exit $2"
}

expect_eq() {
	[ "$2" = "$3" ] || fail "$1: got '$2', expected '$3'"
	note "ok: $1 = '$3'"
}

# expect_match WHAT TEXT REGEX - TEXT has a line matching the extended REGEX
expect_match() {
	grep -E -q -- "$3" <<< "$2" || { sed 's/^/  | /' <<< "$2"; fail "$1: no line matching /$3/"; }
	note "ok: $1 ~ /$3/"
}

expect_no_match() {
	! grep -E -q -- "$3" <<< "$2" || { sed 's/^/  | /' <<< "$2"; fail "$1: a line matches /$3/"; }
	note "ok: $1 !~ /$3/"
}

# help_options CLP CMD - the options 'CLP CMD --help' documents, one per
# line, sorted, plus -h and --help: the first words of its option lines
# ("  -k, --kver KVER  text"), up to two spaces
help_options() {
	{
		"$1" "$2" --help | sed -n 's/^ \{1,\}\(-[^ ]\)/\1/p' | sed 's/  .*//' |
			grep -oE -- '(^|[ ,])--?[A-Za-z0-9][A-Za-z0-9-]*' | tr -d ' ,'
		printf '%s\n' -h --help
	} | LC_ALL=C sort -u
}

# man_options RST - the options of a man page's OPTIONS section, one per
# line, sorted: the rst option list ("-k KVER, --kver KVER  text")
man_options() {
	awk '/^=+$/ { sec = prev } /^\.\. include::/ { sec = "" }
	     sec == "OPTIONS" && /^-/ { print } { prev = $0 }' "$1" | sed 's/  .*//' |
		grep -oE -- '(^|[ ,])--?[A-Za-z0-9][A-Za-z0-9-]*' | tr -d ' ,' | LC_ALL=C sort -u
}

# fake_map FILE [LINE...] - a made-up System.map of real 6.1 names (two
# functions, a global function, a variable), plus LINEs, so that a build
# test does not need the -dbg package
fake_map() {
	local f=$1; shift
	printf '%s\n' \
		'ffffffff81000000 t cmdline_proc_show' \
		'ffffffff81000100 t version_proc_show' \
		'ffffffff81000200 T nr_processes' \
		'ffffffff81000300 D saved_command_line' "$@" > "$f"
}
