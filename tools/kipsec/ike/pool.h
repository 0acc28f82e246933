/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A few worker threads for the daemon's expensive computations (today the
 * responder's IKE_SA_INIT key exchange, initkex.c). The event loop stays
 * the only thread that touches the IKE SAs: a job carries copies of what
 * it needs in and its results out, run() works on the job alone in a
 * worker, and done() takes the results to the SA back in the loop, woken
 * through an eventfd.
 */
#ifndef KIPSEC_IKE_POOL_H
#define KIPSEC_IKE_POOL_H

#include <pthread.h>
#include <stdbool.h>

struct ike_daemon;

#define IKE_POOL_MAX	4

struct ike_job {
	struct ike_job *next;
	/* in a worker thread: the job's own data only */
	void (*run)(struct ike_job *j);
	/* in the loop: take the results (unless cancel), then free j */
	void (*done)(struct ike_daemon *d, struct ike_job *j, bool cancel);
};

struct ike_pool {
	unsigned int n_threads;		/* 0: jobs run in the loop */
	pthread_t threads[IKE_POOL_MAX];
	pthread_mutex_t lock;
	pthread_cond_t wake;		/* todo has a job, or stop */
	struct ike_job *todo, **todo_tail;	/* in the order given */
	struct ike_job *done, **done_tail;
	int efd;			/* eventfd: done has jobs */
	bool stop;
};

/*
 * Start n workers (at most IKE_POOL_MAX). With n == 0, or when no thread
 * or eventfd can be had, jobs run at once in ike_pool_submit(): the same
 * results, one CPU. 0, or -1 if the pool cannot be used at all.
 */
int ike_pool_start(struct ike_pool *p, unsigned int n);
/* The eventfd for the loop's epoll, or -1 without workers. */
int ike_pool_fd(const struct ike_pool *p);
/* Queue j for a worker, or run it (and its done()) now without one. */
void ike_pool_submit(struct ike_daemon *d, struct ike_pool *p,
		     struct ike_job *j);
/* In the loop, when the eventfd is readable: done() of each finished job. */
void ike_pool_complete(struct ike_daemon *d, struct ike_pool *p);
/* Join the workers; done(cancel) of every job not yet taken back. */
void ike_pool_stop(struct ike_daemon *d, struct ike_pool *p);

/* The worker count for this machine: one CPU stays the loop's. */
unsigned int ike_pool_default_threads(void);

#endif /* KIPSEC_IKE_POOL_H */
