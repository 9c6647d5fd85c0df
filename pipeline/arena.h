/* SPDX-License-Identifier: MIT */
#ifndef WHOSAID_ARENA_H
#define WHOSAID_ARENA_H

/* A per-record bump allocator: allocations are never freed one by one;
 * arena_reset() makes all of them dead at once and keeps the first block
 * for the next record. The arena never aborts: past its byte cap, or when
 * malloc fails, arena_alloc returns NULL and the caller reports ERR_LIMIT or
 * ERR_NOMEM. An arena belongs to one thread. */

#include <stddef.h>
#include <stdint.h>

typedef struct arena_block arena_block;

typedef struct {
	arena_block *head; /* current block; older blocks follow ->next */
	size_t used;       /* bytes handed out since the last reset */
	size_t cap;        /* most bytes handed out between resets */
	size_t peak;       /* largest `used` seen */
} arena;

void arena_init(arena *a, size_t cap);
void arena_fini(arena *a);
/* Frees every block but the first, and forgets every allocation. */
void arena_reset(arena *a);
/* 16-byte-aligned, uninitialized; NULL when over the cap or out of memory. */
void *arena_alloc(arena *a, size_t size);
/* Zeroed n * size bytes, overflow-checked; NULL as arena_alloc. */
void *arena_calloc(arena *a, size_t n, size_t size);
/* Grows the last allocation `p` of `old` bytes to `size`, or copies it. */
void *arena_realloc(arena *a, void *p, size_t old, size_t size);
/* True when the last NULL came from the cap rather than from malloc. */
int arena_over_cap(const arena *a, size_t need);

#define arena_alloc_n(a, T, n) ((T *)arena_calloc_raw((a), (n), sizeof(T)))

/* n * size uninitialized bytes, overflow-checked. */
void *arena_calloc_raw(arena *a, size_t n, size_t size);

#endif
