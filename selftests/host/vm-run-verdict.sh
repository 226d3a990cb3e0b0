# SPDX-License-Identifier: GPL-2.0
# scripts/vm-run's verdict and initramfs, with a fake QEMU that prints a
# console log instead of booting: the guest's exit status is passed
# through, a WARNING/oops or a missing exit line gives 125, a hang 124,
# and the initramfs carries the command and the --add files.
. "$(dirname "${BASH_SOURCE[0]}")/lib.bash"
vr=$TOP/scripts/vm-run
command -v cpio > /dev/null || skip "no cpio"

fake=$tmp/cache
mkdir -p "$fake/kernels/6.1.0-99-amd64"
: > "$fake/kernels/6.1.0-99-amd64/vmlinuz"
printf '6.1 6.1.0-99-amd64\n' > "$fake/matrix"

# The fake QEMU prints $tmp/console and keeps the initramfs it was given.
cat > "$tmp/qemu" <<EOS
#!/bin/bash
while [ \$# -gt 0 ]; do
	case \$1 in
	-initrd) cp "\$2" "$tmp/initrd.gz"; shift ;;
	-kernel) echo "\$2" > "$tmp/kernel-arg"; shift ;;
	esac
	shift
done
cat "$tmp/console"
[ -f "$tmp/hang" ] && exec sleep 30
exit 0
EOS
chmod +x "$tmp/qemu"
# its own lock: a real guest elsewhere on the machine must not hold it up
export CLP_CACHE=$fake CLP_QEMU=$tmp/qemu CLP_VM_LOCK=$tmp/vm.lock
vm() { run "$vr" --kernel 6.1 --build "$tmp/no-build" --quiet "$@"; }

printf 'CLP-VM-START: 6.1.0-99-amd64\nhello\nCLP-VM-EXIT: 3\n' > "$tmp/console"
echo extra > "$tmp/extra.txt"
vm --add "$tmp/extra.txt:/clp/x/y.txt" --add "$tmp/extra.txt" --log "$tmp/log" -- 'echo a  b;' true
expect_rc "guest exit status passed through" 3
expect_eq "kernel" "$(cat "$tmp/kernel-arg")" "$fake/kernels/6.1.0-99-amd64/vmlinuz"
expect_match "--log keeps the console" "$(cat "$tmp/log")" "^hello$"
expect_eq "--quiet: stdout" "$out" ""
mkdir "$tmp/root"
(cd "$tmp/root" && gzip -dc "$tmp/initrd.gz" | cpio -i -d --quiet) || fail "cannot unpack the initramfs"
expect_eq "initramfs /etc/clp-cmd" "$(cat "$tmp/root/etc/clp-cmd")" "echo a  b; true"
expect_eq "initramfs /etc/clp-release" "$(cat "$tmp/root/etc/clp-release")" "6.1.0-99-amd64"
expect_eq "--add FILE:DEST" "$(cat "$tmp/root/clp/x/y.txt")" extra
expect_eq "--add FILE" "$(cat "$tmp/root/extra/extra.txt")" extra
[ -x "$tmp/root/init" ] || fail "initramfs has no executable /init"
[ -d "$tmp/root/clp/selftests" ] || fail "initramfs has no /clp/selftests"

expect_eq "no --modprobe: nothing to load" "$(cat "$tmp/root/etc/clp-modprobe")" ""

# --modprobe: the module and its dependencies (modules.dep lists the
# dependencies of dependencies too, depmod orders them to load last to
# first), uncompressed,
# each once, nothing else; a built-in module is a notice
m=$fake/kernels/6.1.0-99-amd64/root/lib/modules/6.1.0-99-amd64
mkdir -p "$m/kernel/fs/ext4" "$m/kernel/fs/jbd2" "$m/kernel/lib" "$m/kernel/fs/fat"
ln -s root/lib/modules/6.1.0-99-amd64 "$fake/kernels/6.1.0-99-amd64/modules"
echo ext4 > "$m/kernel/fs/ext4/ext4.ko"
echo jbd2 | xz > "$m/kernel/fs/jbd2/jbd2.ko.xz"
echo mbcache | zstd -q > "$m/kernel/fs/mbcache.ko.zst"
echo crc16 > "$m/kernel/lib/crc16.ko"
echo fat > "$m/kernel/fs/fat/fat.ko"
echo unrelated > "$m/kernel/fs/fat/msdos.ko"
cat > "$m/modules.dep" <<'D'
kernel/lib/crc16.ko:
kernel/fs/mbcache.ko.zst:
kernel/fs/jbd2/jbd2.ko.xz: kernel/lib/crc16.ko
kernel/fs/ext4/ext4.ko: kernel/fs/jbd2/jbd2.ko.xz kernel/fs/mbcache.ko.zst kernel/lib/crc16.ko
kernel/fs/fat/fat.ko:
kernel/fs/fat/msdos.ko: kernel/fs/fat/fat.ko
D
echo kernel/fs/zram.ko > "$m/modules.builtin"
printf 'CLP-VM-EXIT: 0\n' > "$tmp/console"
vm --modprobe ext4 --modprobe jbd2 --modprobe zram -- true
expect_rc "--modprobe" 0
expect_match "built-in module noticed" "$err" "zram is built into 6\.1\.0-99-amd64"
rm -rf "$tmp/root"; mkdir "$tmp/root"
(cd "$tmp/root" && gzip -dc "$tmp/initrd.gz" | cpio -i -d --quiet) || fail "cannot unpack the initramfs"
d=/lib/modules/6.1.0-99-amd64/kernel
expect_eq "load order" "$(cat "$tmp/root/etc/clp-modprobe" | tr '\n' ' ')" "$d/lib/crc16.ko $d/fs/mbcache.ko $d/fs/jbd2/jbd2.ko $d/fs/ext4/ext4.ko "
expect_eq "xz module uncompressed" "$(cat "$tmp/root$d/fs/jbd2/jbd2.ko")" jbd2
expect_eq "zstd module uncompressed" "$(cat "$tmp/root$d/fs/mbcache.ko")" mbcache
expect_eq "only the modules asked for and their dependencies" \
	"$(cd "$tmp/root/lib/modules" && find . -type f | sort | tr '\n' ' ')" \
	"./6.1.0-99-amd64/kernel/fs/ext4/ext4.ko ./6.1.0-99-amd64/kernel/fs/jbd2/jbd2.ko ./6.1.0-99-amd64/kernel/fs/mbcache.ko ./6.1.0-99-amd64/kernel/lib/crc16.ko "

printf 'CLP-VM-EXIT: 0\n' > "$tmp/console"
vm -- true
expect_rc "clean guest" 0

printf '[    1.0] WARNING: CPU: 0 PID: 1 at foo.c:1 bar\nCLP-VM-EXIT: 0\n' > "$tmp/console"
vm -- true
expect_rc "guest WARNING" 125
expect_match "guest WARNING" "$err" "kernel problem"

printf '[    1.0] BUG: kernel NULL pointer dereference\nCLP-VM-EXIT: 0\n' > "$tmp/console"
vm -- true
expect_rc "guest BUG" 125

printf 'CLP-VM-TAINTED: kernel log shows a problem:\nCLP-VM-EXIT: 0\n' > "$tmp/console"
vm -- true
expect_rc "tainted at the end" 125

printf 'CLP-VM-START: x\nno exit line\n' > "$tmp/console"
vm -- true
expect_rc "no exit status" 125
expect_match "no exit status" "$err" "reported no exit status"

printf 'CLP-VM-START: x\n' > "$tmp/console"
touch "$tmp/hang"
vm --timeout 0.5 -- true
rm -f "$tmp/hang"
expect_rc "timeout" 124
expect_match "timeout" "$err" "timeout after 0\.5s"
