#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The catalogue of real upstream stable fixes (selftests/fixes/<series>,
# see its README) applied forward as live patches on the previous Debian
# ABI of the running kernel's series (6.1 or 6.12, from uname -r), which
# lacks them; scripts/check builds, for those kernels only, each fix as its
# own module (the Module: line of its header) and all of them as one
# cumulative module, clp_f_all.  What the test asserts comes from each
# patch's header:
#   Functions:          live in the fix's module while it is loaded
#   Observe:, Unfixed:, Fixed:
#                       the command's output line without the fix, with
#                       it live, and again after it is unloaded
#   Workload:, Expect:  a fix nothing can observe: the command exercises
#                       the replaced functions and prints Expect: both
#                       ways (the runner fails the test on a kernel
#                       warning, oops or hung task)
# Then clp_f_all: 'clp info' names every patch, every function is live in
# it, every fix shows its fixed behaviour at once, and none after unload.
# scripts/check loads the Debian modules the Modprobe: lines name in the
# guest first (scripts/vm-run --modprobe), for the fixes to modules.
. "$(dirname "$0")/lib.sh"

series=$(uname -r | sed -n 's/^\([0-9]*\.[0-9]*\)[.-].*/\1/p')
[ -f "$(ko clp_f_all)" ] ||
	skip "no clp_f_all: the fixes are built for the previous 6.1 and 6.12 ABIs only, which lack them"
# the catalogue: next to the collection in clp's tree, inside it as
# kselftest installs it (TEST_FILES)
fixes=
for d in "$(dirname "$0")/../fixes/$series" "$(dirname "$0")/fixes/$series"; do
	[ -n "$series" ] && [ -d "$d" ] && { fixes=$(cd "$d" && pwd); break; }
done
[ -n "$fixes" ] || fail "no catalogue of fixes for $(uname -r) (series '$series')"
note "# the $series catalogue: $(ls "$fixes"/*.patch | wc -l) fixes"
command -v clp >/dev/null || fail "no clp in PATH"
for p in clp-fix clp-rwhint; do
	command -v $p >/dev/null || fail "no $p in PATH"
done
load clp
FIXDIR=/tmp/clp-fixes
mkdir -p $FIXDIR
mount -t tmpfs clp-fixes $FIXDIR || fail "cannot mount a tmpfs"
echo data > $FIXDIR/rw

# hdr PATCH KEY - the value of the header line "KEY: value"
hdr() { sed -n -e '/^--- /q' -e "s/^$2: //p" "$1" | head -n 1; }
# pname PATCH - its patch name, as clp build names it
pname() { basename "$1" .patch | sed 's/^[0-9]*-//'; }

# behaves PATCH Unfixed|Fixed - the patch's command prints what the header
# says for that state (Expect: for a workload, either way)
behaves() {
	local cmd want got
	cmd=$(hdr "$1" Observe)
	if [ -n "$cmd" ]; then
		want=$(hdr "$1" "$2")
	else
		cmd=$(hdr "$1" Workload)
		want=$(hdr "$1" Expect)
	fi
	[ -n "$cmd" ] && [ -n "$want" ] || fail "$(basename "$1"): no Observe:/$2: or Workload:/Expect: header"
	got=$(eval "$cmd" 2>&1) || fail "$(pname "$1"): '$cmd' failed: $got"
	expect_eq "$(pname "$1"): $2" "$got" "$want"
}

# live PATCH MODULE - every function of the patch's Functions: is live in MODULE
live() {
	local fn
	for fn in $(hdr "$1" Functions); do
		grep -E -q "^[^ ]+ $fn,[0-9]+ $2\$" $SYSCLP/functions ||
			{ sed 's/^/  | /' $SYSCLP/functions; fail "$fn is not live in $2"; }
	done
	note "ok: live in $2: $(hdr "$1" Functions)"
}

gone() {
	! grep -q " $1\$" $SYSCLP/functions || fail "functions of $1 are live after its unload"
}

# ---- each fix on its own: without, with, after unload --------------------
n=0
for f in "$fixes"/*.patch; do
	m=$(hdr "$f" Module)
	[ -n "$m" ] || fail "$(basename "$f"): no Module: header"
	note "# $(hdr "$f" Subject)"
	[ -f "$(ko "$m")" ] || fail "no $m for $(basename "$f")"
	behaves "$f" Unfixed
	clp_run clp load "$(ko "$m")"
	expect_rc "load $m" 0
	patch_state "$m" 1 1
	live "$f" "$m"
	behaves "$f" Fixed
	clp_run clp unload "$m"
	expect_rc "unload $m" 0
	gone "$m"
	behaves "$f" Unfixed
	n=$((n + 1))
done

# ---- all of them as one cumulative module --------------------------------
note "# clp_f_all: $n fixes at once"
clp info "$(ko clp_f_all)" > /tmp/.o 2>&1 || { cat /tmp/.o; fail "clp info clp_f_all"; }
grep '^patches:' /tmp/.o
for f in "$fixes"/*.patch; do
	grep -E -q "^patches: .* $(pname "$f")( |\$)" /tmp/.o ||
		fail "clp info clp_f_all does not name $(pname "$f")"
done
note "ok: clp info clp_f_all names all $n patches"
clp_run clp load "$(ko clp_f_all)"
expect_rc "load clp_f_all" 0
patch_state clp_f_all 1 1
for f in "$fixes"/*.patch; do
	live "$f" clp_f_all
	behaves "$f" Fixed
done
clp_run clp unload clp_f_all
expect_rc "unload clp_f_all" 0
gone clp_f_all
for f in "$fixes"/*.patch; do
	behaves "$f" Unfixed
done
umount $FIXDIR
