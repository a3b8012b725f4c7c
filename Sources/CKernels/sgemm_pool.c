// A persistent pool of worker threads for the SGEMM driver. Creating a thread per product (and
// giving it fresh packing buffers that fault in page by page) cost more than the split saved on
// a training step's products; these workers live for the process, keep their thread-local
// buffers, and sleep on a condition variable between products.
#include "sgemm_internal.h"
#include "CKernels.h"

#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>

enum { FP_POOL_MAX = 15, FP_CLOSED = INT_MAX / 2 };

static pthread_mutex_t pool_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t pool_wake = PTHREAD_COND_INITIALIZER;
static pthread_cond_t pool_done = PTHREAD_COND_INITIALIZER;
static pthread_mutex_t pool_busy = PTHREAD_MUTEX_INITIALIZER;  // one parallel product at a time
static int pool_started = 0;                                    // guarded by pool_busy
static unsigned long pool_generation = 0;                       // guarded by pool_lock

// The current job. Written by the caller before next_task opens (release), read by a worker
// only after it has claimed a task below job_tasks (acquire), so a late worker never runs a
// stale job.
static void (*job_task)(void *, int);
static void *job_context;
static atomic_int job_tasks = 0;
static atomic_int next_task = FP_CLOSED;
static atomic_int remaining = 0;

static void run_tasks(void) {
    for (;;) {
        int index = atomic_fetch_add(&next_task, 1);
        if (index >= atomic_load_explicit(&job_tasks, memory_order_relaxed)) return;
        job_task(job_context, index);
        if (atomic_fetch_sub(&remaining, 1) == 1) {
            pthread_mutex_lock(&pool_lock);
            pthread_cond_broadcast(&pool_done);
            pthread_mutex_unlock(&pool_lock);
        }
    }
}

static void *worker_main(void *argument) {
    fp_flush_subnormals();  // workers only run our kernels: subnormals as zero, like the caller
    unsigned long seen = (unsigned long)(uintptr_t)argument;
    for (;;) {
        pthread_mutex_lock(&pool_lock);
        while (pool_generation == seen) pthread_cond_wait(&pool_wake, &pool_lock);
        seen = pool_generation;
        pthread_mutex_unlock(&pool_lock);
        run_tasks();
    }
    return NULL;
}

void fp_pool_run(int threads, int tasks, void (*task)(void *, int), void *context) {
    // Serial when asked, when there is one task, or when another thread's product holds the
    // pool (the split never changes results, so running serially is always correct).
    if (threads <= 1 || tasks <= 1 || pthread_mutex_trylock(&pool_busy) != 0) {
        for (int index = 0; index < tasks; index++) task(context, index);
        return;
    }
    int wanted = (threads < tasks ? threads : tasks) - 1;
    if (wanted > FP_POOL_MAX) wanted = FP_POOL_MAX;
    while (pool_started < wanted) {
        pthread_mutex_lock(&pool_lock);
        unsigned long generation = pool_generation;
        pthread_mutex_unlock(&pool_lock);
        pthread_t thread;
        pthread_attr_t attributes;
        pthread_attr_init(&attributes);
        pthread_attr_setdetachstate(&attributes, PTHREAD_CREATE_DETACHED);
        int failed = pthread_create(&thread, &attributes, worker_main, (void *)(uintptr_t)generation);
        pthread_attr_destroy(&attributes);
        if (failed) break;  // fewer workers; the caller runs whatever they do not take
        pool_started++;
    }
    job_task = task;
    job_context = context;
    atomic_store(&job_tasks, tasks);
    atomic_store(&remaining, tasks);
    atomic_store(&next_task, 0);
    pthread_mutex_lock(&pool_lock);
    pool_generation++;
    pthread_cond_broadcast(&pool_wake);
    pthread_mutex_unlock(&pool_lock);
    run_tasks();
    for (int spin = 0; spin < 2000 && atomic_load(&remaining) > 0; spin++) {
#if defined(__x86_64__) || defined(__i386__)
        __builtin_ia32_pause();
#endif
    }
    pthread_mutex_lock(&pool_lock);
    while (atomic_load(&remaining) > 0) pthread_cond_wait(&pool_done, &pool_lock);
    pthread_mutex_unlock(&pool_lock);
    atomic_store(&next_task, FP_CLOSED);
    pthread_mutex_unlock(&pool_busy);
}
