#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# A patch of 128 functions goes live and away in one switch each, and
# /sys/kernel/clp/functions lists them all although that takes more than a
# page, the same whether read at once or in small pieces.
. "$(dirname "$0")/lib.sh"

F=$SYSCLP/functions
load clp
load clp_test_target
expect_file /proc/clp_target_many "patched=0"
dmesg_mark
load clp_p_many
expect_file /proc/clp_target_many "patched=128"
expect_dmesg 'clp: clp_p_many: enabled, live \(128 functions\)'
expect_eq "lines" "$(wc -l < $F)" 128
expect_eq "lines naming clp_p_many" "$(grep -c '^clp_test_target clp_target_many_[12][0-7][0-7],1 clp_p_many$' $F)" 128
size=$(wc -c < $F)
[ "$size" -gt 4096 ] || fail "functions is only $size bytes"
note "ok: functions has $size bytes"
cat $F > /tmp/functions.all
dd if=$F of=/tmp/functions.small bs=100 2>/dev/null
cmp /tmp/functions.all /tmp/functions.small || fail "small reads differ"
note "ok: reads of 100 bytes give the same list"

put $SYSCLP/clp_p_many/enabled 0
expect_file /proc/clp_target_many "patched=0"
expect_eq "lines back to the original" "$(grep -c ' (original)$' $F)" 128
unload clp_p_many
expect_file $F ""
