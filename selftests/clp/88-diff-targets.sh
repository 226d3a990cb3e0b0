#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Live patches made by 'clp build' from diffs that are not to a plain .c
# file of vmlinux:
#   clp_d_module  a change to drivers/block/zram/zram_drv.c, built into
#                 zram.ko: max_comp_streams shows the module's own static
#                 zram_major, which the core resolves when zram loads.  The
#                 patch works when zram loads after it, when it is loaded
#                 already, and again after zram goes and comes back; it
#                 does not depend on zram (scripts/vm-run --module zram
#                 copies zram and zsmalloc into the guest without loading).
#   clp_d_header  a change to the static inline license_is_gpl_compatible()
#                 of include/linux/license.h: bpf_prog_load(), which
#                 inlines it, is replaced and a BPF program licensed
#                 "Dual CLP/GPL" becomes GPL-compatible.
. "$(dirname "$0")/lib.sh"

command -v clp >/dev/null || fail "no clp in PATH"
load clp

# ---- a module's file ----------------------------------------------------
[ -s /etc/clp-modules ] || skip "zram is not in the guest (scripts/vm-run --module zram)"
grep -q '/zram\.ko$' /etc/clp-modules || skip "zram is not in the guest"
zram_in() {
	while read -r m; do
		loaded "$(basename "$m" .ko | tr - _)" || insmod "$m" || fail "insmod $m"
	done < /etc/clp-modules
}
zram_out() { rmmod zram || fail "rmmod zram"; }
streams() { cat /sys/block/zram0/max_comp_streams; }
cpus=$(grep -c '^processor' /proc/cpuinfo)

# loaded before zram: the patch waits for it, depending on nothing
clp_run clp load "$(ko clp_d_module)"
expect_rc "load clp_d_module without zram" 0
expect_grep /tmp/.o "module zram is not loaded: its functions will be patched when it loads"
expect_grep /tmp/.o "reference zram_major: resolved when module zram loads"
# nothing of it runs yet
patch_state clp_d_module 1 0
expect_eq "clp_d_module depends on nothing" "$(cut -d' ' -f1,4 /proc/modules | grep '^clp_d_module ')" "clp_d_module -"
dmesg_mark
zram_in
major=$(awk '$2 == "zram" { print $1 }' /proc/devices)
[ -n "$major" ] || fail "zram has no block major in /proc/devices"
expect_dmesg "clp: clp_d_module: patched module zram as it loads"
expect_eq "patched as zram loads" "$(streams)" "$cpus clp major $major"
expect_grep $SYSCLP/functions "^zram max_comp_streams_show,1 clp_d_module$"
patch_state clp_d_module 1 1

# zram goes and comes back: patched again, its new major read anew
zram_out
expect_no_grep $SYSCLP/functions "^zram "
zram_in
major=$(awk '$2 == "zram" { print $1 }' /proc/devices)
expect_eq "patched when zram comes back" "$(streams)" "$cpus clp major $major"

# unloading the patch reverts the module's function
clp_run clp unload clp_d_module
expect_rc "unload clp_d_module" 0
expect_eq "reverted" "$(streams)" "$cpus"

# loaded while zram is loaded: patched at once
clp_run clp load "$(ko clp_d_module)"
expect_rc "load clp_d_module with zram loaded" 0
expect_eq "patched with zram loaded" "$(streams)" "$cpus clp major $major"
clp_run clp unload clp_d_module
expect_rc "unload clp_d_module again" 0
expect_eq "reverted again" "$(streams)" "$cpus"
zram_out
rmmod zsmalloc 2>/dev/null

# ---- a header's static inline -------------------------------------------
command -v clp-bpflicense >/dev/null || fail "no clp-bpflicense in PATH"
expect_eq "GPL is GPL-compatible" "$(clp-bpflicense GPL)" "gpl_compatible=1"
expect_eq "Dual CLP/GPL is not, unpatched" "$(clp-bpflicense 'Dual CLP/GPL')" "gpl_compatible=0"
clp_run clp load "$(ko clp_d_header)"
expect_rc "load clp_d_header" 0
patch_state clp_d_header 1 1
expect_grep $SYSCLP/functions "^vmlinux bpf_prog_load,1 clp_d_header$"
expect_eq "Dual CLP/GPL is, patched" "$(clp-bpflicense 'Dual CLP/GPL')" "gpl_compatible=1"
expect_eq "GPL still is" "$(clp-bpflicense GPL)" "gpl_compatible=1"
expect_eq "Proprietary is not" "$(clp-bpflicense Proprietary)" "gpl_compatible=0"
clp_run clp unload clp_d_header
expect_rc "unload clp_d_header" 0
expect_eq "Dual CLP/GPL is not, reverted" "$(clp-bpflicense 'Dual CLP/GPL')" "gpl_compatible=0"
