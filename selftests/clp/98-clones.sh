#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# GCC clones: clp_test_clone's clp_clone_fn has a clone clp_clone_fn.part.0
# (its slow path, called from the copy of its head inlined into the
# /proc/clp_clone reader).  A module that replaces clp_clone_fn only is
# refused by clp check and clp load, naming the clone, with nothing
# changed; one that acknowledges the clone (CLP_UNAFFECTED_MOD) passes and
# clp info lists the acknowledgement; one that replaces the clone by its
# kallsyms name (CLP_FUNC_CLONE_MOD) loads, and the core redirects the
# clone.
. "$(dirname "$0")/lib.sh"

command -v clp >/dev/null || fail "no clp in PATH"

load clp
load clp_test_clone
grep -q ' clp_clone_fn\.part\.0	\[clp_test_clone\]$' /proc/kallsyms ||
	skip "the compiler did not split clp_clone_fn (no clp_clone_fn.part.0)"
proc_is /proc/clp_clone "clone=orig-slow-5-25"

# the fix alone: refused, naming the clone (not the .cold part), nothing changed
snapshot /tmp/.before
clp_run clp check "$(ko clp_p_clone)"
expect_rc "check: clone left out" 3
expect_grep /tmp/.e "^clp: clp_p_clone: function clp_clone_fn in clp_test_clone has 1 GCC clone that the module neither replaces nor acknowledges \(they would still run the old code\): clp_clone_fn\.part\.0$"
expect_no_grep /tmp/.e "\.cold"
clp_run clp load "$(ko clp_p_clone)"
expect_rc "load: clone left out" 3
expect_grep /tmp/.e "clp_p_clone: not loaded: a check failed"
snapshot /tmp/.after
cmp -s /tmp/.before /tmp/.after || { diff /tmp/.before /tmp/.after; fail "a refused check or load changed the kernel"; }
note "ok: refused check and load changed nothing"
loaded clp_p_clone && fail "clp_p_clone is loaded"
proc_is /proc/clp_clone "clone=orig-slow-5-25"

# acknowledged: the checks pass, info shows it
clp_run clp info "$(ko clp_p_cloneack)"
expect_rc "info clp_p_cloneack" 0
expect_grep /tmp/.o "^unaffected: 1$"
expect_grep /tmp/.o "^  clp_test_clone clp_clone_fn clp_clone_fn\.part\.0$"
clp_run clp check "$(ko clp_p_cloneack)"
expect_rc "check: clone acknowledged" 0
clp_run clp load "$(ko clp_p_cloneack)"
expect_rc "load: clone acknowledged" 0
patch_state clp_p_cloneack 1 1
# what the acknowledgement does not change: the clone runs the old code
proc_is /proc/clp_clone "clone=orig-slow-5-25"
clp_run clp unload clp_p_cloneack
expect_rc "unload clp_p_cloneack" 0

# the clone replaced too, by its kallsyms name
clp_run clp check "$(ko clp_p_clonepart)"
expect_rc "check: clone replaced" 0
clp_run clp load "$(ko clp_p_clonepart)"
expect_rc "load: clone replaced" 0
patch_state clp_p_clonepart 1 1
expect_grep $SYSCLP/functions "^clp_test_clone clp_clone_fn\.part\.0,[01] clp_p_clonepart$"
proc_is /proc/clp_clone "clone=new-slow-part"
clp_run clp unload clp_p_clonepart
expect_rc "unload clp_p_clonepart" 0
proc_is /proc/clp_clone "clone=orig-slow-5-25"

clp_cleanup
echo "PASS"
