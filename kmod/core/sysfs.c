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
#define to_ktarget(k)	container_of(k, struct clp_ktarget, kobj)
#define to_kfunc(k)	container_of(k, struct clp_kfunc, kobj)

/* Copy the part of @buf (@len bytes) that a read at @off asks for. */
static ssize_t clp_read_slice(char *to, loff_t off, size_t count,
			      const char *buf, size_t len)
{
	if (off >= len)
		return 0;
	count = min_t(size_t, count, len - off);
	memcpy(to, buf + off, count);
	return count;
}

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

/*
 * <patch>/patches and <patch>/states: lists that a big set makes longer
 * than a page, so binary attributes, rendered per read from the patch
 * module's constant description.  A renderer returns the length of the
 * whole text; with a NULL @buf it only measures.
 */
typedef size_t (*clp_render_fn)(struct clp_kpatch *kp, char *buf, size_t size);

static size_t clp_render_patches(struct clp_kpatch *kp, char *buf, size_t size)
{
	const char * const *p = kp->desc->patches;
	size_t len = 0;

	if (!p)
		return snprintf(buf, size, "%s\n", kp->name);
	for (; *p; p++)
		len += snprintf(buf ? buf + len : NULL, buf ? size - len : 0,
				"%s\n", *p);
	return len;
}

static size_t clp_render_states(struct clp_kpatch *kp, char *buf, size_t size)
{
	struct clp_state *st = kp->desc->states;
	size_t len = 0;

	for (; st && st->id; st++)
		len += snprintf(buf ? buf + len : NULL, buf ? size - len : 0,
				"%lu %u\n", st->id, st->version);
	return len;
}

static ssize_t clp_rendered_read(struct kobject *kobj, char *to, loff_t off,
				 size_t count, clp_render_fn render)
{
	struct clp_kpatch *kp = to_kpatch(kobj);
	size_t len = render(kp, NULL, 0);
	ssize_t ret;
	char *buf;

	buf = kvmalloc(len + 1, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	render(kp, buf, len + 1);
	ret = clp_read_slice(to, off, count, buf, len);
	kvfree(buf);
	return ret;
}

static ssize_t patches_read(struct file *file, struct kobject *kobj,
			    struct bin_attribute *attr, char *to, loff_t off,
			    size_t count)
{
	return clp_rendered_read(kobj, to, off, count, clp_render_patches);
}

static ssize_t states_read(struct file *file, struct kobject *kobj,
			   struct bin_attribute *attr, char *to, loff_t off,
			   size_t count)
{
	return clp_rendered_read(kobj, to, off, count, clp_render_states);
}

static struct bin_attribute patches_attr = {
	.attr	= { .name = "patches", .mode = 0444 },
	.read	= patches_read,
};

static struct bin_attribute states_attr = {
	.attr	= { .name = "states", .mode = 0444 },
	.read	= states_read,
};

static struct bin_attribute *clp_kpatch_bin_attrs[] = {
	&patches_attr,
	&states_attr,
	NULL,
};

static struct kobj_attribute enabled_attr = __ATTR_RW(enabled);
static struct kobj_attribute patch_live_attr = __ATTR(live, 0444, live_show, NULL);
static struct kobj_attribute order_attr = __ATTR_RO(order);
static struct kobj_attribute version_attr = __ATTR_RO(version);

static struct attribute *clp_kpatch_attrs[] = {
	&enabled_attr.attr,
	&patch_live_attr.attr,
	&order_attr.attr,
	&version_attr.attr,
	NULL,
};

static const struct attribute_group clp_kpatch_group = {
	.attrs		= clp_kpatch_attrs,
	.bin_attrs	= clp_kpatch_bin_attrs,
};

static const struct attribute_group *clp_kpatch_groups[] = {
	&clp_kpatch_group,
	NULL,
};

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
	struct clp_ktarget *kt = to_ktarget(kobj);
	bool patched;

	/* loaded, and this patch's versions of its functions are live */
	mutex_lock(&clp_mutex);
	patched = clp_ktarget_live(kt);
	mutex_unlock(&clp_mutex);
	return sysfs_emit(buf, "%d\n", patched);
}

static struct kobj_attribute patched_attr = __ATTR_RO(patched);

static struct attribute *clp_ktarget_attrs[] = {
	&patched_attr.attr,
	NULL,
};
ATTRIBUTE_GROUPS(clp_ktarget);

static void clp_ktarget_release(struct kobject *kobj)
{
	kfree(to_ktarget(kobj));
}

const struct kobj_type clp_ktarget_ktype = {
	.release	= clp_ktarget_release,
	.sysfs_ops	= &kobj_sysfs_ops,
	.default_groups	= clp_ktarget_groups,
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
	struct clp_ktarget *kt;
	struct clp_kfunc *kf;
	int ret;

	ret = kobject_add(&kp->kobj, clp_root, "%s", kp->name);
	if (ret)
		return ret;
	list_for_each_entry(kt, &kp->objs, node) {
		ret = kobject_add(&kt->kobj, &kp->kobj, "%s", kt->name);
		if (ret)
			return ret;
		list_for_each_entry(kf, &kt->funcs, node) {
			ret = kobject_add(&kf->kobj, &kt->kobj, "%s,%lu",
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
	struct clp_ktarget *kt;
	struct clp_kfunc *kf;

	list_for_each_entry(kt, &kp->objs, node) {
		list_for_each_entry(kf, &kt->funcs, node)
			if (kf->kobj.state_in_sysfs)
				kobject_del(&kf->kobj);
		if (kt->kobj.state_in_sysfs)
			kobject_del(&kt->kobj);
	}
	if (kp->kobj.state_in_sysfs)
		kobject_del(&kp->kobj);
}

/*
 * /sys/kernel/clp/functions: "<object> <func>,<sympos> <live patch>" per
 * line.  A binary attribute, because a big cumulative patch lists more than
 * the one page a text attribute may show.  The list is rendered once per
 * change (clp_sysfs_functions_changed()) and read in slices under
 * clp_mutex, so reading it costs linear time however small the reads.
 * Each read(2) returns at most a page, so a reader racing with a switch
 * may see pages of two states.  Addresses are not shown; still, only root
 * reads it, like the addresses below <patch>/.
 */
static struct {
	char *buf;
	size_t len;
	unsigned long gen;		/* of the rendered list */
	unsigned long changes;		/* bumped by every change */
} clp_functions = { .changes = 1 };

/**
 * clp_sysfs_functions_changed() - the ofunc list or a live version changed
 *
 * Called under clp_mutex by whatever changes what /functions shows.
 */
void clp_sysfs_functions_changed(void)
{
	lockdep_assert_held(&clp_mutex);
	clp_functions.changes++;
}

static int clp_functions_render(void)
{
	struct clp_ofunc *of;
	size_t size = 0, len = 0;
	char *buf;

	lockdep_assert_held(&clp_mutex);
	if (clp_functions.gen == clp_functions.changes)
		return 0;
	list_for_each_entry(of, &clp_ofuncs, node)
		size += strlen(of->objname) + strlen(of->name) + CLP_NAME_MAX + 24;
	buf = kvmalloc(size + 1, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	list_for_each_entry(of, &clp_ofuncs, node) {
		struct clp_kfunc *kf = READ_ONCE(of->live);

		len += scnprintf(buf + len, size + 1 - len, "%s %s,%lu %s\n",
				 of->objname, of->name, of->sympos,
				 kf ? kf->ktarget->kpatch->name :
				 "(original)");
	}
	kvfree(clp_functions.buf);
	clp_functions.buf = buf;
	clp_functions.len = len;
	clp_functions.gen = clp_functions.changes;
	return 0;
}

static ssize_t functions_read(struct file *file, struct kobject *kobj,
			      struct bin_attribute *attr, char *to,
			      loff_t off, size_t count)
{
	ssize_t ret;

	mutex_lock(&clp_mutex);
	ret = clp_functions_render();
	if (!ret)
		ret = clp_read_slice(to, off, count, clp_functions.buf,
				     clp_functions.len);
	mutex_unlock(&clp_mutex);
	return ret;
}

static struct bin_attribute functions_attr = {
	.attr	= { .name = "functions", .mode = 0400 },
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
	kvfree(clp_functions.buf);
	clp_functions.buf = NULL;
}
