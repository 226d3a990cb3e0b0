# SPDX-License-Identifier: GPL-2.0
# clp list and clp info NAME against a fake /sys/kernel/clp (CLP_SYSFS):
# registration order, live/shadowed/disabled, functions, installed modules;
# --json is valid JSON (python3) with strings escaped.
. "$(dirname "${BASH_SOURCE[0]}")/lib.bash"
need_clp
command -v python3 >/dev/null || skip "no python3"

sys=$tmp/sys
# patch NAME ORDER ENABLED LIVE VERSION PATCHES STATES
patch() {
	mkdir -p "$sys/$1"
	echo "$2" > "$sys/$1/order"; echo "$3" > "$sys/$1/enabled"; echo "$4" > "$sys/$1/live"
	printf '%s\n' "$5" > "$sys/$1/version"
	printf '%b' "$6" > "$sys/$1/patches"; printf '%b' "$7" > "$sys/$1/states"
	mkdir -p "$sys/$1/vmlinux"; echo 1 > "$sys/$1/vmlinux/patched"
}
# registered out of name order on purpose: zz first, then ab, then a (a re-inserted)
patch clp_zz 3 1 0 '6.1.0-x+z' 'fix-z\n' ''
patch clp_ab 7 1 1 '6.1.0-x+fix-a+"quoted"\back\slash' 'fix-a\nfix-b\n' '24231 2\n'
patch clp_a 5 0 0 '6.1.0-x+fix-a' 'fix-a\n' ''
mkdir -p "$sys/clp_ab/vmlinux/cmdline_proc_show,1" "$sys/clp_ab/vmlinux/version_proc_show,1"
echo 1 > "$sys/clp_ab/vmlinux/cmdline_proc_show,1/live"
echo 1 > "$sys/clp_ab/vmlinux/version_proc_show,1/live"
cat > "$sys/functions" <<'F'
vmlinux cmdline_proc_show,1 clp_ab
vmlinux version_proc_show,1 clp_ab
vmlinux meminfo_proc_show,1 (original)
F
lib=$tmp/lib
mkdir -p "$lib/6.1.0-x" "$lib/6.12.0-y"
touch "$lib/6.1.0-x/clp_a.ko" "$lib/6.1.0-x/clp_ab.ko" "$lib/6.12.0-y/clp_q.ko"
printf 'clp_ab\nclp_a\n' > "$lib/6.1.0-x/.order"	# clp_a installed last: newest
export CLP_SYSFS=$sys CLP_LIB_DIR=$lib CLP_RELEASE=6.1.0-x CLP_SYS_MODULE=$tmp/none

run "$clp" list
expect_rc "list" 0
expect_match "zz first, shadowed" "$(sed -n 2p <<< "$out")" "^  3 +clp_zz +shadowed +6.1.0-x\\+z$"
expect_match "a second, disabled" "$(sed -n 3p <<< "$out")" "^  5 +clp_a +disabled "
expect_match "ab last, live" "$(sed -n 4p <<< "$out")" "^  7 +clp_ab +live "
expect_match "functions counted" "$out" "^functions: 3$"
expect_match "function and its live patch" "$out" "^  vmlinux +cmdline_proc_show,1 +clp_ab$"
expect_match "original function" "$out" "^  vmlinux +meminfo_proc_show,1 +\\(original\\)$"
expect_match "installed, newest first, running marked" "$out" "^  6.1.0-x \\(running\\): clp_a clp_ab$"
expect_match "other kernel" "$out" "^  6.12.0-y: clp_q$"

run "$clp" list --json
expect_rc "list --json" 0
python3 -c '
import json, sys
d = json.loads(sys.stdin.read())
assert d["core_loaded"] is True
p = d["patches"]
assert [x["name"] for x in p] == ["clp_zz", "clp_a", "clp_ab"], p
assert [x["state"] for x in p] == ["shadowed", "disabled", "live"], p
assert p[2]["version"] == "6.1.0-x+fix-a+\"quoted\"\\back\\slash", p[2]["version"]
assert p[2]["patches"] == ["fix-a", "fix-b"]
assert p[2]["order"] == 7 and p[2]["live"] is True and p[0]["enabled"] is True
f = d["functions"]
assert f[0] == {"object": "vmlinux", "function": "cmdline_proc_show", "sympos": 1, "live_patch": "clp_ab"}, f[0]
assert f[2]["live_patch"] is None
k = {x["kernel"]: x for x in d["installed"]["kernels"]}
assert k["6.1.0-x"]["modules"] == ["clp_a", "clp_ab"] and k["6.1.0-x"]["running"] is True
assert k["6.12.0-y"]["modules"] == ["clp_q"]
' <<< "$out" || { show; fail "list --json: unexpected JSON"; }
note "ok: list --json parses and holds the tree"

run "$clp" info clp_ab
expect_rc "info NAME" 0
expect_match "info state" "$out" "^state: +live \\(enabled 1, live 1, order 7\\)"
expect_match "info functions" "$out" "^  vmlinux version_proc_show,1 live$"
expect_match "info states" "$out" "^  24231 2$"
run "$clp" info --json clp_ab
expect_rc "info --json NAME" 0
python3 -c '
import json, sys
d = json.loads(sys.stdin.read())
assert d["name"] == "clp_ab" and d["state"] == "live" and d["order"] == 7
assert d["patches"] == ["fix-a", "fix-b"]
assert d["states"] == [{"id": 24231, "version": 2}]
assert {f["name"] for f in d["functions"]} == {"cmdline_proc_show", "version_proc_show"}
' <<< "$out" || { show; fail "info --json NAME: unexpected JSON"; }
note "ok: info --json NAME parses"
run "$clp" info clp_nope
expect_rc "info of an unknown patch" 1
expect_match "unknown patch named" "$err" "clp_nope: no such patch registered"

# no core: list says so and exits 0, JSON too
CLP_SYSFS=$tmp/none run "$clp" list
expect_rc "list without the core" 0
expect_match "no core" "$out" "the clp core is not loaded"
CLP_SYSFS=$tmp/none run "$clp" list --json
python3 -c 'import json,sys; d=json.load(sys.stdin); assert d["core_loaded"] is False and d["patches"] == []' <<< "$out" ||
	fail "list --json without the core"
note "ok: list --json without the core"
