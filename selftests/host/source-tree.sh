# SPDX-License-Identifier: GPL-2.0
# The real prepared source tree of the 6.1 kernel of the matrix (skipped
# without it: make setup): 'clp source path' prints it, a second prepare
# only checks it, in under a second; a copy builds fs/proc/meminfo.o with
# the kernel's own make, without rebuilding objtool or resolve_btfids and
# without writing a single file of the prepared tree.
. "$(dirname "${BASH_SOURCE[0]}")/lib.bash"
need_clp
need_headers_61
cache=${CLP_CACHE:-$TOP/.cache}
[ -f "$cache/src/$rel/.clp-source" ] || skip "no prepared source tree for $rel (make setup)"
t=$(realpath "$cache/src/$rel")	# as make names it
unset MAKEFLAGS MAKELEVEL MFLAGS

run "$clp" source path -k "$rel" --cache "$cache"
expect_rc "path" 0
expect_eq "path" "$out" "$t"

start=$(date +%s%N)
run "$clp" source prepare -k "$rel" --cache "$cache"
ms=$(( ($(date +%s%N) - start) / 1000000 ))
expect_rc "prepare, tree present" 0
expect_match "said" "$out" "^$rel: linux-source-6\\.1 6\\.1\\.[0-9]+-[0-9a-z~+.]+ in $t$"
[ "$ms" -lt 1000 ] || fail "prepare with the tree present took $ms ms"
note "ok: checked in $ms ms"

touch "$tmp/mark"
sleep 0.1
start=$(date +%s%N)
run "$clp" source copy -k "$rel" --cache "$cache" "$tmp/t"
copy_ms=$(( ($(date +%s%N) - start) / 1000000 ))
expect_rc "copy" 0
start=$(date +%s%N)
run make -C "$tmp/t" -j2 fs/proc/meminfo.o
make_ms=$(( ($(date +%s%N) - start) / 1000000 ))
expect_rc "make fs/proc/meminfo.o in the copy" 0
expect_match "compiled" "$out" "^  CC +fs/proc/meminfo\\.o$"
expect_no_match "no tool rebuilt" "$out" "^  (CC|LD|AR|LINK|HOSTCC|HOSTLD) .*(tools|scripts)/"
nm "$tmp/t/fs/proc/meminfo.o" | grep -q ' [tT] meminfo_proc_show$' ||
	fail "meminfo.o has no meminfo_proc_show"
changed=$(find "$t" -newer "$tmp/mark" | head -n 5)
[ -z "$changed" ] || fail "the build wrote into the prepared tree: $changed"
note "ok: copy $copy_ms ms, make fs/proc/meminfo.o $make_ms ms, nothing written to $t"
