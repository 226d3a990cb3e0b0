# SPDX-License-Identifier: GPL-2.0
# clp info, check and install/uninstall on a module made by clp build (6.1
# headers; skipped without them), against fake roots: release, build-id,
# kallsyms (missing, ambiguous, sympos range, references), an IPMODIFY
# owner in enabled_functions, states of the live patch, no core.
. "$(dirname "${BASH_SOURCE[0]}")/lib.bash"
need_clp
command -v python3 >/dev/null || skip "no python3"
need_headers_61

cat > "$tmp/map" <<'M'
ffffffff81000000 t cmdline_proc_show
ffffffff81000100 t version_proc_show
ffffffff81000300 D saved_command_line
ffffffff81000600 t dup_static
ffffffff81000700 t dup_static
M
id=0123456789abcdef0123456789abcdef01234567
mkdir -p "$tmp/set"
cat > "$tmp/set/10-one.c" <<'C'
#include <linux/seq_file.h>
#include <clp/patch.h>
extern char *saved_command_line;
static int new_cmdline(struct seq_file *m, void *v) { seq_puts(m, saved_command_line); return 0; }
CLP_FUNC(cmdline_proc_show, new_cmdline);
static int new_dup(void) { return 0; }
CLP_FUNC_POS(dup_static, new_dup, 2);
CLP_STATE(0x5ea7, 2);
C
cat > "$tmp/set/20-two.c" <<'C'
#include <linux/seq_file.h>
#include <clp/patch.h>
static int new_version(struct seq_file *m, void *v) { seq_puts(m, "v\n"); return 0; }
CLP_FUNC_NOCHECK(version_proc_show, new_version);
C
run "$clp" build -k "$rel" --system-map "$tmp/map" --build-id $id -n clp_cli -o "$tmp/clp_cli.ko" "$tmp/set"
expect_rc "build" 0
ko=$tmp/clp_cli.ko

# info FILE
run "$clp" info "$ko"
expect_rc "info FILE" 0
expect_match "name" "$out" "^name: +clp_cli$"
expect_match "version" "$out" "^version: +$rel\\+one\\+two$"
expect_match "patches" "$out" "^patches: +one two$"
expect_match "kernel" "$out" "^kernel: +$rel$"
expect_match "build-id" "$out" "^build-id: +$id$"
expect_match "function with sympos" "$out" "^  vmlinux dup_static,2 flags=0 from one$"
# one notation of sympos with sysfs and clp list: a unique name is ,1
expect_match "nocheck flag, unique name at 1" "$out" "^  vmlinux version_proc_show,1 flags=1 \\(nocheck\\) from two$"
expect_match "reference, unique name at 1" "$out" "^  vmlinux saved_command_line,1$"
expect_no_match "no sympos 0" "$out" ",0 "
expect_match "state" "$out" "^  24231 2$"
run "$clp" info --json "$ko"
expect_rc "info --json FILE" 0
python3 -c '
import json, sys
d = json.loads(sys.stdin.read())
assert d["name"] == "clp_cli" and d["source"] == "file"
assert d["patches"] == ["one", "two"] and d["objects"] == ["vmlinux"]
assert d["build_id"] == sys.argv[1] and d["kernel"] == sys.argv[2]
f = {x["name"]: x for x in d["functions"]}
assert f["dup_static"]["sympos"] == 2 and f["version_proc_show"]["flags"] == 1, f
assert f["cmdline_proc_show"]["sympos"] == 1, f
assert d["references"] == [{"object": "vmlinux", "symbol": "saved_command_line", "sympos": 1}]
assert d["states"] == [{"id": 0x5ea7, "version": 2}]
' $id "$rel" <<< "$out" || { show; fail "info --json FILE: unexpected JSON"; }
note "ok: info --json FILE parses and is complete"

# fake roots of a kernel the module fits
k=$tmp/k
mkdir -p "$k/sys/clp_old" "$k/proc" "$k/tracing"
echo 1 > "$k/sys/clp_old/order"; echo 1 > "$k/sys/clp_old/enabled"; echo 1 > "$k/sys/clp_old/live"
echo "$rel+old" > "$k/sys/clp_old/version"; printf '24231 1\n' > "$k/sys/clp_old/states"
echo "vmlinux cmdline_proc_show,1 clp_old" > "$k/sys/functions"
cp "$tmp/map" "$k/proc/kallsyms"
echo "clp_old 16384 1 - Live 0x0000000000000000 (K)" > "$k/proc/modules"
# the ELF note blob of /sys/kernel/notes: namesz 4, descsz 20, type 3, "GNU"
notes() { python3 -c '
import struct, sys
d = bytes.fromhex(sys.argv[1])
sys.stdout.buffer.write(struct.pack("<III", 4, len(d), 3) + b"GNU\0" + d)' "$1"; }
notes $id > "$k/notes"
echo "cmdline_proc_show (1) R I     tramp: 0xffffffffc0001000 (clp_ftrace_handler+0x0/0x100 [clp]) ->clp_ftrace_handler+0x0/0x100 [clp]" > "$k/tracing/enabled_functions"
export CLP_SYSFS=$k/sys CLP_PROC=$k/proc CLP_KERNEL_NOTES=$k/notes CLP_TRACEFS=$k/tracing CLP_RELEASE=$rel

run "$clp" check "$ko"
expect_rc "check of a fitting module" 0
expect_match "check passes" "$out" "the checks pass"
[ -z "$err" ] || { show; fail "check wrote to stderr"; }

CLP_RELEASE=6.1.0-other run "$clp" check "$ko"
expect_rc "other release" 3
expect_match "release mismatch" "$err" "^clp: clp_cli: built for kernel $rel, this kernel is 6.1.0-other$"
[ "$(wc -l <<< "$err")" = 1 ] || { show; fail "more than one line for one mismatch"; }

notes 00112233 > "$tmp/notes2"
CLP_KERNEL_NOTES=$tmp/notes2 run "$clp" check "$ko"
expect_rc "other build-id" 3
expect_match "build-id mismatch" "$err" "built for kernel build-id $id, this kernel is 00112233$"

grep -v cmdline_proc_show "$tmp/map" > "$tmp/ks1"
mkdir -p "$tmp/p1"; cp "$tmp/ks1" "$tmp/p1/kallsyms"; : > "$tmp/p1/modules"
CLP_PROC=$tmp/p1 run "$clp" check "$ko"
expect_rc "missing function" 3
expect_match "missing function named" "$err" "function cmdline_proc_show not found in vmlinux"

mkdir -p "$tmp/p2"; grep -v 'dup_static$' "$tmp/map" > "$tmp/p2/kallsyms"
echo "ffffffff81000600 t dup_static" >> "$tmp/p2/kallsyms"; : > "$tmp/p2/modules"
CLP_PROC=$tmp/p2 run "$clp" check "$ko"
expect_rc "sympos out of range" 3
expect_match "sympos named" "$err" "function dup_static,2 not found in vmlinux: only 1 candidates"

mkdir -p "$tmp/p3"; grep -v saved_command_line "$tmp/map" > "$tmp/p3/kallsyms"; : > "$tmp/p3/modules"
CLP_PROC=$tmp/p3 run "$clp" check "$ko"
expect_rc "unresolved reference" 3
expect_match "reference named" "$err" "reference saved_command_line not found in vmlinux"

mkdir -p "$tmp/t2"
echo "version_proc_show (1) R I     tramp: 0xffffffffc0002000 (kprobe_ftrace_handler+0x0/0x1a0) ->kprobe_ftrace_handler+0x0/0x1a0" > "$tmp/t2/enabled_functions"
echo "cmdline_proc_show (1) R       tramp: 0xffffffffc0003000 (function_trace_call+0x0/0x180)" >> "$tmp/t2/enabled_functions"
CLP_TRACEFS=$tmp/t2 run "$clp" check "$ko"
expect_rc "IPMODIFY owner" 3
expect_match "IPMODIFY owner named" "$err" "function version_proc_show in vmlinux is claimed by another ftrace IPMODIFY user"
expect_no_match "a plain tracer is no owner" "$err" "cmdline_proc_show"

CLP_TRACEFS=$tmp/none run "$clp" check "$ko"
expect_rc "no tracefs" 0
expect_match "no tracefs noticed" "$out" "tracefs is not available"

echo "24231 3" > "$k/sys/clp_old/states"
run "$clp" check "$ko"
expect_rc "older state" 3
expect_match "state version named" "$err" "the live patch clp_old has state 24231 at version 3, this module only version 2"
printf '24231 1\n7 1\n' > "$k/sys/clp_old/states"
run "$clp" check "$ko"
expect_rc "missing state" 3
expect_match "missing state named" "$err" "the live patch clp_old has state 7 \\(version 1\\), which this module does not carry"
echo "24231 2" > "$k/sys/clp_old/states"
run "$clp" check "$ko"
expect_rc "same state version" 0

CLP_SYSFS=$tmp/none run "$clp" check "$ko"
expect_rc "no core" 1
expect_match "no core named" "$err" "the clp core \\(clp.ko\\) is not loaded"

# several mismatches: one line each
CLP_RELEASE=x CLP_KERNEL_NOTES=$tmp/notes2 CLP_PROC=$tmp/p1 run "$clp" check "$ko"
expect_rc "three mismatches" 3
expect_eq "one line per mismatch" "$(wc -l <<< "$err")" 3

# install / uninstall
lib=$tmp/lib
run "$clp" install --dir "$lib" -k "$rel" "$ko"
expect_rc "install" 0
cmp -s "$ko" "$lib/$rel/clp_cli.ko" || fail "installed copy differs"
expect_eq "index" "$(cat "$lib/$rel/.order")" clp_cli
run "$clp" install --dir "$lib" -k "$rel" "$ko"
expect_rc "install again" 0
expect_match "install is idempotent" "$out" "already installed"
ls -a "$lib/$rel" | grep -q '^\.clp_cli\.ko\.\|^\.\.order\.' && fail "temporary file left"
run "$clp" install --dir "$lib" -k 6.12.0-other "$ko"
expect_rc "install for another kernel" 3
expect_match "foreign kernel refused" "$err" "built for kernel $rel, not 6.12.0-other; not installed"
[ -e "$lib/6.12.0-other" ] && fail "a directory for the foreign kernel was made"
CLP_LIB_DIR=$lib run "$clp" install "$ko"
expect_rc "install with CLP_LIB_DIR and the (fake) running release" 0

# the module file is read once: checked and installed from one copy, so a
# pipe works (two opens would find it empty the second time)
rm -rf "$tmp/lib-pipe"
run bash -c 'cat "$1" | "$2" install --dir "$3" -k "$4" /dev/stdin' _ "$ko" "$clp" "$tmp/lib-pipe" "$rel"
expect_rc "install from a pipe" 0
cmp -s "$ko" "$tmp/lib-pipe/$rel/clp_cli.ko" || fail "install from a pipe: installed copy differs"
note "ok: install from a pipe installs the bytes it checked"

# truncated and non-ELF files: say so and name the file
head -c 2000 "$ko" > "$tmp/trunc.ko"
for cmd in info check install; do
	run "$clp" $cmd "$tmp/trunc.ko"
	expect_rc "$cmd trunc.ko" 1
	expect_eq "$cmd trunc.ko message" "$err" "clp: $tmp/trunc.ko: not an ELF object, or truncated (no section headers)"
done
echo "not a module" > "$tmp/text.ko"
run "$clp" info "$tmp/text.ko"
expect_rc "info text.ko" 1
expect_eq "info text.ko message" "$err" "clp: $tmp/text.ko: not an ELF object, or truncated (no ELF header)"
[ -e "$tmp/lib-pipe/$rel/trunc.ko" ] && fail "a truncated module was installed"
run "$clp" build -k "$rel" --system-map "$tmp/map" --build-id $id -n clp_cli2 -o "$tmp/clp_cli2.ko" "$tmp/set/20-two.c"
expect_rc "build a second module" 0
CLP_LIB_DIR=$lib run "$clp" install "$tmp/clp_cli2.ko"
expect_rc "install a second" 0
CLP_LIB_DIR=$lib run "$clp" list
expect_match "newest first" "$out" "^  $rel \\(running\\): clp_cli2 clp_cli$"
CLP_LIB_DIR=$lib run "$clp" uninstall clp_cli2
expect_rc "uninstall" 0
[ -e "$lib/$rel/clp_cli2.ko" ] && fail "still installed"
expect_eq "index after uninstall" "$(cat "$lib/$rel/.order")" clp_cli
CLP_LIB_DIR=$lib run "$clp" uninstall clp_cli2
expect_rc "uninstall again" 0
expect_match "uninstall is idempotent" "$out" "not installed"
