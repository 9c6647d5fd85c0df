/* SPDX-License-Identifier: MIT */
/* A ring of slots indexed by sequence number modulo its size. Three
 * counters under one mutex say where everyone is: n_read (slots filled),
 * n_taken (slots handed to a worker), n_written (slots emitted); done[]
 * marks worked slots. Two turns, each held by at most one worker at a time,
 * serialize the callbacks that must not overlap: `reading` (read into the
 * slots after n_read while the ring has room) and `writing` (emit the
 * finished slots from n_written on). A worker, each time round its loop,
 * writes if the oldest slot is finished and nobody writes, else works the
 * next unworked slot, else reads if there is room and nobody reads, else
 * sleeps until a slot is filled, the input ends, or the run stops. The lock
 * is held only to move counters and turns, never while a callback runs, so
 * its cost is per record, not per byte; a worker sleeps only when there is
 * nothing at all for it to do, and is woken only for something it can do. */
#include "pool.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>

#include "limits.h"

typedef struct {
	const pool_ops *ops;
	size_t n_slots;
	unsigned char *items;
	unsigned char *done;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	uint64_t n_read, n_taken, n_written;
	unsigned n_sleeping;
	int reading, writing;
	int eof, stop, write_failed, read_failed, nomem;
	pool_stats st;
} pool;

static void *slot(pool *p, uint64_t seq)
{
	return p->items + (size_t)(seq % p->n_slots) * p->ops->item_size;
}

static uint64_t mono_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void wake_all(pool *p)
{
	if (p->n_sleeping)
		pthread_cond_broadcast(&p->cv);
}

/* Emits the finished slots from n_written on; called and returns with the
 * lock held and the writing turn taken. */
static void write_turn(pool *p)
{
	p->st.n_writes++;
	while (!p->stop && p->n_written < p->n_read && p->done[p->n_written % p->n_slots]) {
		uint64_t seq = p->n_written;
		pthread_mutex_unlock(&p->mu);
		int rc = p->ops->write(p->ops->ctx, slot(p, seq));
		pthread_mutex_lock(&p->mu);
		p->done[seq % p->n_slots] = 0;
		p->n_written++;
		if (rc != 0)
			p->stop = p->write_failed = 1;
	}
	/* Room in the ring, the end of the run, or a stop: whoever sleeps may
	 * now read, leave, or leave. */
	wake_all(p);
}

/* Fills slots from n_read on while the ring has room; called and returns
 * with the lock held and the reading turn taken. */
static void read_turn(pool *p)
{
	p->st.n_reads++;
	while (!p->stop && p->n_read - p->n_written < p->n_slots) {
		uint64_t seq = p->n_read;
		pthread_mutex_unlock(&p->mu);
		int rc = p->ops->read(p->ops->ctx, slot(p, seq));
		pthread_mutex_lock(&p->mu);
		if (rc != 1) {
			p->eof = 1;
			p->read_failed = rc < 0;
			wake_all(p);
			return;
		}
		p->n_read++;
		if (p->n_sleeping)
			pthread_cond_signal(&p->cv);
	}
}

static void worker_loop(pool *p)
{
	const pool_ops *ops = p->ops;
	void *w = ops->worker_new ? ops->worker_new(ops->ctx) : NULL;
	pthread_mutex_lock(&p->mu);
	if (ops->worker_new && !w) {
		p->stop = p->nomem = 1;
		wake_all(p);
	}
	while (!p->stop) {
		if (!p->writing && p->n_written < p->n_read && p->done[p->n_written % p->n_slots]) {
			p->writing = 1;
			write_turn(p);
			p->writing = 0;
			continue;
		}
		if (p->n_taken < p->n_read) {
			uint64_t seq = p->n_taken++;
			pthread_mutex_unlock(&p->mu);
			ops->work(ops->ctx, w, slot(p, seq));
			pthread_mutex_lock(&p->mu);
			p->done[seq % p->n_slots] = 1;
			continue;
		}
		if (!p->reading && !p->eof && p->n_read - p->n_written < p->n_slots) {
			p->reading = 1;
			read_turn(p);
			p->reading = 0;
			continue;
		}
		if (p->eof && p->n_written == p->n_read)
			break;
		p->n_sleeping++;
		p->st.n_waits++;
		uint64_t t0 = mono_ns();
		pthread_cond_wait(&p->cv, &p->mu);
		p->st.wait_ns += mono_ns() - t0;
		p->n_sleeping--;
	}
	wake_all(p); /* the end or a stop: the others leave too */
	pthread_mutex_unlock(&p->mu);
	if (w && ops->worker_free)
		ops->worker_free(ops->ctx, w);
}

static void *worker_main(void *arg)
{
	worker_loop(arg);
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
	if (ops->stats)
		*ops->stats = (pool_stats){0};
	if (n_workers <= 1)
		return run_serial(ops);
	if (n_workers > POOL_MAX_WORKERS)
		n_workers = POOL_MAX_WORKERS;
	pool p = {0};
	p.ops = ops;
	p.n_slots = (size_t)POOL_SLOTS_PER_WORKER * n_workers;
	p.items = calloc(p.n_slots, ops->item_size);
	p.done = calloc(p.n_slots, 1);
	pthread_t *th = calloc(n_workers, sizeof *th);
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
	pthread_cond_init(&p.cv, NULL);

	/* The calling thread is worker 0; the others get threads. When a
	 * thread cannot be made, the run goes on with those there are. */
	unsigned started = 0;
	for (unsigned i = 1; i < n_workers; i++) {
		if (pthread_create(&th[started], NULL, worker_main, &p) != 0)
			break;
		started++;
	}
	worker_loop(&p);
	for (unsigned i = 0; i < started; i++)
		pthread_join(th[i], NULL);
	err e = ERR_OK;
	if (p.nomem)
		e = ERR_NOMEM;
	else if (p.write_failed || p.read_failed)
		e = ERR_IO;
	if (ops->stats)
		*ops->stats = p.st;
	if (ops->item_fini)
		for (size_t i = 0; i < p.n_slots; i++)
			ops->item_fini(ops->ctx, slot(&p, i));
	pthread_mutex_destroy(&p.mu);
	pthread_cond_destroy(&p.cv);
	free(th);
	free(p.items);
	free(p.done);
	return e;
}
