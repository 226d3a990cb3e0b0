# SPDX-License-Identifier: GPL-2.0
# Helpers of the source-*.sh host tests (sourced after lib.bash; not a
# test itself): a fake Debian headers tree that names the compiler,
# assembler and linker of this machine, and fake apt-get / apt-cache.

# fake_headers DIR REL DEBVER - a headers tree for release REL built from
# Debian source DEBVER with the tools on PATH; $cc_text, $gcc_v, $as_v,
# $ld_v are what it names.  Its autoconf.h and auto.conf are made from
# .config the way the fake source tree's Makefile makes them.
fake_headers() {
	local d=$1 rel=$2 debver=$3
	cc_text=$(gcc --version | head -n 1)
	gcc_v=$(gcc -dumpfullversion | awk -F. '{ print $1 * 10000 + $2 * 100 + $3 }')
	as_v=$(as --version | head -n 1 | awk '{ split($NF, v, "."); print v[1] * 10000 + v[2] * 100 + v[3] }')
	ld_v=$(ld -v | head -n 1 | awk '{ split($NF, v, "."); print v[1] * 10000 + v[2] * 100 + v[3] }')
	mkdir -p "$d/include/generated" "$d/include/config"
	cat > "$d/.config" <<CFG
#
# Automatically generated file; DO NOT EDIT.
#
CONFIG_CC_VERSION_TEXT="$cc_text"
CONFIG_CC_IS_GCC=y
CONFIG_GCC_VERSION=$gcc_v
CONFIG_AS_IS_GNU=y
CONFIG_AS_VERSION=$as_v
CONFIG_LD_IS_BFD=y
CONFIG_LD_VERSION=$ld_v
CONFIG_PROC_FS=y
# CONFIG_RUST is not set
CFG
	printf 'override ARCH = x86\noverride KERNELRELEASE = %s\nCC = gcc\n' "$rel" > "$d/.kernelvariables"
	printf '0x12345678\tprintk\tvmlinux\tEXPORT_SYMBOL\t\n' > "$d/Module.symvers"
	printf '#define UTS_RELEASE "%s"\n' "$rel" > "$d/include/generated/utsrelease.h"
	printf '#define UTS_VERSION "#1 SMP PREEMPT_DYNAMIC Debian %s (2026-01-01)"\n' "$debver" \
		> "$d/include/generated/utsversion.h"
	config_outputs "$d"
}

# config_outputs DIR - DIR/include/config/auto.conf and
# include/generated/autoconf.h from DIR/.config
config_outputs() {
	grep '^CONFIG_' "$1/.config" > "$1/include/config/auto.conf"
	{
		echo '/* Automatically generated file; DO NOT EDIT. */'
		sed -n 's/^\(CONFIG_[A-Z0-9_]*\)=\(.*\)/#define \1 \2/p' "$1/.config" | sed 's/ y$/ 1/'
	} > "$1/include/generated/autoconf.h"
}

# fake_apt BIN - apt-get and apt-cache in BIN (first on PATH): 'apt-get
# download' copies $FAKE_SRC_DEB (fails like apt when it is empty), every
# call is logged in $tmp/apt.log; 'apt-cache madison' lists $FAKE_MADISON
fake_apt() {
	mkdir -p "$1"
	cat > "$1/apt-get" <<SH
#!/bin/sh
echo "apt-get \$*" >> "$tmp/apt.log"
[ "\$1" = download ] || exit 100
if [ -z "\$FAKE_SRC_DEB" ]; then
	echo "E: Version '\${3#*=}' for '\${3%%=*}' was not found" >&2
	exit 100
fi
cp "\$FAKE_SRC_DEB" "./\${3%%=*}_\${3#*=}_all.deb"
SH
	cat > "$1/apt-cache" <<SH
#!/bin/sh
echo "apt-cache \$*" >> "$tmp/apt.log"
for v in \$FAKE_MADISON; do
	printf ' %s | %10s | http://deb.example.org/debian bookworm/main amd64 Packages\n' "\$2" "\$v"
done
SH
	chmod +x "$1/apt-get" "$1/apt-cache"
}
