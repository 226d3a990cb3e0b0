# SPDX-License-Identifier: GPL-2.0
# clp-index on a small object compiled with -g -O2, so the index logic is
# tested without the 1 GB -dbg package: a static inline function with an
# out-of-line copy (its address is taken) inlined into two callers, into a
# third through another inline function (the outermost out-of-line
# function is the caller), and into a function in .init.text (left out
# for vmlinux unless --keep-init); the same on a linked program; errors.
. "$(dirname "${BASH_SOURCE[0]}")/lib.bash"
idx=$TOP/build/host/bin/clp-index
[ -x "$idx" ] || fail "$idx missing (make tools)"

cat > "$tmp/t.c" <<'C'
static inline int leaf(int x) { return x * 3 + 1; }
int (*leaf_ptr)(int) = leaf;
static inline int mid(int x) { return leaf(x) + leaf(x + 1); }
int caller_a(int x) { return leaf(x) * 2; }
int caller_b(int x) { return leaf(x) - 7; }
int outer(int x) { return mid(x) * 5; }
__attribute__((section(".init.text"), noinline)) int init_caller(int x)
{
	return leaf(x) + 9;
}
C
gcc -g -O2 -c -o "$tmp/t.o" "$tmp/t.c" || fail "cannot compile the test object"
nm "$tmp/t.o" | grep -q ' t leaf$' || fail "gcc left no out-of-line leaf"

run "$idx" -n vmlinux "$tmp/t.o"
expect_rc "index of an object" 0
expect_eq "vmlinux: callers of leaf, .init left out, mid (no text symbol) not indexed" \
	"$out" "$(printf '# object vmlinux\nvmlinux\tleaf\tcaller_a caller_b outer')"
run "$idx" -n vmlinux --keep-init "$tmp/t.o"
expect_eq "--keep-init" "$out" "$(printf '# object vmlinux\nvmlinux\tleaf\tcaller_a caller_b init_caller outer')"
cp "$tmp/t.o" "$tmp/my-mod.ko"
run "$idx" "$tmp/my-mod.ko"
expect_eq "a module: named after the file, .init kept" \
	"$out" "$(printf '# object my_mod\nmy_mod\tleaf\tcaller_a caller_b init_caller outer')"
run "$idx" --stats -n vmlinux "$tmp/t.o"
expect_match "--stats" "$err" "^clp-index: vmlinux: 1 functions, 3 callers, 4 inlined copies, 1 in .init skipped$"

printf 'int main(void) { return 0; }\n' > "$tmp/m.c"
gcc -g -O2 -o "$tmp/prog" "$tmp/t.c" "$tmp/m.c" || fail "cannot link the test program"
run "$idx" -n vmlinux "$tmp/prog"
expect_rc "index of a linked program" 0
expect_eq "linked: same callers" "$out" "$(printf '# object vmlinux\nvmlinux\tleaf\tcaller_a caller_b outer')"

gcc -O2 -c -o "$tmp/nodwarf.o" "$tmp/t.c"
run "$idx" "$tmp/nodwarf.o"
expect_rc "no DWARF" 1
expect_match "no DWARF: said" "$err" "nodwarf.o: no DWARF"
expect_eq "no DWARF: no object line" "$out" ""
echo garbage > "$tmp/garbage"
run "$idx" "$tmp/garbage"
expect_rc "not ELF" 1
run "$idx"
expect_rc "no file" 2
