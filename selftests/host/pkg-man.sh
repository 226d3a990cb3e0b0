# SPDX-License-Identifier: GPL-2.0
# The man pages (Documentation/man/*.rst -> build/man/*.8), the reference
# of the clp command.  First that they agree with the code: each command's
# options in the C option tables, its --help and its page; the exit
# statuses in tools/lib/exitcodes.h, 'clp help', each --help and
# exit-status.inc; the environment variables the code reads and clp.rst.
# Then that rst2man builds them and groff renders them without a warning,
# one page per command of 'clp help', each with the usual sections.
. "$(dirname "${BASH_SOURCE[0]}")/lib.bash"

src=$TOP/Documentation/man
need_clp
cmds=$("$clp" help | awk '/^Commands:/ { c = 1; next } c && !NF { exit } c && $1 != "help" { print $1 }')
[ -n "$cmds" ] || fail "clp help lists no command"

# src_options CMD - the options of CMD's getopt_long() call and table in
# its C file, one per line, sorted; table lines marked "internal" are not
# user options
src_options() {
	local f
	case $1 in
	install | uninstall) f=$TOP/tools/cmd_install.c ;;
	*) f=$TOP/tools/cmd_$1.c ;;
	esac
	[ -f "$f" ] || fail "no C file for clp $1 ($f)"
	{
		grep -E '^[[:space:]]*\{ "[a-z-]+", (no|required|optional)_argument' "$f" |
			grep -v internal | sed -E 's/^[^"]*"([a-z-]+)".*/--\1/'
		grep -oE 'getopt_long\(argc, argv, "[^"]*"' "$f" | sed -E 's/.*"(.*)"/\1/' |
			tr -d ':' | grep -oE '[A-Za-z0-9]' | sed 's/^/-/'
	} | LC_ALL=C sort -u
}

# section RST NAME - the body of the section NAME of a page
section() {
	awk -v want="$2" '/^=+$/ { sec = prev } /^\.\. include::/ { sec = "" }
			  sec == want && !/^=+$/ && $0 != want { print } { prev = $0 }' "$1"
}

# Options: the code, --help and the page list the same ones.
for c in $cmds; do
	page=$src/clp-$c.rst
	[ -f "$page" ] || fail "no man page for 'clp $c' ($page)"
	run "$clp" "$c" -h
	expect_rc "clp $c -h" 0
	code=$(src_options "$c"); help=$(help_options "$clp" "$c"); man=$(man_options "$page")
	[ "$code" = "$help" ] || { diff <(echo "$code") <(echo "$help") | sed 's/^/  code|help /'
		fail "clp $c: the C option table and --help disagree"; }
	[ "$help" = "$man" ] || { diff <(echo "$help") <(echo "$man") | sed 's/^/  help|page /'
		fail "clp $c: --help and clp-$c.rst (OPTIONS) disagree"; }
	# every option of the usage lines is in the page's SYNOPSIS
	syn=$(section "$page" SYNOPSIS)
	for o in $("$clp" "$c" --help | sed -n '/^Usage:/,/^$/p' | grep -oE -- '-(-?[A-Za-z][A-Za-z-]*)'); do
		grep -qF -- "**$o**" <<< "$syn" || fail "clp-$c.rst: SYNOPSIS lacks $o of the usage"
	done
	note "ok: clp $c: options agree:" $help
done

# Exit statuses: tools/lib/exitcodes.h, 'clp help' and exit-status.inc list the
# same values; each command's --help and the per-command list agree.
inc=$src/exit-status.inc
codes_h=$(grep -oE 'EXIT_[A-Z]+ = [0-9]+' "$TOP/tools/lib/exitcodes.h" | awk '{ print $3 }' | sort -u)
codes_help=$("$clp" help | sed -n 's/^  \([0-9]\)  .*/\1/p' | sort -u)
codes_inc=$(sed -n 's/^\*\*\([0-9]\)\*\*$/\1/p' "$inc" | sort -u)
expect_eq "exit statuses: clp help = exitcodes.h" "$(echo $codes_help)" "$(echo $codes_h)"
expect_eq "exit statuses: exit-status.inc = exitcodes.h" "$(echo $codes_inc)" "$(echo $codes_h)"
for c in $cmds help; do
	want=$(sed -n "s/^\* \*\*$c\*\*: \([0-9, ]*\)\$/\1/p" "$inc" | tr -d ',')
	[ -n "$want" ] || fail "exit-status.inc does not list the statuses of $c"
	for n in $want; do grep -qx "$n" <<< "$codes_h" || fail "exit-status.inc: $c: $n is no exit status"; done
	[ "$c" = help ] && continue
	got=$("$clp" "$c" --help | sed -n '/^Exit status:/,/^$/p' | tr '\n' ' ' |
		grep -oE '(: |; )[0-9] ' | tr -dc '0-9\n' | grep -o '[0-9]' | sort -u)
	expect_eq "exit statuses of $c: --help = exit-status.inc" "$(echo $got)" "$(echo $want)"
done

# Environment: the CLP_* variables the code reads are those clp.rst
# describes, and those 'clp help' names are among them.
env_code=$(grep -ohE '(getenv|root)\("CLP_[A-Z_]+"' "$TOP"/tools/*.c "$TOP"/tools/lib/*.c | grep -oE 'CLP_[A-Z_]+' | sort -u)
env_man=$(section "$src/clp.rst" ENVIRONMENT | grep -oE '^\*\*CLP_[A-Z_]+\*\*(, \*\*CLP_[A-Z_]+\*\*)*' |
	grep -oE 'CLP_[A-Z_]+' | sort -u)
expect_eq "environment: clp.rst = the code" "$(echo $env_man)" "$(echo $env_code)"
for v in $("$clp" help | sed -n '/^Environment:/,$p' | grep -oE 'CLP_[A-Z_]+' | sort -u); do
	grep -qx "$v" <<< "$env_code" || fail "clp help names $v, which the code does not read"
done
note "ok: clp help names only variables the code reads"

command -v rst2man > /dev/null || skip "rst2man missing (python3-docutils; make setup)"
command -v groff > /dev/null || skip "groff missing (groff-base; make setup)"

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

# A page for every command clp lists.
for c in $cmds; do
	[ -f "$mandir/clp-$c.8" ] || fail "no man page for 'clp $c' (Documentation/man/clp-$c.rst)"
done
note "ok: a page for each of:" $cmds

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
	grep -E -q '^ *2 +Bad +command +line' <<< "$text" || fail "$p.8 lacks the shared exit statuses"
done
note "ok: groff renders every page without a warning"

if command -v man > /dev/null; then
	run man -l "$mandir/clp-load.8"
	expect_rc "man -l clp-load.8" 0
	expect_match "man -l clp-load.8" "$out" "clp load --all"
fi
