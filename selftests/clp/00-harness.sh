#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The harness itself: a module built for this kernel loads and its effect
# shows; the guest runs the kernel the matrix names.
. "$(dirname "$0")/lib.sh"

expect_eq "kernel release" "$(uname -r)" "$CLP_RELEASE"
dmesg_mark
load clp_test_warn
expect_dmesg 'clp_test_warn: loaded'
unload clp_test_warn
load clp_test_target
expect_file /proc/clp_target "f1=orig-f1 f2=orig-f2 f3=orig-f3"
unload clp_test_target
expect_missing /proc/clp_target
