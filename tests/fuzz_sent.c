/* SPDX-License-Identifier: MIT */
/* libFuzzer entry point for the sentence splitter (after the tokenizer):
 * sentences must cover the tokens in order, never start or end with a line
 * break, keep their spans equal to their tokens' and their paragraph index
 * rising by at most one, or abort. `make fuzz` builds it into
 * build-fuzz/fuzz_sent (clang, ASan, UBSan) and runs it for FUZZ_SECONDS;
 * by hand: build-fuzz/fuzz_sent -max_len=4096 -runs=1000000 CORPUS_DIR */
#include <stdint.h>
#include <stdlib.h>

#include "../pipeline/limits.h"
#include "../stages/sent.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	if (n > REC_MAX_TEXT_BYTES)
		return 0;
	const char *text = (const char *)d;
	arena a;
	arena_init(&a, REC_ARENA_CAP);
	tok_list t;
	sent_list s;
	if (tok_scan(text, (uint32_t)n, &a, &t) != ERR_OK || sent_split(text, &t, &a, &s) != ERR_OK)
		abort();
	uint32_t next = 0, para = 0;
	for (uint32_t i = 0; i < s.n; i++) {
		const sent_sentence *x = &s.v[i];
		if (x->n == 0 || x->first < next || (uint64_t)x->first + x->n > t.n)
			abort();
		for (uint32_t k = next; k < x->first; k++)
			if (!tok_is_break(t.v[k].type))
				abort();
		const tok_token *f = &t.v[x->first], *l = &t.v[x->first + x->n - 1];
		if (tok_is_break(f->type) || tok_is_break(l->type) || x->off != f->off ||
		    x->len != l->off + l->len - f->off || x->n > SENT_MAX_TOKENS)
			abort();
		if (x->para != para && x->para != para + 1)
			abort();
		para = x->para;
		next = x->first + x->n;
	}
	for (uint32_t k = next; k < t.n; k++)
		if (!tok_is_break(t.v[k].type))
			abort();
	arena_fini(&a);
	return 0;
}
