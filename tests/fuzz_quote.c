/* SPDX-License-Identifier: MIT */
/* libFuzzer entry for the quote stage with the default model: the bytes
 * are a text (the first byte picks one of a few record dates, or none);
 * tokenizer, splitter and entity tagger run first, then quote_attribute.
 * Every attribution must have its content, speaker and cue inside the
 * text, content no longer than QUOTE_MAX_BYTES, a known kind, a speaker
 * entity inside the entity list, a sentence index inside the sentence
 * list, a valid date when it has one and a readable lemma, and the list
 * must be in order of content start, or abort. Built and run by
 * `make fuzz`; by hand: build-fuzz/fuzz_quote -max_len=4096 CORPUS_DIR */
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

static const char *const dates[] = {NULL, "2024-05-09", "2016-11-08T10:00:00Z", "0000-00-00",
				    "9999-12-31", "2024-02-30", "x"};

static int in_text(uint32_t off, uint32_t len, uint32_t text_len)
{
	return (uint64_t)off + len <= text_len;
}

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
	quote_list q;
	uint32_t dl = date ? (uint32_t)strlen(date) : 0;
	if (tok_scan(text, len, &a, &t) != ERR_OK || sent_split(text, &t, &a, &s) != ERR_OK ||
	    gaz_tag_at(models.g, text, &t, &s, date, dl, &a, &g) != ERR_OK)
		abort();
	if (quote_attribute(models.q, text, &t, &s, &g, date, dl, &a, &q) != ERR_OK)
		abort();
	volatile unsigned sum = 0;
	for (uint32_t i = 0; i < q.n; i++) {
		const quote_attr *r = &q.v[i];
		if (!in_text(r->off, r->len, len) || r->len > QUOTE_MAX_BYTES || r->kind > QUOTE_INDIRECT)
			abort();
		if (i > 0 && r->off < q.v[i - 1].off)
			abort();
		if (r->sentence >= s.n)
			abort();
		if (r->has_speaker && !in_text(r->spk_off, r->spk_len, len))
			abort();
		if (r->has_speaker && r->spk_entity != -1 && (r->spk_entity < 0 || (uint32_t)r->spk_entity >= g.n))
			abort();
		if (r->has_cue && !in_text(r->cue_off, r->cue_len, len))
			abort();
		if (r->has_when && (r->when_m < 1 || r->when_m > 12 || r->when_d < 1 || r->when_d > 31))
			abort();
		if (r->cue_lemma)
			for (const char *p = r->cue_lemma; *p; p++)
				sum += (unsigned char)*p;
	}
	(void)sum;
	free(text);
	return 0;
}
