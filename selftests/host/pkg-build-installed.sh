# SPDX-License-Identifier: GPL-2.0
# An installed clp builds a patch module with the headers installed next
# to it (the include path compiled in agrees with PREFIX), outside any
# source tree.  Installed with PREFIX, DKMSDIR and STATEDIR in a temporary
# directory, no DESTDIR: the paths are the real ones of that install.
. "$(dirname "${BASH_SOURCE[0]}")/lib.bash"

command -v rst2man > /dev/null || skip "rst2man missing (python3-docutils; make setup)"
need_headers_61

p=$tmp/prefix
inst=(PREFIX="$p" DKMSDIR="$tmp/src" STATEDIR="$tmp/state")
run make -s -C "$TOP" install "${inst[@]}"
expect_rc "make install PREFIX=$p" 0

# A one-patch set and a made-up symbol table (names of real 6.1 symbols).
mkdir -p "$tmp/set" "$tmp/work"
cat > "$tmp/set/0010-fix.c" <<'C'
#include <linux/seq_file.h>
#include <clp/patch.h>
static int new_cmdline(struct seq_file *m, void *v) { seq_puts(m, "fixed\n"); return 0; }
CLP_FUNC(cmdline_proc_show, new_cmdline);
C
printf '%s\n' "ffffffff81000000 t cmdline_proc_show" "ffffffff81000100 t version_proc_show" \
	"ffffffff81000200 T nr_processes" "ffffffff81000300 D saved_command_line" > "$tmp/map"

cd "$tmp/work" || fail "cd"
bld() { run env -u CLP_INCLUDE "$p/bin/clp" build --kdir "$kdir" --system-map "$tmp/map" \
	--build-id 0123456789abcdef -o "$tmp/work/fix.ko" "$tmp/set"; }
bld
expect_rc "installed clp build" 0
run modinfo -F clp_patches "$tmp/work/fix.ko"
expect_eq "clp_patches" "$out" fix

# Without the installed headers it stops, naming where it looked.
rm -rf "$p/share/clp/include"
rm -f "$tmp/work/fix.ko"
bld
expect_rc "installed clp build without headers" 3
expect_match "installed clp build without headers" "$err" "$p/share/clp/include/clp/patch.h: clp headers missing"

run make -s -C "$TOP" uninstall "${inst[@]}"
expect_rc "make uninstall" 0
expect_eq "files left" "$(find "$p" "$tmp/src" "$tmp/state" -type f 2>/dev/null)" ""
