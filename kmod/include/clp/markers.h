/* SPDX-License-Identifier: GPL-2.0 */
/*
 * clp/markers.h - one-line markers patch authors write in patch sources
 * (CLP_FUNC() and friends), read by 'clp build'.  Included by clp/patch.h.
 * See Documentation/patch-author-guide.rst.
 *
 *   CLP_FUNC(old, new)                        replace vmlinux function old
 *   CLP_FUNC_POS(old, new, pos)               ... the pos-th (1-based, kallsyms
 *                                             order) of several named old
 *   CLP_FUNC_MOD(mod, old, new)               replace old in module mod
 *   CLP_FUNC_MOD_POS(mod, old, new, pos)
 *   CLP_FUNC_NOCHECK(old, new)                exempt from the stack check
 *   CLP_FUNC_FULL(mod, old, new, pos, flags)  everything; mod is vmlinux for
 *                                             the kernel, flags 0 or NOCHECK
 *   CLP_FUNC_CLONE("old.isra.0", new)         replace a GCC clone of a vmlinux
 *                                             function by its full name
 *   CLP_FUNC_CLONE_MOD(mod, "old.isra.0", new)  ... of a module function
 *   CLP_FUNC_CLONE_FULL(mod, "old.isra.0", new, pos, flags)
 *   CLP_UNAFFECTED(old, "name")               the clone or inlining caller
 *   CLP_UNAFFECTED_MOD(mod, old, "name")      "name" of the replaced function
 *                                             old needs no fix (see the guide)
 *   CLP_SYM_POS(sym, pos)                     the symbol sym the patch code
 *                                             uses is the pos-th of vmlinux
 *   CLP_SYM_MOD(mod, sym, pos)                ... lives in module mod (pos 0:
 *                                             unique there)
 *   CLP_PRE_PATCH(mod, fn)                    callbacks for object mod
 *   CLP_POST_PATCH(mod, fn)                   (vmlinux or a module); fn
 *   CLP_PRE_UNPATCH(mod, fn)                  takes a struct clp_object *;
 *   CLP_POST_UNPATCH(mod, fn)                 pre_patch returns 0 or -errno
 *   CLP_STATE(id, version)                    the module carries system state
 *                                             id (non-zero) at version
 *
 * Shadow variables need no marker: patch code calls clp_shadow_*()
 * (clp/shadow.h), which clp.ko exports.
 *
 * Each marker expands to a record in the section .discard.clp.markers (never
 * part of the module: the module linker script discards .discard.*) and, for
 * functions, to a global alias of the replacement so that the generated
 * glue can point at it although it is static.  Records are NUL-separated
 * "key=value" fields after the magic field "clp1", ended by an empty field.
 *
 * 'clp build' compiles each patch file with -DCLP_UNIT=<n>, which keeps the
 * alias names of different files apart.
 */
#ifndef _CLP_MARKERS_H
#define _CLP_MARKERS_H

#ifndef CLP_UNIT
#define CLP_UNIT 0
#endif

#define __CLP_STR2(x)		#x
#define __CLP_STR(x)		__CLP_STR2(x)
#define __CLP_ID3(p, u, n)	p##u##_##n
#define __CLP_ID2(p, u, n)	__CLP_ID3(p, u, n)
#define __CLP_ID(p, n)		__CLP_ID2(p, CLP_UNIT, n)

#define __CLP_RECORD(n, fields)						\
	static const char __CLP_ID(__clp_marker_, n)[]			\
	__attribute__((__used__, __aligned__(1),			\
		       __section__(".discard.clp.markers"))) =		\
		"clp1\0" fields "file=" __FILE__ "\0"			\
		"line=" __CLP_STR(__LINE__) "\0"

/* @oldstr: the old function's name as a string literal */
#define __CLP_FUNC(n, mod, oldstr, new, pos, flags)			\
	extern __typeof__(new) __CLP_ID(__clp_new_, n)			\
		__attribute__((__alias__(#new)));			\
	__CLP_RECORD(n, "kind=func\0" "obj=" #mod "\0" "old=" oldstr "\0"	\
		     "fn=" #new "\0"					\
		     "new=" __CLP_STR(__CLP_ID(__clp_new_, n)) "\0"	\
		     "pos=" #pos "\0" "flags=" #flags "\0")

#define CLP_FUNC_FULL(mod, old, new, pos, flags)			\
	__CLP_FUNC(__COUNTER__, mod, #old, new, pos, flags)
#define CLP_FUNC(old, new)		CLP_FUNC_FULL(vmlinux, old, new, 0, 0)
#define CLP_FUNC_POS(old, new, pos)	CLP_FUNC_FULL(vmlinux, old, new, pos, 0)
#define CLP_FUNC_MOD(mod, old, new)	CLP_FUNC_FULL(mod, old, new, 0, 0)
#define CLP_FUNC_MOD_POS(mod, old, new, pos)				\
	CLP_FUNC_FULL(mod, old, new, pos, 0)
#define CLP_FUNC_NOCHECK(old, new)					\
	CLP_FUNC_FULL(vmlinux, old, new, 0, NOCHECK)

/*
 * A GCC clone (foo.isra.0, foo.constprop.0, foo.part.0) is a function of
 * its own that C cannot name: give its kallsyms name as a string.  The
 * replacement is called with the clone's arguments, not foo's (see the
 * patch-author guide).
 */
#define CLP_FUNC_CLONE_FULL(mod, name, new, pos, flags)			\
	__CLP_FUNC(__COUNTER__, mod, name, new, pos, flags)
#define CLP_FUNC_CLONE(name, new)					\
	CLP_FUNC_CLONE_FULL(vmlinux, name, new, 0, 0)
#define CLP_FUNC_CLONE_MOD(mod, name, new)				\
	CLP_FUNC_CLONE_FULL(mod, name, new, 0, 0)

/*
 * The author states that the clone or the function "name" that old is
 * inlined into does not need the fix (clp build and clp check refuse a
 * patch that leaves one of them out otherwise).
 */
#define __CLP_UNAFFECTED(n, mod, old, name)				\
	__CLP_RECORD(n, "kind=unaffected\0" "obj=" #mod "\0"		\
		     "old=" #old "\0" "other=" name "\0" "pos=0\0")
#define CLP_UNAFFECTED(old, name)					\
	__CLP_UNAFFECTED(__COUNTER__, vmlinux, old, name)
#define CLP_UNAFFECTED_MOD(mod, old, name)				\
	__CLP_UNAFFECTED(__COUNTER__, mod, old, name)

#define __CLP_SYM(n, mod, sym, pos)					\
	__CLP_RECORD(n, "kind=sym\0" "obj=" #mod "\0" "sym=" #sym "\0"	\
		     "pos=" #pos "\0")
#define CLP_SYM_POS(sym, pos)	__CLP_SYM(__COUNTER__, vmlinux, sym, pos)
#define CLP_SYM_MOD(mod, sym, pos)					\
	__CLP_SYM(__COUNTER__, mod, sym, pos)

#define __CLP_CALLBACK(n, mod, which, fn)				\
	extern __typeof__(fn) __CLP_ID(__clp_cb_, n)			\
		__attribute__((__alias__(#fn)));			\
	__CLP_RECORD(n, "kind=callback\0" "obj=" #mod "\0"		\
		     "cb=" #which "\0" "fn=" #fn "\0"			\
		     "new=" __CLP_STR(__CLP_ID(__clp_cb_, n)) "\0"	\
		     "pos=0\0")
#define CLP_PRE_PATCH(mod, fn)						\
	__CLP_CALLBACK(__COUNTER__, mod, pre_patch, fn)
#define CLP_POST_PATCH(mod, fn)						\
	__CLP_CALLBACK(__COUNTER__, mod, post_patch, fn)
#define CLP_PRE_UNPATCH(mod, fn)					\
	__CLP_CALLBACK(__COUNTER__, mod, pre_unpatch, fn)
#define CLP_POST_UNPATCH(mod, fn)					\
	__CLP_CALLBACK(__COUNTER__, mod, post_unpatch, fn)

#define __CLP_STATE(n, id, version)					\
	__CLP_RECORD(n, "kind=state\0" "obj=vmlinux\0"			\
		     "id=" __CLP_STR(id) "\0"				\
		     "version=" __CLP_STR(version) "\0" "pos=0\0")
#define CLP_STATE(id, version)	__CLP_STATE(__COUNTER__, id, version)

#endif /* _CLP_MARKERS_H */
