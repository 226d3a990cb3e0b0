# SPDX-License-Identifier: GPL-2.0
# scripts/vm-system without a real guest: usage errors (exit 2 before
# anything is made), a missing image that may not be built
# (CLP_SYSTEM_BUILD=0), then with a fake image and a fake QEMU that prints
# a console log: the overlay disk made once and kept, the test disk and
# the kernel command line (root, clp.stage, --append), and the verdict of
# vm-run (stage status passed through, WARNING/oops or no exit line 125,
# a hang 124).
. "$(dirname "${BASH_SOURCE[0]}")/lib.bash"
vs=$TOP/scripts/vm-system
command -v qemu-img > /dev/null || skip "no qemu-img (make setup)"
command -v mkfs.ext4 > /dev/null || skip "no mkfs.ext4"

fake=$tmp/cache
mkdir -p "$fake/system" "$tmp/test"
printf '6.1 6.1.0-99-amd64\n6.12 6.12.99+deb12-amd64\n' > "$fake/matrix"
printf '#!/bin/sh\nexit 0\n' > "$tmp/test/stage"
chmod +x "$tmp/test/stage"
export CLP_CACHE=$fake CLP_QEMU=$tmp/qemu CLP_SYSTEM_BUILD=0

run "$vs" --help
expect_rc "--help" 0
expect_match "--help" "$out" "^Usage: scripts/vm-system"
run "$vs" --bogus --disk "$tmp/d" --test "$tmp/test" s
expect_rc "unknown option" 2
expect_match "its message" "$err" "^vm-system: error: unknown option '--bogus'"
run "$vs" --disk "$tmp/d" --test "$tmp/test"
expect_rc "no stage" 2
expect_match "its message" "$err" "no STAGE given"
run "$vs" --disk "$tmp/d" --test "$tmp/test" 'a b'
expect_rc "a stage name with a space" 2
run "$vs" --disk "$tmp/d" --test "$tmp/test" a b
expect_rc "two stages" 2
run "$vs" --test "$tmp/test" s
expect_rc "no --disk" 2
run "$vs" --disk "$tmp/d" --test "$tmp" s
expect_rc "a test directory without a stage" 2
run "$vs" --disk "$tmp/d" --test "$tmp/test" --kernel 5.10 s
expect_rc "a kernel not in the matrix" 2
run "$vs" --disk "$tmp/d" --test "$tmp/test" --timeout
expect_rc "an option without its argument" 2
[ ! -e "$tmp/d" ] || fail "a refused run made the disk"

# no image, and building one is not allowed
run "$vs" --disk "$tmp/d" --test "$tmp/test" s
expect_rc "no image" 2
expect_match "its message" "$err" "CLP_SYSTEM_BUILD=0"
[ ! -e "$tmp/d" ] || fail "a refused run made the disk"

# A fake image system-image takes as up to date.
"$TOP/scripts/system-image" --inputs > "$fake/system/.inputs"
truncate -s 64M "$fake/system/rootfs.img"
for r in 6.1.0-99-amd64 6.12.99+deb12-amd64; do
	: > "$fake/system/vmlinuz-$r"; : > "$fake/system/initrd.img-$r"
done
cat > "$tmp/qemu" <<EOS
#!/bin/bash
printf '%s\n' "\$@" > "$tmp/qemu-args"
cat "$tmp/console"
[ -f "$tmp/hang" ] && exec sleep 30
exit 0
EOS
chmod +x "$tmp/qemu"

printf 'booting\nCLP-VM-STAGE: one\nok - x\nCLP-VM-EXIT: 3\n' > "$tmp/console"
run "$vs" -q -k 6.12 --disk "$tmp/d" --test "$tmp/test" --append clp.enable=0 --log "$tmp/log" one
expect_rc "the stage's exit status" 3
expect_eq "--quiet: stdout" "$out" ""
expect_match "--log" "$(cat "$tmp/log")" '^ok - x$'
args=$(cat "$tmp/qemu-args")
expect_match "kernel" "$args" "^$fake/system/vmlinuz-6.12.99\+deb12-amd64$"
expect_match "command line" "$args" "^root=/dev/vda rw .*clp\.stage=one clp\.enable=0$"
expect_match "single-threaded TCG" "$args" '^tcg,thread=single$'
expect_match "the disk" "$args" "^file=$tmp/d,if=virtio,format=qcow2$"
expect_match "the test disk read-only" "$args" 'if=virtio,format=raw,readonly=on$'
expect_match "the overlay's backing file" "$(qemu-img info "$tmp/d")" "backing file: $fake/system/rootfs.img"
echo clp-marker >> "$tmp/d"	# what the first boot wrote
printf 'CLP-VM-EXIT: 0\n' > "$tmp/console"
run "$vs" -q --disk "$tmp/d" --test "$tmp/test" two
expect_rc "a second boot" 0
[ "$(tail -c 11 "$tmp/d")" = clp-marker ] || fail "the second boot made a new disk"
note "ok: the second boot kept the disk"

printf 'CLP-VM-EXIT: 0\n[ 5.0] WARNING: CPU: 0 PID: 1 at x\n' > "$tmp/console"
run "$vs" -q --disk "$tmp/d" --test "$tmp/test" s
expect_rc "a WARNING" 125
expect_match "its message" "$err" "guest log shows a kernel problem"
printf 'booting\n' > "$tmp/console"
run "$vs" -q --disk "$tmp/d" --test "$tmp/test" s
expect_rc "no exit line" 125
touch "$tmp/hang"
run "$vs" -q -t 2 --disk "$tmp/d" --test "$tmp/test" s
expect_rc "a hang" 124
