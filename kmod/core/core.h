/* SPDX-License-Identifier: GPL-2.0 */
/*
 * core.h - internal data structures of the clp core.
 *
 * Terms:
 *   kpatch  a registered patch (one patch module), owned by the core.
 *   ktarget the part of a kpatch that patches one target object
 *           (vmlinux or a module): /sys/kernel/clp/<patch>/<object>.
 *           ("kobj" is only ever a struct kobject.)
 *   kfunc   a kpatch's version of one function.
 *   ofunc   one patched old function, shared by every kpatch that
 *           carries it.  Its func_stack lists those kfuncs ordered by
 *           registration (newest first); ->live is the kfunc whose code
 *           runs now (NULL: the original).
 *
 * The functions of a module object are resolved and on their func_stacks
 * (the ktarget is "loaded") only while that module is loaded: ofuncs of a
 * module exist from its MODULE_STATE_COMING to its MODULE_STATE_GOING.
 *
 * Because every patch is cumulative, at most one kpatch is *live*: the
 * newest-registered enabled one.  A function's live version is that
 * patch's kfunc, or the original if it does not carry the function.
 */
#ifndef _CLP_CORE_H
#define _CLP_CORE_H

#include <linux/kallsyms.h>
#include <linux/kobject.h>
#include <linux/list.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/sched.h>
#include <linux/types.h>
#include <clp/patch.h>
#include "internals.h"

#define CLP_VMLINUX		"vmlinux"
#define CLP_NAME_MAX		MODULE_NAME_LEN

struct clp_kpatch;
struct clp_ktarget;

struct clp_ofunc {
	struct list_head node;		/* in clp_ofuncs, by old_addr */
	struct list_head stack;		/* kfuncs, newest registration first */
	struct clp_kfunc *live;		/* read by the ftrace handler */
	char objname[CLP_NAME_MAX];
	char name[KSYM_NAME_LEN];
	unsigned long sympos;
	unsigned long old_addr;
	unsigned long old_size;
	unsigned long cold_addr;	/* its "<name>.cold" part, or 0 */
	unsigned long cold_size;
	bool hooked;			/* in the ftrace filter */
};

struct clp_kfunc {
	struct kobject kobj;		/* <object>/<func>,<sympos> */
	struct list_head node;		/* in ktarget->funcs */
	struct list_head stack_node;	/* in ofunc->stack */
	struct clp_ktarget *ktarget;
	struct clp_ofunc *ofunc;
	const char *name;		/* old function name (patch module data) */
	unsigned long sympos;
	unsigned long old_addr;
	unsigned long new_addr;
	unsigned long new_size;
	unsigned long new_cold_addr;	/* the replacement's cold part, or 0 */
	unsigned long new_cold_size;
	unsigned long old_cold_addr;	/* the old function's, until attached */
	unsigned long old_cold_size;
	unsigned long flags;		/* CLP_FUNC_* */
};

struct clp_ktarget {
	struct kobject kobj;		/* <patch>/<object> */
	struct list_head node;		/* in kpatch->objs */
	struct list_head funcs;
	struct clp_kpatch *kpatch;
	struct clp_object *desc;	/* in the patch module */
	char name[CLP_NAME_MAX];
	struct module *mod;		/* target module while loaded, else NULL */
	bool loaded;			/* functions resolved and attached */
	bool prepared;			/* pre_patch ran and succeeded */
};

struct clp_kpatch {
	struct kobject kobj;		/* /sys/kernel/clp/<name> */
	struct list_head node;		/* in clp_patches, by seq */
	struct list_head objs;
	struct clp_patch *desc;
	struct module *mod;
	char name[CLP_NAME_MAX];
	const char *version;
	unsigned long seq;		/* registration order */
	unsigned int nr_funcs;
	struct module **ref_mods;	/* pinned by references into them */
	unsigned int nr_ref_mods;
	u64 *reloc_orig;		/* what the loader wrote, per reference */
	bool enabled;
	bool registered;		/* cleared by unregister (sysfs races) */
	bool tainted;
};

/*
 * Is @kt's object there: vmlinux, or its module loaded (from its COMING
 * notification on) with @kt's functions resolved and attached?
 */
static inline bool clp_ktarget_loaded(const struct clp_ktarget *kt)
{
	return kt->loaded;
}

#define clp_for_each_kfunc(kp, kt, kf)					\
	list_for_each_entry(kt, &(kp)->objs, node)			\
		list_for_each_entry(kf, &(kt)->funcs, node)

/* main.c */
extern struct mutex clp_mutex;
extern struct list_head clp_patches;
extern struct list_head clp_ofuncs;
extern unsigned int clp_switch_retries;
extern unsigned int clp_retry_delay_ms;

/* symbols.c */
struct clp_symreq {
	const char *objname;		/* "vmlinux" or module name */
	const char *name;
	unsigned long sympos;		/* 0: must be unique */
	bool text;			/* only function (t/T) symbols */
	unsigned long addr;		/* out */
	unsigned long count;		/* out: candidates seen */
};
int clp_symbols_resolve(struct clp_symreq *reqs, unsigned int n);
unsigned long clp_symbol_size(unsigned long addr);

/* internals.c: everything that relies on kernel internals */
int clp_internals_init(void);
struct module *clp_find_module(const char *name);
int clp_kallsyms_read(bool (*line_fn)(void *data, char *line), void *data);
void clp_module_symbols(const char *name,
			void (*fn)(void *data, const char *sym, char type,
				   unsigned long addr),
			void *data);
struct task_struct *clp_idle_task(int cpu);
bool clp_idle_tasks_known(void);
int clp_text_write(void *place, const void *val, size_t len);
void clp_sync_cores(void);
typedef void (*clp_sched_switch_fn)(void *data, bool preempt,
				    struct task_struct *prev,
				    struct task_struct *next,
				    unsigned int prev_state);
int clp_sched_switch_watch(clp_sched_switch_fn fn, void *data);
void clp_sched_switch_unwatch(clp_sched_switch_fn fn, void *data);

/* stackwalk.c */
int clp_stack_walk_reliable(struct task_struct *p,
			    bool (*fn)(void *data, unsigned long addr),
			    void *data);

/* funcs.c */
int clp_funcs_resolve(struct clp_kpatch *kp, struct clp_ktarget *only);
int clp_funcs_attach(struct clp_kpatch *kp, struct clp_ktarget *only);
void clp_funcs_detach(struct clp_kpatch *kp, struct clp_ktarget *only,
		      struct list_head *dead);
void clp_funcs_free(struct list_head *dead);

/* objects.c */
void clp_objects_lookup(struct clp_kpatch *kp);
int clp_objects_init(void);
void clp_objects_exit(void);

/* relocs.c */
int clp_relocs_validate(struct clp_patch *patch, const char *name);
int clp_relocs_apply(struct clp_kpatch *kp, struct clp_ktarget *kt);
void clp_relocs_reset(struct clp_kpatch *kp, struct clp_ktarget *kt);
void clp_relocs_release(struct clp_kpatch *kp);

/* callbacks.c */
int clp_callback_pre_patch(struct clp_ktarget *kt);
void clp_callback_post_patch(struct clp_ktarget *kt);
void clp_callback_pre_unpatch(struct clp_ktarget *kt);
void clp_callback_post_unpatch(struct clp_ktarget *kt);
int clp_callbacks_pre_patch(struct clp_kpatch *kp);
void clp_callbacks_post_patch(struct clp_kpatch *kp);
void clp_callbacks_pre_unpatch(struct clp_kpatch *kp);
void clp_callbacks_post_unpatch(struct clp_kpatch *kp);

/* state.c */
int clp_states_validate(struct clp_patch *patch, const char *name);
int clp_states_compatible(struct clp_kpatch *kp);
void clp_states_switch_begin(struct clp_kpatch *prev_live);
void clp_states_switch_end(void);

/* shadow.c */
void clp_shadow_exit(void);

/* buildid.c */
int clp_buildid_init(void);
const char *clp_buildid_kernel(void);
int clp_buildid_check(struct clp_patch *patch, const char *name);

/* engine.c */
int clp_engine_check_traceable(unsigned long addr);
int clp_engine_hook(struct clp_ofunc **ofs, unsigned int n, const char *who);
void clp_engine_unhook(struct clp_ofunc **ofs, unsigned int n);
void clp_engine_sync(void);
void clp_engine_exit(void);

/* consistency.c */
struct clp_switch {
	struct clp_ofunc **ofs;		/* functions whose live version changes */
	struct clp_kfunc **targets;	/* ... and what they change to */
	unsigned int n;
	/* on -EBUSY: who blocked the switch */
	char busy_comm[TASK_COMM_LEN];
	pid_t busy_pid;
	const char *busy_func;
	bool busy_unreliable;
	unsigned int attempts;
};
int clp_consistency_switch(struct clp_switch *sw);

/* replace.c */
int clp_replace_enable(struct clp_kpatch *kp);
int clp_replace_disable(struct clp_kpatch *kp);
struct clp_kpatch *clp_live_patch(void);
bool clp_kpatch_live(struct clp_kpatch *kp);
bool clp_ktarget_live(struct clp_ktarget *kt);

/* sysfs.c */
int clp_sysfs_init(void);
void clp_sysfs_exit(void);
int clp_sysfs_add_patch(struct clp_kpatch *kp);
void clp_sysfs_del_patch(struct clp_kpatch *kp);
void clp_sysfs_functions_changed(void);
extern const struct kobj_type clp_kpatch_ktype;
extern const struct kobj_type clp_ktarget_ktype;
extern const struct kobj_type clp_kfunc_ktype;

#endif /* _CLP_CORE_H */
