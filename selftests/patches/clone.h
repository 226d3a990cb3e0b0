/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The fix of clp_clone_fn (selftests/modules/clp_test_clone.c) that the
 * clone selftest patches share.  Alone (clone.c) it leaves the old slow
 * path running in clp_clone_fn.part.0, where /proc/clp_clone goes:
 * clp check refuses it.  clone-ack.c states that the clone is unaffected,
 * clone-part.c replaces the clone as well.
 */
#include <clp/patch.h>

static const char *fixed_clone_fn(int x)
{
	return x != 5 ? "new-fast" : "new-slow";
}
CLP_FUNC_MOD(clp_test_clone, clp_clone_fn, fixed_clone_fn);
