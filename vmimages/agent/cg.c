// SPDX-License-Identifier: GPL-2.0-only
/* cg.c - the agent's cgroups through libcgroup: mount, create, set, enter, read counters. */
#include "cg.h"
#include "shared/sysfile.h"

#include <errno.h>
#include <libcgroup.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#define CG_ROOT "/sys/fs/cgroup"

static int cg_version;

/*
 * The controllers a group gets: memory, pids for pids.max, and in v2 cpuset for cpuset.mems
 * (a v1 cpuset group takes no task before its cpus and mems are set: it is left out).
 */
static const char *const cg_controllers[] = { "memory", "pids", "cpuset" };
#define CG_NCONTROLLERS (cg_version == 1 ? 2 : 3)

/* libcgroup's error as an errno: the kernel's own where libcgroup kept it. */
static int cg_errno(int ret)
{
	int e;

	if (!ret)
		return 0;
	e = cgroup_get_last_errno();
	return e ? e : EIO;
}

/* The controller a control file belongs to: "memory" for "memory.max". */
static void cg_controller_of(const char *key, char *buf, size_t len)
{
	size_t n = strcspn(key, ".");

	snprintf(buf, len, "%.*s", (int)n, key);
}

static void cg_path(const char *name, const char *key, char *buf, size_t len)
{
	char ctrl[32];

	cg_controller_of(key, ctrl, sizeof(ctrl));
	if (cg_version == 1)
		snprintf(buf, len, CG_ROOT "/%s/%s/%s", ctrl, name, key);
	else
		snprintf(buf, len, CG_ROOT "/%s/%s", name, key);
}

int cg_setup(int version, const char **what)
{
	size_t i;
	int err;

	cg_version = version;
	mkdir(CG_ROOT, 0755);
	if (version == 2) {
		*what = "mount cgroup2";
		if (mount("cgroup2", CG_ROOT, "cgroup2", 0, NULL))
			return errno;
		/* the root may hold processes and still hand controllers down (cgroup-v2.rst) */
		*what = "enable memory and pids in " CG_ROOT "/cgroup.subtree_control";
		err = sysfile_write(CG_ROOT "/cgroup.subtree_control", "+memory +pids +cpuset");
		if (err)
			return err;
	} else {
		*what = "mount tmpfs on " CG_ROOT;
		if (mount("tmpfs", CG_ROOT, "tmpfs", 0, "mode=0755"))
			return errno;
		for (i = 0; i < (size_t)CG_NCONTROLLERS; i++) {
			static char step[64];
			char dir[64];

			snprintf(dir, sizeof(dir), CG_ROOT "/%s", cg_controllers[i]);
			mkdir(dir, 0755);
			/* without the v1 controller: EINVAL, "Unknown subsys name" */
			snprintf(step, sizeof(step), "mount cgroup v1 %s", cg_controllers[i]);
			*what = step;
			if (mount("cgroup", dir, "cgroup", 0, cg_controllers[i]))
				return errno;
		}
	}
	*what = "cgroup_init";
	return cg_errno(cgroup_init());
}

/* A libcgroup group named name with both controllers attached; NULL when out of memory. */
static struct cgroup *cg_new(const char *name)
{
	struct cgroup *cg = cgroup_new_cgroup(name);
	size_t i;

	for (i = 0; cg && i < (size_t)CG_NCONTROLLERS; i++)
		if (!cgroup_add_controller(cg, cg_controllers[i])) {
			cgroup_free(&cg);
			return NULL;
		}
	return cg;
}

int cg_create(const char *name)
{
	struct cgroup *cg;
	const char *slash = strrchr(name, '/');
	int ret;

	/* v2 hands a controller to a child only through the parent's subtree_control */
	if (cg_version == 2 && slash) {
		char path[256];

		snprintf(path, sizeof(path), CG_ROOT "/%.*s/cgroup.subtree_control",
			 (int)(slash - name), name);
		ret = sysfile_write(path, "+memory +pids +cpuset");
		if (ret)
			return ret;
	}
	cg = cg_new(name);
	if (!cg)
		return ENOMEM;
	ret = cg_errno(cgroup_create_cgroup(cg, 0));
	cgroup_free(&cg);
	return ret;
}

int cg_set(const char *name, const char *key, const char *value, char *got, size_t gotlen)
{
	struct cgroup_controller *ctrl;
	struct cgroup *cg = cgroup_new_cgroup(name);
	char cname[32], path[256];
	int ret;

	cg_controller_of(key, cname, sizeof(cname));
	ctrl = cg ? cgroup_add_controller(cg, cname) : NULL;
	if (!ctrl || cgroup_add_value_string(ctrl, key, value)) {
		cgroup_free(&cg);
		return ENOMEM;
	}
	ret = cg_errno(cgroup_modify_cgroup(cg));
	cgroup_free(&cg);

	cg_path(name, key, path, sizeof(path));
	if (sysfile_read(path, got, gotlen) < 0) {
		got[0] = '\0';
		return ret ? ret : errno;
	}
	/* memory.oom_control reads back several lines: keep the first, the one written */
	got[strcspn(got, "\n")] = '\0';
	return ret;
}

int cg_enter(const char *name)
{
	struct cgroup *cg = cg_new(name);
	int ret;

	if (!cg)
		return ENOMEM;
	ret = cg_errno(cgroup_attach_task(cg));
	cgroup_free(&cg);
	return ret;
}

int cg_read_pairs(const char *name, const char *key,
		  void (*fn)(void *arg, const char *k, long long v), void *arg)
{
	char ctrl[32], line[256], k[64];
	void *handle = NULL;
	long long v;
	int ret;

	cg_controller_of(key, ctrl, sizeof(ctrl));
	ret = cgroup_read_value_begin(ctrl, name, (char *)key, &handle, line, sizeof(line));
	if (ret && ret != ECGEOF)
		return cg_errno(ret) == EIO ? ENOENT : cg_errno(ret);
	while (!ret) {
		if (sscanf(line, "%63s %lld", k, &v) == 2)
			fn(arg, k, v);
		ret = cgroup_read_value_next(&handle, line, sizeof(line));
	}
	cgroup_read_value_end(&handle);
	return 0;
}
