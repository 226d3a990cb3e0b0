#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# make bench, in the guest: clp and the kernel's livepatch on the same
# functions of clp_bench_target, one after the other in one boot.  Prints
# one line "sample KEY VALUE" per measurement; scripts/bench takes the
# medians and the ratios.  Times are read from /proc/clp_bench_now with the
# shell's own read (no fork), so only the work measured is in them.
#
#   call_base            one call of the unpatched control function (ps)
#   call_SYS_N           what a call of a patched function costs more than
#                        the control, with N functions of SYS live (ps);
#                        call_none_0: the same with nothing patched
#   live_SYS_N           from insmod to live, N functions (ns)
#   off_SYS_N            from disabling to the original running again (ns)
#   slab_SYS, vmalloc_SYS  bytes of slab and vmalloc per patched function
#                        (the patch module's own memory included)
#   sw_total_SYS_S       from insmod to live, 100 functions, S extra
#                        sleeping tasks (ns); livepatch in one round only
#                        (its disable alone takes half a minute under TCG)
#   sw_precheck_clp_S, sw_pause_clp_S, sw_stopped_clp_S
#                        clp's stack pre-check, its stop_machine() as the
#                        caller sees it (the longest pause of any CPU) and
#                        the work inside stop_machine, from clp's pr_debug
#                        "switch timing" line (ns)
# CLP_BENCH_ROUNDS (3) rounds of each lifecycle figure (CLP_BENCH_ROUNDS_1000
# (2) with 1000 functions: livepatch takes minutes), CLP_BENCH_CALL_ROUNDS
# (21) of each call figure, measured in the first round, CLP_BENCH_CALLS
# (100000) calls per round.
. "$(dirname "$0")/../clp/lib.sh"

rounds=${CLP_BENCH_ROUNDS:-3}
rounds_1000=${CLP_BENCH_ROUNDS_1000:-2}
call_rounds=${CLP_BENCH_CALL_ROUNDS:-21}
calls=${CLP_BENCH_CALLS:-100000}
KLP=/sys/kernel/livepatch

now() { read -r NOW < /proc/clp_bench_now; }
sample() { echo "sample $1 $2"; }

# calls KEY - call_rounds samples of the patched call's extra cost
calls() {
	i=0
	while [ $i -lt $call_rounds ]; do
		echo "loop $calls" > /proc/clp_bench || fail "loop"
		read -r ctl fn < /proc/clp_bench
		[ "$1" = call_none_0 ] && sample call_base $((ctl * 1000 / calls))
		sample "$1" $(((fn - ctl) * 1000 / calls))
		i=$((i + 1))
	done
}

# meminfo - Slab and VmallocUsed in kB into SLAB and VMALLOC
meminfo() {
	while read -r k v u; do
		case $k in
		Slab:) SLAB=$v ;;
		VmallocUsed:) VMALLOC=$v ;;
		esac
	done < /proc/meminfo
}

# until the transition is over (the directory may go at once after a disable)
klp_wait_transition() {
	while { read -r t < $KLP/$1/transition; } 2>/dev/null && [ "$t" = 1 ]; do :; done
}

# clp_on N / clp_off N; klp_on N / klp_off N: one lifecycle step, timed
# into T
clp_on() {
	now; t0=$NOW
	insmod "$(ko clp_bench_p$1)" || fail "insmod clp_bench_p$1"
	now; T=$((NOW - t0))
	read -r l < $SYSCLP/clp_bench_p$1/live
	[ "$l" = 1 ] || fail "clp_bench_p$1 is not live"
}
clp_off() {
	now; t0=$NOW
	echo 0 > $SYSCLP/clp_bench_p$1/enabled || fail "disable clp_bench_p$1"
	now; T=$((NOW - t0))
	rmmod clp_bench_p$1 || fail "rmmod clp_bench_p$1"
}
klp_on() {
	now; t0=$NOW
	insmod "$(ko clp_bench_klp$1)" || fail "insmod clp_bench_klp$1"
	klp_wait_transition clp_bench_klp$1
	now; T=$((NOW - t0))
}
klp_off() {
	now; t0=$NOW
	echo 0 > $KLP/clp_bench_klp$1/enabled || fail "disable clp_bench_klp$1"
	klp_wait_transition clp_bench_klp$1
	now; T=$((NOW - t0))
	while [ -d $KLP/clp_bench_klp$1 ]; do :; done
	rmmod clp_bench_klp$1 || fail "rmmod clp_bench_klp$1"
}

# switch_timing S - the samples of clp's last "switch timing" line
switch_timing() {
	line=$(dmesg_since | grep 'clp: switch timing:' | tail -n 1)
	[ -n "$line" ] || fail "no switch timing line (dynamic debug)"
	set -- "$1" $(echo "$line" | sed 's/.*precheck \([0-9]*\) ns, pause \([0-9]*\) ns, in stop_machine \([0-9]*\) ns.*/\1 \2 \3/')
	sample sw_precheck_clp_$1 "$2"
	sample sw_pause_clp_$1 "$3"
	sample sw_stopped_clp_$1 "$4"
}

[ -d $KLP ] || skip "the kernel has no livepatch (CONFIG_LIVEPATCH)"
load clp
load clp_bench_target
echo 'module clp format "switch timing" +p' > /proc/dynamic_debug/control ||
	fail "cannot enable clp's switch timing (dynamic debug)"
echo "info kernel $(uname -r) cpus $(nproc) rounds $rounds/$rounds_1000 call_rounds $call_rounds calls $calls"

# lifecycle, memory, and (in the first round) patched calls
calls call_none_0
for n in 1 100 1000; do
	r=0 nr=$rounds
	[ $n = 1000 ] && nr=$rounds_1000
	while [ $r -lt $nr ]; do
		for sys in clp klp; do
			meminfo; slab0=$SLAB vm0=$VMALLOC
			${sys}_on $n; sample live_${sys}_$n $T
			if [ $n = 1000 ]; then
				meminfo
				sample slab_$sys $(((SLAB - slab0) * 1024 / n))
				sample vmalloc_$sys $(((VMALLOC - vm0) * 1024 / n))
			fi
			[ $r = 0 ] && [ $n != 100 ] && calls call_${sys}_$n
			${sys}_off $n; sample off_${sys}_$n $T
		done
		r=$((r + 1))
	done
done

# sleeping tasks
for s in 0 200 2000; do
	echo "sleepers $s" > /proc/clp_bench || fail "start $s sleepers"
	r=0
	while [ $r -lt $rounds ]; do
		dmesg_mark
		clp_on 100; sample sw_total_clp_$s $T
		switch_timing $s
		clp_off 100
		if [ $r = 0 ]; then
			klp_on 100; sample sw_total_klp_$s $T
			klp_off 100
		fi
		r=$((r + 1))
	done
done
echo wake > /proc/clp_bench
rmmod clp_bench_target
echo "ok - bench"
