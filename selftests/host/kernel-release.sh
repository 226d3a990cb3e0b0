# SPDX-License-Identifier: GPL-2.0
# scripts/kernel-release: matrix names to releases, "all", full releases,
# and a clear error (exit 1) for anything else.
. "$(dirname "${BASH_SOURCE[0]}")/lib.bash"
kr=$TOP/scripts/kernel-release

# A made-up cache, so that the test does not depend on scripts/setup.
fake=$tmp/cache
mkdir -p "$fake/kernels/6.6.6-test-amd64"
printf '6.1 6.1.0-99-amd64\n6.12 6.12.99+deb12-amd64\n' > "$fake/matrix"

run env CLP_CACHE="$fake" "$kr" 6.1
expect_rc "6.1" 0
expect_eq "6.1" "$out" 6.1.0-99-amd64
run env CLP_CACHE="$fake" "$kr" 6.12
expect_rc "6.12" 0
expect_eq "6.12" "$out" 6.12.99+deb12-amd64
run env CLP_CACHE="$fake" "$kr" all
expect_rc "all" 0
expect_eq "all" "$out" "6.1.0-99-amd64
6.12.99+deb12-amd64"
run env CLP_CACHE="$fake" "$kr" 6.6.6-test-amd64
expect_rc "unpacked full release" 0
expect_eq "unpacked full release" "$out" 6.6.6-test-amd64

for k in 5.10 6.1.0-99 6; do
	run env CLP_CACHE="$fake" "$kr" "$k"
	expect_rc "unknown '$k'" 1
	expect_eq "unknown '$k': stdout" "$out" ""
	expect_match "unknown '$k': stderr" "$err" "^kernel-release: unknown kernel '$k' \(known: 6\.1 6\.1\.0-99-amd64 6\.12 6\.12\.99\+deb12-amd64 *\)"
done

run env CLP_CACHE="$fake" "$kr"
expect_rc "no argument" 1
expect_match "no argument: stderr" "$err" "usage: kernel-release"

# Without a matrix.
run env CLP_CACHE="$tmp/empty" "$kr" all
expect_rc "all without a matrix" 1
expect_match "all without a matrix: stderr" "$err" "no matrix; run scripts/setup"
run env CLP_CACHE="$tmp/empty" "$kr" 6.1
expect_rc "6.1 without a matrix" 1
expect_match "6.1 without a matrix: stderr" "$err" "unknown kernel '6\.1'"

# The real cache, when scripts/setup has run: each matrix entry maps to
# its release, which is unpacked.
if [ -f "$TOP/.cache/matrix" ] && [ -z "${CLP_CACHE:-}" ]; then
	while read -r k rel; do
		run "$kr" "$k"
		expect_rc "real $k" 0
		expect_eq "real $k" "$out" "$rel"
		[ -d "$TOP/.cache/kernels/$rel" ] || fail "$rel of the matrix is not unpacked"
	done < "$TOP/.cache/matrix"
else
	note "no .cache/matrix: real matrix not checked"
fi
