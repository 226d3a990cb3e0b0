# SPDX-License-Identifier: GPL-2.0
# Helpers for clp selftests (busybox sh in the test guest).  A test sources
# this file, asserts with the functions below and exits 0 on success; the
# first failed assertion prints "FAIL: ..." and exits 1.
#
# Run by selftests/run (CLP_RUNNER set), the runner checks the kernel log
# and cleans up between tests.  Run on its own (by kselftest's
# run_kselftest.sh, or by hand) a test does both itself when it exits: a
# kernel oops, BUG, WARNING or hung task since it started fails it, and the
# clp modules it left are removed.  Helper programs installed next to the
# tests (the kselftest collection) come first in PATH; the modules are in
# $CLP_KMOD (default /clp/kmod).

KMOD=${CLP_KMOD:-/clp/kmod}
SYSCLP=/sys/kernel/clp
KSFT_SKIP=4
case $0 in
*/*) [ -x "${0%/*}/clp-insmod" ] && PATH=$(cd "${0%/*}" && pwd):$PATH ;;
esac

fail() { echo "FAIL: $*"; exit 1; }

# state - one line with everything a test may want to see on failure
state() {
	echo "  cmdline=$(cat /proc/cmdline) meminfo=$(head -1 /proc/meminfo | tr -s ' ')"
	[ -r $SYSCLP/functions ] && sed 's/^/  functions: /' $SYSCLP/functions
}

# proc_is FILE EXPECTED - first line of a /proc file
proc_is() {
	expect_eq "$1" "$(head -n 1 "$1")" "$2"
}

# patch_state NAME ENABLED LIVE
patch_state() {
	expect_eq "$1 enabled" "$(cat $SYSCLP/$1/enabled)" "$2"
	expect_eq "$1 live" "$(cat $SYSCLP/$1/live)" "$3"
}

# func_live PATCH OBJ FUNC - the live patch of one function per /functions
func_live() {
	awk -v o="$2" -v f="$3" '$1 == o && $2 == f { print $3 }' $SYSCLP/functions
}
skip() { echo "SKIP: $*"; exit $KSFT_SKIP; }
note() { echo "$*"; }

# expect_eq WHAT ACTUAL EXPECTED
expect_eq() {
	[ "$2" = "$3" ] || fail "$1: got '$2', expected '$3'"
	note "ok: $1 = '$3'"
}

# expect_file PATH EXPECTED - whole content of PATH
expect_file() {
	[ -e "$1" ] || fail "$1 does not exist"
	expect_eq "$1" "$(cat "$1")" "$2"
}

# expect_grep PATH PATTERN - PATH has a line matching the extended regex
expect_grep() {
	grep -E -q -- "$2" "$1" || { sed 's/^/  | /' "$1"; fail "$1 has no line matching '$2'"; }
	note "ok: $1 ~ /$2/"
}

expect_no_grep() {
	! grep -E -q -- "$2" "$1" || { sed 's/^/  | /' "$1"; fail "$1 has a line matching '$2'"; }
	note "ok: $1 !~ /$2/"
}

expect_missing() {
	[ ! -e "$1" ] || fail "$1 exists"
	note "ok: $1 absent"
}

# dmesg_mark; ...; expect_dmesg PATTERN - a kernel log line since the mark
dmesg_mark() { CLP_DMESG_MARK=$(dmesg | wc -l); }
dmesg_since() { dmesg | tail -n +"$(( ${CLP_DMESG_MARK:-0} + 1 ))"; }
expect_dmesg() {
	dmesg_since | grep -E -q -- "$1" ||
		{ dmesg_since | tail -n 20 | sed 's/^/  | /'; fail "no kernel log line matching '$1'"; }
	note "ok: dmesg ~ /$1/"
}
expect_no_dmesg() {
	! dmesg_since | grep -E -q -- "$1" ||
		{ dmesg_since | grep -E -- "$1" | sed 's/^/  | /'; fail "kernel log has a line matching '$1'"; }
	note "ok: dmesg !~ /$1/"
}

# ko NAME - path of a module built for this kernel
ko() { echo "$KMOD/$1.ko"; }

loaded() { grep -q "^$1 " /proc/modules; }

# load NAME [PARAM...] - insmod that must succeed (one finit_module call)
load() {
	local m=$1; shift
	out=$(clp-insmod "$(ko "$m")" "$@" 2>&1) || fail "insmod $m $*: $out"
	note "ok: insmod $m $*"
}

# load_fails NAME ERRNAME [PARAM...] - insmod that must fail with ERRNAME
# (e.g. EBUSY)
load_fails() {
	local m=$1 err=$2; shift 2
	if out=$(clp-insmod "$(ko "$m")" "$@" 2>&1); then
		fail "insmod $m unexpectedly succeeded"
	fi
	case $out in
	*": $err ("*) note "ok: insmod $m refused: $err" ;;
	*) fail "insmod $m failed with '$out', expected '$err'" ;;
	esac
	loaded "$m" && fail "$m is loaded after a refused insmod"
	return 0
}

unload() {
	out=$(rmmod "$1" 2>&1) || fail "rmmod $1: $out"
	note "ok: rmmod $1"
}

unload_fails() {
	if out=$(rmmod "$1" 2>&1); then fail "rmmod $1 unexpectedly succeeded"; fi
	loaded "$1" || fail "$1 is gone after a failed rmmod"
	note "ok: rmmod $1 refused"
}

# put FILE VALUE - write that must succeed
put() {
	out=$(clp-write "$1" "$2" 2>&1) || fail "write '$2' > $1: $out"
	note "ok: $2 > $1"
}

# put_fails FILE VALUE ERRNAME - write that must fail with ERRNAME (EBUSY)
put_fails() {
	if out=$(clp-write "$1" "$2" 2>&1); then fail "write '$2' > $1 unexpectedly succeeded"; fi
	case $out in
	*": $3 ("*) note "ok: $2 > $1 refused: $3" ;;
	*) fail "write '$2' > $1 failed with '$out', expected '$3'" ;;
	esac
}

# klog_bad FROM - the first lines of the kernel log after line FROM that
# show a kernel problem (oops, BUG, WARNING, panic, hung task, GPF)
klog_bad() {
	dmesg | tail -n +"$(($1 + 1))" |
		grep -E 'Oops|BUG:|WARNING:|Kernel panic|blocked for more than|general protection fault' |
		head -3
}

# clp_cleanup - disable every clp patch and remove every clp and selftest
# module, so the next test starts from a clean kernel.
clp_cleanup() {
	local m tries=0
	# upstream livepatches (clp_test_klp) first: they leave asynchronously
	for e in /sys/kernel/livepatch/*/enabled; do
		[ -e "$e" ] && echo 0 > "$e" 2>/dev/null
	done
	while [ -n "$(ls /sys/kernel/livepatch 2>/dev/null)" ] && [ $tries -lt 100 ]; do
		sleep 0.1
		tries=$((tries + 1))
	done
	tries=0
	if [ -d /proc/clp_target_ctl ] || [ -e /proc/clp_target_ctl ]; then
		echo wake > /proc/clp_target_ctl 2>/dev/null
	fi
	if [ -d $SYSCLP ]; then
		for e in $(ls -r $SYSCLP/*/enabled 2>/dev/null); do
			echo 0 > "$e" 2>/dev/null
		done
	fi
	for k in "$KMOD"/*.ko; do
		m=$(basename "$k" .ko)
		m=$(echo "$m" | tr - _)
		loaded "$m" && echo "$m"
	done > /tmp/.clp-loaded
	while [ -s /tmp/.clp-loaded ] && [ $tries -lt 5 ]; do
		for m in $(cat /tmp/.clp-loaded); do
			[ "$m" = clp ] && continue
			rmmod "$m" 2>/dev/null
		done
		loaded clp && rmmod clp 2>/dev/null
		for m in $(cat /tmp/.clp-loaded); do loaded "$m" && echo "$m"; done > /tmp/.clp-left
		mv /tmp/.clp-left /tmp/.clp-loaded
		tries=$((tries + 1))
	done
	[ -s /tmp/.clp-loaded ] && echo "# cleanup: still loaded: $(cat /tmp/.clp-loaded)"
	rm -f /tmp/.clp-loaded
}

# pids_of COMM - pids of tasks whose comm is COMM
pids_of() {
	for d in /proc/[0-9]*; do
		[ "$(cat "$d/comm" 2>/dev/null)" = "$1" ] && echo "${d#/proc/}"
	done
}

# clp_run CMD... - run the clp command (or any): exit status in $rc,
# stdout in /tmp/.o, stderr in /tmp/.e, both shown
clp_run() {
	"$@" > /tmp/.o 2> /tmp/.e
	rc=$?
	sed 's/^/  out| /' /tmp/.o; sed 's/^/  err| /' /tmp/.e
}
# expect_rc WHAT RC - the last clp_run exited RC
expect_rc() { [ "$rc" = "$2" ] || fail "$1: exit $rc, expected $2"; note "ok: $1: exit $2"; }
# snapshot FILE - what a refused command must leave as it was: the live
# functions and the loaded modules
snapshot() { { cat $SYSCLP/functions 2>/dev/null; cut -d' ' -f1 /proc/modules | sort; } > "$1"; }

# standalone_exit RC - a test run without selftests/run ends: fail on a
# kernel problem since it started, clean up, exit
standalone_exit() {
	local rc=$1 bad
	trap - EXIT
	bad=$(klog_bad "$CLP_KLOG_START")
	if [ -n "$bad" ]; then
		echo "$bad" | sed 's/^/kernel: /'
		echo "FAIL: the kernel log shows a problem"
		rc=1
	fi
	clp_cleanup
	exit "$rc"
}
if [ -z "${CLP_RUNNER:-}" ]; then
	CLP_KLOG_START=$(dmesg | wc -l)
	trap 'standalone_exit $?' EXIT
fi
