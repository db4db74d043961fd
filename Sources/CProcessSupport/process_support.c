// Needed for POSIX_SPAWN_SETSID and the *_np file actions in glibc.
#define _GNU_SOURCE 1

#include "process_support.h"

#include <errno.h>
#include <malloc.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#ifdef __linux__
#include <sys/syscall.h>
#endif

#ifndef P_PIDFD
#define P_PIDFD 3
#endif

#if defined(__linux__) && !defined(SYS_pidfd_open)
#define SYS_pidfd_open 434
#endif
#if defined(__linux__) && !defined(SYS_pidfd_send_signal)
#define SYS_pidfd_send_signal 424
#endif

int sh_spawn_session(pid_t *out_pid,
                     const char *path,
                     char *const argv[],
                     char *const envp[],
                     const char *working_directory,
                     int output_fd) {
#ifdef __linux__
    posix_spawn_file_actions_t actions;
    posix_spawnattr_t attributes;
    int rc = posix_spawn_file_actions_init(&actions);
    if (rc != 0) return rc;
    rc = posix_spawnattr_init(&attributes);
    if (rc != 0) {
        posix_spawn_file_actions_destroy(&actions);
        return rc;
    }

    // stdin from /dev/null: a server must never wait on our terminal.
    rc = posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    // stdout + stderr into the (O_APPEND) log file.
    if (rc == 0) rc = posix_spawn_file_actions_adddup2(&actions, output_fd, 1);
    if (rc == 0) rc = posix_spawn_file_actions_adddup2(&actions, output_fd, 2);
    // Nothing else leaks in: not our sockets, not our lock file.
    if (rc == 0) rc = posix_spawn_file_actions_addclosefrom_np(&actions, 3);
    if (rc == 0 && working_directory != NULL)
        rc = posix_spawn_file_actions_addchdir_np(&actions, working_directory);

    // Our own signal state (blocked signals, ignored SIGPIPE) must not leak
    // into the server: start it from a clean slate.
    sigset_t empty_mask, all_signals;
    sigemptyset(&empty_mask);
    sigfillset(&all_signals);
    if (rc == 0) rc = posix_spawnattr_setsigmask(&attributes, &empty_mask);
    if (rc == 0) rc = posix_spawnattr_setsigdefault(&attributes, &all_signals);
    if (rc == 0)
        rc = posix_spawnattr_setflags(&attributes,
                                      POSIX_SPAWN_SETSID | POSIX_SPAWN_SETSIGMASK |
                                          POSIX_SPAWN_SETSIGDEF);

    if (rc == 0) rc = posix_spawn(out_pid, path, &actions, &attributes, argv, envp);

    posix_spawnattr_destroy(&attributes);
    posix_spawn_file_actions_destroy(&actions);
    return rc;
#else
    (void)out_pid; (void)path; (void)argv; (void)envp; (void)working_directory; (void)output_fd;
    return ENOSYS;
#endif
}

int sh_pidfd_open(pid_t pid, int *out_fd) {
#ifdef __linux__
    long fd = syscall(SYS_pidfd_open, pid, 0);
    if (fd < 0) return errno;
    // pidfd_open sets O_CLOEXEC itself.
    *out_fd = (int)fd;
    return 0;
#else
    (void)pid; (void)out_fd;
    return ENOSYS;
#endif
}

int sh_pidfd_send_signal(int pidfd, int signal_number) {
#ifdef __linux__
    if (syscall(SYS_pidfd_send_signal, pidfd, signal_number, NULL, 0) != 0) return errno;
    return 0;
#else
    (void)pidfd; (void)signal_number;
    return ENOSYS;
#endif
}

static int sh_waitid(idtype_t type, id_t id, int nohang, int reap, int *out_kind, int *out_value) {
    siginfo_t info;
    memset(&info, 0, sizeof info);
    int options = WEXITED | (nohang ? WNOHANG : 0) | (reap ? 0 : WNOWAIT);
    int rc;
    do {
        rc = waitid(type, id, &info, options);
    } while (rc != 0 && errno == EINTR);
    if (rc != 0) return errno;
    // With WNOHANG and nothing to report, si_pid stays 0.
    if (info.si_pid == 0) {
        *out_kind = SH_WAIT_NOT_EXITED;
        *out_value = 0;
        return 0;
    }
    if (info.si_code == CLD_EXITED) {
        *out_kind = SH_WAIT_EXITED;
    } else {
        *out_kind = SH_WAIT_SIGNALED; // CLD_KILLED or CLD_DUMPED
    }
    *out_value = info.si_status;
    return 0;
}

int sh_waitid_pidfd(int pidfd, int nohang, int reap, int *out_kind, int *out_value) {
#ifdef __linux__
    return sh_waitid((idtype_t)P_PIDFD, (id_t)pidfd, nohang, reap, out_kind, out_value);
#else
    (void)pidfd; (void)nohang; (void)reap; (void)out_kind; (void)out_value;
    return ENOSYS;
#endif
}

int sh_waitid_pid(pid_t pid, int nohang, int reap, int *out_kind, int *out_value) {
    return sh_waitid(P_PID, (id_t)pid, nohang, reap, out_kind, out_value);
}

int sh_release_free_heap(void) {
#ifdef __GLIBC__
    return malloc_trim(0);
#else
    return 0;
#endif
}
