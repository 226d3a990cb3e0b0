# SPDX-License-Identifier: GPL-2.0
# The real dkms (Debian's package, installed by make setup) adds and builds
# the installed DKMS tree for the 6.1 kernel of the matrix.  Everything dkms
# writes goes to private trees (--dkmstree, --sourcetree); nothing is
# installed under /lib/modules.  Skipped when dkms would sign the module:
# it would then create a signing key under /var/lib/dkms.
. "$(dirname "${BASH_SOURCE[0]}")/lib.bash"

command -v dkms > /dev/null || skip "dkms is not installed (make setup)"
need_headers_61
for s in "/usr/lib/linux-kbuild-${rel%.*}/scripts/sign-file" \
	 "/usr/src/linux-headers-$rel/scripts/sign-file" \
	 "/lib/modules/$rel/build/scripts/sign-file"; do
	[ -e "$s" ] && skip "dkms would sign with $s"
done
command -v kmodsign > /dev/null && skip "dkms would sign with kmodsign"
grep -qs '^ *\(sign_file\|mok_signing_key\)=' /etc/dkms/framework.conf /etc/dkms/framework.conf.d/*.conf &&
	skip "the dkms framework configuration sets up signing"

ver=$(sed -n 's/^VERSION *?= *//p' "$TOP/Makefile")
root=$tmp/root
run make -s -C "$TOP" install-dkms DESTDIR="$root"
expect_rc "make install-dkms" 0

mkdir -p "$tmp/dkms"
dk() { dkms "$@" --dkmstree "$tmp/dkms" --sourcetree "$root/usr/src"; }
run dk add -m clp -v "$ver"
expect_rc "dkms add" 0
run dk build -m clp -v "$ver" -k "$rel" --kernelsourcedir "$kdir"
[ "$rc" = 0 ] || { show; cat "$tmp/dkms/clp/$ver/build/make.log" 2>/dev/null | tail -20; fail "dkms build: exit $rc"; }
note "ok: dkms build for $rel"
ko=$(find "$tmp/dkms/clp/$ver/$rel" -name 'clp.ko*' | head -n1)
[ -n "$ko" ] || fail "dkms kept no clp.ko under $tmp/dkms/clp/$ver/$rel"
run modinfo -F vermagic "$ko"
expect_match "dkms clp.ko vermagic" "$out" "^$rel SMP "
run dk status -m clp
expect_match "dkms status" "$out" "^clp/$ver, $rel, [^:]*: built"
