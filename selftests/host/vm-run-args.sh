# SPDX-License-Identifier: GPL-2.0
# scripts/vm-run argument handling: help, usage errors (exit 2 with a
# "vm-run: error:" line) and setup errors, all before any guest boots.
. "$(dirname "${BASH_SOURCE[0]}")/lib.bash"
vr=$TOP/scripts/vm-run

# No real kernel and no real QEMU may be reached from here.
fake=$tmp/cache
mkdir -p "$fake/kernels/6.1.0-99-amd64"
printf '6.1 6.1.0-99-amd64\n6.12 6.12.99+deb12-amd64\n' > "$fake/matrix"
export CLP_CACHE=$fake CLP_QEMU=$tmp/no-such-qemu

for h in --help -h; do
	run "$vr" $h
	expect_rc "$h" 0
	expect_match "$h" "$out" "^Usage: scripts/vm-run"
	expect_match "$h mentions --kernel" "$out" "--kernel"
	expect_match "$h mentions --add" "$out" "--add"
	expect_eq "$h: stderr" "$err" ""
done

run "$vr" --bogus -- true
expect_rc "unknown option" 2
expect_match "unknown option" "$err" "^vm-run: error: unknown option '--bogus'"

run "$vr"
expect_rc "no command" 2
expect_match "no command" "$err" "^vm-run: error: nothing to run"
run "$vr" --kernel 6.1
expect_rc "options but no command" 2
expect_match "options but no command" "$err" "^vm-run: error: nothing to run"
run "$vr" --
expect_rc "empty command after --" 2
expect_match "empty command after --" "$err" "^vm-run: error: nothing to run"

run "$vr" --kernel 9.9 -- true
expect_rc "unknown kernel" 2
expect_match "unknown kernel" "$err" "unknown kernel '9\.9'"

run "$vr" --kernel 6.12 -- true
expect_rc "kernel not unpacked" 2
expect_match "kernel not unpacked" "$err" "^vm-run: error: kernel 6\.12\.99\+deb12-amd64 is not unpacked"

: > "$fake/kernels/6.1.0-99-amd64/vmlinuz"
run "$vr" --kernel 6.1 -- true
expect_rc "no qemu" 2
expect_match "no qemu" "$err" "^vm-run: error: .*no-such-qemu not found"

# A QEMU that must not run: the build tree check comes first.
printf '#!/bin/sh\necho "fake qemu ran" >&2\nexit 99\n' > "$tmp/qemu"
chmod +x "$tmp/qemu"
CLP_QEMU=$tmp/qemu run "$vr" --kernel 6.1 --build "$tmp/no-build" --selftests
expect_rc "selftests without a build tree" 2
expect_match "selftests without a build tree" "$err" "^vm-run: error: no build tree"

# --modprobe: checked before any guest boots
: > "$tmp/qemu-unused"
mkdir -p "$tmp/build"
run env CLP_QEMU=$tmp/qemu "$vr" --kernel 6.1 --build "$tmp/build" --modprobe ext4 -- true
expect_rc "--modprobe without unpacked modules" 2
expect_match "--modprobe without unpacked modules" "$err" "^vm-run: error: the modules of 6\.1\.0-99-amd64 are not unpacked .*; run scripts/setup"
m=$fake/kernels/6.1.0-99-amd64/root/lib/modules/6.1.0-99-amd64
mkdir -p "$m/kernel/fs"
ln -s root/lib/modules/6.1.0-99-amd64 "$fake/kernels/6.1.0-99-amd64/modules"
echo "kernel/fs/a.ko:" > "$m/modules.dep"
echo "kernel/fs/builtin_fs.ko" > "$m/modules.builtin"
run env CLP_QEMU=$tmp/qemu "$vr" --kernel 6.1 --build "$tmp/build" --modprobe nosuch -- true
expect_rc "--modprobe unknown module" 2
expect_match "--modprobe unknown module" "$err" "^vm-run: error: --modprobe nosuch: no such module in 6\.1\.0-99-amd64"
run env CLP_QEMU=$tmp/qemu "$vr" --kernel 6.1 --build "$tmp/build" --modprobe 'a;b' -- true
expect_rc "--modprobe bad name" 2
expect_match "--modprobe bad name" "$err" "^vm-run: error: --modprobe 'a;b': not a module name"
run env CLP_QEMU=$tmp/qemu "$vr" --kernel 6.1 --build "$tmp/build" --modprobe
expect_rc "--modprobe without a name" 2
expect_match "--modprobe without a name" "$err" "^vm-run: error: --modprobe needs an argument"
