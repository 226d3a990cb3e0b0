# SPDX-License-Identifier: GPL-2.0
# scripts/bash-completion/clp: commands, options per command, module files,
# loaded patches (from a fake $CLP_SYSFS) and installed patches (--dir).
# The commands are those of 'clp help' and each command's options exactly
# those its --help prints.
. "$(dirname "${BASH_SOURCE[0]}")/lib.bash"
need_clp

. "$TOP/scripts/bash-completion/clp" || fail "the completion does not source"
complete -p clp | grep -q -- '-F _clp clp$' || fail "no 'complete -F _clp clp'"

# comp EXPECTED WORD... - complete the command line WORD... (the last word
# is the one being completed); COMPREPLY must hold the words of EXPECTED,
# in any order
comp() {
	local expected=$1 got
	shift
	COMP_WORDS=("$@")
	COMP_CWORD=$(($# - 1))
	COMPREPLY=()
	_clp
	got=$(printf '%s\n' "${COMPREPLY[@]}" | LC_ALL=C sort | tr '\n' ' ')
	got=${got% }
	expected=$(printf '%s\n' $expected | LC_ALL=C sort | tr '\n' ' ')
	expected=${expected% }
	expect_eq "clp ${*:2} <TAB>" "$got" "$expected"
}

# A fake sysfs root: two patches and the 'functions' file.
sys=$tmp/sys
mkdir -p "$sys/clp_fix_a/vmlinux" "$sys/clp_fix_b"
: > "$sys/functions"
export CLP_SYSFS=$sys

# Module files to complete.
work=$tmp/work
mkdir -p "$work/mods" "$work/patches"
: > "$work/a.ko"; : > "$work/b.ko"; : > "$work/notes.txt"; : > "$work/fix.c"
cd "$work" || fail "cd"

comp "build check help info install list load package source uninstall unload" clp ""
comp "load list" clp l
comp "uninstall unload" clp un
comp "-h --help" clp -
comp "info install" clp help in

# Every command of 'clp help', and for each exactly the options of --help.
cmds=$("$clp" help | awk '/^Commands:/ { c = 1; next } c && !NF { exit } c { print $1 }')
comp "$(echo $cmds)" clp ""
for c in $cmds; do
	[ "$c" = help ] && continue
	comp "$(help_options "$clp" "$c" | tr '\n' ' ')" clp "$c" -
done

comp "--all --retries --delay -k --kver --dir -h --help" clp load -
comp "--all -t --timeout -h --help" clp unload -
comp "--json --dir -h --help" clp list -
comp "--dir -h --help -k --kver" clp install -
comp "--kdir --keep --kver" clp build --k
comp "-q --quiet --help -h" clp check -
comp "prepare path copy status" clp source ""
comp "path prepare" clp source -k 6.1.0-56-amd64 p
comp "mods patches" clp source copy ""
comp "" clp source status ""
comp "--json --jobs" clp source status --j
comp "a.ko b.ko mods patches" clp package ""
comp "" clp package -V ""

# Module files: .ko files and directories, nothing else.
comp "a.ko b.ko mods patches" clp load ""
comp "a.ko" clp check a
comp "a.ko b.ko mods patches" clp install -k 6.1.0-56-amd64 ""
comp "" clp load --all ""
comp "" clp load --all -k 6.1 ""
comp "mods patches" clp load --all --dir ""
comp "mods patches" clp list --dir ""
comp "" clp load --delay ""
comp "" clp unload --all ""
comp "fix.c mods patches" clp build -o out.ko ""
comp "mods patches" clp build --kdir ""
comp "" clp load --retries ""

# Loaded patches, from $CLP_SYSFS (directories only).
comp "clp_fix_a clp_fix_b" clp unload ""
comp "clp_fix_b" clp unload clp_fix_b
comp "clp_fix_a" clp unload --timeout 5 clp_fix_a
comp "a.ko b.ko clp_fix_a clp_fix_b mods patches" clp info ""
comp "clp_fix_a clp_fix_b" clp info --json clp
CLP_SYSFS=$tmp/none comp "" clp unload ""

# Installed patches, from DIR/KVER.
lib=$tmp/lib
mkdir -p "$lib/6.1.0-56-amd64" "$lib/6.12.0-x"
: > "$lib/6.1.0-56-amd64/clp_v1.ko"; : > "$lib/6.1.0-56-amd64/clp_v2.ko"
: > "$lib/6.12.0-x/clp_other.ko"; : > "$lib/6.1.0-56-amd64/README"
comp "clp_v1 clp_v2" clp uninstall --dir "$lib" -k 6.1.0-56-amd64 ""
comp "clp_v2" clp uninstall -k 6.1.0-56-amd64 --dir "$lib" clp_v2
comp "clp_other" clp uninstall --dir "$lib" --kver 6.12.0-x ""
CLP_LIB_DIR=$lib CLP_RELEASE=6.12.0-x comp "clp_other" clp uninstall ""
comp "" clp uninstall --dir "$lib" -k 5.10 ""
comp "mods patches" clp uninstall --dir ""
