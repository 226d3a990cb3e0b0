# SPDX-License-Identifier: GPL-2.0
# clp build refuses a reference into a module M the set replaces functions
# of, unless it is in a replacement the set installs in M or in a local
# helper only such replacements call: the core rewrites those references
# when M loads or unloads, and only code switched with M is sure not to
# run then.  (6.1 headers; skipped without.)
. "$(dirname "${BASH_SOURCE[0]}")/lib.bash"
need_clp
need_headers_61

fake_map "$tmp/map"
B=(-k "$rel" --system-map "$tmp/map" --build-id 0123456789abcdef)
hdr='#include <linux/seq_file.h>
#include <clp/patch.h>
int clp_target_helper(int x);
extern int clp_target_secret;
CLP_SYM_MOD(clp_test_target, clp_target_helper, 0);
CLP_SYM_MOD(clp_test_target, clp_target_secret, 0);'
# set NAME BODY - a one-file set $tmp/NAME
set_() { mkdir -p "$tmp/$1"; printf '%s\n%s\n' "$hdr" "$2" > "$tmp/$1/10-$1.c"; }

# allowed: the replacement in M, helpers only it calls (directly or not),
# a pointer into M in data
set_ good '
static int * volatile secret_ptr[] = { &clp_target_secret };
static char buf[64];
static noinline int helper(int x) { return clp_target_helper(x) + READ_ONCE(*secret_ptr[0]); }
static noinline int helper2(int x) { return helper(x) + 1; }
static const char *new_f2(void)
{
	snprintf(buf, sizeof(buf), "%d %d %d", clp_target_helper(0), helper(1), helper2(2));
	return buf;
}
CLP_FUNC_MOD(clp_test_target, clp_target_f2, new_f2);'
run "$clp" build "${B[@]}" -o "$tmp/good.ko" "$tmp/good"
expect_rc "references from M's replacement and its helpers" 0

# refused, in one set (kbuild is slow on a busy host): a vmlinux
# replacement calling into M; a helper that a vmlinux replacement calls
# too (a call the assembler resolved: no relocation); a helper whose
# address is in data (anything may call it); a global helper (another file
# may call it).  Each replaces its own (made-up) function of M.
set_ bad '
static const char *new_f2(void) { return "x"; }
CLP_FUNC_MOD(clp_test_target, clp_target_f2, new_f2);
static int new_cmdline(struct seq_file *m, void *v)
{
	seq_printf(m, "%d\n", clp_target_helper(3));
	return 0;
}
CLP_FUNC(cmdline_proc_show, new_cmdline);'
printf '%s\n%s\n' "$hdr" '
static noinline int helper(int x) { return clp_target_helper(x); }
static const char *new_fa(void) { return helper(1) ? "a" : "b"; }
CLP_FUNC_MOD(clp_test_target, clp_target_fa, new_fa);
static int new_version(struct seq_file *m, void *v)
{
	seq_printf(m, "%d\n", helper(3));
	return 0;
}
CLP_FUNC(version_proc_show, new_version);' > "$tmp/bad/20-shared.c"
printf '%s\n%s\n' "$hdr" '
static noinline int helper(int x) { return clp_target_helper(x); }
int (*clp_test_fp)(int) = helper;
static const char *new_fb(void) { return helper(1) ? "a" : "b"; }
CLP_FUNC_MOD(clp_test_target, clp_target_fb, new_fb);' > "$tmp/bad/30-pointer.c"
printf '%s\n%s\n' "$hdr" '
noinline int clp_test_global_helper(int x) { return clp_target_helper(x); }
static const char *new_fc(void) { return clp_test_global_helper(1) ? "a" : "b"; }
CLP_FUNC_MOD(clp_test_target, clp_target_fc, new_fc);' > "$tmp/bad/40-global.c"
run "$clp" build "${B[@]}" -o "$tmp/bad.ko" "$tmp/bad"
expect_rc "references into M from code not switched with M" 1
expect_match "vmlinux replacement: function and symbol named" "$err" "10-bad.c: error: new_cmdline refers to clp_target_helper of module clp_test_target but is neither a function the set replaces in clp_test_target nor called only by one"
expect_match "shared helper named" "$err" "20-shared.c: error: helper refers to clp_target_helper of module clp_test_target"
expect_match "address-taken helper named" "$err" "30-pointer.c: error: helper refers to clp_target_helper"
expect_match "global helper named" "$err" "40-global.c: error: clp_test_global_helper refers to clp_target_helper"
expect_eq "one error per function" "$(grep -c ': error: ' <<< "$err")" 4
[ -e "$tmp/bad.ko" ] && fail "a module was written"

# no object for M: the core resolves the reference once, at load (M must
# be loaded then, and stays): not this check's business
set_ noobj '
static int new_cmdline(struct seq_file *m, void *v)
{
	seq_printf(m, "%d\n", clp_target_helper(3));
	return 0;
}
CLP_FUNC(cmdline_proc_show, new_cmdline);'
run "$clp" build "${B[@]}" -o "$tmp/noobj.ko" "$tmp/noobj"
expect_rc "reference into a module the set has no object for" 0
