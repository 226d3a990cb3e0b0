/* SPDX-License-Identifier: GPL-2.0 */
/*
 * modinfo - the .modinfo keys 'clp build' writes into a patch module
 * (glue.c) and clp info / check / load read back (ko.c).  Values are
 * space-separated, numbers decimal; the repeated keys hold one item each.
 */
#ifndef CLP_MODINFO_H
#define CLP_MODINFO_H

#define MI_VERSION	"clp_version"	/* the version string; marks a clp module */
#define MI_PATCHES	"clp_patches"	/* patch names, comma-separated */
#define MI_KERNEL	"clp_kernel"	/* the target release */
#define MI_BUILD_ID	"clp_build_id"	/* the target's GNU build-id */
#define MI_FUNC		"clp_func"	/* <object> <name> <sympos> <flags> */
#define MI_REF		"clp_ref"	/* <object> <symbol> <sympos> */
#define MI_STATE	"clp_state"	/* <id> <version> */
#define MI_UNAFFECTED	"clp_unaffected" /* <object> <function> <clone or caller> */

#endif
