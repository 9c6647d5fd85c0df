/* SPDX-License-Identifier: MIT */
#ifndef WHOSAID_POOL_H
#define WHOSAID_POOL_H

/* The worker pool: N workers share three jobs. Items live in a ring of
 * POOL_SLOTS_PER_WORKER * N slots, filled in input order, worked in any
 * order, emitted in input order, so memory stays bounded whatever the input
 * size, and the output does not depend on N. There is no reader thread and
 * no writer thread: a worker that finds free slots and nobody reading reads
 * (until the ring is full), a worker that finishes the oldest item and finds
 * nobody writing writes (every finished item in order), and otherwise a
 * worker takes the next unworked item. So N workers use N threads (the
 * calling thread is one of them), nobody sleeps while there is work, and a
 * thread is woken only when it had nothing to do. With N = 1 everything runs
 * on the calling thread, one item at a time, without threads or locks. The
 * pool knows nothing of records: the caller's callbacks do the work. */

#include <stddef.h>
#include <stdint.h>

#include "err.h"

/* Where the pool's threads waited, for `run --stats`: nanoseconds summed
 * over threads (CLOCK_MONOTONIC around each wait), and how often. */
typedef struct {
	uint64_t wait_ns;  /* a worker had nothing to read, work or write */
	uint64_t n_waits;  /* times a worker went to sleep */
	uint64_t n_reads;  /* times a worker took the reader's turn */
	uint64_t n_writes; /* times a worker took the writer's turn */
} pool_stats;

typedef struct {
	void *ctx;        /* passed to every callback */
	size_t item_size; /* bytes of one item; items start zeroed */
	/* Called once per slot before the run and after it. */
	void (*item_init)(void *ctx, void *item);
	void (*item_fini)(void *ctx, void *item);
	/* Per-worker state: made on the worker's thread, freed there. */
	void *(*worker_new)(void *ctx);
	void (*worker_free)(void *ctx, void *worker);
	/* Fills item with the next input: 1 when it did, 0 at the end of input,
	 * -1 when the input failed (what was read is still worked and written).
	 * Calls never overlap and come in input order, but may come from any
	 * worker thread. */
	int (*read)(void *ctx, void *item);
	/* Processes item; may run on any worker thread, in any order. */
	void (*work)(void *ctx, void *worker, void *item);
	/* Emits item, in input order: 0, or -1 to stop the run. Calls never
	 * overlap, but may come from any worker thread. */
	int (*write)(void *ctx, void *item);
	/* When not NULL, filled at the end of the run (N > 1 only). */
	pool_stats *stats;
} pool_ops;

/* Runs the whole input through ops with n_workers workers (1 or more).
 * Returns ERR_OK when all input was read, worked and written; ERR_IO when
 * read failed or write stopped the run; ERR_NOMEM when setup failed. */
MUST_CHECK err pool_run(const pool_ops *ops, unsigned n_workers);

#endif
