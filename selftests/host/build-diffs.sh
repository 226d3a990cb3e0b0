# SPDX-License-Identifier: GPL-2.0
# clp build with unified diffs against the 6.1 kernel's prepared Debian
# source tree (skipped without it: make setup): every refusal, each with
# its message, exit status 1 and no output file; a diff whose hunks need
# fuzz, are reversed or fail; changes the generator must refuse (data, a
# new variable, __init code, a weak or notrace function, only line
# numbers, a .c patch and a diff replacing the same function); --explain
# (a changed function and its first difference, one changed only through
# an inlined static helper or header inline, a new function, a refusal);
# and what a good diff records (credits in clp_func, the version string).
# host-timeout: 420
. "$(dirname "${BASH_SOURCE[0]}")/lib.bash"
. "$(dirname "${BASH_SOURCE[0]}")/diff-lib.bash"
need_clp
need_headers_61
src=$TOP/.cache/src/$rel
[ -f "$src/.clp-source" ] || skip "no prepared source tree for $rel (make setup)"
ko=$tmp/out.ko

# refused WHAT REGEX ARGS... - clp build ARGS exits 1 saying REGEX, writes nothing
refused() {
	local what=$1 re=$2
	shift 2
	run "$clp" build -k "$rel" -o "$ko" "$@"
	expect_rc "$what" 1
	expect_match "$what: message" "$err" "$re"
	[ -e "$ko" ] && fail "$what: $ko written"
	ls -A "$tmp" | grep -q '^\.out\.ko\.' && fail "$what: temporary output left behind"
	true
}

# ---- what a diff may touch: all reported in one run ----------------------
mkdir -p "$tmp/paths"
printf -- '--- a/arch/x86/lib/memcpy_64.S\n+++ b/arch/x86/lib/memcpy_64.S\n@@ -1 +1 @@\n-x\n+y\n' > "$tmp/paths/0002-asm.patch"
printf -- '--- a/fs/proc/Makefile\n+++ b/fs/proc/Makefile\n@@ -1 +1 @@\n-x\n+y\n' > "$tmp/paths/0003-make.patch"
printf -- '--- a/lib/string.c\n+++ b/lib/string.c\n@@ -1 +1 @@\n-x\n+y\n' > "$tmp/paths/0004-lib.patch"
printf -- '--- a/arch/x86/entry/vdso/vclock_gettime.c\n+++ b/arch/x86/entry/vdso/vclock_gettime.c\n@@ -1 +1 @@\n-x\n+y\n' > "$tmp/paths/0005-vdso.patch"
printf -- '--- /dev/null\n+++ b/fs/proc/new.c\n@@ -0,0 +1 @@\n+int x;\n' > "$tmp/paths/0006-newfile.patch"
printf -- '--- a/fs/proc/meminfo.c\n+++ /dev/null\n@@ -1 +0,0 @@\n-x\n' > "$tmp/paths/0007-delete.patch"
printf -- '--- a/../etc/passwd\n+++ b/../etc/passwd\n@@ -1 +1 @@\n-x\n+y\n' > "$tmp/paths/0008-outside.patch"
printf 'just some text\n' > "$tmp/paths/0009-notadiff.diff"
refused "paths" "0002-asm.patch: changes arch/x86/lib/memcpy_64.S: assembly" "$tmp/paths"
expect_match "paths: build file" "$err" "0003-make.patch: changes fs/proc/Makefile: a build file"
expect_match "paths: lib/" "$err" "0004-lib.patch: changes lib/string.c: lib/"
expect_match "paths: vdso" "$err" "0005-vdso.patch: changes arch/x86/entry/vdso/vclock_gettime.c: vdso"
expect_match "paths: new file" "$err" "0006-newfile.patch: adds a file"
expect_match "paths: deletion" "$err" "0007-delete.patch: deletes a file"
expect_match "paths: outside" "$err" "0008-outside.patch: changes ../etc/passwd: a path outside the tree"
expect_match "paths: not a diff" "$err" "0009-notadiff.diff: not a unified diff"
mkdir -p "$tmp/missing"
printf -- '--- a/fs/proc/nosuchfile.c\n+++ b/fs/proc/nosuchfile.c\n@@ -1 +1 @@\n-x\n+y\n' > "$tmp/missing/0001-missing.patch"
refused "missing file" "fs/proc/nosuchfile.c: no such file in the source of $rel" "$tmp/missing"

# ---- diffs that do not apply ---------------------------------------------
mkdiff 0001-label.patch fs/proc/meminfo.c 's/"MemFree:        "/"MemFree(clp):   "/'
# reversed: b and a swapped
sed -e '1s|^--- a/|--- x/|' -e '2s|^+++ b/|+++ a/|' -e 's/^-\(\t*show_val_kb(m, "MemFree\)/+\1/; t' \
	-e 's/^+\(\t*show_val_kb(m, "MemFree(clp)\)/-\1/' "$tmp/0001-label.patch" > "$tmp/0001-reversed.patch"
mkdir -p "$tmp/rev" && cp "$tmp/0001-reversed.patch" "$tmp/rev/"
# the label is changed twice: the second diff's context is gone
mkdir -p "$tmp/twice" && cp "$tmp/0001-label.patch" "$tmp/twice/0001-a.patch" &&
	cp "$tmp/0001-label.patch" "$tmp/twice/0002-b.patch"
refused "applied twice" "0002-b.patch does not apply" "$tmp/twice"
expect_match "applied twice: says why" "$err" "fs/proc/meminfo.c: already applied or reversed"
# fuzz: one context line differs
sed 's/^ \tsunreclaim = /\tsunreclaimX = /' "$tmp/0001-label.patch" > "$tmp/0001-fuzz.patch"
mkdir -p "$tmp/fuzz" && cp "$tmp/0001-fuzz.patch" "$tmp/fuzz/"
refused "fuzz" "0001-fuzz.patch does not apply" "$tmp/fuzz"
expect_match "fuzz: names file and hunk" "$err" "fs/proc/meminfo.c: Hunk #1 succeeded at [0-9]+ with fuzz 1.*fuzz is refused"
# a failed hunk
sed 's/^-\tshow_val_kb(m, "MemFree: /-\tshow_val_kb(m, "MemFreeNotThere: /' "$tmp/0001-label.patch" > "$tmp/0001-fails.patch"
mkdir -p "$tmp/fails" && cp "$tmp/0001-fails.patch" "$tmp/fails/"
refused "failed hunk" "0001-fails.patch does not apply" "$tmp/fails"
expect_match "failed hunk: names it" "$err" "fs/proc/meminfo.c: Hunk #1 FAILED"

# the real stable fixes of selftests/fixes/6.1 are in this kernel already
refused "a fix this kernel has" "0001-fcntl-refuse-F_SET_RW_HINT.patch does not apply" "$TOP/selftests/fixes/6.1"
expect_match "a fix this kernel has: says so" "$err" "fs/fcntl.c: already applied or reversed"
# and those of selftests/fixes/6.12 are in the newest 6.12 kernel (when its
# source tree is prepared)
if rel612=$("$TOP/scripts/kernel-release" 6.12 2>/dev/null) &&
   [ -f "$TOP/.cache/src/$rel612/.clp-source" ]; then
	run "$clp" build -k "$rel612" -o "$ko" "$TOP/selftests/fixes/6.12"
	expect_rc "a 6.12 fix this kernel has" 1
	expect_match "a 6.12 fix this kernel has: message" "$err" \
		"0001-proc-pagemap-ENOTTY-for-unknown-ioctls.patch does not apply"
	expect_match "a 6.12 fix this kernel has: says so" "$err" "fs/proc/task_mmu.c: already applied or reversed"
	[ -e "$ko" ] && fail "a 6.12 fix this kernel has: $ko written"
else
	note "SKIP: the 6.12 catalogue on the newest 6.12: no prepared source tree (make setup)"
fi

# ---- changes that cannot be live patched ---------------------------------
mkdiff lines/0001-lines.patch fs/proc/generic.c '1a /* two lines more:\n * every __LINE__ below moves */'
refused "only line numbers" "no function changed" "$tmp/lines"
mkdiff data/0001-data.patch fs/proc/consoles.c "s/{ CON_ENABLED,		'E' }/{ CON_ENABLED,		'e' }/"
refused "data" "the data con_flags(\\.[0-9]+)? changed .*shadow variable" "$tmp/data"
mkdiff newvar/0001-newvar.patch fs/proc/meminfo.c '/^static int meminfo_proc_show/i static int clp_reads;\n' \
	's/^\tsi_meminfo(&i);/\tclp_reads++;\n\tsi_meminfo(\&i);/'
refused "new variable" "uses the new variable clp_reads: .*shadow variable" "$tmp/newvar"
mkdiff init/0001-init.patch fs/proc/meminfo.c 's/proc_create_single("meminfo", 0, NULL, meminfo_proc_show);/proc_create_single("meminfo", 0444, NULL, meminfo_proc_show);/'
refused "__init" "proc_meminfo_init changed, but it is __init/__exit code" --explain "$tmp/init"
expect_match "__init: --explain says refused, and why" "$err" \
	"^fs/proc/meminfo.c: proc_meminfo_init: refused: changed, but it is __init/__exit code .*callback"
mkdiff weak/0001-weak.patch fs/proc/meminfo.c '/^void __attribute__((weak)) arch_report_meminfo/,/^}/s/^{$/{\n\tseq_puts(m, "weak\\n");/'
refused "weak" "arch_report_meminfo changed, but it is a weak definition" "$tmp/weak"
mkdiff notrace/0001-notrace.patch kernel/extable.c '/^int notrace core_kernel_text/,/^}/s/^{$/{\n\tbarrier();\n\tif (addr == 1)\n\t\treturn 0;/'
refused "notrace" "core_kernel_text changed, but it cannot be traced" "$tmp/notrace"

# a tracepoint in the changed function: its static key is not exported
mkdiff jump/0001-jump.patch kernel/exit.c '/^static long do_wait(struct wait_opts \*wo)/,/^}/s/^\tint retval;$/\tint retval;\n\n\tif (wo->wo_flags \& 0x40000000)\n\t\treturn -EINVAL;/'
refused "jump label" "uses the static key __tracepoint_sched_process_wait.* \(a jump label\), which is not exported" "$tmp/jump"

# ---- --explain: one line per function with the decision about it ---------
# (a refusal: __init above)
explain() {
	run "$clp" build -k "$rel" -n clp_t_explain --dry-run --explain "$@"
	expect_rc "explain ${*: -1}" 0
}
m=fs/proc/meminfo.c
explain "$TOP/selftests/diffs/proc-string"
expect_match "explain: changed, with the first difference" "$err" \
	"^$m: meminfo_proc_show: changed \(first difference: relocations \(a call, a variable or a string\)\)$"
expect_match "explain: unchanged" "$err" "^$m: arch_report_meminfo: unchanged$"
explain "$TOP/selftests/diffs/inline-helper"
expect_match "explain: changed only through an inlined static helper" "$err" \
	"^$m: meminfo_proc_show: changed only through inlined code: show_val_kb \(first difference: .*\)$"
explain "$TOP/selftests/diffs/new-helper"
expect_match "explain: a new function, included" "$err" \
	"^$m: clp_show_extra: new, used by meminfo_proc_show: included$"
expect_match "explain: its caller changed in its own lines" "$err" "^$m: meminfo_proc_show: changed \("
# a header's inline function; --objects picks the includer
mkdiff hdr/0001-zone-state.patch include/linux/vmstat.h \
	'/^static inline unsigned long global_zone_page_state(/,/^}/s/x = 0;/x = 1;/'
explain --objects fs/proc/meminfo.o "$tmp/hdr"
expect_match "explain: changed only through a header inline" "$err" \
	"^$m: meminfo_proc_show: changed only through inlined code: global_zone_page_state \("

# ---- a .c patch and a diff replacing the same function -------------------
mkdir -p "$tmp/both"
cp "$tmp/0001-label.patch" "$tmp/both/0001-label.patch"
cat > "$tmp/both/0002-same.c" <<'C'
#include <linux/seq_file.h>
#include <clp/patch.h>
static int new_show(struct seq_file *m, void *v) { seq_puts(m, "x\n"); return 0; }
CLP_FUNC(meminfo_proc_show, new_show);
C
refused "a .c patch and a diff" "conflict: vmlinux:meminfo_proc_show is also replaced by .*/0002-same.c" "$tmp/both"

# ---- a good set: credits and version -------------------------------------
mkdir -p "$tmp/good"
cp "$tmp/0001-label.patch" "$tmp/good/0010-memfree.patch"
run "$clp" build -k "$rel" -n clp_t_diff -o "$ko" "$tmp/good"
expect_rc "good diff" 0
expect_match "good diff: says what changed" "$err" "fs/proc/meminfo.c: meminfo_proc_show changed \\(memfree\\)"
run modinfo -F clp_func "$ko"
expect_eq "clp_func credits the diff" "$out" "vmlinux meminfo_proc_show 0 0 memfree"
run modinfo -F clp_version "$tmp/out.ko"
expect_eq "version" "$out" "$rel+memfree"
run modinfo -F clp_patches "$tmp/out.ko"
expect_eq "patches" "$out" "memfree"
