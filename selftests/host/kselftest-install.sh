# SPDX-License-Identifier: GPL-2.0
# scripts/kselftest: the guest selftests install as the kselftest
# collection "clp" with the framework of each matrix kernel's own source
# tree (skipped without a prepared tree: make setup): run_kselftest.sh
# lists exactly the tests of selftests/clp, the helper programs are built
# static next to them, lib.sh, settings and the fixes come along; a refused
# install (unknown kernel, no source tree, a foreign INSTALL_PATH) says why
# and leaves INSTALL_PATH as it was.
# host-timeout: 120
. "$(dirname "${BASH_SOURCE[0]}")/lib.bash"

want=$(cd "$TOP/selftests/clp" && ls [0-9][0-9]-*.sh | sed 's/^/clp:/' | sort)
n=0
for k in 6.1 6.12; do
	rel=$("$TOP/scripts/kernel-release" $k 2>/dev/null) || continue
	[ -f "$TOP/.cache/src/$rel/.clp-source" ] || continue
	n=$((n + 1))
	d=$tmp/ksft-$k
	run "$TOP/scripts/kselftest" $k "$d"
	expect_rc "$k: install" 0
	expect_match "$k: says where" "$out" "installed in $d \\(.* tests\\)"
	# the framework is the kernel's own (6.12's runner has ktap_helpers.sh)
	for f in run_kselftest.sh kselftest/runner.sh; do
		cmp -s "$d/$f" "$TOP/.cache/src/$rel/tools/testing/selftests/$f" ||
			fail "$k: $f is not the kernel tree's"
	done
	run "$d/run_kselftest.sh" -l
	expect_rc "$k: run_kselftest.sh -l" 0
	expect_eq "$k: the listed tests" "$(sort <<< "$out")" "$want"
	for p in "$TOP"/selftests/progs/*.c; do
		p=$(basename "$p" .c)
		[ -x "$d/clp/$p" ] || fail "$k: $p not installed"
		file "$d/clp/$p" | grep -q 'statically linked' || fail "$k: $p is not static"
	done
	[ -f "$d/clp/lib.sh" ] || fail "$k: no lib.sh"
	grep -q '^timeout=[0-9]' "$d/clp/settings" || fail "$k: no timeout in settings"
	diff -r "$TOP/selftests/fixes" "$d/clp/fixes" > /dev/null || fail "$k: the fixes differ"
	note "ok: $k: programs, lib.sh, settings and fixes installed"
	# a second install replaces the first
	touch "$d/stale"
	run "$TOP/scripts/kselftest" $k "$d"
	expect_rc "$k: reinstall" 0
	[ -e "$d/stale" ] && fail "$k: reinstall kept an old file"
done
[ $n -gt 0 ] || skip "no prepared source tree (make setup)"

# refusals: nothing is written
mkdir -p "$tmp/mine" && echo keep > "$tmp/mine/file"
run "$TOP/scripts/kselftest" 6.1 "$tmp/mine"
expect_rc "foreign INSTALL_PATH" 1
expect_match "foreign INSTALL_PATH: message" "$err" "is not a kselftest install: not replacing it"
[ "$(ls -A "$tmp/mine")" = file ] || fail "foreign INSTALL_PATH changed"
run "$TOP/scripts/kselftest" 9.9.9-nosuch "$tmp/none"
expect_rc "unknown kernel" 1
expect_match "unknown kernel: message" "$err" "unknown kernel '9.9.9-nosuch'"
[ -e "$tmp/none" ] && fail "unknown kernel: $tmp/none written"
mkdir -p "$tmp/cache/kernels/6.1.0-99-amd64"
run env CLP_CACHE=$tmp/cache "$TOP/scripts/kselftest" 6.1.0-99-amd64 "$tmp/none"
expect_rc "no source tree" 1
expect_match "no source tree: message" "$err" "no prepared source tree with the kselftest framework for 6.1.0-99-amd64 .*run make setup"
[ -e "$tmp/none" ] && fail "no source tree: $tmp/none written"
true
