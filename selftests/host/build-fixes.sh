# SPDX-License-Identifier: GPL-2.0
# The catalogue of real stable fixes (selftests/fixes, see its README), of
# each series (6.1, 6.12): every patch has the header the tests read, the
# module names are unique across the series, and README lists each one;
# the fixes clp must refuse (selftests/fixes/refused/<series>) are refused
# by 'clp build' against the previous ABI's prepared Debian source tree of
# that series (6.1-prev, 6.12-prev; skipped without it: make setup) with the
# message their Refused: line names, exit status 1 and no output file.  The
# accepted ones are built and run in the guest by scripts/check
# (87-real-fixes).
# host-timeout: 300
. "$(dirname "${BASH_SOURCE[0]}")/lib.bash"

fixes=$TOP/selftests/fixes
series="6.1 6.12"
# hdr PATCH KEY - the value of its header line "KEY: value"
hdr() { sed -n -e '/^--- /q' -e "s/^$2: //p" "$1" | head -n 1; }

# ---- the headers --------------------------------------------------------
modules=
for s in $series; do
	n=0
	for f in "$fixes/$s"/*.patch; do
		[ -e "$f" ] || break
		b=$s/$(basename "$f")
		[[ ${b#*/} =~ ^[0-9]{4}-[A-Za-z0-9_.-]+\.patch$ ]] || fail "$b: not NNNN-name.patch"
		for key in Subject Stable Module Functions Note; do
			[ -n "$(hdr "$f" $key)" ] || fail "$b: no $key: line"
		done
		m=$(hdr "$f" Module)
		[[ $m =~ ^clp_f_[a-z0-9_]+$ ]] || fail "$b: Module: $m is not clp_f_<name>"
		[ "$m" != clp_f_all ] || fail "$b: clp_f_all is the cumulative module"
		case " $modules " in *" $m "*) fail "$b: Module: $m used twice" ;; esac
		modules="$modules $m"
		for m in $(hdr "$f" Modprobe); do
			[[ $m =~ ^[A-Za-z0-9_]+$ ]] || fail "$b: Modprobe: $m is not a module name"
		done
		if [ -n "$(hdr "$f" Observe)" ]; then
			[ -n "$(hdr "$f" Unfixed)" ] && [ -n "$(hdr "$f" Fixed)" ] ||
				fail "$b: Observe: needs Unfixed: and Fixed:"
			[ "$(hdr "$f" Unfixed)" != "$(hdr "$f" Fixed)" ] ||
				fail "$b: Unfixed: and Fixed: are the same (a Workload:/Expect: then)"
		else
			[ -n "$(hdr "$f" Workload)" ] && [ -n "$(hdr "$f" Expect)" ] ||
				fail "$b: neither Observe:/Unfixed:/Fixed: nor Workload:/Expect:"
		fi
		grep -q -F "$(basename "$f")" "$fixes/README" || fail "$b is not in selftests/fixes/README"
		n=$((n + 1))
	done
	[ $n != 0 ] || fail "no fixes in $fixes/$s"
	note "ok: the headers of $n fixes of $s"
	n=0
	for f in "$fixes/refused/$s"/*.patch; do
		[ -e "$f" ] || break
		b=refused/$s/$(basename "$f")
		for key in Subject Stable Refused Note; do
			[ -n "$(hdr "$f" $key)" ] || fail "$b: no $key: line"
		done
		grep -q -F "$(basename "$f")" "$fixes/README" || fail "$b is not in selftests/fixes/README"
		n=$((n + 1))
	done
	note "ok: the headers of $n refused fixes of $s"
done
[ -n "$(ls "$fixes"/refused/*/*.patch 2>/dev/null)" ] || fail "no refused fixes in $fixes/refused"
note "ok: module names:$modules"

# ---- the refused ones -----------------------------------------------------
need_clp
ko=$tmp/out.ko
tried=0
for s in $series; do
	refused=("$fixes/refused/$s"/*.patch)
	[ -e "${refused[0]}" ] || continue
	if ! rel=$("$TOP/scripts/kernel-release" $s-prev 2>/dev/null); then
		note "SKIP: refused/$s: no previous $s ABI ($s-prev) in the matrix (make setup)"
		continue
	fi
	if [ ! -f "$TOP/.cache/src/$rel/.clp-source" ]; then
		note "SKIP: refused/$s: no prepared source tree for $rel (make setup)"
		continue
	fi
	for f in "${refused[@]}"; do
		b=refused/$s/$(basename "$f")
		run "$clp" build -k "$rel" -n clp_f_refused -o "$ko" "$f"
		expect_rc "$b" 1
		expect_match "$b: message" "$err" "$(hdr "$f" Refused | sed 's/[][\.*^$()+?{}|]/\\&/g')"
		[ -e "$ko" ] && fail "$b: $ko written"
		ls -A "$tmp" | grep -q '^\.out\.ko\.' && fail "$b: temporary output left behind"
		tried=$((tried + 1))
	done
done
[ $tried != 0 ] || skip "no previous ABI with a prepared source tree (make setup)"
true
