# SPDX-License-Identifier: GPL-2.0
# clp build's handling of what it is given (6.1 headers; skipped without):
# relative --system-map, --kdir (a symlink), --include, --core-symvers and
# TMPDIR work from the current directory; a TMPDIR make or the shell would
# interpret ('$', blanks) is refused before anything is made; a binary
# file named like a patch is refused in one line; a flood of compiler
# errors is cut to the first ones with a count of the rest.
. "$(dirname "${BASH_SOURCE[0]}")/lib.bash"
need_clp
need_headers_61

fake_map "$tmp/map"
mkdir -p "$tmp/work/set"
cd "$tmp/work"
cat > set/10-one.c <<'C'
#include <linux/seq_file.h>
#include <clp/patch.h>
static int new_cmdline(struct seq_file *m, void *v) { seq_puts(m, "x\n"); return 0; }
CLP_FUNC(cmdline_proc_show, new_cmdline);
C
cp "$tmp/map" full.map
ln -s "$kdir" kd
cp -r "$TOP/kmod/include" inc
printf '0x00000000\tclp_register_patch\t/x/clp\tEXPORT_SYMBOL_GPL\t\n0x00000000\tclp_unregister_patch\t/x/clp\tEXPORT_SYMBOL_GPL\t\n' > core.symvers
id=(--build-id 0123456789abcdef)

# every path option relative to the current directory (one build: kbuild
# is slow on a busy host)
mkdir tmpd
run env TMPDIR=tmpd "$clp" build --kdir kd --system-map full.map --include inc \
	--core-symvers core.symvers "${id[@]}" -n t4 -o out.ko set
expect_rc "relative --kdir (a symlink), --system-map, --include, --core-symvers, TMPDIR" 0
[ -f out.ko ] || fail "relative paths: no module"
expect_eq "relative TMPDIR left empty" "$(ls -A tmpd)" ""
run env CLP_INCLUDE=inc CLP_CORE_SYMVERS=core.symvers "$clp" build -k "$rel" \
	--system-map full.map "${id[@]}" --dry-run set
expect_rc "relative CLP_INCLUDE and CLP_CORE_SYMVERS" 0
run "$clp" build --kdir nosuch --system-map full.map --dry-run set
expect_rc "missing --kdir" 3
expect_match "missing --kdir named" "$err" "^clp: --kdir nosuch: No such file or directory$"
run "$clp" build -k "$rel" --system-map nosuch.map --dry-run set
expect_rc "missing --system-map" 3
expect_match "missing --system-map named" "$err" "^clp: --system-map nosuch.map: No such file or directory$"

# a TMPDIR kbuild cannot take: refused, nothing made, nothing run
token=clp-pwned-$$-$RANDOM
for bad in "x\$(shell touch $token)" 'a b'; do
	mkdir -p "$tmp/$bad"
	run env TMPDIR="$tmp/$bad" "$clp" build -k "$rel" --system-map full.map "${id[@]}" \
		-o bad.ko set
	expect_rc "TMPDIR '$bad'" 3
	expect_match "TMPDIR '$bad' refused" "$err" "^clp: TMPDIR .*: kbuild cannot build in a directory whose path has characters other than"
	expect_eq "TMPDIR '$bad' left empty" "$(ls -A "$tmp/$bad")" ""
	[ -e bad.ko ] && fail "TMPDIR '$bad': a module was written"
done
ran=$(find "$tmp" "$kdir/" -maxdepth 1 -name "$token")
rm -f $ran
[ -n "$ran" ] && fail "TMPDIR ran a command: $ran"
note "ok: no command from TMPDIR ran"

# not a C file
mkdir bin
head -c 4096 "$clp" > bin/0010-x.c
run "$clp" build -k "$rel" --system-map full.map "${id[@]}" -o bin.ko bin
expect_rc "binary patch file" 1
expect_eq "binary patch file: one line" "$err" "clp: bin/0010-x.c: not a C source: binary byte 0x7f at offset 0; nothing compiled"
[ -e bin.ko ] && fail "binary patch file: a module was written"

# a flood of compiler errors is cut after the first ones
mkdir many
{
	echo '#include <clp/patch.h>'
	for i in $(seq 100); do echo "int f$i(void) { return undeclared_$i; }"; done
	echo 'CLP_FUNC(cmdline_proc_show, f1);'
} > many/10-many.c
run "$clp" build -k "$rel" --system-map full.map "${id[@]}" -o many.ko many
expect_rc "many errors" 1
expect_match "first error shown" "$err" "10-many.c:2:[0-9]+: error: .undeclared_1. undeclared"
expect_no_match "the 20th error is not shown" "$err" "undeclared_20"
expect_match "count of the rest" "$err" "^clp: [0-9]+ more lines of compiler output not shown \\([0-9]+ errors\\); -v shows all of it$"
n=$(wc -l <<< "$err")
[ "$n" -le 70 ] || fail "many errors: $n lines of output"
note "ok: $n lines for 100 errors"
run "$clp" build -v -k "$rel" --system-map full.map "${id[@]}" -o many.ko many
expect_match "-v shows the 100th error" "$err" "undeclared_100"
