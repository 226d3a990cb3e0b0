# SPDX-License-Identifier: GPL-2.0
# clp check and GCC clones in the running kernel's kallsyms (6.1 headers;
# skipped without them), against fake roots: modules built against a
# System.map without the clones are refused, one line per function naming
# its clones (vmlinux and a loaded module; foo.cold is not a clone; eight
# names, then a count); a module that acknowledges or replaces them passes;
# a clone of a module that is not loaded is not checked.
. "$(dirname "${BASH_SOURCE[0]}")/lib.bash"
need_clp
need_headers_61

printf 'ffffffff81000000 t foo\nffffffff81000100 t bar\n' > "$tmp/map"
cp "$tmp/map" "$tmp/map2"
echo "ffffffff81000200 t foo.isra.0" >> "$tmp/map2"
id=0123456789abcdef0123456789abcdef01234567
B=(-k "$rel" --build-id $id -j1)

# build NAME MAP MARKER... - a module clp_NAME with new_<n> per marker
build() {
	local name=$1 map=$2; shift 2
	printf '#include <clp/patch.h>\nstatic int __maybe_unused new_0(void) { return 0; }\nstatic int __maybe_unused new_1(void) { return 1; }\nstatic int __maybe_unused new_2(void) { return 2; }\n' > "$tmp/$name.c"
	printf '%s\n' "$@" >> "$tmp/$name.c"
	run "$clp" build "${B[@]}" --system-map "$map" -n "clp_$name" -o "$tmp/$name.ko" "$tmp/$name.c"
	expect_rc "build clp_$name" 0
}
build plain "$tmp/map" 'CLP_FUNC(foo, new_0);' 'CLP_FUNC(bar, new_1);' 'CLP_FUNC_MOD(somemod, mod_fn, new_2);'
build ack "$tmp/map2" 'CLP_FUNC(foo, new_0);' 'CLP_UNAFFECTED(foo, "foo.isra.0");' \
	'CLP_FUNC_MOD(somemod, mod_fn, new_2);' 'CLP_UNAFFECTED_MOD(somemod, mod_fn, "mod_fn.constprop.0");'
build repl "$tmp/map2" 'CLP_FUNC(foo, new_0);' 'CLP_FUNC_CLONE("foo.isra.0", new_1);' \
	'CLP_FUNC_MOD(somemod, mod_fn, new_2);' 'CLP_FUNC_CLONE_MOD(somemod, "mod_fn.constprop.0", new_1);'

# fake roots of a kernel the modules fit: the core loaded, no patch
k=$tmp/k
mkdir -p "$k/sys" "$k/proc" "$k/tracing"
{
	printf 'ffffffff81000000 t foo\nffffffff81000100 t foo.isra.0\nffffffff81000200 t foo.cold\n'
	printf 'ffffffff81000300 t foo.localalias\nffffffff81000400 t foobar.isra.0\n'
	printf 'ffffffff81000500 t bar\n'
	for i in 0 1 2 3 4 5 6 7 8 9; do printf 'ffffffff810010%d0 t bar.constprop.%d\n' $i $i; done
	printf 'ffffffffc0000000 t mod_fn\t[somemod]\nffffffffc0000100 t mod_fn.constprop.0\t[somemod]\n'
} > "$k/proc/kallsyms"
echo "somemod 16384 0 - Live 0x0000000000000000" > "$k/proc/modules"
python3 -c '
import struct, sys
d = bytes.fromhex(sys.argv[1])
sys.stdout.buffer.write(struct.pack("<III", 4, len(d), 3) + b"GNU\0" + d)' $id > "$k/notes"
export CLP_SYSFS=$k/sys CLP_PROC=$k/proc CLP_KERNEL_NOTES=$k/notes CLP_TRACEFS=$k/tracing CLP_RELEASE=$rel

run "$clp" check "$tmp/plain.ko"
expect_rc "clones left out" 3
expect_match "vmlinux clone named" "$err" "^clp: clp_plain: function foo in vmlinux has 1 GCC clone that the module neither replaces nor acknowledges \(they would still run the old code\): foo.isra.0$"
expect_match "module clone named" "$err" "^clp: clp_plain: function mod_fn in somemod has 1 GCC clone .*: mod_fn.constprop.0$"
expect_match "eight, then a count" "$err" "^clp: clp_plain: function bar in vmlinux has 10 GCC clones .*: (bar.constprop.[0-9], ){7}bar.constprop.[0-9] and 2 more$"
expect_no_match "foo.cold, foo.localalias, foobar are no clones of foo" "$err" "foo\.cold|localalias|foobar"
expect_eq "one line per function" "$(wc -l <<< "$err")" 3

run "$clp" check "$tmp/ack.ko"
expect_rc "clones acknowledged" 0
run "$clp" check "$tmp/repl.ko"
expect_rc "clones replaced" 0

: > "$k/proc/modules"
grep -v somemod "$k/proc/kallsyms" > "$k/proc/k2" && mv "$k/proc/k2" "$k/proc/kallsyms"
grep -v "bar\." "$k/proc/kallsyms" > "$k/proc/k2" && mv "$k/proc/k2" "$k/proc/kallsyms"
run "$clp" check "$tmp/plain.ko"
expect_rc "module not loaded: only vmlinux's clone" 3
expect_no_match "module not loaded: not checked" "$err" "mod_fn"
