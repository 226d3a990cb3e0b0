// SPDX-License-Identifier: GPL-2.0
/*
 * A patch for clp_test_late whose code reads the module's static
 * clp_late_secret (1234): the reference is written when the module comes,
 * and reset when it goes.  clp_late_fn returns "lrefs-secret=1234".
 */
#include <linux/kernel.h>
#include <clp/patch.h>

extern int clp_late_secret;
CLP_SYM_MOD(clp_test_late, clp_late_secret, 0);

static char buf[64];

static const char *new_late(void)
{
	snprintf(buf, sizeof(buf), "lrefs-secret=%d", READ_ONCE(clp_late_secret));
	return buf;
}
CLP_FUNC_MOD(clp_test_late, clp_late_fn, new_late);
