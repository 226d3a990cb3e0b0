# SPDX-License-Identifier: GPL-2.0
# The boot service as 'make install' writes it: systemd-analyze verify
# accepts it (when systemd is there), and the keys that make it an early,
# skippable, one-shot loader are set.
. "$(dirname "${BASH_SOURCE[0]}")/lib.bash"

command -v rst2man > /dev/null || skip "rst2man missing (python3-docutils; make setup)"

root=$tmp/root
run make -s -C "$TOP" install-bin install-man install-service DESTDIR="$root" PREFIX=/usr
expect_rc "make install-bin install-man install-service" 0
unit=$root/usr/lib/systemd/system/clp.service
[ -f "$unit" ] || fail "no $unit"

# key SECTION KEY - the values of KEY in [SECTION], one per line
key() {
	awk -v s="[$1]" -v k="$2" '
		/^\[/ { in_s = ($0 == s); next }
		in_s && index($0, k "=") == 1 { print substr($0, length(k) + 2) }' "$unit"
}
expect_eq "Type" "$(key Service Type)" oneshot
expect_eq "RemainAfterExit" "$(key Service RemainAfterExit)" yes
expect_eq "ExecStart" "$(key Service ExecStart)" "/usr/bin/clp load --all"
expect_eq "DefaultDependencies" "$(key Unit DefaultDependencies)" no
expect_eq "ConditionKernelCommandLine" "$(key Unit ConditionKernelCommandLine)" "!clp.enable=0"
expect_match "After" "$(key Unit After)" "(^| )systemd-modules-load\.service( |$)"
expect_match "Before" "$(key Unit Before)" "(^| )sysinit\.target( |$)"
expect_match "Conflicts" "$(key Unit Conflicts)" "(^| )shutdown\.target( |$)"
expect_eq "WantedBy" "$(key Install WantedBy)" sysinit.target
[ -z "$(key Service ExecStop)" ] || fail "stopping the service must not unload patches"

if ! command -v systemd-analyze > /dev/null; then
	note "systemd-analyze missing: only the keys were checked"
	exit 0
fi
# --root makes it look for /usr/bin/clp in the DESTDIR; MANPATH lets it
# find the pages Documentation= names.
run env MANPATH="$root/usr/share/man" systemd-analyze verify --root="$root" \
	/usr/lib/systemd/system/clp.service
expect_rc "systemd-analyze verify" 0
expect_eq "systemd-analyze verify: stderr" "$err" ""

# It does see mistakes: a misspelt key, a missing binary.
sed 's/^RemainAfterExit=/RemainAfterExt=/' "$unit" > "$tmp/bad.service"
mkdir -p "$root/etc/systemd/system"
cp "$tmp/bad.service" "$root/etc/systemd/system/clp-bad.service"
run env MANPATH="$root/usr/share/man" systemd-analyze verify --root="$root" \
	/etc/systemd/system/clp-bad.service
expect_match "verify of a misspelt key" "$err" "Unknown key"
rm "$root/usr/bin/clp"
run env MANPATH="$root/usr/share/man" systemd-analyze verify --root="$root" \
	/usr/lib/systemd/system/clp.service
[ "$rc" != 0 ] || fail "verify passed without /usr/bin/clp"
expect_match "verify without clp" "$err" "/usr/bin/clp"
