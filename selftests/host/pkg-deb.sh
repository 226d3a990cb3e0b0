# SPDX-License-Identifier: GPL-2.0
# make deb: the two packages dpkg-buildpackage makes from scripts/debian,
# what each holds (the files of 'make install', split), their control
# fields and maintainer scripts (DKMS build on configure, clp.service
# enabled), lintian without an error; a changelog that disagrees with the
# Makefile's VERSION is refused before anything is built.
# host-timeout: 180
. "$(dirname "${BASH_SOURCE[0]}")/lib.bash"

for c in dpkg-buildpackage dh dh_dkms lintian rst2man; do
	command -v $c > /dev/null || skip "$c missing (make setup)"
done

d=$tmp/deb
ver=$(sed -n 's/^VERSION *?= *//p' "$TOP/Makefile")

# refusal first: nothing built, nothing left in DEBDIR
run make -s -C "$TOP" deb DEBDIR="$d" VERSION=9.9
expect_rc "make deb with a VERSION the changelog does not have" 2
expect_match "its message" "$err" "changelog is at $ver, the Makefile's VERSION at 9.9"
[ ! -e "$d" ] || fail "the refused make deb created $d"

run make -s -C "$TOP" deb DEBDIR="$d"
expect_rc "make deb" 0
deb=$d/clp_${ver}_amd64.deb dkms=$d/clp-dkms_${ver}_all.deb
[ -f "$deb" ] && [ -f "$dkms" ] || { ls "$d"; fail "clp or clp-dkms .deb missing"; }
note "ok: $(basename "$deb") and $(basename "$dkms")"

# lintian ran on both and found no error (make deb fails otherwise too)
[ -f "$d/lintian.log" ] || fail "no lintian log"
expect_no_match "lintian" "$(cat "$d/lintian.log")" '^E: '

field() { dpkg-deb -f "$1" "$2"; }
expect_eq "clp Version" "$(field "$deb" Version)" "$ver"
expect_eq "clp-dkms Architecture" "$(field "$dkms" Architecture)" all
expect_match "clp Depends" "$(field "$deb" Depends)" 'libelf1'
expect_match "clp-dkms Depends" "$(field "$dkms" Depends)" '^dkms'
expect_match "clp Recommends" "$(field "$deb" Recommends)" "clp-dkms \(= $ver\)"

files() { dpkg-deb -c "$1" | awk '{ print $6 }' | grep -v '/$' | sed 's|^\./||' | LC_ALL=C sort; }
got=$(files "$deb")
for f in usr/bin/clp lib/systemd/system/clp.service usr/share/bash-completion/completions/clp \
	 usr/share/man/man8/clp.8.gz usr/share/man/man8/clp-load.8.gz usr/share/doc/clp/copyright; do
	grep -qx "$f" <<< "$got" || fail "clp lacks $f"
done
for h in "$TOP"/kmod/include/clp/*.h; do
	grep -qx "usr/share/clp/include/clp/${h##*/}" <<< "$got" || fail "clp lacks header ${h##*/}"
done
expect_no_match "clp files" "$got" '^usr/src/'
dpkg-deb -c "$deb" | grep -q ' \./var/lib/clp/$' || fail "clp does not make /var/lib/clp"
note "ok: clp holds the command, headers, man pages, completion and unit"

got=$(files "$dkms")
for f in Kbuild dkms.conf kmod/core/main.c kmod/include/clp/patch.h; do
	grep -qx "usr/src/clp-$ver/$f" <<< "$got" || fail "clp-dkms lacks usr/src/clp-$ver/$f"
done
expect_no_match "clp-dkms files" "$got" '^usr/(bin|lib|share/(man|clp))/'
note "ok: clp-dkms holds the DKMS tree"

# The unit the package ships is the one make install writes, and its
# postinst enables it (not started: only a boot or clp load --all loads)
mkdir -p "$tmp/x"
dpkg-deb -x "$deb" "$tmp/x"
expect_eq "packaged ExecStart" "$(sed -n 's/^ExecStart=//p' "$tmp/x/lib/systemd/system/clp.service")" \
	"/usr/bin/clp load --all"
grep -a -q /usr/share/clp/include "$tmp/x/usr/bin/clp" || fail "packaged clp lacks its include path"
dpkg-deb -e "$deb" "$tmp/c"
expect_match "clp postinst" "$(cat "$tmp/c/postinst")" "deb-systemd-helper enable 'clp.service'"
expect_no_match "clp postinst" "$(cat "$tmp/c/postinst")" 'systemctl .*start'
dpkg-deb -e "$dkms" "$tmp/k"
expect_match "clp-dkms postinst" "$(cat "$tmp/k/postinst")" 'common.postinst'
expect_match "clp-dkms prerm" "$(cat "$tmp/k/prerm")" 'dkms remove'
expect_eq "clp-dkms dkms.conf version" \
	"$(dpkg-deb --fsys-tarfile "$dkms" | tar -xO "./usr/src/clp-$ver/dkms.conf" | sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p')" "$ver"
