#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Modules loaded after the patches for them, with the module scenarios of
# upstream's test-callbacks: target not present, module coming, going,
# coming and going, coming with a failing pre_patch, a failing init,
# multiple target modules, a busy target module, multiple patches and
# supersede; <object>/patched following the module (test-sysfs); a patch
# whose code references a static variable of the late module; and module
# loads refused because a registered patch does not apply to them.
. "$(dirname "$0")/lib.sh"

# expect_events LINE... - callback and clp_test_late lines since the mark
expect_events() {
	got=$(dmesg_since | sed -n 's/^\[[^]]*\] //; /^clp_p_lm[12]: \(pre\|post\)_\(un\)\{0,1\}patch /p; /^clp_test_late: /p' | tr '\n' ';')
	want=$([ $# = 0 ] || printf '%s;' "$@")
	expect_eq "events" "$got" "$want"
}
patched() { expect_file "$SYSCLP/$1/$2/patched" "$3"; }

load clp
echo 1 > /sys/module/clp/parameters/switch_retries

# target not present: only vmlinux's callbacks run; nothing of the
# modules is listed
dmesg_mark
load clp_p_lm1
expect_events "clp_p_lm1: pre_patch vmlinux" "clp_p_lm1: post_patch vmlinux"
expect_dmesg 'clp: clp_p_lm1: module clp_test_late is not loaded: it is patched when it loads'
expect_dmesg 'clp: clp_p_lm1: module clp_test_target is not loaded: it is patched when it loads'
expect_dmesg 'clp: clp_p_lm1: enabled, live when clp_test_(late|target) and 1 more module load \(2 functions\)'
patched clp_p_lm1 vmlinux 1
patched clp_p_lm1 clp_test_late 0
patched clp_p_lm1 clp_test_target 0
expect_file $SYSCLP/functions ""

# module coming: patched before its init runs, callbacks first
dmesg_mark
load clp_test_late
expect_events "clp_p_lm1: pre_patch clp_test_late" "clp_p_lm1: post_patch clp_test_late" \
	"clp_test_late: init: late=lm1-late"
expect_dmesg 'clp: clp_p_lm1: patched module clp_test_late as it loads \(1 functions\)'
expect_file /proc/clp_late "late=lm1-late"
patched clp_p_lm1 clp_test_late 1
expect_file $SYSCLP/functions "clp_test_late clp_late_fn,1 clp_p_lm1"
expect_file $SYSCLP/clp_p_lm1/clp_test_late/clp_late_fn,1/live 1

# module going: its exit still sees the patch, then the callbacks
dmesg_mark
unload clp_test_late
expect_events "clp_test_late: exit: late=lm1-late" \
	"clp_p_lm1: pre_unpatch clp_test_late" "clp_p_lm1: post_unpatch clp_test_late"
expect_dmesg 'clp: clp_p_lm1: module clp_test_late is going: 1 functions reverted'
patched clp_p_lm1 clp_test_late 0
expect_file $SYSCLP/functions ""
expect_file $SYSCLP/clp_p_lm1/clp_test_late/clp_late_fn,1/live 0

# coming and going again: the object is set up anew each time
dmesg_mark
load clp_test_late
unload clp_test_late
expect_events "clp_p_lm1: pre_patch clp_test_late" "clp_p_lm1: post_patch clp_test_late" \
	"clp_test_late: init: late=lm1-late" "clp_test_late: exit: late=lm1-late" \
	"clp_p_lm1: pre_unpatch clp_test_late" "clp_p_lm1: post_unpatch clp_test_late"

# a failing init: the module goes right after it came
dmesg_mark
load_fails clp_test_late EIO init_ret=-5
expect_events "clp_p_lm1: pre_patch clp_test_late" "clp_p_lm1: post_patch clp_test_late" \
	"clp_test_late: init: late=lm1-late" \
	"clp_p_lm1: pre_unpatch clp_test_late" "clp_p_lm1: post_unpatch clp_test_late"
expect_file $SYSCLP/functions ""

# coming with a failing pre_patch: the module's load is refused
printf clp_test_late > /sys/module/clp_p_lm1/parameters/fail_pre_patch
dmesg_mark
load_fails clp_test_late ENODEV
expect_events "clp_p_lm1: pre_patch clp_test_late"
expect_dmesg 'clp: clp_p_lm1: refusing to load module clp_test_late: pre_patch callback failed: -19'
expect_file $SYSCLP/functions ""
patched clp_p_lm1 clp_test_late 0
echo none > /sys/module/clp_p_lm1/parameters/fail_pre_patch

# multiple target modules, each patched as it comes and left alone when
# the other goes
dmesg_mark
load clp_test_target
load clp_test_late
expect_events "clp_p_lm1: pre_patch clp_test_target" "clp_p_lm1: post_patch clp_test_target" \
	"clp_p_lm1: pre_patch clp_test_late" "clp_p_lm1: post_patch clp_test_late" \
	"clp_test_late: init: late=lm1-late"
expect_file /proc/clp_target "f1=lm1-f1 f2=orig-f2 f3=orig-f3"
expect_file /proc/clp_late "late=lm1-late"
unload clp_test_late
expect_file /proc/clp_target "f1=lm1-f1 f2=orig-f2 f3=orig-f3"
patched clp_p_lm1 clp_test_target 1
patched clp_p_lm1 clp_test_late 0

# busy target module: lm2 would change the sleeper's function, so it is
# refused while a task sits in it; a module coming meanwhile is patched by
# the live lm1 without a stack check (nothing runs its code yet)
put /proc/clp_target_ctl sleep
dmesg_mark
load_fails clp_p_lm2 EBUSY
expect_events "clp_p_lm2: pre_patch vmlinux" "clp_p_lm2: pre_patch clp_test_target" \
	"clp_p_lm2: post_unpatch vmlinux" "clp_p_lm2: post_unpatch clp_test_target"
expect_dmesg "clp: clp_p_lm2: enable refused: task clp_sleeper:[0-9]+ is inside clp_target_sleep"
dmesg_mark
load clp_test_late
expect_events "clp_p_lm1: pre_patch clp_test_late" "clp_p_lm1: post_patch clp_test_late" \
	"clp_test_late: init: late=lm1-late"
put /proc/clp_target_ctl wake

# multiple patches: lm2 supersedes lm1 (only lm2's callbacks run) and
# takes over both modules at once
dmesg_mark
load clp_p_lm2
expect_events "clp_p_lm2: pre_patch vmlinux" "clp_p_lm2: pre_patch clp_test_target" \
	"clp_p_lm2: pre_patch clp_test_late" \
	"clp_p_lm2: post_patch vmlinux" "clp_p_lm2: post_patch clp_test_target" \
	"clp_p_lm2: post_patch clp_test_late"
expect_file /proc/clp_late "late=lm2-late"
patched clp_p_lm1 clp_test_late 0
patched clp_p_lm2 clp_test_late 1

# the late module comes back below two registered patches: the newest
# enabled one (lm2) is live, and a rollback reaches lm1's version of it
dmesg_mark
unload clp_test_late
load clp_test_late
expect_events "clp_test_late: exit: late=lm2-late" \
	"clp_p_lm2: pre_unpatch clp_test_late" "clp_p_lm2: post_unpatch clp_test_late" \
	"clp_p_lm2: pre_patch clp_test_late" "clp_p_lm2: post_patch clp_test_late" \
	"clp_test_late: init: late=lm2-late"
put $SYSCLP/clp_p_lm1/enabled 1
put $SYSCLP/clp_p_lm2/enabled 0
expect_file /proc/clp_late "late=lm1-late"
expect_file /proc/clp_target "f1=lm1-f1 f2=orig-f2 f3=orig-f3"
patched clp_p_lm1 clp_test_late 1
patched clp_p_lm2 clp_test_late 0
# with every patch disabled, a coming module is not patched at all
put $SYSCLP/clp_p_lm1/enabled 0
unload clp_test_late
dmesg_mark
load clp_test_late
expect_events "clp_test_late: init: late=orig-late"
expect_file $SYSCLP/functions "clp_test_target clp_target_f1,1 (original)
clp_test_target clp_target_sleep,1 (original)
clp_test_late clp_late_fn,1 (original)"
unload clp_test_late
unload clp_p_lm1
unload clp_p_lm2
unload clp_test_target
expect_file $SYSCLP/functions ""

# a reference to a static variable of a module loaded later: written when
# it comes, reset when it goes, written again when it comes back
dmesg_mark
load clp_p_lrefs
expect_dmesg 'clp: clp_p_lrefs: enabled, live when clp_test_late loads \(1 functions\)'
expect_file $SYSCLP/clp_p_lrefs/live 0
load clp_test_late
expect_file $SYSCLP/clp_p_lrefs/live 1
expect_file /proc/clp_late "late=lrefs-secret=1234"
unload clp_test_late
load clp_test_late
expect_file /proc/clp_late "late=lrefs-secret=1234"
unload clp_test_late
put $SYSCLP/clp_p_lrefs/enabled 0
unload clp_p_lrefs

# an object that never loads is fine
load clp_p_bad mode=nomodule
patched clp_p_bad clp_no_such_module 0
put $SYSCLP/clp_p_bad/enabled 0
unload clp_p_bad

# a registered patch that does not apply to the module refuses its load,
# and the patch stays as it was
for mode in latemissing laterelocmissing; do
	load clp_p_bad mode=$mode
	dmesg_mark
	load_fails clp_test_late ENOENT
	case $mode in
	latemissing) expect_dmesg 'clp: clp_p_bad: refused: function clp_no_such_function not found in clp_test_late' ;;
	*) expect_dmesg 'clp: clp_p_bad: refused: referenced symbol clp_no_such_symbol not found in clp_test_late' ;;
	esac
	expect_dmesg 'clp: clp_p_bad: refusing to load module clp_test_late: the patch does not apply to it: -2'
	expect_no_dmesg 'clp_test_late: init'
	patch_state clp_p_bad 1 0
	patched clp_p_bad clp_test_late 0
	expect_file $SYSCLP/functions ""
	put $SYSCLP/clp_p_bad/enabled 0
	# a disabled patch that does not apply still refuses the module: it
	# could be enabled again
	load_fails clp_test_late ENOENT
	unload clp_p_bad
done
load clp_test_late
expect_file /proc/clp_late "late=orig-late"
unload clp_test_late
