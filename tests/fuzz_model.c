/* SPDX-License-Identifier: MIT */
/* libFuzzer entry for the model loader: the bytes are a model file. A
 * corrupt, truncated or hostile model must be refused by model_open_mem,
 * gaz_open or quote_open; a model they accept must then tag and attribute
 * a few fixed texts without reading outside its bytes (the copy is exactly
 * sized, so AddressSanitizer sees any read past the end) and give results
 * inside the text, or abort. Seeds: tests/fuzz/corpus/fuzz_model (tiny
 * models built from tests/fuzz/model-src). Built and run by `make fuzz`;
 * by hand: build-fuzz/fuzz_model -max_len=16384 CORPUS_DIR */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../pipeline/limits.h"
#include "../pipeline/model.h"
#include "../stages/gaz.h"
#include "../stages/quote.h"
#include "../stages/sent.h"
#include "../stages/tok.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

static const char *const texts[] = {
	"Mr. Kim Jong Un said: \"We will win,\" Reuters reported on Monday.\n\n"
	"\"It is over,\" the Russian president told reporters. Mary added that it was not.",
	"According to the Kremlin spokesman, North Korean troops left Russia. "
	"\"No,\" he said, \"never.\" John Smith, a 55-year-old driver, said he saw them.",
	"KIM JONG UN: \xe2\x80\x9cWe will win.\xe2\x80\x9d (Vladimir Putin says so) \xc3\xa9t\xc3\xa9",
};

static void run_text(const gaz_model *g, const quote_model *q, const char *src, arena *a)
{
	uint32_t len = (uint32_t)strlen(src);
	char *text = malloc(len); /* no NUL on purpose */
	if (!text)
		abort();
	memcpy(text, src, len);
	arena_reset(a);
	tok_list t;
	sent_list s;
	gaz_list ents;
	quote_list ql;
	if (tok_scan(text, len, a, &t) != ERR_OK || sent_split(text, &t, a, &s) != ERR_OK)
		abort();
	if (gaz_tag_at(g, text, &t, &s, "2024-05-09", 10, a, &ents) != ERR_OK)
		abort();
	volatile unsigned sum = 0;
	for (uint32_t i = 0; i < ents.n; i++) {
		const gaz_mention *m = &ents.v[i];
		if ((uint64_t)m->off + m->len > len || (uint64_t)m->first + m->n > t.n)
			abort();
		for (uint32_t k = 0; m->id && k < m->id_len; k++)
			sum += (unsigned char)m->id[k];
		for (uint32_t k = 0; m->name && k < m->name_len; k++)
			sum += (unsigned char)m->name[k];
	}
	if (quote_attribute(q, text, &t, &s, &ents, "2024-05-09", 10, a, &ql) != ERR_OK)
		abort();
	for (uint32_t i = 0; i < ql.n; i++) {
		const quote_attr *r = &ql.v[i];
		if ((uint64_t)r->off + r->len > len || r->kind > QUOTE_INDIRECT)
			abort();
		if (r->has_speaker && r->spk_entity >= 0 && (uint32_t)r->spk_entity >= ents.n)
			abort();
		for (const char *p = r->cue_lemma; p && *p; p++)
			sum += (unsigned char)*p;
	}
	(void)sum;
	free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	if (n > MODEL_MAX_BYTES)
		return 0;
	/* malloc is 16-byte aligned, as a mapped file is page aligned */
	void *buf = malloc(n ? n : 1);
	if (!buf)
		return 0;
	if (n)
		memcpy(buf, d, n);
	model *m;
	gaz_model *g = NULL;
	quote_model *q = NULL;
	err_info ei = {ERR_OK, ""};
	if (model_open_mem(buf, n, &m, &ei) == ERR_OK) {
		if (gaz_open(m, &g, &ei) == ERR_OK && quote_open(m, &q, &ei) == ERR_OK) {
			arena a;
			arena_init(&a, 64u << 20);
			for (size_t k = 0; k < sizeof texts / sizeof *texts; k++)
				run_text(g, q, texts[k], &a);
			arena_fini(&a);
		} else if (ei.msg[0] == '\0') {
			abort(); /* a refusal says why */
		}
		quote_close(q);
		gaz_close(g);
		model_close(m);
	} else if (ei.msg[0] == '\0') {
		abort();
	}
	free(buf);
	return 0;
}
