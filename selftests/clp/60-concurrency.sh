#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Several writers toggle several patches at once.  Whatever order the
# writes land in, the end state must follow the rules: the live patch is
# the newest enabled one, and /proc shows exactly its versions.
. "$(dirname "$0")/lib.sh"

load clp
load clp_p_a
load clp_p_ab
dmesg_mark
load clp_p_abc

writer() {	# writer PATCH SEED
	i=0 v=$2
	while [ $i -lt 25 ]; do
		v=$(( (v * 1103515245 + 12345) % 2147483648 ))
		echo $(( (v / 65536) % 2 )) > $SYSCLP/$1/enabled 2>/dev/null
		i=$((i + 1))
	done
}
writer clp_p_a 1 & w1=$!
writer clp_p_ab 2 & w2=$!
writer clp_p_abc 3 & w3=$!
writer clp_p_ab 4 & w4=$!
wait $w1 $w2 $w3 $w4

live=
for p in clp_p_a clp_p_ab clp_p_abc; do
	[ "$(cat $SYSCLP/$p/enabled)" = 1 ] && live=$p
done
note "enabled: $(for p in clp_p_a clp_p_ab clp_p_abc; do printf '%s=%s ' $p $(cat $SYSCLP/$p/enabled); done)"
for p in clp_p_a clp_p_ab clp_p_abc; do
	want=0
	[ "$p" = "$live" ] && want=1
	expect_eq "$p live" "$(cat $SYSCLP/$p/live)" $want
done
case $live in
clp_p_a) proc_is /proc/cmdline A-cmdline; proc_is /proc/meminfo A-meminfo ;;
clp_p_ab) proc_is /proc/cmdline AB-cmdline; proc_is /proc/version AB-version ;;
clp_p_abc) proc_is /proc/cmdline ABC-cmdline; proc_is /proc/version ABC-version ;;
"") expect_no_grep /proc/cmdline 'A-cmdline' ;;
esac
expect_no_dmesg 'refused'

# A module comes and goes while the patches for it are toggled: each load
# must end up with the live patch's version (or the original).
load clp_p_lm1
load clp_p_lm2
mover() {
	i=0
	while [ $i -lt 12 ]; do
		insmod "$(ko clp_test_late)" 2>/dev/null
		cat /proc/clp_late > /dev/null 2>&1
		rmmod clp_test_late 2>/dev/null
		i=$((i + 1))
	done
}
mover & m=$!
writer clp_p_lm1 5 & w1=$!
writer clp_p_lm2 6 & w2=$!
wait $m $w1 $w2
loaded clp_test_late && unload clp_test_late
load clp_test_late
live=
for p in clp_p_lm1 clp_p_lm2; do
	[ "$(cat $SYSCLP/$p/enabled)" = 1 ] && live=$p
done
case $live in
clp_p_lm1) expect_file /proc/clp_late "late=lm1-late" ;;
clp_p_lm2) expect_file /proc/clp_late "late=lm2-late" ;;
"") expect_file /proc/clp_late "late=orig-late" ;;
esac
expect_no_dmesg 'refused|refusing'
