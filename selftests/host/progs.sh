# SPDX-License-Identifier: GPL-2.0
# selftests/progs: they build warning-free (-Werror) and static, clp-hammer
# decodes answers by the patch contract (tgid + 1000000 * version) and
# judges a run, clp-write reports errno names.
. "$(dirname "${BASH_SOURCE[0]}")/lib.bash"

bin=$tmp/bin
run make -s -C "$TOP/selftests/progs" OUT="$bin"
expect_rc "make selftests/progs" 0
for p in clp-hammer clp-write clp-fix; do
	[ -x "$bin/$p" ] || fail "$p was not built"
	file "$bin/$p" 2>/dev/null | grep -q 'dynamically linked' && fail "$p is not static"
done
h=$bin/clp-hammer

# decode ALLOWED TGID VALUE EXPECTED-OUTPUT EXPECTED-RC
decode() {
	run "$h" --decode "$1" "$2" "$3"
	expect_rc "decode $1 $2 $3" "$5"
	expect_eq "decode $1 $2 $3" "$out" "$4"
}
decode 0 100 100 "v=0" 0
decode 0,1,2,3 100 1000100 "v=1" 0
decode 0,1,2,3 4194304 7194304 "v=3" 0
decode 1,3 100 3000100 "v=3" 0
decode 1,3 100 2000100 "incoherent: version not allowed" 1
decode 1 100 100 "incoherent: version not allowed" 1
decode 0,1 100 1000101 "incoherent: not tgid + a multiple of 1000000" 1
decode 0,1 100 99 "incoherent: not tgid + a multiple of 1000000" 1
decode 0,1 100 -1 "incoherent: not tgid + a multiple of 1000000" 1
decode 0,1 100 500100 "incoherent: not tgid + a multiple of 1000000" 1
decode 0,63 100 63000100 "v=63" 0
decode 0,63 100 64000100 "incoherent: version not allowed" 1

for bad in "" "1,,2" "a" "0,64" "-1" "1,"; do
	run "$h" 1 "$bad"
	expect_rc "ALLOWED '$bad' is a usage error" 2
done
run "$h" 1
expect_rc "missing ALLOWED" 2
run "$h" x 0
expect_rc "bad SECONDS" 2
run "$h" -n 0 1 0
expect_rc "-n 0" 2

# On the host nothing patches getpid: version 0 answers.
run "$h" 0.2 0
expect_rc "hammer 0.2 0" 0
expect_match "hammer 0.2 0" "$out" "^hammer: calls=[1-9][0-9]* v0=[1-9][0-9]* v1=0 v2=0 v3=0$"
calls=$(sed -n 's/^hammer: calls=\([0-9]*\) v0=\([0-9]*\) .*/\1 \2/p' <<< "$out")
[ "${calls% *}" = "${calls#* }" ] || fail "calls and v0 differ: $calls"
run "$h" -n 3 0.2 0,2
expect_rc "hammer -n 3" 0
expect_match "hammer -n 3" "$out" "^hammer: calls=[1-9][0-9]* v0=[1-9][0-9]* v1=0 v2=0 v3=0$"
[ "$(grep -c '^hammer:' <<< "$out")" = 1 ] || fail "hammer -n 3 printed more than one result line"
run "$h" 0.2 1,2
expect_rc "hammer with version 0 not allowed" 1
expect_match "hammer with version 0 not allowed" "$out" "^hammer: incoherent getpid ([0-9]+) for tgid \1 \(offset 0\)"
run "$h" -n 2 0.2 3
expect_rc "hammer -n 2 with version 0 not allowed" 1

w=$bin/clp-write
: > "$tmp/f"
run "$w" "$tmp/f" hello
expect_rc "clp-write to a file" 0
expect_eq "clp-write wrote" "$(cat "$tmp/f")" hello
[ "$(wc -c < "$tmp/f")" = 6 ] || fail "clp-write did not add one newline"
: > "$tmp/f"
run "$w" -n "$tmp/f" hi
expect_rc "clp-write -n" 0
[ "$(wc -c < "$tmp/f")" = 2 ] || fail "clp-write -n wrote $(wc -c < "$tmp/f") bytes"
run "$w" "$tmp/no/such" x
expect_rc "clp-write to a missing file" 1
expect_eq "clp-write to a missing file" "$out" "clp-write: $tmp/no/such: open: ENOENT (No such file or directory)"
run "$w" /dev/full x
expect_rc "clp-write to /dev/full" 1
expect_eq "clp-write to /dev/full" "$out" "clp-write: /dev/full: ENOSPC (No space left on device)"
run "$w" onlyone
expect_rc "clp-write usage" 2
