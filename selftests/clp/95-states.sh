#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# System states (CLP_STATE()): a patch establishes state 0x5ea7, a newer
# cumulative patch with a higher version takes it over through
# clp_get_prev_state(), disabling releases it; a patch that does not carry
# the live patch's state, or carries an older version, is refused.
. "$(dirname "$0")/lib.sh"

load clp
dmesg_mark
load clp_p_st1
expect_dmesg 'clp_p_st1: state v1 establishes data-of-clp_p_st1$'
proc_is /proc/version ST1-version
expect_file $SYSCLP/clp_p_st1/states "$((0x5ea7)) 1"

# compatible: version 2 takes the data over
dmesg_mark
load clp_p_st2
expect_dmesg 'clp_p_st2: state v2 takes over data-of-clp_p_st1 \(v1\)$'
proc_is /proc/version ST2-version
unload clp_p_st1

# incompatible: no state, or an older version of it
dmesg_mark
load_fails clp_p_stn EINVAL
expect_dmesg 'clp: clp_p_stn: refused: state 0x5ea7 \(version 2\) of the enabled clp_p_st2 is not carried'
load_fails clp_p_st1b EINVAL
expect_dmesg 'clp: clp_p_st1b: refused: state 0x5ea7 has version 1, older than version 2 of the enabled clp_p_st2'
proc_is /proc/version ST2-version
patch_state clp_p_st2 1 1

# disabling the live patch releases what it took over
dmesg_mark
put $SYSCLP/clp_p_st2/enabled 0
expect_dmesg 'clp_p_st2: state v2 releases data-of-clp_p_st1$'
unload clp_p_st2
# with nothing enabled, any patch may go live
load clp_p_stn
proc_is /proc/version STN-version
expect_file $SYSCLP/clp_p_stn/states ""
