#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# make stress, in the guest: 2 x nproc processes call the patched getpid
# without pause while the core goes through CLP_STRESS_SWITCHES (1000)
# switches: enable, disable, supersede and rollback (fallback to an older
# enabled patch), by sysfs toggles and, every tenth cycle, a supersede by
# loading the newest module again, and a load refused because a task
# sleeps in a function it would replace.
#   - every answer is the original or one patch's version (clp-hammer);
#   - after every switch /functions names the expected live version;
#   - a refused switch (EBUSY) leaves every toggle and /functions as they
#     were;
#   - the kernel log stays clean (the harness fails on oops, WARN, BUG).
# Prints "switches=N refused=N cycles=N" and TAP-like ok/not ok lines.
. "$(dirname "$0")/../clp/lib.sh"

target=${CLP_STRESS_SWITCHES:-1000}
procs=$((2 * $(nproc)))
switches=0 refused=0 cycles=0 hammers=0

sysfs_state() {
	for p in clp_p_a clp_p_ab clp_p_abc; do
		[ -d $SYSCLP/$p ] && echo "$p $(cat $SYSCLP/$p/enabled) $(cat $SYSCLP/$p/live)"
	done
	cat $SYSCLP/functions
}

# expect_live NAME - /functions names NAME (or "(original)") for getpid
expect_live() {
	got=$(awk '$2 ~ /^__x64_sys_getpid,/ { print $3 }' $SYSCLP/functions)
	[ -z "$got" ] && got="(original)"
	[ "$got" = "$1" ] || fail "switch $switches: getpid is live in '$got', expected '$1'"
}

# toggle PATCH 0|1 LIVE - a switch that must either happen (then LIVE is
# getpid's live version) or be refused with nothing changed
toggle() {
	before=$(sysfs_state)
	if out=$(clp-write $SYSCLP/$1/enabled "$2" 2>&1); then
		switches=$((switches + 1))
		expect_live "$3"
		return 0
	fi
	case $out in
	*": EBUSY ("*) ;;
	*) fail "write $2 > $1/enabled: $out" ;;
	esac
	refused=$((refused + 1))
	[ "$(sysfs_state)" = "$before" ] || fail "a refused switch changed sysfs"
	return 1
}

# retry until it happens (a refusal only says a caller was inside getpid)
must() { while ! toggle "$@"; do :; done; }

hammer() {
	clp-hammer -n $procs 20 0,1,2,3 > /tmp/hammer.$hammers 2>&1 &
	hpid=$!
}
hammer_check() {
	wait $hpid
	rc=$?
	sed 's/^/  /' /tmp/hammer.$hammers
	[ $rc = 0 ] || fail "clp-hammer run $hammers saw an incoherent answer"
	grep -q '^hammer: calls=[1-9]' /tmp/hammer.$hammers || fail "clp-hammer made no calls"
	hammers=$((hammers + 1))
}

load clp
echo 2 > /sys/module/clp/parameters/switch_retries
load clp_test_target
load clp_p_a
load clp_p_ab
load clp_p_abc
switches=3
expect_live clp_p_abc
hammer
while [ $switches -lt $target ]; do
	must clp_p_abc 0 "(original)"		# disable: back to the original
	must clp_p_a 1 clp_p_a			# enable an older patch
	must clp_p_ab 1 clp_p_ab		# a newer one takes over
	must clp_p_ab 0 clp_p_a			# rollback: fall back to A
	must clp_p_abc 1 clp_p_abc		# supersede everything
	cycles=$((cycles + 1))
	if [ $((cycles % 10)) = 0 ]; then
		# supersede by loading the newest module again
		must clp_p_abc 0 "(original)"
		unload clp_p_abc
		before=$(sysfs_state)
		until out=$(clp-insmod "$(ko clp_p_abc)" 2>&1); do
			case $out in
			*": EBUSY ("*) ;;
			*) fail "insmod clp_p_abc: $out" ;;
			esac
			refused=$((refused + 1))
			[ "$(sysfs_state)" = "$before" ] || fail "a refused load changed sysfs"
		done
		switches=$((switches + 1))
		expect_live clp_p_abc
		# a switch refused for certain: a task sleeps in the original
		# clp_target_sleep, which clp_p_t1 would replace
		put /proc/clp_target_ctl sleep
		before=$(sysfs_state)
		out=$(clp-insmod "$(ko clp_p_t1)" 2>&1) && fail "insmod clp_p_t1 succeeded with a sleeper inside"
		case $out in
		*": EBUSY ("*) ;;
		*) fail "insmod clp_p_t1: $out" ;;
		esac
		refused=$((refused + 1))
		[ "$(sysfs_state)" = "$before" ] || fail "a refused load changed sysfs"
		expect_missing $SYSCLP/clp_p_t1
		put /proc/clp_target_ctl wake
	fi
	if ! kill -0 $hpid 2>/dev/null; then
		hammer_check
		hammer
	fi
done
hammer_check
echo "switches=$switches refused=$refused cycles=$cycles hammer-runs=$hammers callers=$procs"
for p in clp_p_abc clp_p_ab clp_p_a; do
	clp-write $SYSCLP/$p/enabled 0 >/dev/null 2>&1
done
echo "ok - stress: $switches switches, $refused refused, $procs callers"
