# SPDX-License-Identifier: GPL-2.0
# clp package: the .deb it writes (name, version, control fields, the
# module's path) and its refusals (not a clp module, a bad name or
# version: nothing written); then the package's maintainer scripts run
# the way dpkg runs them, in a temporary root (CLP_LIB_DIR, CLP_RELEASE,
# CLP_PROC, CLP_SYSFS, DPKG_ROOT) with a logging stand-in for the clp
# commands that touch the kernel (check, load, unload): another kernel
# installs for later and exits 0; a refused check exits 1 with the
# check's message and changes nothing; a refused load is undone; a
# matching kernel checks, installs and loads; an upgrade loads the new
# module before unloading the old; remove unloads; purge leaves nothing.
# The real thing runs in the system guest (make check-system).
. "$(dirname "${BASH_SOURCE[0]}")/lib.bash"
need_clp
command -v dpkg-deb > /dev/null || skip "dpkg-deb missing"
need_headers_61

mkdir -p "$tmp/set"
cat > "$tmp/set/10-one.c" <<'C'
#include <linux/seq_file.h>
#include <clp/patch.h>
static int new_version(struct seq_file *m, void *v) { seq_puts(m, "v\n"); return 0; }
CLP_FUNC(version_proc_show, new_version);
C
fake_map "$tmp/map"
id=0123456789abcdef0123456789abcdef01234567
for m in clp_pk_a clp_pk_b; do
	run "$clp" build -k "$rel" --system-map "$tmp/map" --build-id $id -n $m -o "$tmp/$m.ko" "$tmp/set"
	expect_rc "build $m" 0
done
cp "$tmp/set/10-one.c" "$tmp/set/20-two.c"
sed -i 's/new_version/new_version2/; s/version_proc_show/cmdline_proc_show/' "$tmp/set/20-two.c"
run "$clp" build -k "$rel" --system-map "$tmp/map" --build-id $id -n clp_pk_c -o "$tmp/clp_pk_c.ko" "$tmp/set"
expect_rc "build clp_pk_c (two patches)" 0

# ---- the package ---------------------------------------------------------
cd "$tmp"
pkg=clp-patch-$rel
run "$clp" package clp_pk_a.ko
expect_rc "package" 0
deb=${pkg}_1_amd64.deb
expect_match "package says" "$out" "^$deb: $pkg 1 for Linux $rel \(module clp_pk_a\)"
[ -f "$deb" ] || fail "no $deb"
expect_eq "Package" "$(dpkg-deb -f "$deb" Package)" "$pkg"
expect_eq "Version (the set's patch count)" "$(dpkg-deb -f "$deb" Version)" 1
expect_eq "Depends" "$(dpkg-deb -f "$deb" Depends)" "clp, kmod"
expect_match "Description" "$(dpkg-deb -f "$deb" Description)" "Patches: one\."
expect_eq "files" "$(dpkg-deb -c "$deb" | awk '$6 !~ /\/$/ { print $6 }')" \
	"./usr/lib/clp/patches/$pkg/clp_pk_a.ko"
expect_match "root directory mode" "$(dpkg-deb -c "$deb" | head -n1)" '^drwxr-xr-x root/root .* \./$'
cmp -s <(dpkg-deb --fsys-tarfile "$deb" | tar -xO "./usr/lib/clp/patches/$pkg/clp_pk_a.ko") clp_pk_a.ko ||
	fail "the packaged module differs from clp_pk_a.ko"
run "$clp" package -n fixes -V 2.1 -o c.deb clp_pk_c.ko
expect_rc "package --name --version --output" 0
expect_eq "named package" "$(dpkg-deb -f c.deb Package) $(dpkg-deb -f c.deb Version)" "fixes 2.1"
run "$clp" package clp_pk_c.ko -o c2.deb
expect_eq "default version of a two-patch set" "$(dpkg-deb -f c2.deb Version)" 2

# refusals write nothing
before=$(ls)
run "$clp" package "$TOP/Makefile"
expect_rc "package of a non-ELF file" 1
run "$clp" package -n Fixes clp_pk_a.ko
expect_rc "package --name with upper case" 2
expect_match "its message" "$err" "'Fixes' is not a Debian package name"
run "$clp" package -V 1-2 clp_pk_a.ko
expect_rc "package --version with a '-'" 2
run "$clp" package -V x clp_pk_a.ko
expect_rc "package --version without a leading digit" 2
run "$clp" package
expect_rc "package without a file" 2
run "$clp" package --bogus clp_pk_a.ko
expect_rc "package with an unknown option" 2
run "$clp" package clp_pk_a.ko -o /nonexistent/dir/x.deb
expect_rc "package into a missing directory" 4
[ "$(ls)" = "$before" ] || fail "a refused clp package left a file: $(ls)"
note "ok: the refusals wrote nothing"

# ---- the maintainer scripts in a temporary root -------------------------
mkdir -p bin root proc sys lib
printf 'quiet\n' > proc/cmdline
cat > bin/clp <<SH
#!/bin/sh
echo "clp \$*" >> "$tmp/calls"
case \$1 in
check) [ -z "\${FAKE_CHECK_FAIL:-}" ] || { echo "clp: fake: function version_proc_show is not in kallsyms" >&2; exit 3; } ;;
load) [ -z "\${FAKE_LOAD_FAIL:-}" ] || { echo "clp: fake: EBUSY" >&2; exit 1; }
      echo "clp: \$2 is live" ;;
unload) ;;
*) exec "$clp" "\$@" ;;
esac
SH
printf '#!/bin/sh\necho "modprobe $*" >> "%s/calls"\n' "$tmp" > bin/modprobe
chmod +x bin/clp bin/modprobe
export PATH=$tmp/bin:$PATH DPKG_ROOT=$tmp/root CLP_LIB_DIR=$tmp/lib CLP_PROC=$tmp/proc \
	CLP_SYSFS=$tmp/sys CLP_RELEASE=$rel

# unpack DEB - what dpkg does before postinst: files in, scripts at hand
unpack() {
	dpkg-deb -x "$1" root
	rm -rf ctl && dpkg-deb -e "$1" ctl
}
# script NAME ARGS... - one maintainer script, its calls of clp in $calls
script() {
	: > "$tmp/calls"
	run sh "ctl/$1" "${@:2}"
	calls=$(cat "$tmp/calls")
}
state() { (cd lib && find . -printf '%p %s\n' 2>/dev/null | LC_ALL=C sort; cat ./*/.order 2>/dev/null); }

# another kernel: installed for later, nothing loaded, exit 0
unpack "$deb"
CLP_RELEASE=6.12.0-other-amd64 script postinst configure
expect_rc "postinst on another kernel" 0
expect_match "its message" "$out" "for Linux $rel, running 6.12.0-other-amd64: installed for its next boot, not loaded"
expect_no_match "its clp calls" "$calls" '^clp (check|load|unload)|^modprobe'
[ -f "lib/$rel/clp_pk_a.ko" ] || fail "not installed for $rel"
expect_eq "the package's module" "$(cat "lib/$rel/.package-$pkg")" clp_pk_a
CLP_RELEASE=6.12.0-other-amd64 script prerm remove
expect_rc "prerm remove on another kernel" 0
expect_no_match "its clp calls" "$calls" '^clp unload'
script postrm purge
expect_rc "postrm purge" 0
expect_eq "left in the install directory" "$(ls -A lib)" ""
rm -rf root/usr

# clp.enable=0 on the running kernel: installed, not loaded
unpack "$deb"
printf 'quiet clp.enable=0\n' > proc/cmdline
script postinst configure
expect_rc "postinst with clp.enable=0" 0
expect_match "its message" "$out" "clp.enable=0 on the kernel command line"
expect_no_match "its clp calls" "$calls" '^clp (check|load)'
script prerm remove; script postrm purge
printf 'quiet\n' > proc/cmdline

# the matching kernel, the check refuses: exit 1, its message, nothing changed
before=$(state)
FAKE_CHECK_FAIL=1 script postinst configure
expect_rc "postinst, check refused" 1
expect_match "the check's message" "$err" "function version_proc_show is not in kallsyms"
expect_match "and why" "$err" "clp check refused clp_pk_a on this kernel; nothing was changed"
expect_eq "clp calls" "$(grep -v '^modprobe' <<< "$calls")" "clp check -q $tmp/root/usr/lib/clp/patches/$pkg/clp_pk_a.ko"
expect_eq "install directory after the refusal" "$(state)" "$before"

# the load refuses (EBUSY after retries): undone
FAKE_LOAD_FAIL=1 script postinst configure
expect_rc "postinst, load refused" 1
expect_match "its message" "$err" "loading clp_pk_a failed; nothing was changed"
expect_eq "install directory after the failed load" "$(state)" "$before"

# the matching kernel: modprobe clp, check, install, load
script postinst configure
expect_rc "postinst on its kernel" 0
expect_match "modprobe" "$calls" '^modprobe -q clp$'
expect_eq "clp calls" "$(grep '^clp' <<< "$calls" | cut -d' ' -f1-2)" "$(printf 'clp check\nclp install\nclp load')"
[ -f "lib/$rel/clp_pk_a.ko" ] || fail "not installed"

# upgrade to a package with another module: the new one is checked and
# loaded (superseding) before the old one is unloaded and uninstalled
run "$clp" package -V 2 clp_pk_b.ko
rm -rf root/usr && unpack "${pkg}_2_amd64.deb"
script postinst configure 1
expect_rc "postinst of the upgrade" 0
expect_eq "clp calls" "$(grep '^clp' <<< "$calls" | cut -d' ' -f1-3)" \
	"$(printf 'clp check -q\nclp install -k\nclp load %s\nclp unload clp_pk_a\nclp uninstall -k' \
	"$tmp/root/usr/lib/clp/patches/$pkg/clp_pk_b.ko")"
expect_eq "installed modules" "$(cat "lib/$rel/.order")" clp_pk_b
expect_eq "the package's module" "$(cat "lib/$rel/.package-$pkg")" clp_pk_b
# the old package's prerm on upgrade does nothing
script prerm upgrade 2
expect_eq "prerm upgrade calls" "$calls" ""

# remove: unload (the core is loaded) and uninstall; purge: nothing left
mkdir -p sys
script prerm remove
expect_rc "prerm remove" 0
expect_match "unload" "$calls" '^clp unload clp_pk_b$'
[ ! -e "lib/$rel/clp_pk_b.ko" ] || fail "still installed after remove"
script postrm remove
script postrm purge
expect_rc "postrm purge" 0
expect_eq "left in the install directory" "$(ls -A lib)" ""
