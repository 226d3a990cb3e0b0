/* SPDX-License-Identifier: GPL-2.0 */
/*
 * clp/shadow.h - shadow variables: data a patch attaches to an existing
 * object, found by (object pointer, id).  Exported by clp.ko; see
 * kmod/core/shadow.c and Documentation/patch-author-guide.rst.
 *
 * Ids are chosen by patch authors; a cumulative patch that takes over from
 * an older one keeps using the older one's ids.
 */
#ifndef _CLP_SHADOW_H
#define _CLP_SHADOW_H

#include <linux/types.h>

/* Fill a new variable's @data for @obj; 0 or a negative errno. */
typedef int (*clp_shadow_ctor_t)(void *obj, void *data, void *ctor_data);
/* Release what @data holds before it is freed. */
typedef void (*clp_shadow_dtor_t)(void *obj, void *data);

void *clp_shadow_get(void *obj, unsigned long id);
void *clp_shadow_alloc(void *obj, unsigned long id, size_t size, gfp_t gfp,
		       clp_shadow_ctor_t ctor, void *ctor_data);
void *clp_shadow_get_or_alloc(void *obj, unsigned long id, size_t size,
			      gfp_t gfp, clp_shadow_ctor_t ctor,
			      void *ctor_data);
void clp_shadow_free(void *obj, unsigned long id, clp_shadow_dtor_t dtor);
void clp_shadow_free_all(unsigned long id, clp_shadow_dtor_t dtor);

#endif /* _CLP_SHADOW_H */
