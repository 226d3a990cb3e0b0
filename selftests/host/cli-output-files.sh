# SPDX-License-Identifier: GPL-2.0
# How clp writes output files (clp build -o, clp install and its index):
# through a fresh temporary file in the destination directory, so a name
# planted at the old predictable temporary path (OUT.tmp.PID, a symlink to
# a victim file) is never followed; the result has mode 0644 less the umask
# and no temporary file is left behind.  (6.1 headers; skipped without.)
. "$(dirname "${BASH_SOURCE[0]}")/lib.bash"
need_clp
need_headers_61

fake_map "$tmp/map"
B=(-k "$rel" --system-map "$tmp/map" --build-id 0123456789abcdef)
mkdir -p "$tmp/set" "$tmp/out"
cat > "$tmp/set/10-one.c" <<'C'
#include <linux/seq_file.h>
#include <clp/patch.h>
static int new_cmdline(struct seq_file *m, void *v) { seq_puts(m, "x\n"); return 0; }
CLP_FUNC(cmdline_proc_show, new_cmdline);
C
echo "precious" > "$tmp/victim"
umask 022

# clp build -o: a symlink at OUT.tmp.<pid of clp> (exec keeps the shell's pid)
run bash -c 'ln -s "$1" "$2.tmp.$$" && exec "${@:3}"' _ "$tmp/victim" "$tmp/out/x.ko" \
	"$clp" build "${B[@]}" -n clp_files -o "$tmp/out/x.ko" "$tmp/set"
expect_rc "build with a planted symlink" 0
expect_eq "victim after build" "$(cat "$tmp/victim")" precious
[ -f "$tmp/out/x.ko" ] && [ ! -L "$tmp/out/x.ko" ] || fail "build: no regular output file"
expect_eq "build output mode" "$(stat -c %a "$tmp/out/x.ko")" 644
rm -f "$tmp/out"/x.ko.tmp.*
expect_eq "build leaves no temporary file" "$(ls -A "$tmp/out")" x.ko

# clp install: the module and the .order index
lib=$tmp/lib
mkdir -p "$lib/$rel"
run bash -c 'ln -s "$1" "$2/clp_files.ko.tmp.$$" && ln -s "$1" "$2/.order.tmp.$$" && exec "${@:3}"' \
	_ "$tmp/victim" "$lib/$rel" "$clp" install --dir "$lib" -k "$rel" "$tmp/out/x.ko"
expect_rc "install with planted symlinks" 0
expect_eq "victim after install" "$(cat "$tmp/victim")" precious
cmp -s "$tmp/out/x.ko" "$lib/$rel/clp_files.ko" || fail "installed copy differs"
expect_eq "installed mode" "$(stat -c %a "$lib/$rel/clp_files.ko")" 644
expect_eq "index" "$(cat "$lib/$rel/.order")" clp_files
rm -f "$lib/$rel"/*.tmp.* "$lib/$rel"/.order.tmp.*
expect_eq "install leaves no temporary file" "$(ls -A "$lib/$rel" | tr '\n' ' ')" ".order clp_files.ko "

# the umask is honoured like a plain creat(2)
rm -rf "$lib"
run bash -c 'umask 077 && exec "$@"' _ "$clp" install --dir "$lib" -k "$rel" "$tmp/out/x.ko"
expect_rc "install under umask 077" 0
expect_eq "installed mode under umask 077" "$(stat -c %a "$lib/$rel/clp_files.ko")" 600

# an unwritable destination: an error naming it, nothing left
mkdir -p "$tmp/ro"
chmod 555 "$tmp/ro"
if [ "$(id -u)" != 0 ]; then
	run "$clp" build "${B[@]}" -n clp_files -o "$tmp/ro/x.ko" "$tmp/set"
	expect_rc "build into a read-only directory" 4
	expect_match "read-only directory named" "$err" "$tmp/ro/x.ko: Permission denied"
	expect_eq "nothing in the read-only directory" "$(ls -A "$tmp/ro")" ""
fi
chmod 755 "$tmp/ro"
