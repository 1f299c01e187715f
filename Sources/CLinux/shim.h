// Linux interfaces that Glibc's Swift module leaves out.
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <sys/eventfd.h>
// statfs, which tells procfs apart (HostState's SocketOwners).
#include <sys/vfs.h>
// Netlink's socket diagnostics, which list sockets as `ss` does (HostState's SockDiagReader).
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <linux/inet_diag.h>

// A GNU extension, declared only under _GNU_SOURCE: accept with SOCK_NONBLOCK | SOCK_CLOEXEC
// in one call.
extern int accept4(int socket, struct sockaddr *address, socklen_t *length, int flags);
// Another, and its set type: the CPUs a thread may run on (HostState's UsableProcessors).
#include <sched.h>
extern int sched_getaffinity(pid_t pid, size_t size, cpu_set_t *set);
