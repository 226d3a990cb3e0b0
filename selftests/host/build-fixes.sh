# SPDX-License-Identifier: GPL-2.0
# The catalogue of real stable fixes (selftests/fixes, see its README):
# every patch has the header the tests read, and README lists each one;
# the fixes clp must refuse (selftests/fixes/refused/6.1) are refused by
# 'clp build' against the previous 6.1 ABI's prepared Debian source tree
# (skipped without it: make setup) with the message their Refused: line
# names, exit status 1 and no output file.  The accepted ones are built
# and run in the guest by scripts/check (87-real-fixes).
# host-timeout: 300
. "$(dirname "${BASH_SOURCE[0]}")/lib.bash"

fixes=$TOP/selftests/fixes
# hdr PATCH KEY - the value of its header line "KEY: value"
hdr() { sed -n -e '/^--- /q' -e "s/^$2: //p" "$1" | head -n 1; }

# ---- the headers --------------------------------------------------------
modules=
for f in "$fixes"/6.1/*.patch; do
	b=$(basename "$f")
	[[ $b =~ ^[0-9]{4}-[A-Za-z0-9_.-]+\.patch$ ]] || fail "$b: not NNNN-name.patch"
	for key in Subject Stable Module Functions Note; do
		[ -n "$(hdr "$f" $key)" ] || fail "$b: no $key: line"
	done
	m=$(hdr "$f" Module)
	[[ $m =~ ^clp_f_[a-z0-9_]+$ ]] || fail "$b: Module: $m is not clp_f_<name>"
	[ "$m" != clp_f_all ] || fail "$b: clp_f_all is the cumulative module"
	case " $modules " in *" $m "*) fail "$b: Module: $m used twice" ;; esac
	modules="$modules $m"
	if [ -n "$(hdr "$f" Observe)" ]; then
		[ -n "$(hdr "$f" Unfixed)" ] && [ -n "$(hdr "$f" Fixed)" ] ||
			fail "$b: Observe: needs Unfixed: and Fixed:"
		[ "$(hdr "$f" Unfixed)" != "$(hdr "$f" Fixed)" ] ||
			fail "$b: Unfixed: and Fixed: are the same (a Workload:/Expect: then)"
	else
		[ -n "$(hdr "$f" Workload)" ] && [ -n "$(hdr "$f" Expect)" ] ||
			fail "$b: neither Observe:/Unfixed:/Fixed: nor Workload:/Expect:"
	fi
	grep -q -F "$b" "$fixes/README" || fail "$b is not in selftests/fixes/README"
done
[ -n "$modules" ] || fail "no fixes in $fixes/6.1"
note "ok: the headers of $(ls "$fixes"/6.1/*.patch | wc -l) fixes:$modules"
refused=("$fixes"/refused/6.1/*.patch)
[ -e "${refused[0]}" ] || fail "no refused fixes in $fixes/refused/6.1"
for f in "${refused[@]}"; do
	b=$(basename "$f")
	for key in Subject Stable Refused Note; do
		[ -n "$(hdr "$f" $key)" ] || fail "$b: no $key: line"
	done
	grep -q -F "$b" "$fixes/README" || fail "$b is not in selftests/fixes/README"
done
note "ok: the headers of ${#refused[@]} refused fixes"

# ---- the refused ones -----------------------------------------------------
need_clp
rel=$("$TOP/scripts/kernel-release" 6.1-prev 2>/dev/null) ||
	skip "no previous 6.1 ABI (6.1-prev) in the matrix (make setup)"
[ -f "$TOP/.cache/src/$rel/.clp-source" ] || skip "no prepared source tree for $rel (make setup)"
ko=$tmp/out.ko
for f in "${refused[@]}"; do
	b=$(basename "$f")
	run "$clp" build -k "$rel" -n clp_f_refused -o "$ko" "$f"
	expect_rc "$b" 1
	expect_match "$b: message" "$err" "$(hdr "$f" Refused | sed 's/[][\.*^$()+?{}|]/\\&/g')"
	[ -e "$ko" ] && fail "$b: $ko written"
	ls -A "$tmp" | grep -q '^\.out\.ko\.' && fail "$b: temporary output left behind"
done
true
