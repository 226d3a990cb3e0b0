# SPDX-License-Identifier: GPL-2.0
# make install / uninstall with DESTDIR and PREFIX: the file list and
# modes, a working clp, paths that agree with PREFIX, a second install
# that changes nothing, an uninstall that leaves nothing but patches.
. "$(dirname "${BASH_SOURCE[0]}")/lib.bash"

command -v rst2man > /dev/null || skip "rst2man missing (python3-docutils; make setup)"

root=$tmp/root
run make -s -C "$TOP" install DESTDIR="$root" PREFIX=/usr
expect_rc "make install PREFIX=/usr" 0

# listing DIR - "mode path" of everything under DIR, sorted
listing() { (cd "$1" && find . -mindepth 1 -printf '%M %p\n' | LC_ALL=C sort -k2); }

ver=$(sed -n 's/^VERSION *?= *//p' "$TOP/Makefile")
[ -n "$ver" ] || fail "no VERSION in the Makefile"
expected=$(
	d() { echo "drwxr-xr-x ./$1"; }
	f() { echo "-rw-r--r-- ./$1"; }
	d usr; d usr/bin; echo "-rwxr-xr-x ./usr/bin/clp"
	d usr/lib; d usr/lib/systemd; d usr/lib/systemd/system
	f usr/lib/systemd/system/clp.service
	d usr/share; d usr/share/bash-completion; d usr/share/bash-completion/completions
	f usr/share/bash-completion/completions/clp
	d usr/share/clp; d usr/share/clp/include; d usr/share/clp/include/clp
	for h in "$TOP"/kmod/include/clp/*.h; do f "usr/share/clp/include/clp/${h##*/}"; done
	d usr/share/man; d usr/share/man/man8
	for p in "$TOP"/Documentation/man/clp*.rst; do p=${p##*/}; f "usr/share/man/man8/${p%.rst}.8.gz"; done
	d usr/src; d "usr/src/clp-$ver"
	f "usr/src/clp-$ver/Kbuild"; f "usr/src/clp-$ver/dkms.conf"
	(cd "$TOP" && find kmod/core kmod/include -type d) | while read -r x; do d "usr/src/clp-$ver/$x"; done
	d "usr/src/clp-$ver/kmod"
	(cd "$TOP" && find kmod/core kmod/include -type f \( -name '*.[ch]' -o -name Kbuild \) ! -name '*.mod.c') |
		while read -r x; do f "usr/src/clp-$ver/$x"; done
	d var; d var/lib; d var/lib/clp
)
expected=$(LC_ALL=C sort -k2 <<< "$expected")
got=$(listing "$root")
if [ "$got" != "$expected" ]; then
	diff <(echo "$expected") <(echo "$got") | sed 's/^/  /'
	fail "installed files differ from the expected list (< expected, > installed)"
fi
note "ok: $(wc -l <<< "$got") installed paths with the expected modes"

# The installed clp runs and knows where its headers are.
run "$root/usr/bin/clp" help
expect_rc "installed clp help" 0
expect_match "installed clp help" "$out" "^Usage: clp COMMAND"
grep -q -a '/usr/share/clp/include' "$root/usr/bin/clp" ||
	fail "clp does not have /usr/share/clp/include compiled in"
note "ok: clp has /usr/share/clp/include compiled in"

unit=$root/usr/lib/systemd/system/clp.service
expect_eq "ExecStart" "$(sed -n 's/^ExecStart=//p' "$unit")" "/usr/bin/clp load --all"
! grep -q '@[A-Z]*@' "$unit" "$root/usr/src/clp-$ver/dkms.conf" || fail "an @VAR@ was not substituted"
expect_eq "dkms.conf version" "$(. "$root/usr/src/clp-$ver/dkms.conf" && echo "$PACKAGE_VERSION")" "$ver"
for p in "$root"/usr/share/man/man8/*.gz; do
	gzip -t "$p" || fail "$p is not gzip"
done

# A second install changes nothing (content, modes, list).
snap() { listing "$root"; (cd "$root" && find . -type f -exec md5sum {} + | LC_ALL=C sort -k2); }
before=$(snap)
run make -s -C "$TOP" install DESTDIR="$root" PREFIX=/usr
expect_rc "second make install" 0
[ "$(snap)" = "$before" ] || { diff <(echo "$before") <(snap) | sed 's/^/  /'; fail "the second install changed the tree"; }
note "ok: second install is idempotent"

# A stale file in the DKMS tree does not survive a reinstall.
: > "$root/usr/src/clp-$ver/kmod/core/stale.c"
run make -s -C "$TOP" install-dkms DESTDIR="$root" PREFIX=/usr
expect_rc "make install-dkms" 0
[ ! -e "$root/usr/src/clp-$ver/kmod/core/stale.c" ] || fail "a stale DKMS source survived"

# Another PREFIX: the unit, the headers and clp agree with it.
lroot=$tmp/local
run make -s -C "$TOP" install DESTDIR="$lroot" PREFIX=/usr/local
expect_rc "make install PREFIX=/usr/local" 0
lunit=$lroot/usr/local/lib/systemd/system/clp.service
[ -f "$lunit" ] || fail "no unit in /usr/local/lib/systemd/system"
expect_eq "ExecStart (/usr/local)" "$(sed -n 's/^ExecStart=//p' "$lunit")" "/usr/local/bin/clp load --all"
[ -f "$lroot/usr/local/share/clp/include/clp/patch.h" ] || fail "no headers under /usr/local/share/clp/include"
grep -q -a '/usr/local/share/clp/include' "$lroot/usr/local/bin/clp" ||
	fail "clp for /usr/local does not have /usr/local/share/clp/include compiled in"
[ -d "$lroot/usr/src/clp-$ver" ] && [ -d "$lroot/var/lib/clp" ] ||
	fail "/usr/src and /var/lib/clp do not stay at their fixed places"
note "ok: PREFIX=/usr/local paths agree"

# Uninstall: no file left; an installed patch and its directory stay.
mkdir -p "$root/var/lib/clp/6.1.0-56-amd64"
: > "$root/var/lib/clp/6.1.0-56-amd64/clp_fix.ko"
run make -s -C "$TOP" uninstall DESTDIR="$root" PREFIX=/usr
expect_rc "make uninstall" 0
left=$(cd "$root" && find . -type f)
expect_eq "files left after uninstall" "$left" "./var/lib/clp/6.1.0-56-amd64/clp_fix.ko"
run make -s -C "$TOP" uninstall DESTDIR="$lroot" PREFIX=/usr/local
expect_rc "make uninstall PREFIX=/usr/local" 0
expect_eq "files left after uninstall (/usr/local)" "$(cd "$lroot" && find . -type f -o -type l)" ""
[ ! -e "$lroot/var/lib/clp" ] || fail "an empty /var/lib/clp was left"
