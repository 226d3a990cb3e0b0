#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Control for the emulator, without clp: the kernel's own function tracer
# is switched on and off on getpid while a process calls getpid in a loop.
# Every clp switch relies on the same cross-modifying code (text_poke_bp),
# so if this fails, the emulator executes stale code and no clp result of
# this run can be trusted.  Multi-threaded TCG fails it (a CPU loops on an
# int3 that is already gone); see CLP_QEMU_ACCEL in scripts/vm-run.
. "$(dirname "$0")/lib.sh"

T=/sys/kernel/tracing
[ -d $T/events ] || mount -t tracefs none $T || skip "no tracefs"
[ -w $T/set_ftrace_filter ] || skip "no function tracer"
echo '*sys_getpid' > $T/set_ftrace_filter || fail "cannot filter getpid"
expect_grep $T/set_ftrace_filter 'sys_getpid'

# A loaded host slows the guest down: rounds of 6 s of hammering go on
# until the tracer has been toggled at least 10 times under the hammer
# (at most 5 rounds); every round must be coherent.
toggles=0 rounds=0
while [ $toggles -lt 10 ] && [ $rounds -lt 5 ]; do
	rounds=$((rounds + 1))
	clp-hammer 6 0 > /tmp/control.out 2>&1 &
	hammer=$!
	sleep 0.3
	while kill -0 $hammer 2>/dev/null; do
		echo function > $T/current_tracer || fail "cannot start the tracer"
		echo nop > $T/current_tracer || fail "cannot stop the tracer"
		toggles=$((toggles + 1))
	done
	wait $hammer
	rc=$?
	sed 's/^/  /' /tmp/control.out
	expect_eq "hammer exit (round $rounds)" $rc 0
	expect_grep /tmp/control.out '^hammer: calls=[1-9][0-9]* v0=[1-9]'
done
echo > $T/set_ftrace_filter
note "tracer toggled $toggles times in $rounds rounds"
[ $toggles -ge 10 ] || fail "only $toggles toggles in $rounds rounds"
