#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Live patches made by 'clp build' from unified diffs against the kernel's
# own Debian source (selftests/diffs/), one case per module, each with an
# effect a test can see:
#   clp_d_label      a changed string in a /proc show function
#   clp_d_inline     a change to a static helper inlined into its caller
#                    (only the caller is patched)
#   clp_d_newhelper  a new function the changed one calls
#   clp_d_clone      a function GCC cloned (do_sysinfo.isra.0, by its name)
#   clp_d_syscall    a syscall body (sethostname refuses one name)
#   clp_d_static     a function with a static local: the patched code uses
#                    the running kernel's variable, not a copy
#   clp_d_stacked    two diffs to the same function: both apply, both are
#                    credited
#   clp_d_dyndbg     a new pr_debug(): the module carries its descriptor,
#                    which dynamic debug can switch on
. "$(dirname "$0")/lib.sh"

command -v clp >/dev/null || fail "no clp in PATH"
load clp

# only_live PATCH COUNT - PATCH runs COUNT functions per /sys/kernel/clp/functions
only_live() {
	expect_eq "$1: live functions" "$(grep -c " $1\$" $SYSCLP/functions)" "$2"
}

# a string in meminfo_proc_show
expect_grep /proc/meminfo "^MemFree: "
clp_run clp load "$(ko clp_d_label)"
expect_rc "load clp_d_label" 0
patch_state clp_d_label 1 1
expect_grep /proc/meminfo "^MemFree\(clp\): +[0-9]+ kB$"
expect_grep $SYSCLP/functions "^vmlinux meminfo_proc_show,[01] clp_d_label$"
only_live clp_d_label 1
clp_run clp info clp_d_label
expect_rc "info clp_d_label" 0
clp_run clp unload clp_d_label
expect_rc "unload clp_d_label" 0
expect_grep /proc/meminfo "^MemFree: "

# an inlined helper: show_val_kb() has no symbol, meminfo_proc_show changes
clp_run clp load "$(ko clp_d_inline)"
expect_rc "load clp_d_inline" 0
expect_grep /proc/meminfo "^MemTotal: +[0-9]+ KiB$"
expect_no_grep /proc/meminfo "^MemFree: +[0-9]+ kB$"
only_live clp_d_inline 1
clp_run clp unload clp_d_inline
expect_grep /proc/meminfo "^MemTotal: +[0-9]+ kB$"

# a new helper function, called by the changed one
clp_run clp load "$(ko clp_d_newhelper)"
expect_rc "load clp_d_newhelper" 0
expect_grep /proc/meminfo "^ClpExtra: +1 kB$"
only_live clp_d_newhelper 1
clp_run clp unload clp_d_newhelper
expect_no_grep /proc/meminfo "^ClpExtra"

# a GCC clone: do_sysinfo.isra.0, what sysinfo(2) and so uptime(1) read
uptime | grep -q " days" && fail "uptime already counts days: $(uptime)"
clp_run clp load "$(ko clp_d_clone)"
expect_rc "load clp_d_clone" 0
expect_grep $SYSCLP/functions "^vmlinux do_sysinfo\.isra\.0,[01] clp_d_clone$"
uptime | grep -q "up 10 days" || fail "uptime does not count the patched 10 days: $(uptime)"
note "ok: uptime says $(uptime)"
clp_run clp unload clp_d_clone
uptime | grep -q " days" && fail "uptime still counts days after unload: $(uptime)"

# a syscall body: sethostname refuses "clp-refused" while the patch is live
old=$(hostname)
hostname clp-refused || fail "hostname clp-refused failed before the patch"
hostname "$old"
clp_run clp load "$(ko clp_d_syscall)"
expect_rc "load clp_d_syscall" 0
only_live clp_d_syscall 2	# __x64_sys_sethostname and __ia32_sys_sethostname
hostname clp-refused 2> /tmp/.h && fail "hostname clp-refused succeeded with the patch live"
expect_grep /tmp/.h "Operation not permitted"
hostname clp-allowed || fail "hostname clp-allowed failed with the patch live"
expect_eq "hostname" "$(hostname)" clp-allowed
clp_run clp unload clp_d_syscall
hostname clp-refused || fail "hostname clp-refused failed after unload"
hostname "$old"

# a static local: bpf_stats_handler's saved_val is the running kernel's
f=/proc/sys/kernel/bpf_stats_enabled
echo 1 > $f || fail "cannot enable bpf stats"
echo 2 > $f 2>/dev/null && fail "bpf_stats_enabled took 2 before the patch"
clp_run clp load "$(ko clp_d_static)"
expect_rc "load clp_d_static" 0
expect_eq "saved_val seen by the patched handler" "$(cat $f)" 1
echo 2 > $f || fail "bpf_stats_enabled refused 2 with the patch live"
expect_eq "after writing 2" "$(cat $f)" 2
clp_run clp unload clp_d_static
expect_eq "the original handler sees the same variable" "$(cat $f)" 2
echo 2 > $f 2>/dev/null && fail "bpf_stats_enabled took 2 after unload"
echo 0 > $f

# two diffs to one function: both apply, both are credited
clp_run clp info "$(ko clp_d_stacked)"
expect_grep /tmp/.o "^  vmlinux meminfo_proc_show,1 flags=0 from memfree-label\+memtotal-label$"
expect_grep /tmp/.o "^version: .*\+memfree-label\+memtotal-label$"
clp_run clp load "$(ko clp_d_stacked)"
expect_rc "load clp_d_stacked" 0
expect_grep /proc/meminfo "^MemFree\(clp\): "
expect_grep /proc/meminfo "^MemTotal\(clp\): "
clp_run clp unload clp_d_stacked
expect_grep /proc/meminfo "^MemTotal: "

# a new pr_debug() with its own descriptor (and jump label) in the module
clp_run clp load "$(ko clp_d_dyndbg)"
expect_rc "load clp_d_dyndbg" 0
ctl=/proc/dynamic_debug/control
[ -w $ctl ] || ctl=/sys/kernel/debug/dynamic_debug/control
if [ -w $ctl ]; then
	expect_grep $ctl "clp_d_dyndbg.*meminfo_proc_show.*=_ \"clp: meminfo read"
	dmesg_mark
	cat /proc/meminfo > /dev/null
	dmesg_since | grep -q "clp: meminfo read" && fail "pr_debug printed while off"
	echo "module clp_d_dyndbg +p" > $ctl || fail "cannot switch the pr_debug on"
	cat /proc/meminfo > /dev/null
	dmesg_since | grep -q "clp: meminfo read" || fail "pr_debug did not print when on"
	note "ok: the patch's pr_debug prints when switched on"
	echo "module clp_d_dyndbg -p" > $ctl
else
	note "no dynamic_debug control file: only loading is checked"
fi
clp_run clp unload clp_d_dyndbg
expect_rc "unload clp_d_dyndbg" 0
