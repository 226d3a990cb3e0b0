# SPDX-License-Identifier: GPL-2.0
# The ELF layer and the analysis on objects compiled at test time, and on
# malformed ones: truncated, corrupted, not ELF, wrong class, bad marker
# section.  Every bad input must give an error message and exit 1, never a
# crash.  (Uses the host compiler: markers.h needs no kernel headers.)
. "$(dirname "${BASH_SOURCE[0]}")/lib.bash"
dump=$TOP/build/host/bin/clp-elf-dump
[ -x "$dump" ] || fail "$dump missing (make tools)"
command -v gcc >/dev/null || skip "no gcc"

cat > "$tmp/p.c" <<'C'
#include <clp/markers.h>
extern int secret_fn(void);
extern int secret_var;
extern int exported_fn(void);
int *clp_p = &secret_var;
static int newf(void) { return secret_fn() + secret_var + exported_fn(); }
static int newg(void) { return 2; }
CLP_FUNC(oldf, newf);
CLP_FUNC_MOD_POS(ext4, dupf, newg, 2);
CLP_SYM_POS(secret_var, 1);
C
gcc -O2 -mcmodel=kernel -fno-pic -c -DCLP_UNIT=1 -I"$TOP/kmod/include" "$tmp/p.c" -o "$tmp/p.o" ||
	fail "cannot compile the test object"
printf '0 T oldf\n0 t dupf\n0 T secret_fn\n0 d secret_var\n0 D secret_var\n0 T exported_fn\n' > "$tmp/map"
printf '0x0\texported_fn\tvmlinux\tEXPORT_SYMBOL\t\n' > "$tmp/symvers"

run "$dump" --map "$tmp/map" --symvers "$tmp/symvers" "$tmp/p.o"
expect_rc "good object" 0
expect_match "func marker" "$out" '^marker func vmlinux:oldf pos=0 flags=0 new=__clp_new_1_[0-9]+ line=8$'
expect_match "module marker" "$out" '^marker func ext4:dupf pos=2 .*line=9$'
expect_match "PLT32 reference" "$out" '^ref R_X86_64_PLT32 vmlinux:secret_fn pos=0 '
expect_match "PC32 reference with sympos" "$out" '^ref R_X86_64_PC32 vmlinux:secret_var pos=1 '
expect_match "64 reference" "$out" '^ref R_X86_64_64 vmlinux:secret_var pos=1 '
grep -q 'exported_fn' <<< "$out" && fail "exported symbol turned into a reference"

# ambiguous without sympos, missing function
printf '0 t oldf\n0 t oldf\n0 T secret_fn\n0 d secret_var\n0 d secret_var\n' > "$tmp/map2"
run "$dump" --map "$tmp/map2" "$tmp/p.o"
expect_rc "ambiguous old function" 1
expect_match "ambiguity message" "$err" "p.c:8: error: 'oldf' is ambiguous: vmlinux has 2 functions"
printf '0 T secret_fn\n0 d secret_var\n0 t other\n' > "$tmp/map3"
run "$dump" --map "$tmp/map3" "$tmp/p.o"
expect_rc "missing old function" 1
expect_match "missing message" "$err" "p.c:8: error: no function 'oldf' in vmlinux"

# conflict between two files
cp "$tmp/p.o" "$tmp/q.o"
run "$dump" --map "$tmp/map" "$tmp/p.o" "$tmp/q.o"
expect_rc "conflict" 1
expect_match "conflict message" "$err" "conflict: vmlinux:oldf is also replaced by .*p.c:8"

# not ELF, wrong class, empty
echo "hello" > "$tmp/text.o"
run "$dump" "$tmp/text.o"; expect_rc "not ELF" 1
expect_match "not-ELF message" "$out" "text.o: not an ELF object, or truncated \\(no ELF header\\)"
: > "$tmp/empty.o"
run "$dump" "$tmp/empty.o"; expect_rc "empty file" 1
if gcc -m32 -c -x c /dev/null -o "$tmp/32.o" 2>/dev/null; then
	run "$dump" "$tmp/32.o"; expect_rc "ELF32" 1
	expect_match "class message" "$out" "not an x86-64"
fi

# a corrupted marker section: overwrite the magic
python3 - "$tmp/p.o" "$tmp/badmark.o" <<'PY'
import sys
d = bytearray(open(sys.argv[1], 'rb').read())
i = d.find(b'clp1\0kind=')
d[i:i+4] = b'clpX'
open(sys.argv[2], 'wb').write(d)
PY
run "$dump" "$tmp/badmark.o"; expect_rc "bad marker magic" 1
expect_match "marker message" "$err" "malformed marker section"

# truncations and corruptions must fail cleanly, never crash
size=$(stat -c %s "$tmp/p.o")
crashes=0 n=0
for cut in 1 16 63 64 100 500 1000 $((size / 2)) $((size - 200)) $((size - 1)); do
	[ "$cut" -gt 0 ] && [ "$cut" -lt "$size" ] || continue
	head -c "$cut" "$tmp/p.o" > "$tmp/t.o"
	"$dump" "$tmp/t.o" > /dev/null 2>&1; rc=$?
	n=$((n + 1))
	[ $rc -le 1 ] || { crashes=$((crashes + 1)); note "truncated at $cut: exit $rc"; }
done
python3 - "$tmp/p.o" "$tmp/c" <<'PY'
import random, sys
random.seed(1234)
d = open(sys.argv[1], 'rb').read()
for k in range(150):
    b = bytearray(d)
    for _ in range(random.randint(1, 8)):
        # bias towards the headers and tables, where indexes live
        pos = random.choice([random.randrange(64), random.randrange(len(b))])
        b[pos] = random.randrange(256)
    open('%s%03d.o' % (sys.argv[2], k), 'wb').write(b)
PY
for f in "$tmp"/c[0-9]*.o; do
	"$dump" "$f" > /dev/null 2>&1; rc=$?
	n=$((n + 1))
	[ $rc -le 1 ] || { crashes=$((crashes + 1)); note "$(basename "$f"): exit $rc"; }
done
[ $crashes = 0 ] || fail "$crashes of $n malformed objects crashed the reader"
note "ok: $n truncated or corrupted objects rejected or read without a crash"
