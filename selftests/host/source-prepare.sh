# SPDX-License-Identifier: GPL-2.0
# clp source prepare end to end on a fake linux-source package (apt-get
# hands it out; its Makefile stands in for kbuild's olddefconfig and
# modules_prepare): the progress lines, the tree read-only at
# CACHE/src/REL with the headers' .config, .kernelvariables (plus the
# no-Rust line) and Module.symvers, its stamp and list of generated files,
# the temporary path in dependency files replaced by the final one, no
# package kept; path, status, --json; a second run only checks, in under a
# second; copy shares the source and not the generated files.  Refused,
# leaving no tree: generated headers that differ from the headers' (named),
# make failing, SIGTERM during make (the make is killed too).  A temporary
# tree of a dead process is removed, one of a live process kept.
. "$(dirname "${BASH_SOURCE[0]}")/lib.bash"
. "$(dirname "${BASH_SOURCE[0]}")/source-lib.bash"
need_clp
command -v dpkg-deb >/dev/null || skip "no dpkg-deb"
command -v gcc >/dev/null && command -v as >/dev/null && command -v ld >/dev/null || skip "no gcc/binutils"

rel=0.0-clp-test
h=$tmp/headers
fake_headers "$h" "$rel" 0.0.1-1
fake_apt "$tmp/bin"

# the package: usr/src/linux-source-0.0.tar.xz with a tiny tree
src=$tmp/linux-source-0.0
mkdir -p "$src/fs/proc"
echo 'int meminfo;' > "$src/fs/proc/meminfo.c"
cat > "$src/Makefile" <<'MK'
-include .kernelvariables
.PHONY: olddefconfig modules_prepare
olddefconfig:
	mkdir -p include/config include/generated
	grep '^CONFIG_' .config > include/config/auto.conf
	{ echo '/* Automatically generated file; DO NOT EDIT. */'; \
	  sed -n 's/^\(CONFIG_[A-Z0-9_]*\)=\(.*\)/#define \1 \2/p' .config | sed 's/ y$$/ 1/'; } \
		> include/generated/autoconf.h
	$(if $(FAKE_EXTRA),echo '$(FAKE_EXTRA)' >> include/config/auto.conf)
modules_prepare:
	$(if $(FAKE_SLEEP),touch $(FAKE_SLEEP); sleep 30)
	$(if $(FAKE_FAIL),echo 'fake: modules_prepare failed' >&2; exit 2)
	echo '#define UTS_RELEASE "$(or $(FAKE_UTS),$(KERNELRELEASE))"' > include/generated/utsrelease.h
	mkdir -p tools/objtool
	echo 'deps_objtool := $(CURDIR)/fs/proc/meminfo.c' > tools/objtool/.objtool.o.cmd
	echo '$(CURDIR)/fs/proc/meminfo.c:' > tools/objtool/.objtool.o.d
	echo 'RUSTC=$(RUSTC) CC=$(CC)' > tools.txt
MK
touch -d 2026-01-01 $(find "$src")
pkg=$tmp/pkg
mkdir -p "$pkg/DEBIAN" "$pkg/usr/src"
printf 'Package: linux-source-0.0\nVersion: 0.0.1-1\nArchitecture: all\nMaintainer: clp <clp@example.org>\nDescription: test\n' > "$pkg/DEBIAN/control"
tar -C "$tmp" -cJf "$pkg/usr/src/linux-source-0.0.tar.xz" linux-source-0.0 || fail "tar"
dpkg-deb -Zgzip --build "$pkg" "$tmp/src.deb" >/dev/null || fail "dpkg-deb --build"

export PATH=$tmp/bin:$PATH FAKE_SRC_DEB=$tmp/src.deb
cache=$tmp/cache
t=$cache/src/$rel
: > "$tmp/apt.log"

run "$clp" source prepare -k "$rel" --cache "$cache" --headers "$h"
expect_rc "prepare" 0
expect_eq "said" "$out" "$rel: linux-source-0.0 0.0.1-1 in $t"
expect_eq "progress" "$err" "clp source: downloading linux-source-0.0 0.0.1-1
clp source: unpacking
clp source: configuring
clp source: modules_prepare
clp source: verifying"
expect_match "apt-get asked for the exact version" "$(cat "$tmp/apt.log")" "^apt-get download -q linux-source-0.0=0.0.1-1$"
[ -f "$t/fs/proc/meminfo.c" ] || fail "no source in $t"
cmp -s "$t/.config" "$h/.config" || fail ".config is not the headers'"
cmp -s "$t/Module.symvers" "$h/Module.symvers" || fail "Module.symvers is not the headers'"
expect_eq ".kernelvariables" "$(cat "$t/.kernelvariables")" "$(cat "$h/.kernelvariables")
# clp: the kernel was built without Rust
override RUSTC = clp-no-rustc"
expect_eq "make used the kernel's variables" "$(cat "$t/tools.txt")" "RUSTC=clp-no-rustc CC=gcc"
[ -z "$(find "$t" -perm /222)" ] || fail "writable in the tree: $(find "$t" -perm /222 | head -n 3)"
note "ok: read-only, directories too"
expect_eq "stamp" "$(grep -v '^prepared ' "$t/.clp-source")" "# clp source 1
release $rel
debian_version 0.0.1-1
package linux-source-0.0
cc_version $cc_text
gcc_version $gcc_v
as_version $as_v
ld_version $ld_v"
expect_match "stamp date" "$(cat "$t/.clp-source")" "^prepared 20[0-9]{2}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z$"
gen=$(LC_ALL=C sort "$t/.clp-generated")
expect_eq "generated files" "$gen" "./.config
./.kernelvariables
./Module.symvers
./include/config/auto.conf
./include/generated/autoconf.h
./include/generated/utsrelease.h
./tools.txt
./tools/objtool/.objtool.o.cmd
./tools/objtool/.objtool.o.d"
expect_eq "dependencies name the final tree" "$(cat "$t/tools/objtool/.objtool.o.cmd" "$t/tools/objtool/.objtool.o.d")" \
	"deps_objtool := $t/fs/proc/meminfo.c
$t/fs/proc/meminfo.c:"
[ -z "$(find "$cache" -name '*.deb')" ] || fail "a package is kept: $(find "$cache" -name '*.deb')"
[ -z "$(ls "$cache/src" | grep '\.tmp\.')" ] || fail "a temporary tree is left"
[ -s "$cache/src/$rel.log" ] || fail "no log"
note "ok: no package, no temporary tree, a log"

run "$clp" source path -k "$rel" --cache "$cache"
expect_rc "path" 0
expect_eq "path" "$out" "$t"
CLP_CACHE=$cache run "$clp" source status
expect_rc "status" 0
ccre=$(sed 's/[][()+.*?^$|\\]/\\&/g' <<< "$cc_text")
expect_match "status" "$out" "^  $rel +linux-source-0.0 0.0.1-1, $ccre, prepared 20"
CLP_CACHE=$cache run "$clp" source status --json
expect_rc "status --json" 0
expect_match "json" "$out" "^      \"path\": \"$t\",$"
expect_match "json" "$out" "^      \"debian_version\": \"0.0.1-1\",$"

: > "$tmp/apt.log"
start=$(date +%s%N)
run "$clp" source prepare -k "$rel" --cache "$cache" --headers "$h"
ms=$(( ($(date +%s%N) - start) / 1000000 ))
expect_rc "second prepare" 0
expect_eq "no progress" "$err" ""
[ ! -s "$tmp/apt.log" ] || fail "second prepare called apt"
[ "$ms" -lt 1000 ] || fail "second prepare took $ms ms"
note "ok: second prepare: checked in $ms ms"

# headers that now name another Debian version: the tree is not theirs
cp -a "$h" "$tmp/h3"
sed -i 's/Debian 0.0.1-1/Debian 0.0.1-2/' "$tmp/h3/include/generated/utsversion.h"
run "$clp" source prepare -k "$rel" --cache "$cache" --headers "$tmp/h3"
expect_rc "tree of another Debian version" 1
expect_match "said" "$err" "^clp: the source tree $t is Debian 0.0.1-1, the headers at $tmp/h3 name Debian 0.0.1-2; remove the tree"
[ -d "$t" ] || fail "the tree was removed"

# copy: the source shared, generated files and directories its own
run "$clp" source copy -k "$rel" --cache "$cache" "$tmp/copy"
expect_rc "copy" 0
expect_eq "source shared" "$(stat -c %i "$tmp/copy/fs/proc/meminfo.c")" "$(stat -c %i "$t/fs/proc/meminfo.c")"
[ "$(stat -c %i "$tmp/copy/tools/objtool/.objtool.o.cmd")" != "$(stat -c %i "$t/tools/objtool/.objtool.o.cmd")" ] ||
	fail "a generated file is shared"
expect_eq "the copy's dependencies name the copy" "$(cat "$tmp/copy/tools/objtool/.objtool.o.cmd")" \
	"deps_objtool := $tmp/copy/fs/proc/meminfo.c"
expect_eq "their time kept" "$(stat -c %Y "$tmp/copy/tools/objtool/.objtool.o.cmd")" \
	"$(stat -c %Y "$t/tools/objtool/.objtool.o.cmd")"
echo rewritten > "$tmp/copy/tools/objtool/.objtool.o.cmd" || fail "generated file not writable in the copy"
expect_match "the tree's unchanged" "$(cat "$t/tools/objtool/.objtool.o.cmd")" "^deps_objtool"
touch "$tmp/copy/fs/proc/new.o" || fail "directory not writable in the copy"
[ -e "$t/fs/proc/new.o" ] && fail "new file in the tree"
note "ok: the copy is writable where kbuild writes, the tree untouched"
run "$clp" source copy -k "$rel" --cache "$cache" "$tmp/copy"
expect_rc "copy onto an existing path" 4
expect_eq "said" "$err" "clp: cannot copy the source tree to $tmp/copy: it exists"

mkdir -p "$cache/src/0.0-bad"
run "$clp" source path -k 0.0-bad --cache "$cache"
expect_rc "a tree without a stamp" 1
expect_match "said" "$err" "^clp: $cache/src/0.0-bad/.clp-source: No such file or directory; not a tree clp prepared"
cp -a "$t" "$cache/src/$rel.work"	# clp build's work copy, with the stamp
CLP_CACHE=$cache run "$clp" source status
expect_rc "status with a work copy and a tree without stamp" 0
expect_eq "status lists only the tree, silently" "$(grep -c 0.0- <<< "$out") $err" "1 "
run "$clp" source path -k "$rel.work" --cache "$cache"
expect_rc "path of a copy" 1
expect_eq "said" "$err" "clp: $cache/src/$rel.work/.clp-source: the tree is for release $rel, not $rel.work"

# refused_clean WHAT - the last run: exit 1, no tree, no temporary tree
refused_clean() {
	expect_rc "$1" 1
	[ ! -e "$c2/src/$rel" ] || fail "$1: a tree appeared"
	[ -z "$(ls "$c2/src" | grep '\.tmp\.')" ] || fail "$1: a temporary tree is left"
	note "ok: $1: no tree"
}
c2=$tmp/cache2
FAKE_EXTRA='CONFIG_EXTRA=y' run "$clp" source prepare -k "$rel" --cache "$c2" --headers "$h"
refused_clean "auto.conf differs"
expect_match "said" "$err" "^clp: include/config/auto.conf \\($rel\\) differs from the headers' \\(1 difference\\): CONFIG_EXTRA unset in the headers, y here$"
FAKE_UTS=0.0-other run "$clp" source prepare -k "$rel" --cache "$c2" --headers "$h"
refused_clean "utsrelease.h differs"
expect_match "said" "$err" "^clp: include/generated/utsrelease.h differs from the headers': UTS_RELEASE \"0.0-other\" here, \"$rel\" there$"
FAKE_FAIL=1 run "$clp" source prepare -k "$rel" --cache "$c2" --headers "$h"
refused_clean "make failing"
expect_match "said" "$err" "^clp: make modules_prepare failed; the end of $c2/src/$rel.log:$"
expect_match "the log's end" "$err" "^fake: modules_prepare failed$"

# SIGTERM while make runs: the make is killed, the partial tree removed
FAKE_SLEEP=$tmp/sleeping "$clp" source prepare -k "$rel" --cache "$c2" --headers "$h" \
	> "$tmp/sig.out" 2> "$tmp/sig.err" &
pid=$!
for i in $(seq 1 100); do [ -e "$tmp/sleeping" ] && break; sleep 0.1; done
[ -e "$tmp/sleeping" ] || fail "make did not start"
start=$(date +%s%N)
kill -TERM "$pid"
wait "$pid"
rc=$? err=$(cat "$tmp/sig.err")
ms=$(( ($(date +%s%N) - start) / 1000000 ))
refused_clean "SIGTERM"
expect_match "said" "$err" "^clp: interrupted \(Terminated\); no source tree for $rel$"
[ "$ms" -lt 5000 ] || fail "clp took $ms ms to stop"
[ -z "$(ps -eo args | grep -F "$tmp/sleeping" | grep -v grep)" ] || fail "the make still runs"
note "ok: stopped in $ms ms, make gone"

# temporary trees: a dead process's removed, a live one's kept
mkdir -p "$c2/src/$rel.tmp.$$/sub" "$c2/src/$rel.tmp.1"
dead=$$
while kill -0 "$dead" 2>/dev/null; do dead=$((dead + 7919)); done
mkdir -p "$c2/src/$rel.tmp.$dead/sub"
chmod -R a-w "$c2/src/$rel.tmp.$dead"
run "$clp" source prepare -k "$rel" --cache "$c2" --headers "$h"
expect_rc "prepare with temporary trees around" 0
[ ! -e "$c2/src/$rel.tmp.$dead" ] || fail "the dead process's temporary tree is left"
[ -d "$c2/src/$rel.tmp.$$" ] || fail "the live process's temporary tree was removed"
[ -d "$c2/src/$rel.tmp.1" ] || fail "init's temporary tree was removed"
note "ok: dead one removed, live ones kept"
