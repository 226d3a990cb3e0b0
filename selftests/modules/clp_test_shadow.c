// SPDX-License-Identifier: GPL-2.0
/*
 * clp_test_shadow - exercises clp's shadow variable API at load and logs
 * one line per step ("clp_test_shadow: <step>: ok"); any mismatch logs
 * "clp_test_shadow: <step>: FAILED ..." and the load fails with EINVAL.
 * The steps follow upstream's test_klp_shadow_vars: several objects and
 * ids, alloc with a constructor, get, get_or_alloc of an existing and of a
 * new variable, free of one with a destructor, free_all of an id, and a
 * failing constructor that attaches nothing.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/slab.h>
#include <clp/shadow.h>

#define ID_A	0x5107a
#define ID_B	0x5107b

static int objs[3];		/* what shadow variables attach to */
static int dtor_calls;
static int failures;

static int ctor_set(void *obj, void *data, void *ctor_data)
{
	*(int *)data = *(int *)ctor_data;
	return 0;
}

static int ctor_fail(void *obj, void *data, void *ctor_data)
{
	return -ENOSPC;
}

static void dtor_count(void *obj, void *data)
{
	dtor_calls++;
	pr_info("dtor <obj%ld> value %d\n", (int *)obj - objs, *(int *)data);
}

static void check(const char *step, bool ok)
{
	if (ok) {
		pr_info("%s: ok\n", step);
	} else {
		pr_err("%s: FAILED\n", step);
		failures++;
	}
}

static int __init clp_test_shadow_init(void)
{
	int v1 = 11, v2 = 22, v3 = 33, v9 = 99;
	int *a0, *b0, *a1, *p;

	a0 = clp_shadow_alloc(&objs[0], ID_A, sizeof(int), GFP_KERNEL,
			      ctor_set, &v1);
	b0 = clp_shadow_alloc(&objs[0], ID_B, sizeof(int), GFP_KERNEL,
			      ctor_set, &v2);
	a1 = clp_shadow_alloc(&objs[1], ID_A, sizeof(int), GFP_KERNEL,
			      NULL, NULL);
	check("alloc", a0 && b0 && a1 && *a0 == 11 && *b0 == 22 && *a1 == 0);
	check("get", clp_shadow_get(&objs[0], ID_A) == a0 &&
	      clp_shadow_get(&objs[0], ID_B) == b0 &&
	      clp_shadow_get(&objs[1], ID_A) == a1 &&
	      !clp_shadow_get(&objs[1], ID_B) &&
	      !clp_shadow_get(&objs[2], ID_A));

	p = clp_shadow_get_or_alloc(&objs[0], ID_A, sizeof(int), GFP_KERNEL,
				    ctor_set, &v9);
	check("get_or_alloc existing", p == a0 && *p == 11);
	p = clp_shadow_get_or_alloc(&objs[2], ID_A, sizeof(int), GFP_KERNEL,
				    ctor_set, &v3);
	check("get_or_alloc new", p && *p == 33 &&
	      clp_shadow_get(&objs[2], ID_A) == p);

	p = clp_shadow_alloc(&objs[2], ID_B, sizeof(int), GFP_KERNEL,
			     ctor_fail, NULL);
	check("failing ctor", !p && !clp_shadow_get(&objs[2], ID_B));

	clp_shadow_free(&objs[0], ID_A, dtor_count);
	check("free", dtor_calls == 1 && !clp_shadow_get(&objs[0], ID_A) &&
	      clp_shadow_get(&objs[0], ID_B) == b0);
	clp_shadow_free(&objs[0], ID_A, dtor_count);
	check("free of a missing one", dtor_calls == 1);

	clp_shadow_free_all(ID_A, dtor_count);
	check("free_all", dtor_calls == 3 && !clp_shadow_get(&objs[1], ID_A) &&
	      !clp_shadow_get(&objs[2], ID_A) &&
	      clp_shadow_get(&objs[0], ID_B) == b0);
	clp_shadow_free_all(ID_B, NULL);
	check("free_all without dtor", !clp_shadow_get(&objs[0], ID_B));

	if (failures) {
		pr_err("%d steps failed\n", failures);
		return -EINVAL;
	}
	pr_info("all steps passed\n");
	return 0;
}

static void __exit clp_test_shadow_exit(void)
{
}

module_init(clp_test_shadow_init);
module_exit(clp_test_shadow_exit);
MODULE_DESCRIPTION("clp selftests: the shadow variable API");
MODULE_LICENSE("GPL");
