// SPDX-License-Identifier: GPL-2.0
/*
 * sysfs.c - /sys/kernel/clp: toggles and the live state of every function.
 *
 * The ABI is described in Documentation/ABI/sysfs-kernel-clp.
 */
#define pr_fmt(fmt) "clp: " fmt

#include <linux/kobject.h>
#include <linux/slab.h>
#include <linux/sysfs.h>
#include "core.h"

static struct kobject *clp_root;

#define to_kpatch(k)	container_of(k, struct clp_kpatch, kobj)
#define to_kobj(k)	container_of(k, struct clp_kobj, kobj)
#define to_kfunc(k)	container_of(k, struct clp_kfunc, kobj)

/* ---- /sys/kernel/clp/<patch>/ ---- */

static ssize_t enabled_show(struct kobject *kobj, struct kobj_attribute *attr,
			    char *buf)
{
	return sysfs_emit(buf, "%d\n", READ_ONCE(to_kpatch(kobj)->enabled));
}

static ssize_t enabled_store(struct kobject *kobj, struct kobj_attribute *attr,
			     const char *buf, size_t count)
{
	struct clp_kpatch *kp = to_kpatch(kobj);
	bool val;
	int ret;

	ret = kstrtobool(buf, &val);
	if (ret)
		return ret;
	mutex_lock(&clp_mutex);
	if (!kp->registered)
		ret = -ENODEV;
	else if (val)
		ret = clp_replace_enable(kp);
	else
		ret = clp_replace_disable(kp);
	mutex_unlock(&clp_mutex);
	return ret ? ret : count;
}

static ssize_t live_show(struct kobject *kobj, struct kobj_attribute *attr,
			 char *buf)
{
	struct clp_kpatch *kp = to_kpatch(kobj);
	bool live;

	mutex_lock(&clp_mutex);
	live = kp->registered && clp_kpatch_live(kp);
	mutex_unlock(&clp_mutex);
	return sysfs_emit(buf, "%d\n", live);
}

static ssize_t order_show(struct kobject *kobj, struct kobj_attribute *attr,
			  char *buf)
{
	return sysfs_emit(buf, "%lu\n", to_kpatch(kobj)->seq);
}

static ssize_t version_show(struct kobject *kobj, struct kobj_attribute *attr,
			    char *buf)
{
	return sysfs_emit(buf, "%s\n", to_kpatch(kobj)->version);
}

static ssize_t patches_show(struct kobject *kobj, struct kobj_attribute *attr,
			    char *buf)
{
	struct clp_kpatch *kp = to_kpatch(kobj);
	const char * const *p = kp->desc->patches;
	int len = 0;

	if (!p)
		return sysfs_emit(buf, "%s\n", kp->name);
	for (; *p; p++)
		len += sysfs_emit_at(buf, len, "%s\n", *p);
	return len;
}

static ssize_t states_show(struct kobject *kobj, struct kobj_attribute *attr,
			   char *buf)
{
	struct clp_state *st = to_kpatch(kobj)->desc->states;
	int len = 0;

	for (; st && st->id; st++)
		len += sysfs_emit_at(buf, len, "%lu %u\n", st->id, st->version);
	return len;
}

static struct kobj_attribute enabled_attr = __ATTR_RW(enabled);
static struct kobj_attribute patch_live_attr = __ATTR(live, 0444, live_show, NULL);
static struct kobj_attribute order_attr = __ATTR_RO(order);
static struct kobj_attribute version_attr = __ATTR_RO(version);
static struct kobj_attribute patches_attr = __ATTR_RO(patches);
static struct kobj_attribute states_attr = __ATTR_RO(states);

static struct attribute *clp_kpatch_attrs[] = {
	&enabled_attr.attr,
	&patch_live_attr.attr,
	&order_attr.attr,
	&version_attr.attr,
	&patches_attr.attr,
	&states_attr.attr,
	NULL,
};
ATTRIBUTE_GROUPS(clp_kpatch);

static void clp_kpatch_release(struct kobject *kobj)
{
	kfree(to_kpatch(kobj));
}

const struct kobj_type clp_kpatch_ktype = {
	.release	= clp_kpatch_release,
	.sysfs_ops	= &kobj_sysfs_ops,
	.default_groups	= clp_kpatch_groups,
};

/* ---- /sys/kernel/clp/<patch>/<object>/ ---- */

static ssize_t patched_show(struct kobject *kobj, struct kobj_attribute *attr,
			    char *buf)
{
	struct clp_kobj *ko = to_kobj(kobj);
	bool patched;

	/* loaded, and this patch's versions of its functions are live */
	mutex_lock(&clp_mutex);
	patched = ko->kpatch->registered && ko->loaded &&
		  clp_live_patch() == ko->kpatch;
	mutex_unlock(&clp_mutex);
	return sysfs_emit(buf, "%d\n", patched);
}

static struct kobj_attribute patched_attr = __ATTR_RO(patched);

static struct attribute *clp_kobj_attrs[] = {
	&patched_attr.attr,
	NULL,
};
ATTRIBUTE_GROUPS(clp_kobj);

static void clp_kobj_release(struct kobject *kobj)
{
	kfree(to_kobj(kobj));
}

const struct kobj_type clp_kobj_ktype = {
	.release	= clp_kobj_release,
	.sysfs_ops	= &kobj_sysfs_ops,
	.default_groups	= clp_kobj_groups,
};

/* ---- /sys/kernel/clp/<patch>/<object>/<func>,<sympos>/ ---- */

static ssize_t func_live_show(struct kobject *kobj, struct kobj_attribute *attr,
			      char *buf)
{
	struct clp_kfunc *kf = to_kfunc(kobj);
	bool live;

	mutex_lock(&clp_mutex);
	live = kf->ofunc && READ_ONCE(kf->ofunc->live) == kf;
	mutex_unlock(&clp_mutex);
	return sysfs_emit(buf, "%d\n", live);
}

static ssize_t old_addr_show(struct kobject *kobj, struct kobj_attribute *attr,
			     char *buf)
{
	return sysfs_emit(buf, "0x%lx\n", to_kfunc(kobj)->old_addr);
}

static ssize_t new_addr_show(struct kobject *kobj, struct kobj_attribute *attr,
			     char *buf)
{
	return sysfs_emit(buf, "0x%lx\n", to_kfunc(kobj)->new_addr);
}

static struct kobj_attribute func_live_attr = __ATTR(live, 0444, func_live_show, NULL);
static struct kobj_attribute old_addr_attr = __ATTR(old_addr, 0400, old_addr_show, NULL);
static struct kobj_attribute new_addr_attr = __ATTR(new_addr, 0400, new_addr_show, NULL);

static struct attribute *clp_kfunc_attrs[] = {
	&func_live_attr.attr,
	&old_addr_attr.attr,
	&new_addr_attr.attr,
	NULL,
};
ATTRIBUTE_GROUPS(clp_kfunc);

static void clp_kfunc_release(struct kobject *kobj)
{
	kfree(to_kfunc(kobj));
}

const struct kobj_type clp_kfunc_ktype = {
	.release	= clp_kfunc_release,
	.sysfs_ops	= &kobj_sysfs_ops,
	.default_groups	= clp_kfunc_groups,
};

/* ---- registration ---- */

/**
 * clp_sysfs_add_patch() - create /sys/kernel/clp/<patch> and below
 * @kp: a patch being registered; its kobjects are initialized
 *
 * Return: 0 or a negative errno; on error clp_sysfs_del_patch() cleans up.
 */
int clp_sysfs_add_patch(struct clp_kpatch *kp)
{
	struct clp_kobj *ko;
	struct clp_kfunc *kf;
	int ret;

	ret = kobject_add(&kp->kobj, clp_root, "%s", kp->name);
	if (ret)
		return ret;
	list_for_each_entry(ko, &kp->objs, node) {
		ret = kobject_add(&ko->kobj, &kp->kobj, "%s", ko->name);
		if (ret)
			return ret;
		list_for_each_entry(kf, &ko->funcs, node) {
			ret = kobject_add(&kf->kobj, &ko->kobj, "%s,%lu",
					  kf->name, kf->sympos ? kf->sympos : 1);
			if (ret)
				return ret;
		}
	}
	return 0;
}

/* Remove what clp_sysfs_add_patch() made; waits for running readers. */
void clp_sysfs_del_patch(struct clp_kpatch *kp)
{
	struct clp_kobj *ko;
	struct clp_kfunc *kf;

	list_for_each_entry(ko, &kp->objs, node) {
		list_for_each_entry(kf, &ko->funcs, node)
			if (kf->kobj.state_in_sysfs)
				kobject_del(&kf->kobj);
		if (ko->kobj.state_in_sysfs)
			kobject_del(&ko->kobj);
	}
	if (kp->kobj.state_in_sysfs)
		kobject_del(&kp->kobj);
}

/*
 * /sys/kernel/clp/functions: "<object> <func>,<sympos> <live patch>" per
 * line.  A binary attribute, because a big cumulative patch lists more than
 * the one page a text attribute may show: every read renders the whole
 * list under clp_mutex and copies out the part asked for.  Each read(2)
 * returns at most a page, so a reader racing with a switch may see pages
 * of two states.
 */
static ssize_t clp_functions_render(char **out)
{
	struct clp_ofunc *of;
	size_t size = 0, len = 0;
	char *buf;

	lockdep_assert_held(&clp_mutex);
	list_for_each_entry(of, &clp_ofuncs, node)
		size += strlen(of->objname) + strlen(of->name) + CLP_NAME_MAX + 24;
	buf = kvmalloc(size + 1, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	list_for_each_entry(of, &clp_ofuncs, node) {
		struct clp_kfunc *kf = READ_ONCE(of->live);

		len += scnprintf(buf + len, size + 1 - len, "%s %s,%lu %s\n",
				 of->objname, of->name, of->sympos,
				 kf ? kf->kobj_parent->kpatch->name :
				 "(original)");
	}
	*out = buf;
	return len;
}

static ssize_t functions_read(struct file *file, struct kobject *kobj,
			      struct bin_attribute *attr, char *to,
			      loff_t off, size_t count)
{
	char *buf;
	ssize_t len;

	mutex_lock(&clp_mutex);
	len = clp_functions_render(&buf);
	mutex_unlock(&clp_mutex);
	if (len < 0)
		return len;
	if (off >= len) {
		len = 0;
	} else {
		len = min_t(size_t, count, len - off);
		memcpy(to, buf + off, len);
	}
	kvfree(buf);
	return len;
}

static struct bin_attribute functions_attr = {
	.attr	= { .name = "functions", .mode = 0444 },
	.read	= functions_read,
};

int clp_sysfs_init(void)
{
	int ret;

	clp_root = kobject_create_and_add("clp", kernel_kobj);
	if (!clp_root)
		return -ENOMEM;
	ret = sysfs_create_bin_file(clp_root, &functions_attr);
	if (ret)
		kobject_put(clp_root);
	return ret;
}

void clp_sysfs_exit(void)
{
	sysfs_remove_bin_file(clp_root, &functions_attr);
	kobject_put(clp_root);
}
