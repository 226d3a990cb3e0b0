# SPDX-License-Identifier: GPL-2.0
# tools/fetch-symbols end to end on a small fake -dbg package (apt-get is
# replaced by a script that hands it out): one streaming pass keeps
# System.map, reads the build-id of vmlinux, indexes vmlinux (callers in
# .init left out) and a module and keeps vmlinux's local symbols grouped by
# FILE symbol (symfiles); a second run with everything cached does nothing
# and takes under a second; a missing index or symfiles is fetched again; an
# indexer that does not run, or a package without System.map, fails with a
# clear error and changes nothing.
. "$(dirname "${BASH_SOURCE[0]}")/lib.bash"
idx=$TOP/build/host/bin/clp-index
[ -x "$idx" ] || fail "$idx missing (make tools)"
command -v dpkg-deb >/dev/null || skip "no dpkg-deb"

rel=0.0-clp-test
cat > "$tmp/t.c" <<'C'
static inline int leaf(int x) { return x * 3 + 1; }
int (*leaf_ptr)(int) = leaf;
static int counter;
int caller_a(int x) { counter++; return leaf(x) * 2; }
__attribute__((section(".init.text"), noinline)) int init_caller(int x) { return leaf(x) + 9; }
int main(void) { return 0; }
C
# the fake package: System.map, vmlinux (with a build-id note), a module
pkg=$tmp/pkg
d=$pkg/usr/lib/debug
mkdir -p "$pkg/DEBIAN" "$d/boot" "$d/lib/modules/$rel/kernel/drivers"
printf 'Package: linux-image-%s-dbg\nVersion: 1\nArchitecture: all\nMaintainer: clp <clp@example.org>\nDescription: test\n' "$rel" > "$pkg/DEBIAN/control"
gcc -g -O2 -Wl,--build-id=0x0123456789abcdef0123456789abcdef01234567 -o "$d/boot/vmlinux-$rel" "$tmp/t.c" ||
	fail "cannot link the fake vmlinux"
for i in $(seq 1 1500); do printf 'ffffffff81%06x t f%d\n' "$i" "$i"; done > "$d/boot/System.map-$rel"
gcc -g -O2 -c -o "$d/lib/modules/$rel/kernel/drivers/my-mod.ko" "$tmp/t.c"
echo "not a module" > "$d/lib/modules/$rel/kernel/drivers/README"
dpkg-deb -Zgzip --build "$pkg" "$tmp/fake.deb" >/dev/null || fail "dpkg-deb --build"

mkdir -p "$tmp/bin"
cat > "$tmp/bin/apt-get" <<SH
#!/bin/sh
echo "apt-get \$*" >> "$tmp/apt.log"
[ "\$1" = download ] && cp "\$FAKE_DEB" ./fake_1_all.deb
SH
chmod +x "$tmp/bin/apt-get"
export PATH=$tmp/bin:$PATH CLP_CACHE=$tmp/cache CLP_INDEX=$idx FAKE_DEB=$tmp/fake.deb
c=$tmp/cache/kernels/$rel

run "$TOP/tools/fetch-symbols" "$rel"
expect_rc "fetch" 0
expect_match "said" "$out" "^fetch-symbols: $rel: System.map, build-id 0123456789abcdef0123456789abcdef01234567, inline index \\([0-9]+ kB\\) and symbol files \\([0-9]+ files\\) cached \\([0-9]+ s\\)$"
expect_eq "System.map kept" "$(wc -l < "$c/System.map")" 1500
expect_eq "build-id" "$(cat "$c/build-id")" 0123456789abcdef0123456789abcdef01234567
expect_eq "index" "$(cat "$c/inlines")" "# clp-inlines 1 $rel build-id 0123456789abcdef0123456789abcdef01234567
# object vmlinux
vmlinux	leaf	caller_a
# object my_mod
my_mod	leaf	caller_a init_caller"
# symfiles: t.c's block holds its static function and variable, with the
# addresses and sizes of the symbol table; nothing global, no section symbol
expect_eq "symfiles header" "$(head -n 1 "$c/symfiles")" "# clp symfiles 1"
want=$(nm -S "$d/boot/vmlinux-$rel" | while read -r a s t n; do
	case "$n" in
	leaf) printf '%x %d t %s\n' "0x$a" "0x$s" "$n" ;;
	counter) printf '%x %d d %s\n' "0x$a" "0x$s" "$n" ;;
	esac
done | sort -k4)
got=$(awk '/^F / { f = $2; next } f == "t.c"' "$c/symfiles" | sort -k4)
expect_eq "symfiles: t.c's block" "$got" "$want"
expect_eq "symfiles: FILE blocks" "$(grep -c '^F t.c$' "$c/symfiles")" 1
expect_no_match "symfiles: no globals" "$(cat "$c/symfiles")" " (caller_a|leaf_ptr|main)$"
expect_no_match "symfiles: only t and d" "$(grep -v '^[#F]' "$c/symfiles")" "^[0-9a-f]+ [0-9]+ [^td] "
[ -z "$(ls "${TMPDIR:-/tmp}" | grep "^clp-fetch\.")" ] || note "(other clp-fetch.* directories exist in ${TMPDIR:-/tmp})"

: > "$tmp/apt.log"
start=$(date +%s%N)
run "$TOP/tools/fetch-symbols" "$rel"
ms=$(( ($(date +%s%N) - start) / 1000000 ))
expect_rc "second run" 0
[ ! -s "$tmp/apt.log" ] || fail "second run called apt-get"
[ "$ms" -lt 1000 ] || fail "second run took $ms ms"
note "ok: second run: nothing done in $ms ms"

rm "$c/inlines"
run "$TOP/tools/fetch-symbols" "$rel"
expect_rc "index missing: fetched again" 0
expect_match "index back" "$(cat "$c/inlines")" "^vmlinux	leaf	caller_a$"

cp "$c/symfiles" "$tmp/symfiles.before"
rm "$c/symfiles"
: > "$tmp/apt.log"
run "$TOP/tools/fetch-symbols" "$rel"
expect_rc "symfiles missing: fetched again" 0
[ -s "$tmp/apt.log" ] || fail "symfiles missing: apt-get not called"
cmp -s "$c/symfiles" "$tmp/symfiles.before" || fail "symfiles differ after the second fetch"
[ -z "$(ls "$c" | grep '\.tmp\.')" ] || fail "temporary files left in $c: $(ls "$c")"
note "ok: symfiles back, same content"

# an indexer that does not run for the module: the run fails, nothing cached
cat > "$tmp/bin/broken-index" <<SH
#!/bin/sh
case "\$*" in *vmlinux*) exec "$idx" "\$@" ;; esac
exit 127
SH
chmod +x "$tmp/bin/broken-index"
rm "$c/inlines"
CLP_INDEX=$tmp/bin/broken-index run "$TOP/tools/fetch-symbols" "$rel"
expect_rc "indexer failing" 1
expect_match "said" "$err" "^fetch-symbols: error: clp-index failed on 1 objects \\(first: my_mod\\); nothing cached$"
[ ! -e "$c/inlines" ] || fail "an index appeared"

# an indexer that cannot list vmlinux's symbols: nothing cached either
cat > "$tmp/bin/broken-symfiles" <<SH
#!/bin/sh
case "\$*" in *--symfiles*) echo "no symbols here" >&2; exit 1 ;; esac
exec "$idx" "\$@"
SH
chmod +x "$tmp/bin/broken-symfiles"
rm "$c/symfiles"
CLP_INDEX=$tmp/bin/broken-symfiles run "$TOP/tools/fetch-symbols" "$rel"
expect_rc "symfiles failing" 1
expect_match "said" "$err" "^fetch-symbols: error: clp-index failed on 1 objects \\(first: vmlinux \\(--symfiles\\)\\); nothing cached$"
expect_match "the indexer's message" "$err" "^no symbols here$"
[ ! -e "$c/symfiles" ] || fail "symfiles appeared"

rm "$d/boot/System.map-$rel"
dpkg-deb -Zgzip --build "$pkg" "$tmp/fake.deb" >/dev/null || fail "dpkg-deb --build"
cp "$c/System.map" "$tmp/map.before"
run "$TOP/tools/fetch-symbols" "$rel"
expect_rc "no System.map in the package" 1
expect_match "said" "$err" "^fetch-symbols: error: no System.map-$rel in "
cmp -s "$c/System.map" "$tmp/map.before" || fail "the cached System.map changed"
[ ! -e "$c/inlines" ] || fail "an index appeared"
note "ok: nothing changed"
