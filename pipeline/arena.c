/* SPDX-License-Identifier: MIT */
/* Bump allocation in blocks that double in size (64 KiB first), with a
 * byte cap per record. The first block survives arena_reset so that a run
 * of ordinary records never calls malloc. */
#include "arena.h"

#include <stdlib.h>
#include <string.h>

#define ARENA_FIRST_BLOCK (64u << 10)
#define ARENA_ALIGN 16u

struct arena_block {
	arena_block *next;
	size_t size, fill;
	_Alignas(16) unsigned char data[];
};

void arena_init(arena *a, size_t cap)
{
	a->head = NULL;
	a->used = 0;
	a->cap = cap;
	a->peak = 0;
}

void arena_fini(arena *a)
{
	arena_block *b = a->head;
	while (b) {
		arena_block *next = b->next;
		free(b);
		b = next;
	}
	a->head = NULL;
	a->used = 0;
}

void arena_reset(arena *a)
{
	arena_block *b = a->head;
	if (!b)
		return;
	while (b->next) {
		arena_block *next = b->next;
		free(b);
		b = next;
	}
	b->fill = 0;
	a->head = b;
	a->used = 0;
}

int arena_over_cap(const arena *a, size_t need)
{
	return need > a->cap || a->used > a->cap - need;
}

void *arena_alloc(arena *a, size_t size)
{
	size_t need = (size + (ARENA_ALIGN - 1)) & ~(size_t)(ARENA_ALIGN - 1);
	if (need < size || arena_over_cap(a, need))
		return NULL;
	arena_block *b = a->head;
	if (!b || b->size - b->fill < need) {
		size_t bsize = b ? b->size * 2 : ARENA_FIRST_BLOCK;
		while (bsize < need)
			bsize *= 2;
		arena_block *nb = malloc(sizeof *nb + bsize);
		if (!nb)
			return NULL;
		nb->size = bsize;
		nb->fill = 0;
		if (b && b->fill == 0 && !b->next) {
			/* An empty lone block is too small: replace it. */
			free(b);
			b = NULL;
		}
		nb->next = b;
		a->head = nb;
		b = nb;
	}
	void *p = b->data + b->fill;
	b->fill += need;
	a->used += need;
	if (a->used > a->peak)
		a->peak = a->used;
	return p;
}

void *arena_calloc_raw(arena *a, size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size)
		return NULL;
	size_t bytes = n * size;
	return arena_alloc(a, bytes ? bytes : 1);
}

void *arena_calloc(arena *a, size_t n, size_t size)
{
	void *p = arena_calloc_raw(a, n, size);
	if (p)
		memset(p, 0, n * size);
	return p;
}

void *arena_realloc(arena *a, void *p, size_t old, size_t size)
{
	if (size <= old)
		return p;
	arena_block *b = a->head;
	size_t oldr = (old + (ARENA_ALIGN - 1)) & ~(size_t)(ARENA_ALIGN - 1);
	size_t newr = (size + (ARENA_ALIGN - 1)) & ~(size_t)(ARENA_ALIGN - 1);
	/* The last allocation of the current block grows in place. */
	if (p && b && (unsigned char *)p + oldr == b->data + b->fill &&
	    b->size - b->fill >= newr - oldr && !arena_over_cap(a, newr - oldr)) {
		b->fill += newr - oldr;
		a->used += newr - oldr;
		if (a->used > a->peak)
			a->peak = a->used;
		return p;
	}
	void *q = arena_alloc(a, size);
	if (q && p && old)
		memcpy(q, p, old);
	return q;
}
