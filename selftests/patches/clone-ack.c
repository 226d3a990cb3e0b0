// SPDX-License-Identifier: GPL-2.0
/*
 * clp_clone_fn, and the statement that its clone needs no fix.  Not true
 * here (the test shows the clone still answers "orig-slow"): what the
 * acknowledgement records is the author's claim, which clp cannot verify.
 */
#include "clone.h"

CLP_UNAFFECTED_MOD(clp_test_clone, clp_clone_fn, "clp_clone_fn.part.0");
