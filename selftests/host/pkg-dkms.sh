# SPDX-License-Identifier: GPL-2.0
# The DKMS source tree 'make install' writes to /usr/src/clp-<version>:
# dkms.conf read the way dkms reads it (sourced with kernel_source_dir and
# dkms_tree set), its MAKE run from a copy of the tree where dkms keeps it,
# against the 6.1 headers of the matrix; clp.ko appears where
# BUILT_MODULE_LOCATION says, for that kernel (vermagic).  pkg-dkms-tool
# runs the real dkms.
. "$(dirname "${BASH_SOURCE[0]}")/lib.bash"

need_headers_61

ver=$(sed -n 's/^VERSION *?= *//p' "$TOP/Makefile")
root=$tmp/root
run make -s -C "$TOP" install-dkms DESTDIR="$root"
expect_rc "make install-dkms" 0
src=$root/usr/src/clp-$ver
[ -f "$src/dkms.conf" ] || fail "no $src/dkms.conf"
# Only what the core needs: no tools, no selftests.
[ -z "$(cd "$src" && find . -path './selftests*' -o -path './tools*')" ] ||
	fail "the DKMS tree carries more than the core"

# What dkms does: copy the source to $dkms_tree/<name>/<version>/build,
# source dkms.conf there with its variables set, run MAKE[0] there.
dkms_tree=$tmp/dkms
build=$dkms_tree/clp/$ver/build
mkdir -p "$build"
cp -a "$src/." "$build/"
conf=$(
	cd "$build" || exit 1
	kernelver=$rel kernel_source_dir=$kdir arch=x86_64
	. ./dkms.conf
	printf '%s\n' "$PACKAGE_NAME" "$PACKAGE_VERSION" "${BUILT_MODULE_NAME[0]}" \
		"${BUILT_MODULE_LOCATION[0]}" "${DEST_MODULE_LOCATION[0]}" "$AUTOINSTALL" \
		"${MAKE[0]}" "$CLEAN"
)
mapfile -t c <<< "$conf"
expect_eq PACKAGE_NAME "${c[0]}" clp
expect_eq PACKAGE_VERSION "${c[1]}" "$ver"
expect_eq "BUILT_MODULE_NAME[0]" "${c[2]}" clp
expect_match "DEST_MODULE_LOCATION[0]" "${c[4]}" "^/(updates/dkms|extra)$"
expect_eq AUTOINSTALL "${c[5]}" yes
expect_match "MAKE[0]" "${c[6]}" "^make -C $kdir M=$build modules$"

(cd "$build" && eval "${c[6]}") > "$tmp/make.log" 2>&1 ||
	{ tail -30 "$tmp/make.log" | sed 's/^/  | /'; fail "MAKE[0] failed"; }
note "ok: MAKE[0] built the tree against $rel"
ko=$build/${c[3]}${c[2]}.ko
[ -f "$ko" ] || fail "no module at BUILT_MODULE_LOCATION: $ko"
run modinfo -F vermagic "$ko"
expect_rc "modinfo vermagic" 0
expect_match "clp.ko vermagic" "$out" "^$rel SMP .*modversions"
run modinfo -F name "$ko"
expect_eq "clp.ko name" "$out" clp
# clp.ko exports the patch API (patch modules link against it).
grep -q 'clp_register_patch' "$build/Module.symvers" ||
	fail "Module.symvers lacks clp_register_patch"
[ "$(find "$build" -name '*.ko' | wc -l)" = 1 ] || fail "the DKMS tree built more than clp.ko"

(cd "$build" && eval "${c[7]}") > "$tmp/clean.log" 2>&1 || fail "CLEAN failed"
[ ! -e "$ko" ] || fail "CLEAN left $ko"
note "ok: CLEAN removed the module"
