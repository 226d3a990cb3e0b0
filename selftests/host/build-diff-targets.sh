# SPDX-License-Identifier: GPL-2.0
# clp build with diffs to a file built into a module and to headers, against
# the 6.1 kernel's prepared source tree (skipped without it: make setup):
# the module's functions and its references are the module's (resolved by
# the core, no dependency on it), a duplicated local name of a module gets
# its position from the link order; a header compiles its includers, and
# --objects picks among them; the refusals (THIS_MODULE, too many
# includers, --objects naming a file that does not include the header, a
# header change that changes no function, a tracepoint in an includer),
# each with its message, exit status and no output file.
# host-timeout: 400
. "$(dirname "${BASH_SOURCE[0]}")/lib.bash"
. "$(dirname "${BASH_SOURCE[0]}")/diff-lib.bash"
need_clp
need_headers_61
src=$TOP/.cache/src/$rel
[ -f "$src/.clp-source" ] || skip "no prepared source tree for $rel (make setup)"
ko=$tmp/out.ko

# refused WHAT RC REGEX ARGS... - clp build ARGS exits RC saying REGEX, writes nothing
refused() {
	local what=$1 want=$2 re=$3
	shift 3
	run "$clp" build -k "$rel" -o "$ko" "$@"
	expect_rc "$what" "$want"
	expect_match "$what: message" "$err" "$re"
	[ -e "$ko" ] && fail "$what: $ko written"
	ls -A "$tmp" | grep -q '^\.out\.ko\.' && fail "$what: temporary output left behind"
	true
}

# ---- a module's file -----------------------------------------------------
run "$clp" build -k "$rel" -n clp_t_mod -o "$ko" "$TOP/selftests/diffs/module"
expect_rc "zram diff" 0
expect_match "zram diff: names the module" "$err" "zram_drv.c: zram:max_comp_streams_show changed"
run modinfo -F clp_func "$ko"
expect_eq "zram diff: the function is zram's" "$out" "zram max_comp_streams_show 0 0 zram-streams-major"
run modinfo -F clp_ref "$ko"
expect_eq "zram diff: zram_major is zram's, for the core" "$out" "zram zram_major 0"
run modinfo -F depends "$ko"
# (on clp itself only when the core's Module.symvers is built)
expect_no_match "zram diff: no dependency on zram" "$out" "zram"
rm -f "$ko"

# local names ext4 has more than once: ext4_filetype_table (a static
# const array of ext4.h, one copy each in dir.o and inline.o; dir.o is
# linked first) and __func__.0; positions come from the link order
mkdiff ext4/0001-fill.patch fs/ext4/dir.c '/^static int call_filldir/,/^}/s/\t\treturn 0;/\t\treturn -EINVAL;/'
run "$clp" build -k "$rel" -n clp_t_ext4 -o "$ko" "$tmp/ext4"
expect_rc "ext4 diff" 0
run modinfo -F clp_ref "$ko"
expect_match "ext4 diff: the first of two ext4_filetype_table" "$out" "^ext4 ext4_filetype_table 1$"
expect_match "ext4 diff: a numbered local, placed" "$out" "^ext4 __func__\.0 [1-9][0-9]*$"
rm -f "$ko"

# THIS_MODULE in changed module code
mkdiff thismod/0001-get.patch drivers/block/zram/zram_drv.c \
	'/^static ssize_t max_comp_streams_show/,/^}/s/return scnprintf(buf, PAGE_SIZE, "%d\\n", num_online_cpus());/return scnprintf(buf, PAGE_SIZE, "%d %s\\n", num_online_cpus(), module_name(THIS_MODULE));/'
refused "THIS_MODULE" 1 "max_comp_streams_show uses THIS_MODULE of zram" "$tmp/thismod"

# ---- headers ---------------------------------------------------------------
# both includers of license.h: load_module has a tracepoint clp refuses
refused "header: an includer refused" 1 "kernel/module/main.c: error: .*__tracepoint_module_load" \
	"$TOP/selftests/diffs/header"
expect_match "header: counts its includers" "$err" "include/linux/license.h is included by 2 C files"
run "$clp" build -k "$rel" -n clp_t_hdr -o "$ko" --objects kernel/bpf/syscall.o "$TOP/selftests/diffs/header"
expect_rc "header with --objects" 0
expect_match "header: compiles the one named" "$err" "compiling 1 object"
run modinfo -F clp_func "$ko"
expect_eq "header: the inlining caller is replaced" "$out" "vmlinux bpf_prog_load 0 0 license-clp"
rm -f "$ko"
refused "--objects: not an includer" 2 "--objects: fs/proc/meminfo.o does not include a header the diffs change" \
	--objects fs/proc/meminfo.o "$TOP/selftests/diffs/header"
refused "--objects without a header" 2 "--objects: the diffs change no header" \
	--objects fs/proc/meminfo.o "$TOP/selftests/diffs/proc-string"

# a header every other file includes
mkdiff wide/0001-wide.patch include/linux/utsname.h 's/^static inline struct new_utsname \*utsname(void)$/static inline struct new_utsname *utsname(void) \/* clp *\//'
refused "header: too many includers" 1 "the diffs change headers included by [0-9]+ C files .*at most 32.*--objects" "$tmp/wide"

# a header change that changes no function
mkdiff nochange/0001-comment.patch include/linux/license.h 's/^#define __LICENSE_H$/#define __LICENSE_H \/* no code *\//'
refused "header: no function changed" 1 "no function changed" --objects kernel/bpf/syscall.o "$tmp/nochange"
