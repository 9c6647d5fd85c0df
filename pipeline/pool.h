/* SPDX-License-Identifier: MIT */
#ifndef WHOSAID_POOL_H
#define WHOSAID_POOL_H

/* The worker pool: one reader (the calling thread) fills items in input
 * order, N workers process them in any order, one writer thread emits them
 * in input order. Items live in a ring of POOL_SLOTS_PER_WORKER * N slots,
 * so memory stays bounded whatever the input size, and the output does not
 * depend on N. With N = 1 everything runs on the calling thread, one item
 * at a time, without threads or locks. The pool knows nothing of records:
 * the caller's callbacks do the work. */

#include <stddef.h>

#include "err.h"

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
	 * -1 to stop the run (the reader's error). Runs on the calling thread. */
	int (*read)(void *ctx, void *item);
	/* Processes item; may run on any worker thread, in any order. */
	void (*work)(void *ctx, void *worker, void *item);
	/* Emits item, in input order: 0, or -1 to stop the run. */
	int (*write)(void *ctx, void *item);
} pool_ops;

/* Runs the whole input through ops with n_workers workers (1 or more).
 * Returns ERR_OK when all input was read, worked and written; ERR_IO when
 * read or write stopped the run; ERR_NOMEM when setup failed. */
MUST_CHECK err pool_run(const pool_ops *ops, unsigned n_workers);

#endif
