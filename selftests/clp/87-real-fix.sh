#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# A real upstream stable fix applied forward as a live patch: "fcntl:
# refuse F_SET_RW_HINT on an immutable inode" (Linux 6.1.191) is missing
# from the previous Debian 6.1 ABI; scripts/check builds clp_f_rwhint from
# selftests/fixes/6.1/ for that kernel only (the newer ones have the fix:
# clp build refuses the diff there as already applied).  Before the patch
# fcntl(F_SET_RW_HINT) on an immutable tmpfs file succeeds, with it live
# it fails with EPERM, and after unload it succeeds again.
. "$(dirname "$0")/../lib.sh"

[ -f "$(ko clp_f_rwhint)" ] ||
	skip "no clp_f_rwhint: it is made for the previous 6.1 ABI only, which lacks the fix"
command -v clp-rwhint >/dev/null || fail "no clp-rwhint in PATH"
load clp
mkdir -p /tmp/rw
mount -t tmpfs clp-rw /tmp/rw || fail "cannot mount a tmpfs"
echo data > /tmp/rw/f

expect_eq "without the fix" "$(clp-rwhint /tmp/rw/f)" "F_SET_RW_HINT: ok"
clp_run clp info "$(ko clp_f_rwhint)"
expect_grep /tmp/.o "^patches: +fcntl-refuse-F_SET_RW_HINT$"
clp_run clp load "$(ko clp_f_rwhint)"
expect_rc "load clp_f_rwhint" 0
patch_state clp_f_rwhint 1 1
grep -q " clp_f_rwhint$" $SYSCLP/functions || fail "no function of clp_f_rwhint is live"
note "ok: live: $(grep " clp_f_rwhint$" $SYSCLP/functions | tr '\n' ' ')"
expect_eq "with the fix live" "$(clp-rwhint /tmp/rw/f)" "F_SET_RW_HINT: EPERM"
clp_run clp unload clp_f_rwhint
expect_rc "unload clp_f_rwhint" 0
expect_eq "after unload" "$(clp-rwhint /tmp/rw/f)" "F_SET_RW_HINT: ok"
umount /tmp/rw
