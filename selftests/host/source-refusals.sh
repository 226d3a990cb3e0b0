# SPDX-License-Identifier: GPL-2.0
# clp source: every refusal before anything is downloaded, without network
# (apt-get and apt-cache are fakes that log their calls): 'path' of a
# release without a tree; prepare without headers, with headers of another
# release or without a Debian version; a compiler, GCC, assembler or linker
# version that differs from the kernel's .config, or a compiler missing;
# a source version the archive lacks (the versions it has are named).
# Each exits with its status and one message, leaves no tree and no
# temporary tree, and only the last one calls apt.
. "$(dirname "${BASH_SOURCE[0]}")/lib.bash"
. "$(dirname "${BASH_SOURCE[0]}")/source-lib.bash"
need_clp
command -v gcc >/dev/null && command -v as >/dev/null && command -v ld >/dev/null || skip "no gcc/binutils"

rel=0.0-clp-test
cache=$tmp/cache
h=$tmp/headers
fake_headers "$h" "$rel" 0.0.1-1
fake_apt "$tmp/bin"
export PATH=$tmp/bin:$PATH CLP_CACHE=$cache
: > "$tmp/apt.log"

# nothing_left WHAT - no tree, no temporary tree, apt not called
nothing_left() {
	[ ! -e "$cache/src/$rel" ] || fail "$1: a tree appeared"
	[ -z "$(ls "$cache/src" 2>/dev/null | grep '\.tmp\.')" ] || fail "$1: a temporary tree is left: $(ls "$cache/src")"
	[ ! -s "$tmp/apt.log" ] || fail "$1: apt was called: $(cat "$tmp/apt.log")"
	note "ok: $1: nothing left, apt not called"
}

run "$clp" source path -k "$rel"
expect_rc "path without a tree" 3
expect_eq "said" "$err" "clp: no prepared source tree for $rel in $cache/src (clp source prepare -k $rel)"
run "$clp" source path -k "$rel" --cache "$tmp/other"
expect_rc "path, --cache" 3
expect_match "said" "$err" "in $tmp/other/src "
run "$clp" source status
expect_rc "status, empty" 0
expect_eq "status" "$out" "source trees: 0 in $cache/src"

run "$clp" source prepare -k "$rel"
expect_rc "no headers" 3
expect_eq "said" "$err" "clp: no headers tree for $rel at $cache/kernels/$rel/build (no .config; scripts/setup unpacks the matrix kernels')"
nothing_left "no headers"

run "$clp" source prepare -k 0.0-other --headers "$h"
expect_rc "headers of another release" 1
expect_eq "said" "$err" "clp: the headers at $h are for release $rel, not 0.0-other"
nothing_left "other release"

# hdr_case WHAT RC REGEX SED - prepare with a copy of the headers whose
# .config (or other file) SED edits: refused with RC and a message
hdr_case() {
	rm -rf "$tmp/h2" && cp -a "$h" "$tmp/h2"
	(cd "$tmp/h2" && eval "$4") || fail "$1: cannot edit the headers"
	run "$clp" source prepare -k "$rel" --headers "$tmp/h2"
	expect_rc "$1" "$2"
	expect_match "said" "$err" "$3"
	[ "$(wc -l <<< "$err")" = 1 ] || { show; fail "$1: more than one line"; }
	nothing_left "$1"
}

hdr_case "no Debian version" 1 \
	"^clp: the headers at $tmp/h2 name no Debian version \\(UTS_VERSION in include/generated/utsversion.h\\): only Debian kernels are supported$" \
	"echo '#define UTS_VERSION \"#1 SMP\"' > include/generated/utsversion.h"
hdr_case "another compiler version" 1 \
	"^clp: compiler mismatch: $rel was built with 'gcc \\(Debian 11.3.0-12\\) 11.3.0' \\(CONFIG_CC_VERSION_TEXT\\), gcc on PATH is '.*'$" \
	"sed -i 's/^CONFIG_CC_VERSION_TEXT=.*/CONFIG_CC_VERSION_TEXT=\"gcc (Debian 11.3.0-12) 11.3.0\"/' .config"
hdr_case "a compiler not on PATH" 3 \
	"^clp: $rel was built with 'gcc-99 \\(Debian 99.1.0-1\\) 99.1.0' \\(CONFIG_CC_VERSION_TEXT\\); gcc-99 is not on PATH$" \
	"sed -i 's/^CONFIG_CC_VERSION_TEXT=.*/CONFIG_CC_VERSION_TEXT=\"gcc-99 (Debian 99.1.0-1) 99.1.0\"/' .config"
hdr_case "another GCC version" 1 \
	"^clp: compiler mismatch: $rel was built with GCC version 110300 \\(CONFIG_GCC_VERSION\\), gcc is $gcc_v$" \
	"sed -i 's/^CONFIG_GCC_VERSION=.*/CONFIG_GCC_VERSION=110300/' .config"
hdr_case "a clang kernel" 1 \
	"^clp: $rel was not built with GCC \\(CONFIG_GCC_VERSION\\); only GCC-built kernels are supported$" \
	"sed -i 's/^CONFIG_GCC_VERSION=.*/CONFIG_GCC_VERSION=0/' .config"
hdr_case "another assembler" 1 \
	"^clp: assembler mismatch: $rel was built with assembler version 23900 \\(CONFIG_AS_VERSION\\), as on PATH is $as_v \\('GNU assembler .*'\\)$" \
	"sed -i 's/^CONFIG_AS_VERSION=.*/CONFIG_AS_VERSION=23900/' .config"
hdr_case "another linker" 1 \
	"^clp: linker mismatch: $rel was built with linker version 23500 \\(CONFIG_LD_VERSION\\), ld on PATH is $ld_v \\('GNU ld .*'\\)$" \
	"sed -i 's/^CONFIG_LD_VERSION=.*/CONFIG_LD_VERSION=23500/' .config"

# the archive lacks the version: apt's error in the log, the versions it has named
FAKE_MADISON="0.0.0-9 0.0.0-8" run "$clp" source prepare -k "$rel" --headers "$h"
expect_rc "version not in the archive" 3
expect_match "said" "$err" "^clp: cannot download linux-source-0.0 0.0.1-1, the source of $rel; the archive has linux-source-0.0 0.0.0-9, 0.0.0-8$"
expect_match "apt's message shown" "$err" "^E: Version '0.0.1-1' for 'linux-source-0.0' was not found$"
expect_match "progress" "$err" "^clp source: downloading linux-source-0.0 0.0.1-1$"
expect_match "apt-get asked for the exact version" "$(cat "$tmp/apt.log")" "^apt-get download -q linux-source-0.0=0.0.1-1$"
: > "$tmp/apt.log"
nothing_left "version not in the archive"
FAKE_MADISON="" run "$clp" source prepare -k "$rel" --headers "$h"
expect_rc "package not in the archive" 3
expect_match "said" "$err" "^clp: cannot download linux-source-0.0 0.0.1-1, the source of $rel; the archive has linux-source-0.0 in no version \\(apt-get update\\?\\)$"
: > "$tmp/apt.log"
nothing_left "package not in the archive"

# bad command lines
for args in "" "prepare path" "frobnicate" "path --json" "status -k $rel" "path -j 2" "prepare -j 0" "prepare -k ../x"; do
	run "$clp" source $args
	expect_rc "clp source $args" 2
done
