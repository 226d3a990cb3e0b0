#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The kernel's own modules asked for with 'scripts/vm-run --modprobe NAME'
# (scripts/check asks for ext4, which needs jbd2, mbcache and crc16): /init
# loaded NAME and its dependencies (modules.dep), dependencies first, and
# only those were copied into the guest.  Skipped when none was asked for.
. "$(dirname "$0")/lib.sh"

[ -s /etc/clp-modprobe ] || skip "no module asked for with scripts/vm-run --modprobe"
n=0 last=
while read -r p; do
	m=$(basename "$p" .ko | tr - _)
	loaded "$m" || fail "$m ($p) is not loaded"
	note "ok: $m is in /proc/modules"
	n=$((n + 1)) last=$m
done < /etc/clp-modprobe
[ $n -ge 2 ] || fail "$n module(s) loaded: the test needs one with a dependency"
# the requested module (loaded last) uses at least one of the others
grep -E -q "^[a-z0-9_]+ [0-9]+ [0-9]+ ([a-z0-9_]+,)*$last," /proc/modules ||
	{ cat /proc/modules; fail "no module is used by $last: its dependencies did not load"; }
note "ok: $last uses the dependencies loaded before it"
# and the --module ones, copied but not loaded
later=$(grep -c . /etc/clp-modules 2>/dev/null)
expect_eq "modules in the guest" "$(find /lib/modules -name '*.ko' | wc -l)" "$((n + ${later:-0}))"
