/* SPDX-License-Identifier: MIT */
/* A ring of slots indexed by sequence number modulo its size. Three
 * counters under one mutex say where everyone is: n_read (slots filled),
 * n_taken (slots handed to workers), n_written (slots emitted). The reader
 * waits while the ring is full (n_read - n_written == size), a worker waits
 * while nothing is left to take, the writer waits for the slot n_written to
 * be done. Workers run without the lock; the lock is held only to move a
 * counter, so its cost is per record, not per byte. */
#include "pool.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>

#include "limits.h"

typedef struct {
	const pool_ops *ops;
	unsigned n_workers;
	size_t n_slots;
	unsigned char *items;
	unsigned char *done;
	pthread_mutex_t mu;
	pthread_cond_t cv_read, cv_work, cv_write;
	uint64_t n_read, n_taken, n_written;
	int eof, stop, failed;
} pool;

static void *slot(pool *p, uint64_t seq)
{
	return p->items + (size_t)(seq % p->n_slots) * p->ops->item_size;
}

static void *worker_main(void *arg)
{
	pool *p = arg;
	const pool_ops *ops = p->ops;
	void *w = ops->worker_new ? ops->worker_new(ops->ctx) : NULL;
	pthread_mutex_lock(&p->mu);
	if (ops->worker_new && !w) {
		p->stop = p->failed = 1;
		pthread_cond_broadcast(&p->cv_read);
		pthread_cond_broadcast(&p->cv_write);
		pthread_cond_broadcast(&p->cv_work);
	}
	for (;;) {
		while (p->n_taken == p->n_read && !p->eof && !p->stop)
			pthread_cond_wait(&p->cv_work, &p->mu);
		if (p->stop || p->n_taken == p->n_read)
			break;
		uint64_t seq = p->n_taken++;
		pthread_mutex_unlock(&p->mu);
		ops->work(ops->ctx, w, slot(p, seq));
		pthread_mutex_lock(&p->mu);
		p->done[seq % p->n_slots] = 1;
		if (seq == p->n_written)
			pthread_cond_signal(&p->cv_write);
	}
	pthread_mutex_unlock(&p->mu);
	if (w && ops->worker_free)
		ops->worker_free(ops->ctx, w);
	return NULL;
}

static void *writer_main(void *arg)
{
	pool *p = arg;
	pthread_mutex_lock(&p->mu);
	for (;;) {
		size_t k = (size_t)(p->n_written % p->n_slots);
		while (!p->done[k] && !(p->eof && p->n_written == p->n_read) && !p->stop)
			pthread_cond_wait(&p->cv_write, &p->mu);
		if (p->stop || !p->done[k])
			break;
		pthread_mutex_unlock(&p->mu);
		int rc = p->ops->write(p->ops->ctx, slot(p, p->n_written));
		pthread_mutex_lock(&p->mu);
		p->done[k] = 0;
		p->n_written++;
		if (rc != 0) {
			p->stop = p->failed = 1;
			pthread_cond_broadcast(&p->cv_work);
		}
		pthread_cond_signal(&p->cv_read);
	}
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

static err run_serial(const pool_ops *ops)
{
	void *item = calloc(1, ops->item_size);
	if (!item)
		return ERR_NOMEM;
	if (ops->item_init)
		ops->item_init(ops->ctx, item);
	void *w = ops->worker_new ? ops->worker_new(ops->ctx) : NULL;
	err e = ERR_OK;
	if (ops->worker_new && !w)
		e = ERR_NOMEM;
	while (e == ERR_OK) {
		int rc = ops->read(ops->ctx, item);
		if (rc <= 0) {
			if (rc < 0)
				e = ERR_IO;
			break;
		}
		ops->work(ops->ctx, w, item);
		if (ops->write(ops->ctx, item) != 0)
			e = ERR_IO;
	}
	if (w && ops->worker_free)
		ops->worker_free(ops->ctx, w);
	if (ops->item_fini)
		ops->item_fini(ops->ctx, item);
	free(item);
	return e;
}

err pool_run(const pool_ops *ops, unsigned n_workers)
{
	if (n_workers <= 1)
		return run_serial(ops);
	if (n_workers > POOL_MAX_WORKERS)
		n_workers = POOL_MAX_WORKERS;
	pool p = {0};
	p.ops = ops;
	p.n_workers = n_workers;
	p.n_slots = (size_t)POOL_SLOTS_PER_WORKER * n_workers;
	p.items = calloc(p.n_slots, ops->item_size);
	p.done = calloc(p.n_slots, 1);
	pthread_t *th = calloc(n_workers + 1, sizeof *th);
	if (!p.items || !p.done || !th) {
		free(p.items);
		free(p.done);
		free(th);
		return ERR_NOMEM;
	}
	if (ops->item_init)
		for (size_t i = 0; i < p.n_slots; i++)
			ops->item_init(ops->ctx, slot(&p, i));
	pthread_mutex_init(&p.mu, NULL);
	pthread_cond_init(&p.cv_read, NULL);
	pthread_cond_init(&p.cv_work, NULL);
	pthread_cond_init(&p.cv_write, NULL);

	unsigned started = 0;
	err e = ERR_OK;
	if (pthread_create(&th[0], NULL, writer_main, &p) != 0) {
		e = ERR_NOMEM;
	} else {
		started = 1;
		for (unsigned i = 0; i < n_workers; i++) {
			if (pthread_create(&th[started], NULL, worker_main, &p) != 0) {
				e = ERR_NOMEM;
				break;
			}
			started++;
		}
	}
	int read_failed = 0;
	if (e == ERR_OK) {
		for (;;) {
			pthread_mutex_lock(&p.mu);
			while (p.n_read - p.n_written >= p.n_slots && !p.stop)
				pthread_cond_wait(&p.cv_read, &p.mu);
			int stopped = p.stop;
			pthread_mutex_unlock(&p.mu);
			if (stopped)
				break;
			int rc = ops->read(ops->ctx, slot(&p, p.n_read));
			pthread_mutex_lock(&p.mu);
			if (rc == 1) {
				p.n_read++;
				pthread_cond_signal(&p.cv_work);
				pthread_mutex_unlock(&p.mu);
				continue;
			}
			read_failed = rc < 0;
			pthread_mutex_unlock(&p.mu);
			break;
		}
	}
	pthread_mutex_lock(&p.mu);
	p.eof = 1;
	if (e != ERR_OK)
		p.stop = 1;
	pthread_cond_broadcast(&p.cv_work);
	pthread_cond_broadcast(&p.cv_write);
	pthread_mutex_unlock(&p.mu);
	for (unsigned i = 0; i < started; i++)
		pthread_join(th[i], NULL);
	if (e == ERR_OK && p.failed)
		e = ERR_IO;
	if (e == ERR_OK && read_failed)
		e = ERR_IO;
	if (ops->item_fini)
		for (size_t i = 0; i < p.n_slots; i++)
			ops->item_fini(ops->ctx, slot(&p, i));
	pthread_mutex_destroy(&p.mu);
	pthread_cond_destroy(&p.cv_read);
	pthread_cond_destroy(&p.cv_work);
	pthread_cond_destroy(&p.cv_write);
	free(th);
	free(p.items);
	free(p.done);
	return e;
}
