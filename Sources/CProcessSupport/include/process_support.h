#pragma once
// Small C shims for process control that Swift's Glibc overlay does not
// expose (POSIX_SPAWN_SETSID, posix_spawn_file_actions_*_np, pidfd, waitid
// with siginfo). Every function returns 0 on success or an errno value.

#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Spawns `path` (used as given: no PATH search) as the leader of a new
/// session and process group (pgid == sid == pid), without a controlling
/// terminal, so it outlives us and its whole group can be signalled.
/// stdin is /dev/null, stdout and stderr go to `output_fd`, every other
/// descriptor is closed in the child. `working_directory` may be NULL.
/// Signal mask is emptied and dispositions reset to default in the child.
int sh_spawn_session(pid_t *out_pid,
                     const char *path,
                     char *const argv[],
                     char *const envp[],
                     const char *working_directory,
                     int output_fd);

/// pidfd_open(2): a descriptor naming exactly one process (never a recycled pid).
int sh_pidfd_open(pid_t pid, int *out_fd);

/// pidfd_send_signal(2).
int sh_pidfd_send_signal(int pidfd, int signal_number);

/// Kinds reported by the waitid wrappers.
enum {
    SH_WAIT_NOT_EXITED = 0, ///< WNOHANG and the child has not exited yet
    SH_WAIT_EXITED = 1,     ///< value = exit code
    SH_WAIT_SIGNALED = 2,   ///< value = signal number
};

/// waitid(P_PIDFD, ...) for an exited child. With `reap` 0 (WNOWAIT) the
/// status is only peeked and the child stays a zombie for its owner. ECHILD
/// when the process is not our child (or was already reaped).
int sh_waitid_pidfd(int pidfd, int nohang, int reap, int *out_kind, int *out_value);

/// waitid(P_PID, ...), same contract as sh_waitid_pidfd.
int sh_waitid_pid(pid_t pid, int nohang, int reap, int *out_kind, int *out_value);

/// malloc_trim(0): gives the pages the heap holds free back to the kernel (after a burst of
/// work, a long-running process keeps them resident otherwise). Returns 1 when some were.
int sh_release_free_heap(void);

#ifdef __cplusplus
}
#endif
