#include "hostview.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "exit_codes.h"
#include "exit_reasons.h"

struct vm_entry {
	uint32_t pid, fd;
	char name[VM_NAME_LEN];
};

void hostview_init(struct hostview *hv, bool all, uint32_t pid,
		   const uint16_t *reasons, size_t nreasons)
{
	const char *root = getenv(HOSTVIEW_ROOT_ENV);

	memset(hv, 0, sizeof(*hv));
	hv->root = root && root[0] ? root : HOSTVIEW_DEFAULT_ROOT;
	hv->scope.all = all;
	hv->scope.pid = pid;
	hv->reasons = reasons;
	hv->nreasons = nreasons;
}

void hostview_free(struct hostview *hv)
{
	free(hv->names);
	free(hv->files);
	hv->names = NULL;
	hv->files = NULL;
	hv->nvms = hv->cap = 0;
}

static int failure(struct hostview *hv, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int failure(struct hostview *hv, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(hv->error, sizeof(hv->error), fmt, ap);
	va_end(ap);
	return EXITSTAT_NO_INTERFACE;
}

/* A whole decimal number that fits in 32 bits, from s up to end. */
static bool u32_span(const char *s, const char *end, uint32_t *out)
{
	uint64_t value = 0;

	if (s == end)
		return false;
	for (; s < end; s++) {
		if (*s < '0' || *s > '9')
			return false;
		value = value * 10 + (uint64_t)(*s - '0');
		if (value > UINT32_MAX)
			return false;
	}
	*out = (uint32_t)value;
	return true;
}

/* KVM names a VM's directory "PID-FD"; other entries are not VMs. */
static bool vm_name(const char *name, uint32_t *pid, uint32_t *fd)
{
	const char *dash = strchr(name, '-');

	return dash && strlen(name) < VM_NAME_LEN &&
	       u32_span(name, dash, pid) &&
	       u32_span(dash + 1, name + strlen(name), fd);
}

static int compare_vms(const void *pa, const void *pb)
{
	const struct vm_entry *a = pa, *b = pb;

	if (a->pid != b->pid)
		return a->pid < b->pid ? -1 : 1;
	return a->fd < b->fd ? -1 : a->fd > b->fd;
}

/* Whether a directory has any entry: an unmounted debugfs leaves none. */
static bool dir_has_entries(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *e;
	bool any = false;

	if (!d)
		return false;
	while (!any && (e = readdir(d)))
		any = strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
	closedir(d);
	return any;
}

/* Why the root cannot be read: each cause with its remedy. */
static int root_failure(struct hostview *hv, int err)
{
	char parent[PATH_MAX];
	char *slash;

	if (err == EACCES || err == EPERM)
		return failure(hv, "cannot read %s: permission denied (debugfs is for root: run exitstat --host as root)",
			       hv->root);
	if (err != ENOENT && err != ENOTDIR)
		return failure(hv, "cannot read %s: %s", hv->root, strerror(err));
	snprintf(parent, sizeof(parent), "%s", hv->root);
	while ((slash = strrchr(parent, '/')) && slash[1] == '\0' && slash != parent)
		*slash = '\0';
	slash = strrchr(parent, '/');
	if (slash == parent)
		slash[1] = '\0';
	else if (slash)
		*slash = '\0';
	else
		snprintf(parent, sizeof(parent), ".");
	if (!dir_has_entries(parent))
		return failure(hv, "%s does not exist: debugfs is not mounted (mount -t debugfs none %s)",
			       hv->root, parent);
	return failure(hv, "%s does not exist: KVM is not loaded on this host (modprobe kvm_intel or kvm_amd)",
		       hv->root);
}

/* The selected VMs' directories, in order. */
static int list_vms(struct hostview *hv, struct vm_entry **out, size_t *n)
{
	struct vm_entry *vms = NULL, *grown;
	size_t cap = 0;
	struct dirent *e;
	uint32_t pid, fd;
	DIR *d;

	*n = 0;
	d = opendir(hv->root);
	if (!d)
		return root_failure(hv, errno);
	while ((e = readdir(d))) {
		if (!vm_name(e->d_name, &pid, &fd) ||
		    (!hv->scope.all && pid != hv->scope.pid))
			continue;
		if (*n == cap) {
			cap = cap ? cap * 2 : 8;
			grown = realloc(vms, cap * sizeof(*vms));
			if (!grown) {
				free(vms);
				closedir(d);
				return EXITSTAT_FAILURE;
			}
			vms = grown;
		}
		vms[*n].pid = pid;
		vms[*n].fd = fd;
		/* vm_name() checked that it fits. */
		memcpy(vms[*n].name, e->d_name, strlen(e->d_name) + 1);
		(*n)++;
	}
	closedir(d);
	if (*n)
		qsort(vms, *n, sizeof(*vms), compare_vms);
	*out = vms;
	return EXITSTAT_OK;
}

/* A VM that went away between the listing and the read: not an error. */
#define VM_GONE (-1)

static int read_vm(struct hostview *hv, const struct vm_entry *vm,
		   struct hostfile *file)
{
	char path[PATH_MAX], dir[PATH_MAX], err[160];
	static char text[HOSTFILE_MAX_BYTES + 1];
	size_t len = 0;
	ssize_t got;
	struct stat st;
	int fd, saved;

	if (snprintf(dir, sizeof(dir), "%s/%s", hv->root, vm->name) >=
		    (int)sizeof(dir) ||
	    snprintf(path, sizeof(path), "%s/exit_stats", dir) >=
		    (int)sizeof(path))
		return failure(hv, "%s: path too long", hv->root);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		saved = errno;
		if (saved == ENOENT && stat(dir, &st) != 0 && errno == ENOENT)
			return VM_GONE;
		if (saved == ENOENT)
			return failure(hv, "%s does not exist: this host's KVM has no exit statistics (not patched, or kvm.exit_stats=0)",
				       path);
		if (saved == EACCES || saved == EPERM)
			return failure(hv, "cannot read %s: permission denied (run exitstat --host as root)",
				       path);
		return failure(hv, "cannot read %s: %s", path, strerror(saved));
	}
	/* One more byte than a file may have, to tell one that has more. */
	while (len < sizeof(text) &&
	       (got = read(fd, text + len, sizeof(text) - len)) != 0) {
		if (got < 0) {
			if (errno == EINTR)
				continue;
			saved = errno;
			close(fd);
			return failure(hv, "cannot read %s: %s", path,
				       strerror(saved));
		}
		len += (size_t)got;
	}
	close(fd);
	if (len > HOSTFILE_MAX_BYTES)
		return failure(hv, "%s: longer than %d bytes: not an exit_stats file",
			       path, HOSTFILE_MAX_BYTES);
	if (!hostfile_parse(text, len, file, err, sizeof(err)))
		return failure(hv, "%s: %s", path, err);
	return EXITSTAT_OK;
}

/* Any counter of the VM below its last reading: its counting restarted. */
static bool went_back(const struct hostfile *last, const struct hostfile *now)
{
	size_t r;

	if (now->total_exits < last->total_exits ||
	    now->total_cycles < last->total_cycles)
		return true;
	for (r = 0; r < READ_REASONS; r++)
		if (last->listed[r] &&
		    (!now->listed[r] || now->exits[r] < last->exits[r] ||
		     now->cycles[r] < last->cycles[r]))
			return true;
	return false;
}

/* A set of VMs other than the last one's, or one of them restarted. */
static bool changed(const struct hostview *hv, const struct vm_entry *vms,
		    const struct hostfile *files, size_t n)
{
	size_t i;

	if (n != hv->nvms)
		return true;
	for (i = 0; i < n; i++)
		if (strcmp(vms[i].name, hv->names[i]) != 0 ||
		    went_back(&hv->files[i], &files[i]))
			return true;
	return false;
}

/*
 * *to += part, held at 2^64-1 rather than wrapped to a small figure, as
 * the client's other sums; *held records that it was.
 */
static void add_held(uint64_t *to, uint64_t part, bool *held)
{
	if (*to + part < *to) {
		*to = UINT64_MAX;
		*held = true;
	} else {
		*to += part;
	}
}

static void sum_into(const struct hostview *hv, const struct hostfile *files,
		     size_t n, struct snapshot *out)
{
	size_t i, v;

	for (v = 0; v < n; v++) {
		add_held(&out->total_exits, files[v].total_exits,
			 &out->saturated);
		add_held(&out->total_cycles, files[v].total_cycles,
			 &out->saturated);
	}
	for (i = 0; i < hv->nreasons; i++) {
		struct reason_stat *st = &out->reasons[i];
		bool listed = false;

		st->reason = hv->reasons[i];
		/* Reasons from 86 up are in the totals only, as on the leaves. */
		for (v = 0; st->reason < READ_REASONS && v < n; v++) {
			if (!files[v].listed[st->reason])
				continue;
			listed = true;
			add_held(&st->exits, files[v].exits[st->reason],
				 &out->saturated);
			add_held(&st->cycles, files[v].cycles[st->reason],
				 &out->saturated);
		}
		/*
		 * The file lists the handled reasons: what the leaves with the
		 * EXST extension tell apart, told apart the same way.  Without
		 * a VM nothing tells.
		 */
		if (st->exits || st->cycles)
			st->status = REASON_COUNTED;
		else if (listed)
			st->status = REASON_IDLE;
		else if (n == 0)
			st->status = REASON_ZERO;
		else if (exit_reason_name(st->reason))
			st->status = REASON_UNHANDLED;
		else
			st->status = REASON_UNDEFINED;
	}
}

/* Keeps this take's VMs for the next one and for the report's header. */
static bool remember(struct hostview *hv, const struct vm_entry *vms,
		     const struct hostfile *files, size_t n)
{
	size_t i;

	if (n > hv->cap) {
		char(*names)[VM_NAME_LEN] = realloc(hv->names, n * sizeof(*names));
		struct hostfile *kept;

		if (!names)
			return false;
		hv->names = names;
		kept = realloc(hv->files, n * sizeof(*kept));
		if (!kept)
			return false;
		hv->files = kept;
		hv->cap = n;
	}
	for (i = 0; i < n; i++)
		memcpy(hv->names[i], vms[i].name, VM_NAME_LEN);
	if (n)
		memcpy(hv->files, files, n * sizeof(*files));
	hv->nvms = n;
	hv->scope.count = n;
	hv->scope.names = (const char(*)[VM_NAME_LEN])hv->names;
	return true;
}

int hostview_take(struct hostview *hv, struct snapshot *out)
{
	struct vm_entry *vms = NULL;
	struct hostfile *files = NULL;
	size_t n, kept = 0, i;
	int status;

	memset(out, 0, sizeof(*out));
	status = list_vms(hv, &vms, &n);
	if (status != EXITSTAT_OK)
		return status;
	if (n && !(files = malloc(n * sizeof(*files)))) {
		free(vms);
		return EXITSTAT_FAILURE;
	}
	for (i = 0; i < n; i++) {
		status = read_vm(hv, &vms[i], &files[kept]);
		if (status == VM_GONE)
			continue;
		if (status != EXITSTAT_OK)
			goto done;
		vms[kept++] = vms[i];
	}
	if (kept == 0 && !hv->scope.all) {
		status = hv->primed
				 ? failure(hv, "the VM of process %lu went away (no %lu-FD directory in %s any more)",
					   (unsigned long)hv->scope.pid,
					   (unsigned long)hv->scope.pid, hv->root)
				 : failure(hv, "process %lu has no VM (no %lu-FD directory in %s)",
					   (unsigned long)hv->scope.pid,
					   (unsigned long)hv->scope.pid, hv->root);
		goto done;
	}
	if (kept == 0 && !hv->primed) {
		status = failure(hv, "no VMs are running (no PID-FD directory in %s)",
				 hv->root);
		goto done;
	}
	status = EXITSTAT_FAILURE;
	out->wide_counts = true;
	out->count = hv->nreasons;
	out->reasons = calloc(hv->nreasons ? hv->nreasons : 1,
			      sizeof(*out->reasons));
	if (!out->reasons)
		goto done;
	out->reset = hv->primed && changed(hv, vms, files, kept);
	sum_into(hv, files, kept, out);
	if (!remember(hv, vms, files, kept)) {
		snapshot_free(out);
		goto done;
	}
	hv->primed = true;
	status = EXITSTAT_OK;
done:
	free(vms);
	free(files);
	return status;
}

void vm_scope_describe(const struct vm_scope *scope, char *buf, size_t len)
{
	size_t used, i;
	int n;

	if (scope->all)
		n = snprintf(buf, len, "all VMs, %zu summed", scope->count);
	else if (scope->count == 1)
		n = snprintf(buf, len, "the VM of process %lu",
			     (unsigned long)scope->pid);
	else
		n = snprintf(buf, len, "the %zu VMs of process %lu, summed",
			     scope->count, (unsigned long)scope->pid);
	used = n < 0 ? 0 : (size_t)n;
	/* Names while they fit, with room kept for " ...". */
	for (i = 0; i < scope->count && used < len; i++) {
		size_t need = strlen(scope->names[i]) + 2;

		if (used + need + 4 >= len) {
			snprintf(buf + used, len - used, " ...");
			return;
		}
		n = snprintf(buf + used, len - used, "%s%s", i ? " " : ": ",
			     scope->names[i]);
		used += (size_t)n;
	}
}
