// SPDX-License-Identifier: GPL-2.0
/*
 * clp-fix CHECK [ARG] - observe, inside the test guest, the behaviour that
 * one real stable fix of selftests/fixes/ changes, and print it as one
 * line; the catalogue test (selftests/clp/87-real-fixes.sh) compares that
 * line with the patch's Unfixed:/Fixed: lines.  The checks whose fix
 * changes nothing a program can see are workloads that run the replaced
 * functions and print the same line either way.  Exit 2 when the check
 * itself cannot run (setup failed).
 *
 *   tmpfile        O_TMPFILE, with an fsuid the filesystem's user namespace
 *                  does not map: ok, or EOVERFLOW with the fix
 *   timens         a time namespace offset with tv_nsec -1: ok, or EINVAL
 *   mremap         VmLck after mremap(MREMAP_DONTUNMAP) of the middle page
 *                  of an mlock()ed mapping and munmap() of it all: 8 kB
 *                  leaked, or 0 kB with the fix
 *   flowlabel      leases of one IPv6 flow label on one socket without
 *                  CAP_NET_ADMIN: 40 of 40, or 32 of 40 (ENOBUFS)
 *   loop FILE      LOOP_SET_BLOCK_SIZE on a loop device (backed by FILE)
 *                  that another open holds exclusively: ok, or EBUSY
 *   fspick DIR     workload: fspick() on the mount root DIR, a
 *                  subdirectory and a pipe, 200 times
 *   signal         workload: 100 thread groups that exit while their
 *                  threads block and unblock a pending shared signal
 *
 * The 6.12 catalogue:
 *   pagemap        an unknown ioctl on /proc/self/pagemap: EINVAL, or
 *                  ENOTTY with the fix
 *   timer          timer_gettime() of a SIGEV_NONE timer armed for 100 s
 *                  and disarmed: time left, or none with the fix
 *   inotify DIR    two files renamed in turn to the same name in a watched
 *                  directory (DIR/clp-fix-w): 1 IN_MOVED_TO event, or 2
 *   ipv6conn       the device a UDPv6 socket is bound to after its connect()
 *                  to fe80::1%lo fails (a new network namespace: lo is
 *                  down): lo (ifindex 1), or none with the fix
 *   veth           the carrier of a veth device that is up, whose peer is
 *                  down, after its channels change from 2 to 1 (a new
 *                  network namespace; needs veth.ko): on, or off
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/ethtool.h>
#include <linux/if_link.h>
#include <linux/loop.h>
#include <linux/rtnetlink.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fsuid.h>
#include <sys/inotify.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME		0x00000080
#endif
#ifndef MREMAP_DONTUNMAP
#define MREMAP_DONTUNMAP	4
#endif
#ifndef FSPICK_CLOEXEC
#define FSPICK_CLOEXEC		0x00000001
#define FSPICK_EMPTY_PATH	0x00000008
#endif
#ifndef IPV6_FLOWLABEL_MGR
#define IPV6_FLOWLABEL_MGR	32
#endif
#define IPV6_FL_A_GET		0
#define IPV6_FL_F_CREATE	1
#define IPV6_FL_S_ANY		255

/* <linux/in6.h>'s, which clashes with <netinet/in.h> */
struct flowlabel_req {
	struct in6_addr	flr_dst;
	uint32_t	flr_label;
	uint8_t		flr_action;
	uint8_t		flr_share;
	uint16_t	flr_flags;
	uint16_t	flr_expires;
	uint16_t	flr_linger;
	uint32_t	flr_pad;
};

static const char *ename(int e)
{
	const char *n = strerrorname_np(e);

	return n ? n : "?";
}

static void die(const char *what)
{
	fprintf(stderr, "clp-fix: %s: %s\n", what, ename(errno));
	exit(2);
}

/* the result of a call: "ok" or the errno name */
static const char *res(int rc, int err)
{
	return rc < 0 ? ename(err) : "ok";
}

/*
 * A child in a new user namespace (uid and gid 0 mapped to 0 only) and
 * mount namespace mounts a tmpfs, owned by that user namespace; this
 * process, still root of the initial namespace, opens the tmpfs through
 * /proc/CHILD/root and creates an O_TMPFILE there as fsuid/fsgid 4242,
 * which the tmpfs's namespace does not map.
 */
static int tmpfile_check(void)
{
	const char *mnt = "/tmp/clp-fix-tmpfile";
	int go[2], ready[2], dir, fd, err;
	char path[64], c = 0;
	pid_t pid;
	FILE *f;

	mkdir(mnt, 0755);
	if (pipe(go) || pipe(ready))
		die("pipe");
	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		close(go[1]);
		close(ready[0]);
		if (unshare(CLONE_NEWUSER | CLONE_NEWNS))
			die("unshare(CLONE_NEWUSER | CLONE_NEWNS)");
		if (write(ready[1], &c, 1) != 1 || read(go[0], &c, 1) != 1)
			_exit(2);
		if (mount("none", "/", NULL, MS_REC | MS_PRIVATE, NULL) ||
		    mount("clp-fix", mnt, "tmpfs", 0, "mode=1777"))
			die("mount tmpfs in a user namespace");
		if (write(ready[1], &c, 1) != 1)
			_exit(2);
		if (read(go[0], &c, 1) < 0)	/* until the parent closes it */
			_exit(2);
		_exit(0);
	}
	close(go[0]);
	close(ready[1]);
	if (read(ready[0], &c, 1) != 1)
		die("child");
	snprintf(path, sizeof(path), "/proc/%d/uid_map", pid);
	if (!(f = fopen(path, "w")) || fputs("0 0 1\n", f) < 0 || fclose(f))
		die("uid_map");
	snprintf(path, sizeof(path), "/proc/%d/gid_map", pid);
	if (!(f = fopen(path, "w")) || fputs("0 0 1\n", f) < 0 || fclose(f))
		die("gid_map");
	if (write(go[1], &c, 1) != 1 || read(ready[0], &c, 1) != 1)
		die("child mount");
	snprintf(path, sizeof(path), "/proc/%d/root%s", pid, mnt);
	dir = open(path, O_DIRECTORY | O_RDONLY);
	if (dir < 0)
		die(path);
	setfsgid(4242);
	setfsuid(4242);
	fd = openat(dir, ".", O_TMPFILE | O_RDWR, 0600);
	err = errno;
	setfsuid(0);
	setfsgid(0);
	if (fd >= 0)
		close(fd);
	close(dir);
	close(go[1]);
	waitpid(pid, NULL, 0);
	printf("O_TMPFILE with an unmapped fsuid: %s\n", res(fd, err));
	return 0;
}

/* offsets of a new time namespace (for this process's children) */
static int timens_check(void)
{
	const char *off = "monotonic 0 18446744073709551615\n";	/* tv_nsec -1 */
	ssize_t n;
	int fd;

	if (unshare(CLONE_NEWTIME))
		die("unshare(CLONE_NEWTIME)");
	fd = open("/proc/self/timens_offsets", O_WRONLY);
	if (fd < 0)
		die("/proc/self/timens_offsets");
	n = write(fd, off, strlen(off));
	printf("timens_offsets with tv_nsec -1: %s\n", res(n, errno));
	close(fd);
	return 0;
}

static long status_kb(const char *key)
{
	char line[256];
	long v = -1;
	FILE *f = fopen("/proc/self/status", "r");

	if (!f)
		die("/proc/self/status");
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, strlen(key)))
			v = strtol(line + strlen(key), NULL, 10);
	fclose(f);
	return v;
}

static int mremap_check(void)
{
	long ps = sysconf(_SC_PAGESIZE);
	char *p, *q;

	p = mmap(NULL, 3 * ps, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		die("mmap");
	if (mlock(p, 3 * ps))
		die("mlock");
	if (status_kb("VmLck:") != 3 * ps / 1024) {
		fprintf(stderr, "clp-fix: VmLck is %ld kB after mlock()\n", status_kb("VmLck:"));
		return 2;
	}
	/* the syscall: glibc passes no new address without MREMAP_FIXED */
	q = (char *)syscall(SYS_mremap, p + ps, ps, ps, MREMAP_MAYMOVE | MREMAP_DONTUNMAP, 0UL);
	if (q == MAP_FAILED)
		die("mremap(MREMAP_DONTUNMAP)");
	if (munmap(p, 3 * ps) || munmap(q, ps))
		die("munmap");
	printf("VmLck after munmap: %ld kB\n", status_kb("VmLck:"));
	return 0;
}

static int flowlabel_check(void)
{
	struct flowlabel_req req;
	int s, i, n = 0, err = 0;

	s = socket(AF_INET6, SOCK_DGRAM, 0);
	if (s < 0)
		die("socket(AF_INET6)");
	/* without CAP_NET_ADMIN */
	if (setresgid(65534, 65534, 65534) || setresuid(65534, 65534, 65534))
		die("setresuid");
	for (i = 0; i < 40; i++) {
		memset(&req, 0, sizeof(req));
		req.flr_dst = in6addr_loopback;
		req.flr_label = htonl(0x1234);
		req.flr_action = IPV6_FL_A_GET;
		req.flr_share = IPV6_FL_S_ANY;
		req.flr_flags = i ? 0 : IPV6_FL_F_CREATE;
		if (setsockopt(s, IPPROTO_IPV6, IPV6_FLOWLABEL_MGR, &req, sizeof(req))) {
			err = errno;
			break;
		}
		n++;
	}
	if (err && !n)
		die("IPV6_FLOWLABEL_MGR");
	if (err)
		printf("flowlabel leases: %d of 40 (%s)\n", n, ename(err));
	else
		printf("flowlabel leases: %d of 40\n", n);
	close(s);
	return 0;
}

static int loop_check(const char *file)
{
	int ctl, nr, back, lfd, ex, rc, err;
	char dev[32];

	back = open(file, O_RDWR | O_CREAT, 0600);
	if (back < 0 || ftruncate(back, 1 << 20))
		die(file);
	ctl = open("/dev/loop-control", O_RDWR);
	if (ctl < 0)
		die("/dev/loop-control");
	nr = ioctl(ctl, LOOP_CTL_GET_FREE);
	if (nr < 0)
		die("LOOP_CTL_GET_FREE");
	snprintf(dev, sizeof(dev), "/dev/loop%d", nr);
	lfd = open(dev, O_RDWR);
	if (lfd < 0)
		die(dev);
	if (ioctl(lfd, LOOP_SET_FD, back))
		die("LOOP_SET_FD");
	ex = open(dev, O_RDONLY | O_EXCL);	/* the exclusive owner */
	if (ex < 0)
		die("open O_EXCL");
	rc = ioctl(lfd, LOOP_SET_BLOCK_SIZE, 1024UL);
	err = errno;
	close(ex);
	if (ioctl(lfd, LOOP_SET_BLOCK_SIZE, 512UL))
		die("LOOP_SET_BLOCK_SIZE without an exclusive owner");
	if (ioctl(lfd, LOOP_CLR_FD))
		die("LOOP_CLR_FD");
	close(lfd);
	close(ctl);
	close(back);
	unlink(file);
	printf("LOOP_SET_BLOCK_SIZE under an exclusive owner: %s\n", res(rc, err));
	return 0;
}

static int fspick_check(const char *dir)
{
	char sub[4096];
	int i, fd, p[2];

	snprintf(sub, sizeof(sub), "%s/clp-fix-sub", dir);
	mkdir(sub, 0755);
	if (pipe(p))
		die("pipe");
	for (i = 0; i < 200; i++) {
		fd = syscall(SYS_fspick, AT_FDCWD, dir, FSPICK_CLOEXEC);
		if (fd < 0)
			die("fspick on the mount root");
		close(fd);
		if (syscall(SYS_fspick, AT_FDCWD, sub, FSPICK_CLOEXEC) >= 0 || errno != EINVAL)
			die("fspick on a subdirectory");
		if (syscall(SYS_fspick, p[0], "", FSPICK_CLOEXEC | FSPICK_EMPTY_PATH) >= 0 ||
		    errno != EINVAL)
			die("fspick on a pipe");
	}
	close(p[0]);
	close(p[1]);
	rmdir(sub);
	printf("fspick: mount root ok, subdirectory EINVAL, pipe EINVAL\n");
	return 0;
}

static volatile sig_atomic_t caught;

static void on_usr1(int sig)
{
	(void)sig;
	caught++;
}

static void *masker(void *arg)
{
	sigset_t set;

	(void)arg;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	for (;;) {
		pthread_sigmask(SIG_BLOCK, &set, NULL);
		pthread_sigmask(SIG_UNBLOCK, &set, NULL);
	}
	return NULL;
}

/* a thread group whose threads come and go and block a pending signal */
static void signal_group(void)
{
	pthread_t t;
	int i;

	signal(SIGUSR1, on_usr1);
	for (i = 0; i < 3; i++)
		if (pthread_create(&t, NULL, masker, NULL))
			_exit(2);
	for (i = 0; i < 200; i++)
		kill(getpid(), SIGUSR1);
	_exit(0);	/* exit_group() with the threads running */
}

static int signal_check(void)
{
	int r, st;
	pid_t pid;

	for (r = 0; r < 100; r++) {
		pid = fork();
		if (pid < 0)
			die("fork");
		if (pid == 0)
			signal_group();
		if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st)) {
			fprintf(stderr, "clp-fix: thread group %d ended with status %#x\n", r, st);
			return 2;
		}
	}
	printf("signal: %d thread groups exited\n", r);
	return 0;
}

static int pagemap_check(void)
{
	int fd, rc, err;

	fd = open("/proc/self/pagemap", O_RDONLY);
	if (fd < 0)
		die("/proc/self/pagemap");
	rc = ioctl(fd, _IO('f', 0x7f), 0);	/* no pagemap ioctl */
	err = errno;
	close(fd);
	printf("pagemap unknown ioctl: %s\n", res(rc, err));
	return 0;
}

static int timer_check(void)
{
	struct sigevent sev = { .sigev_notify = SIGEV_NONE };
	struct itimerspec arm = { .it_value.tv_sec = 100 }, off = {}, cur;
	timer_t t;

	if (timer_create(CLOCK_MONOTONIC, &sev, &t))
		die("timer_create");
	if (timer_settime(t, 0, &arm, NULL) || timer_settime(t, 0, &off, NULL))
		die("timer_settime");
	if (timer_gettime(t, &cur))
		die("timer_gettime");
	timer_delete(t);
	printf("disarmed SIGEV_NONE timer: %s\n",
	       cur.it_value.tv_sec || cur.it_value.tv_nsec ? "time left" : "no time left");
	return 0;
}

static int inotify_check(const char *dir)
{
	char w[4096], a[4096], b[4096], x[4096];
	char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
	int fd, n = 0, i;
	ssize_t len;

	snprintf(w, sizeof(w), "%s/clp-fix-w", dir);
	snprintf(a, sizeof(a), "%s/clp-fix-a", dir);
	snprintf(b, sizeof(b), "%s/clp-fix-b", dir);
	snprintf(x, sizeof(x), "%s/clp-fix-w/x", dir);
	if (mkdir(w, 0755) && errno != EEXIST)
		die(w);
	for (i = 0; i < 2; i++) {
		fd = open(i ? b : a, O_WRONLY | O_CREAT, 0644);
		if (fd < 0)
			die("create");
		close(fd);
	}
	fd = inotify_init1(IN_NONBLOCK);
	if (fd < 0)
		die("inotify_init1");
	if (inotify_add_watch(fd, w, IN_MOVED_TO) < 0)
		die("inotify_add_watch");
	if (rename(a, x) || rename(b, x))
		die("rename");
	while ((len = read(fd, buf, sizeof(buf))) > 0) {
		for (char *p = buf; p < buf + len;) {
			struct inotify_event *e = (struct inotify_event *)p;

			if (e->mask & IN_MOVED_TO)
				n++;
			p += sizeof(*e) + e->len;
		}
	}
	close(fd);
	unlink(x);
	rmdir(w);
	printf("renames to one name: %d IN_MOVED_TO of 2\n", n);
	return 0;
}

static int ipv6conn_check(void)
{
	struct sockaddr_in6 sa = {
		.sin6_family = AF_INET6,
		.sin6_port = htons(53),
		.sin6_scope_id = 1,
	};
	socklen_t len = sizeof(int);
	int s, rc, err, dev = -1;

	if (unshare(CLONE_NEWNET))
		die("unshare(CLONE_NEWNET)");
	s = socket(AF_INET6, SOCK_DGRAM, 0);
	if (s < 0)
		die("socket");
	sa.sin6_addr.s6_addr[0] = 0xfe;
	sa.sin6_addr.s6_addr[1] = 0x80;
	sa.sin6_addr.s6_addr[15] = 1;
	rc = connect(s, (struct sockaddr *)&sa, sizeof(sa));
	err = errno;
	if (getsockopt(s, SOL_SOCKET, SO_BINDTOIFINDEX, &dev, &len))
		die("getsockopt(SO_BINDTOIFINDEX)");
	close(s);
	printf("connect to fe80::1%%lo: %s, then bound to ifindex %d\n", res(rc, err), dev);
	return 0;
}

/* append attribute TYPE with LEN bytes of DATA to the netlink message N */
static struct rtattr *addattr(struct nlmsghdr *n, int type, const void *data, int len)
{
	struct rtattr *rta = (struct rtattr *)((char *)n + NLMSG_ALIGN(n->nlmsg_len));

	rta->rta_type = type;
	rta->rta_len = RTA_LENGTH(len);
	if (len)
		memcpy(RTA_DATA(rta), data, len);
	n->nlmsg_len = NLMSG_ALIGN(n->nlmsg_len) + RTA_ALIGN(rta->rta_len);
	return rta;
}

static int veth_check(void)
{
	struct {
		struct nlmsghdr n;
		struct ifinfomsg i;
		char buf[512];
	} req = {
		.n.nlmsg_len = NLMSG_LENGTH(sizeof(struct ifinfomsg)),
		.n.nlmsg_type = RTM_NEWLINK,
		.n.nlmsg_flags = NLM_F_REQUEST | NLM_F_CREATE | NLM_F_EXCL | NLM_F_ACK,
		.i.ifi_family = AF_UNSPEC,
	};
	struct {
		struct nlmsghdr n;
		struct nlmsgerr e;
	} ack;
	struct ethtool_channels ch = { .cmd = ETHTOOL_SCHANNELS, .rx_count = 1, .tx_count = 1 };
	struct ethtool_value link = { .cmd = ETHTOOL_GLINK };
	struct ifreq ifr = {};
	struct rtattr *li;
	unsigned int two = 2;
	int nl, s;

	if (unshare(CLONE_NEWNET))
		die("unshare(CLONE_NEWNET)");
	addattr(&req.n, IFLA_IFNAME, "clpv0", 6);
	addattr(&req.n, IFLA_NUM_TX_QUEUES, &two, sizeof(two));
	addattr(&req.n, IFLA_NUM_RX_QUEUES, &two, sizeof(two));
	li = addattr(&req.n, IFLA_LINKINFO, NULL, 0);
	addattr(&req.n, IFLA_INFO_KIND, "veth", 4);
	li->rta_len = (char *)&req + req.n.nlmsg_len - (char *)li;
	nl = socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE);
	if (nl < 0)
		die("socket(NETLINK_ROUTE)");
	if (send(nl, &req, req.n.nlmsg_len, 0) < 0 || recv(nl, &ack, sizeof(ack), 0) < 0)
		die("RTM_NEWLINK");
	if (ack.n.nlmsg_type == NLMSG_ERROR && ack.e.error) {
		errno = -ack.e.error;
		die("RTM_NEWLINK veth (no veth.ko?)");
	}
	close(nl);
	s = socket(AF_INET, SOCK_DGRAM, 0);
	if (s < 0)
		die("socket");
	strcpy(ifr.ifr_name, "clpv0");
	ifr.ifr_flags = IFF_UP;
	if (ioctl(s, SIOCSIFFLAGS, &ifr))
		die("SIOCSIFFLAGS clpv0 up");
	ifr.ifr_data = (void *)&ch;
	if (ioctl(s, SIOCETHTOOL, &ifr))
		die("ETHTOOL_SCHANNELS");
	ifr.ifr_data = (void *)&link;
	if (ioctl(s, SIOCETHTOOL, &ifr))
		die("ETHTOOL_GLINK");
	close(s);
	printf("veth up, peer down, channels 2 -> 1: carrier %s\n", link.data ? "on" : "off");
	return 0;
}

int main(int argc, char **argv)
{
	const char *c = argc > 1 ? argv[1] : "";

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!strcmp(c, "tmpfile") && argc == 2)
		return tmpfile_check();
	if (!strcmp(c, "timens") && argc == 2)
		return timens_check();
	if (!strcmp(c, "mremap") && argc == 2)
		return mremap_check();
	if (!strcmp(c, "flowlabel") && argc == 2)
		return flowlabel_check();
	if (!strcmp(c, "loop") && argc == 3)
		return loop_check(argv[2]);
	if (!strcmp(c, "fspick") && argc == 3)
		return fspick_check(argv[2]);
	if (!strcmp(c, "signal") && argc == 2)
		return signal_check();
	if (!strcmp(c, "pagemap") && argc == 2)
		return pagemap_check();
	if (!strcmp(c, "timer") && argc == 2)
		return timer_check();
	if (!strcmp(c, "inotify") && argc == 3)
		return inotify_check(argv[2]);
	if (!strcmp(c, "ipv6conn") && argc == 2)
		return ipv6conn_check();
	if (!strcmp(c, "veth") && argc == 2)
		return veth_check();
	fprintf(stderr, "usage: clp-fix tmpfile|timens|mremap|flowlabel|signal\n"
		"       clp-fix pagemap|timer|ipv6conn|veth\n"
		"       clp-fix loop FILE | fspick DIR | inotify DIR\n");
	return 2;
}
