# SPDX-License-Identifier: GPL-2.0
# clp build end to end with kbuild (6.1 headers; skipped without them):
# lexical order and skipped files, names, version string, modinfo (with
# the clp_func/clp_ref/clp_state records of clp info and check), --dry-run
# writes nothing, load-time reference table with PC32/PLT32/32S/64, and
# errors (compile error, missing/ambiguous/unresolvable symbols, conflict,
# unknown release, missing headers) with exit codes and no output file.
. "$(dirname "${BASH_SOURCE[0]}")/lib.bash"
need_clp
need_headers_61

# A made-up symbol table and build-id keep the test independent of the
# -dbg package; the names are real 6.1 symbols.
fake_map "$tmp/map" 'ffffffff81000400 D max_threads' \
	'ffffffff81000500 D kptr_restrict' 'ffffffff81000600 t dup_static' \
	'ffffffff81000700 t dup_static'
B=(-k "$rel" --system-map "$tmp/map" --build-id 0123456789abcdef)

set=$tmp/set
mkdir -p "$set"
n=0
for p in a b c; do
	n=$((n + 1))
	cat > "$set/00${n}0-fix-$p.c" <<C
#include <linux/seq_file.h>
#include <clp/patch.h>
static int helper(struct seq_file *m) { seq_puts(m, "$p\n"); return 0; }
static int new_$p(struct seq_file *m, void *v) { return helper(m); }
C
done
echo 'CLP_FUNC(cmdline_proc_show, new_a);' >> "$set/0010-fix-a.c"
echo 'CLP_FUNC(version_proc_show, new_b);' >> "$set/0020-fix-b.c"
echo 'CLP_FUNC_NOCHECK(nr_processes, new_c);' >> "$set/0030-fix-c.c"
cp "$set/0010-fix-a.c" "$set/0010-fix-a.c~"
cp "$set/0010-fix-a.c" "$set/.hidden.c"
echo "notes" > "$set/README"

cd "$tmp"
run "$clp" build "${B[@]}" --dry-run "$set"
expect_rc "dry run" 0
expect_match "dry run says so" "$out" "dry run passed: clp_set \\($rel\\+fix-a\\+fix-b\\+fix-c\\)"
expect_match "backup skipped" "$err" "skipping .*0010-fix-a.c~ \\(not a patch source\\)"
expect_match "dotfile skipped" "$err" "skipping .*/.hidden.c"
expect_match "README skipped" "$err" "skipping .*/README"
[ -z "$(ls "$tmp" | grep -v '^set$\|^map$')" ] || fail "dry run wrote: $(ls "$tmp")"
note "ok: dry run wrote nothing"

run "$clp" build "${B[@]}" -n clp_t3 -o "$tmp/out.ko" "$set"
expect_rc "build" 0
[ -f "$tmp/out.ko" ] || fail "no module"
run modinfo -F clp_patches "$tmp/out.ko"; expect_eq "patches in order" "$out" "fix-a,fix-b,fix-c"
run modinfo -F clp_version "$tmp/out.ko"; expect_eq "version" "$out" "$rel+fix-a+fix-b+fix-c"
run modinfo -F clp_build_id "$tmp/out.ko"; expect_eq "build-id" "$out" 0123456789abcdef
run modinfo -F name "$tmp/out.ko"; expect_eq "name" "$out" clp_t3
# what clp info and clp check read: functions, references, states
run modinfo -F clp_func "$tmp/out.ko"
expect_eq "clp_func records" "$out" "vmlinux cmdline_proc_show 0 0 fix-a
vmlinux version_proc_show 0 0 fix-b
vmlinux nr_processes 0 1 fix-c"
run modinfo -F clp_ref "$tmp/out.ko"; expect_eq "no clp_ref without references" "$out" ""
run modinfo -F clp_state "$tmp/out.ko"; expect_eq "no clp_state without states" "$out" ""
ls -A "$tmp" | grep -q '^\.out\.ko\.' && fail "temporary output left behind"

# references the core resolves at load: one of each relocation type
mkdir -p "$tmp/refs"
cat > "$tmp/refs/refs.c" <<'C'
#include <linux/seq_file.h>
#include <clp/patch.h>
extern int nr_processes(void);
extern char *saved_command_line;
extern int max_threads;
extern int kptr_restrict;
int *clp_test_kp = &kptr_restrict;
extern int dup_static(void);
CLP_SYM_POS(dup_static, 2);
static int new_show(struct seq_file *m, void *v)
{
	seq_printf(m, "%d %d %lx %s %d\n", nr_processes(), *clp_test_kp,
		   (unsigned long)&max_threads, saved_command_line, dup_static());
	return 0;
}
CLP_FUNC(cmdline_proc_show, new_show);
C
run "$clp" build "${B[@]}" --keep -o "$tmp/refs.ko" "$tmp/refs"
expect_rc "references" 0
kept=$(sed -n 's/^clp: kept //p' <<< "$err")
glue=$(cat "$kept/clp_glue.c"); rm -rf "$kept"
for t in PC32 PLT32 32S 64; do
	expect_match "R_X86_64_$t in the table" "$glue" "/\\* R_X86_64_$t \\*/"
done
expect_match "sympos from CLP_SYM_POS" "$glue" '"dup_static", .objname = "vmlinux", .sympos = 2'
run modinfo -F clp_ref "$tmp/refs.ko"
expect_eq "clp_ref records, one per symbol" "$(sort <<< "$out")" "vmlinux dup_static 2
vmlinux kptr_restrict 0
vmlinux max_threads 0
vmlinux nr_processes 0
vmlinux saved_command_line 0"
relocs=$(readelf -rW "$tmp/refs.ko")
grep -qE ' (nr_processes|saved_command_line|max_threads|kptr_restrict)( |$)' <<< "$relocs" &&
	fail "a non-exported symbol is still relocated by the module loader"
note "ok: no loader relocation against non-exported symbols"
readelf -sW "$tmp/refs.ko" | grep -q ' UND nr_processes$' && fail "nr_processes still undefined"

# callbacks and states reach the glue; a file may hold callbacks only
mkdir -p "$tmp/cb"
cat > "$tmp/cb/10-cb.c" <<'C'
#include <clp/patch.h>
static int pre(struct clp_object *obj) { return 0; }
static void post(struct clp_object *obj) { }
CLP_PRE_PATCH(vmlinux, pre);
CLP_POST_UNPATCH(vmlinux, post);
CLP_STATE(0x5ea7, 2);
C
run "$clp" build "${B[@]}" --keep -o "$tmp/cb.ko" "$tmp/cb"
expect_rc "callbacks only" 0
kept=$(sed -n 's/^clp: kept //p' <<< "$err")
glue=$(cat "$kept/clp_glue.c"); rm -rf "$kept"
expect_match "pre_patch in the glue" "$glue" '\.pre_patch = \(void \*\)__clp_cb_1_[0-9]+,'
expect_match "post_unpatch in the glue" "$glue" '\.post_unpatch = \(void \*\)__clp_cb_1_[0-9]+,'
expect_match "state in the glue" "$glue" '\{ \.id = 0x5ea7UL, \.version = 2 \}'
expect_match "states referenced" "$glue" '\.states = clp_states,'
run modinfo -F clp_state "$tmp/cb.ko"; expect_eq "clp_state record" "$out" "24231 2"
run modinfo -F clp_func "$tmp/cb.ko"; expect_eq "callbacks are no functions" "$out" ""
cp "$tmp/cb/10-cb.c" "$tmp/cb/20-again.c"
run "$clp" build "${B[@]}" -o "$tmp/cb2.ko" "$tmp/cb"
expect_rc "callback conflicts" 1
expect_match "callback conflict names both" "$err" "20-again.c:[0-9]+: error: conflict: pre_patch callback of vmlinux is also defined at .*10-cb.c:[0-9]+"
expect_match "state conflict" "$err" "20-again.c:[0-9]+: error: conflict: state 0x5ea7 is also declared at .*10-cb.c"
[ -e "$tmp/cb2.ko" ] && fail "output written for conflicting callbacks"
printf '#include <clp/patch.h>\nstatic int f(struct clp_object *o) { return 0; }\nCLP_PRE_PATCH(vmlinux, f);\nCLP_STATE(0, 1);\n' > "$tmp/cb-bad.c"
run "$clp" build "${B[@]}" -o "$tmp/cb3.ko" "$tmp/cb-bad.c"
expect_rc "bad state" 1
expect_match "state id 0 refused" "$err" "cb-bad.c:4: error: CLP_STATE\\(0, 1\\): the id must be a non-zero"
[ -e "$tmp/cb3.ko" ] && fail "output written for a bad state"

# errors: one build reporting several, no output file
mkdir -p "$tmp/bad"
cp "$set/0010-fix-a.c" "$tmp/bad/10-one.c"
sed 's/new_a/new_x/g' "$set/0010-fix-a.c" > "$tmp/bad/20-two.c"
cat > "$tmp/bad/30-three.c" <<'C'
#include <linux/seq_file.h>
#include <clp/patch.h>
extern int no_such_symbol_anywhere(void);
extern int dup_static(void);
static int f(struct seq_file *m, void *v) { return no_such_symbol_anywhere() + dup_static(); }
CLP_FUNC(no_such_function, f);
C
run "$clp" build "${B[@]}" -o "$tmp/bad.ko" "$tmp/bad"
expect_rc "bad set" 1
expect_match "conflict names both files" "$err" "20-two.c:[0-9]+: error: conflict: vmlinux:cmdline_proc_show is also replaced by .*10-one.c:[0-9]+"
expect_match "missing function" "$err" "30-three.c:6: error: no function 'no_such_function' in vmlinux"
expect_match "unresolvable symbol" "$err" "30-three.c: error: 'no_such_symbol_anywhere' is neither exported nor in the symbol table"
expect_match "ambiguous symbol" "$err" "30-three.c: error: 'dup_static' is ambiguous: vmlinux has 2 symbols"
expect_match "one summary" "$err" "no module written"
[ -e "$tmp/bad.ko" ] && fail "output written for a bad set"

printf '#include <clp/patch.h>\nstatic int f(void) { return undeclared_thing; }\nCLP_FUNC(cmdline_proc_show, f);\n' > "$tmp/bad/40-cc.c"
run "$clp" build "${B[@]}" -o "$tmp/bad.ko" "$tmp/bad/40-cc.c"
expect_rc "compile error" 1
expect_match "compiler message with line" "$err" "40-cc.c:2:[0-9]+: error: .undeclared_thing. undeclared"
[ -e "$tmp/bad.ko" ] && fail "output written for a compile error"

run "$clp" build -k 9.9.9-nope "$set"
expect_rc "unknown release" 3
expect_match "unknown release message" "$err" "unknown kernel release 9.9.9-nope"
run "$clp" build --kdir "$tmp/nodir" "$set"
expect_rc "missing --kdir" 3
expect_match "missing --kdir" "$err" "^clp: --kdir $tmp/nodir: No such file or directory$"
mkdir -p "$tmp/emptydir"
run "$clp" build --kdir "$tmp/emptydir" "$set"
expect_rc "missing headers" 3
expect_match "no release in an empty tree" "$err" "no kernel release in include/generated/utsrelease.h"
# Debian's headers say 6.1.192 in include/config/kernel.release; modules
# are built for UTS_RELEASE, which --kdir must read
run "$clp" build --kdir "$TOP/.cache/kernels/$rel/build" --system-map "$tmp/map" \
	--build-id 0123456789abcdef --dry-run "$set"
expect_rc "--kdir of a headers package" 0
expect_match "--kdir release from utsrelease.h" "$out" "dry run passed: clp_set \\($rel\\+fix-a"
run "$clp" build --bogus "$set"
expect_rc "bad option" 2
