#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The core reads symbols as the kernel sees them, not as the task that
# loads a module does: a patch, and a patched module, load from a chroot
# that has no /proc; a module that comes is resolved without /proc.
. "$(dirname "$0")/lib.sh"

orig_cmdline=$(cat /proc/cmdline)
load clp
jail=/tmp/jail
rm -rf $jail
mkdir -p $jail/bin $jail/m
cp /clp/bin/clp-insmod $jail/bin/
for m in clp_p_a clp_p_lm1 clp_test_target clp_test_late; do
	cp "$(ko $m)" $jail/m/
done
[ -e $jail/proc/kallsyms ] && fail "the jail has a /proc"
jload() {
	out=$(chroot $jail /bin/clp-insmod /m/$1.ko 2>&1) || fail "chroot insmod $1: $out"
	note "ok: insmod $1 from a chroot without /proc"
}

# vmlinux symbols: registration from the jail
dmesg_mark
jload clp_p_a
proc_is /proc/cmdline A-cmdline
patch_state clp_p_a 1 1
expect_no_dmesg 'cannot open /proc/kallsyms'

# module symbols: a patch for clp_test_late waits for it; the module
# comes from the jail and is patched as it loads
jload clp_test_target
jload clp_p_lm1
expect_file $SYSCLP/clp_p_lm1/clp_test_late/patched 0
dmesg_mark
jload clp_test_late
expect_dmesg 'clp_test_late: init: late=lm1-late'
expect_file $SYSCLP/clp_p_lm1/clp_test_late/patched 1
expect_file /proc/clp_late "late=lm1-late"
unload clp_test_late
put $SYSCLP/clp_p_lm1/enabled 0
unload clp_p_lm1
put $SYSCLP/clp_p_a/enabled 0
unload clp_p_a
expect_eq cmdline "$(cat /proc/cmdline)" "$orig_cmdline"
rm -rf $jail
