/*
 * An LD_PRELOAD shim that stalls the two one-time steps of the vDSO
 * backend, so that a test can land a fork or a signal inside them:
 *
 *   SECRETS_SHIM_STALL=probe  getauxval(AT_SYSINFO_EHDR), the probe's look
 *                             for the vDSO, sleeps first;
 *   SECRETS_SHIM_STALL=mmap   mmap of a MAP_DROPPABLE page (the kind the
 *                             kernel asks for the vDSO states) sleeps first;
 *   SECRETS_SHIM_STALL=enomem mmap of a MAP_DROPPABLE page sleeps, then
 *                             fails with ENOMEM, as under memory exhaustion
 *                             (the sleep lets other threads ask meanwhile).
 *
 * The sleep lasts SECRETS_SHIM_STALL_MS milliseconds (default 500) and
 * happens only in the process that loaded the shim, never in its forked
 * children, so a child's own time is the library's alone. Signals do not
 * cut it short. The counters `secrets_shim_stalls_begun` and
 * `secrets_shim_stalls_ended` tell the test (through dlsym) when a stall is
 * under way; `secrets_shim_droppable_mmaps` counts the MAP_DROPPABLE
 * mappings asked for.
 *
 * Built by crates/secrets-kit/tests/fork_shims.rs with the system's `cc`.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

/* The mapping type the kernel asks for the states (Linux 6.11+). */
#define SHIM_MAP_DROPPABLE 0x08
#define SHIM_MAP_TYPE 0x0f

volatile int secrets_shim_stalls_begun;
volatile int secrets_shim_stalls_ended;
volatile int secrets_shim_droppable_mmaps;

static unsigned long (*real_getauxval)(unsigned long);
static void *(*real_mmap)(void *, size_t, int, int, int, off_t);
static pid_t stalling_pid;
static int stall_probe;
static int stall_mmap;
static int fail_mmap;
static long stall_ms = 500;

__attribute__((constructor)) static void shim_init(void) {
    real_getauxval = (unsigned long (*)(unsigned long))dlsym(RTLD_NEXT, "getauxval");
    real_mmap = (void *(*)(void *, size_t, int, int, int, off_t))dlsym(RTLD_NEXT, "mmap");
    stalling_pid = getpid();
    const char *what = getenv("SECRETS_SHIM_STALL");
    if (what != NULL) {
        stall_probe = strcmp(what, "probe") == 0;
        stall_mmap = strcmp(what, "mmap") == 0;
        fail_mmap = strcmp(what, "enomem") == 0;
    }
    const char *ms = getenv("SECRETS_SHIM_STALL_MS");
    if (ms != NULL && atol(ms) > 0) {
        stall_ms = atol(ms);
    }
}

static void stall(void) {
    if (getpid() != stalling_pid) {
        return;
    }
    __atomic_add_fetch(&secrets_shim_stalls_begun, 1, __ATOMIC_SEQ_CST);
    struct timespec left = {stall_ms / 1000, (stall_ms % 1000) * 1000000L};
    while (nanosleep(&left, &left) != 0 && errno == EINTR) {
    }
    __atomic_add_fetch(&secrets_shim_stalls_ended, 1, __ATOMIC_SEQ_CST);
}

unsigned long getauxval(unsigned long type) {
    int saved = errno;
    if (stall_probe && type == AT_SYSINFO_EHDR) {
        stall();
    }
    errno = saved;
    return real_getauxval(type);
}

static void *stalled_mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off) {
    int saved = errno;
    if ((flags & SHIM_MAP_TYPE) == SHIM_MAP_DROPPABLE) {
        __atomic_add_fetch(&secrets_shim_droppable_mmaps, 1, __ATOMIC_SEQ_CST);
        if (fail_mmap) {
            stall();
            errno = ENOMEM;
            return MAP_FAILED;
        }
        if (stall_mmap) {
            stall();
        }
    }
    errno = saved;
    return real_mmap(addr, len, prot, flags, fd, off);
}

void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off) {
    return stalled_mmap(addr, len, prot, flags, fd, off);
}

void *mmap64(void *addr, size_t len, int prot, int flags, int fd, off_t off) {
    return stalled_mmap(addr, len, prot, flags, fd, off);
}
