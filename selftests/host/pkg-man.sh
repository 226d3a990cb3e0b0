# SPDX-License-Identifier: GPL-2.0
# The man pages (Documentation/man/*.rst -> build/man/*.8): rst2man builds
# them without a warning, groff renders them without a warning, there is
# one page per command of 'clp help' and of the documented CLI, and each
# has the usual sections.
. "$(dirname "${BASH_SOURCE[0]}")/lib.bash"

command -v rst2man > /dev/null || skip "rst2man missing (python3-docutils; make setup)"
command -v groff > /dev/null || skip "groff missing (groff-base; make setup)"

src=$TOP/Documentation/man
mandir=$tmp/man
# Build them the way 'make man' does, into a private directory.
for rst in "$src"/clp*.rst; do
	p=$(basename "$rst" .rst)
	run rst2man --halt=warning --exit-status=warning --no-generator --no-datestamp \
		"$rst" "$mandir-$p.8"
	[ "$rc" = 0 ] && [ -z "$err" ] || { show; fail "rst2man $p.rst: exit $rc"; }
	mkdir -p "$mandir" && mv "$mandir-$p.8" "$mandir/$p.8"
done
note "ok: rst2man: $(ls "$mandir" | wc -l) pages, no warning"
run make -s -C "$TOP" man
expect_rc "make man" 0

# A page for every command: the contract's and whatever clp itself lists.
cmds="build load unload list info check install uninstall"
if [ -x "$TOP/build/host/bin/clp" ]; then
	cmds="$cmds $("$TOP/build/host/bin/clp" help | awk '/^Commands:/ { c = 1; next } c && !NF { exit } c { print $1 }')"
fi
for c in $cmds; do
	[ "$c" = help ] && continue
	[ -f "$mandir/clp-$c.8" ] || fail "no man page for 'clp $c' (Documentation/man/clp-$c.rst)"
done
note "ok: a page for each of:" $(tr " " "\n" <<< "$cmds" | grep -vx help | sort -u)

for page in "$mandir"/*.8; do
	p=$(basename "$page" .8)
	run groff -man -Tutf8 -ww -z "$page"
	[ "$rc" = 0 ] && [ -z "$err" ] || { show; fail "groff warns on $p.8"; }
	text=$(groff -man -Tutf8 "$page" 2>/dev/null | sed 's/\x1b\[[0-9;]*m//g; s/.\x08//g')
	for s in NAME SYNOPSIS DESCRIPTION "EXIT STATUS" "SEE ALSO"; do
		grep -q "^$s\$" <<< "$text" || fail "$p.8 has no $s section"
	done
	expect_match "$p.8 NAME" "$text" "^ +$p - [a-z]"
	# every page it refers to exists (or is not clp's)
	for ref in $(grep -o 'clp-[a-z]*(8)' <<< "$text" | sort -u); do
		[ -f "$mandir/${ref%(8)}.8" ] || fail "$p.8 refers to missing $ref"
	done
	# the exit statuses come from the one shared file
	grep -E -q '^ *2 +Usage +error' <<< "$text" || fail "$p.8 lacks the shared exit statuses"
done
note "ok: groff renders every page without a warning"

if command -v man > /dev/null; then
	run man -l "$mandir/clp-load.8"
	expect_rc "man -l clp-load.8" 0
	expect_match "man -l clp-load.8" "$out" "clp load --all"
fi
