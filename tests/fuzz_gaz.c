/* SPDX-License-Identifier: MIT */
/* libFuzzer entry for the entity stage with the default model: the bytes
 * are a text (the first byte picks one of a few record dates, or none);
 * tokenizer and splitter run first, then gaz_tag_at. Mentions must lie in
 * the text, in text order, not overlap, inside their token range (a
 * mention may be part of a hyphenated token: "U.S.-South Korea"), carry a
 * known type, an id and a name that are readable for their lengths, and a
 * coreference index inside the list, or abort. Built and run by
 * `make fuzz`; by hand: build-fuzz/fuzz_gaz -max_len=4096 CORPUS_DIR */
#include "fuzz.h"

#include "../pipeline/limits.h"
#include "../stages/sent.h"
#include "../stages/tok.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

/* Opened once; libFuzzer calls in on one thread. The arena is reset,
 * not freed, from input to input, as the pipeline's workers do. */
static fuzz_models models;
static arena a;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	models = fuzz_models_open();
	arena_init(&a, REC_ARENA_CAP);
	return 0;
}

static const char *const dates[] = {NULL, "2024-05-09", "2016-11-08T10:00:00Z", "1999", "x"};

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	if (n < 1 || n - 1 > REC_MAX_TEXT_BYTES)
		return 0;
	const char *date = dates[d[0] % (sizeof dates / sizeof *dates)];
	char *text = fuzz_copy(d + 1, n - 1);
	uint32_t len = (uint32_t)(n - 1);
	arena_reset(&a);
	tok_list t;
	sent_list s;
	gaz_list g;
	if (tok_scan(text, len, &a, &t) != ERR_OK || sent_split(text, &t, &a, &s) != ERR_OK)
		abort();
	if (gaz_tag_at(models.g, text, &t, &s, date, date ? (uint32_t)strlen(date) : 0, &a, &g) != ERR_OK)
		abort();
	uint32_t end = 0;
	volatile unsigned sum = 0;
	for (uint32_t i = 0; i < g.n; i++) {
		const gaz_mention *m = &g.v[i];
		if (m->len == 0 || m->off < end || (uint64_t)m->off + m->len > len)
			abort();
		if (m->n == 0 || (uint64_t)m->first + m->n > t.n)
			abort();
		const tok_token *f = &t.v[m->first], *l = &t.v[m->first + m->n - 1];
		if (f->off > m->off || l->off + l->len < m->off + m->len)
			abort();
		if (m->type == GAZ_NONE || m->type >= GAZ_TYPE_COUNT)
			abort();
		if (m->ref != -1 && (m->ref < 0 || (uint32_t)m->ref >= g.n || (uint32_t)m->ref == i))
			abort();
		if ((m->id == NULL && m->id_len != 0) || (m->name == NULL && m->name_len != 0))
			abort();
		/* every byte of id and name is readable (ASan checks the reads) */
		for (uint32_t k = 0; k < m->id_len; k++)
			sum += (unsigned char)m->id[k];
		for (uint32_t k = 0; k < m->name_len; k++)
			sum += (unsigned char)m->name[k];
		end = m->off + m->len;
	}
	(void)sum;
	free(text);
	return 0;
}
