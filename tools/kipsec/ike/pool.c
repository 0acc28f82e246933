// SPDX-License-Identifier: GPL-2.0
/*
 * Worker threads for the IKE daemon (see pool.h). Why: the daemon is one
 * event loop on one CPU, and an IKE_SA_INIT's key exchange (an ECDH key
 * generated, the shared secret, SKEYSEED and the SK_* keys) was about 40 %
 * of a responder's CPU per IKE SA. Done in a worker, it overlaps with the
 * rest of the loop's work on another CPU. Two lists under one mutex: a
 * handful of jobs per IKE SA at most, nothing to gain from more.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>
#include <sys/eventfd.h>

#include "context.h"
#include "pool.h"

static void *worker(void *arg)
{
	struct ike_pool *p = arg;
	struct ike_job *j;
	bool was_empty;
	uint64_t one = 1;

	pthread_mutex_lock(&p->lock);
	for (;;) {
		while (!p->todo && !p->stop)
			pthread_cond_wait(&p->wake, &p->lock);
		if (p->stop)
			break;
		j = p->todo;
		p->todo = j->next;
		if (!p->todo)
			p->todo_tail = &p->todo;
		pthread_mutex_unlock(&p->lock);

		j->run(j);

		pthread_mutex_lock(&p->lock);
		j->next = NULL;
		was_empty = !p->done;
		*p->done_tail = j;
		p->done_tail = &j->next;
		/*
		 * One wake-up for what piles up before the loop looks; a
		 * failed write leaves the counter readable anyway.
		 */
		if (was_empty)
			(void)!write(p->efd, &one, sizeof(one));
	}
	pthread_mutex_unlock(&p->lock);
	return NULL;
}

unsigned int ike_pool_default_threads(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	if (n <= 1)
		return 0;
	return n - 1 > IKE_POOL_MAX ? IKE_POOL_MAX : (unsigned int)(n - 1);
}

int ike_pool_start(struct ike_pool *p, unsigned int n)
{
	memset(p, 0, sizeof(*p));
	p->efd = -1;
	p->todo_tail = &p->todo;
	p->done_tail = &p->done;
	if (n > IKE_POOL_MAX)
		n = IKE_POOL_MAX;
	if (!n)
		return 0;
	if (pthread_mutex_init(&p->lock, NULL))
		return 0;
	if (pthread_cond_init(&p->wake, NULL))
		goto no_cond;
	p->efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (p->efd < 0)
		goto no_efd;
	while (p->n_threads < n &&
	       !pthread_create(&p->threads[p->n_threads], NULL, worker, p))
		p->n_threads++;
	if (p->n_threads)
		return 0;
	close(p->efd);
	p->efd = -1;
no_efd:
	pthread_cond_destroy(&p->wake);
no_cond:
	pthread_mutex_destroy(&p->lock);
	return 0;
}

int ike_pool_fd(const struct ike_pool *p)
{
	return p->n_threads ? p->efd : -1;
}

void ike_pool_submit(struct ike_daemon *d, struct ike_pool *p,
		     struct ike_job *j)
{
	if (!p->n_threads) {
		j->run(j);
		j->done(d, j, false);
		return;
	}
	j->next = NULL;
	pthread_mutex_lock(&p->lock);
	*p->todo_tail = j;
	p->todo_tail = &j->next;
	pthread_cond_signal(&p->wake);
	pthread_mutex_unlock(&p->lock);
}

static struct ike_job *take_done(struct ike_pool *p)
{
	struct ike_job *list;

	pthread_mutex_lock(&p->lock);
	list = p->done;
	p->done = NULL;
	p->done_tail = &p->done;
	pthread_mutex_unlock(&p->lock);
	return list;
}

void ike_pool_complete(struct ike_daemon *d, struct ike_pool *p)
{
	struct ike_job *j, *next;
	uint64_t n;

	if (!p->n_threads)
		return;
	/* reset the counter first: a job finished after take_done wakes us again */
	if (read(p->efd, &n, sizeof(n)) < 0 && errno != EAGAIN)
		ike_log("worker threads: %s", strerror(errno));
	for (j = take_done(p); j; j = next) {
		next = j->next;
		j->done(d, j, false);
	}
}

void ike_pool_stop(struct ike_daemon *d, struct ike_pool *p)
{
	struct ike_job *j, *next;
	unsigned int i;

	if (!p->n_threads)
		return;
	pthread_mutex_lock(&p->lock);
	p->stop = true;
	pthread_cond_broadcast(&p->wake);
	pthread_mutex_unlock(&p->lock);
	for (i = 0; i < p->n_threads; i++)
		pthread_join(p->threads[i], NULL);
	for (j = p->todo; j; j = next) {
		next = j->next;
		j->done(d, j, true);
	}
	for (j = p->done; j; j = next) {
		next = j->next;
		j->done(d, j, true);
	}
	p->todo = p->done = NULL;
	close(p->efd);
	pthread_cond_destroy(&p->wake);
	pthread_mutex_destroy(&p->lock);
	p->n_threads = 0;
}
