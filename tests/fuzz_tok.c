/* SPDX-License-Identifier: MIT */
/* libFuzzer entry point for the tokenizer: any bytes in, tokens that keep
 * the invariants out (inside the text, in order, never empty, GLUED exactly
 * when adjacent), or abort. `make fuzz` builds it into
 * build-fuzz/fuzz_tok (clang, ASan, UBSan) and runs it for FUZZ_SECONDS;
 * by hand: build-fuzz/fuzz_tok -max_len=4096 -runs=1000000 CORPUS_DIR */
#include <stdint.h>
#include <stdlib.h>

#include "../pipeline/limits.h"
#include "../stages/tok.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	if (n > REC_MAX_TEXT_BYTES)
		return 0;
	arena a;
	arena_init(&a, REC_ARENA_CAP);
	tok_list l;
	if (tok_scan((const char *)d, (uint32_t)n, &a, &l) != ERR_OK)
		abort();
	uint32_t end = 0;
	for (uint32_t i = 0; i < l.n; i++) {
		const tok_token *t = &l.v[i];
		if (t->len == 0 || t->off < end || (size_t)t->off + t->len > n || t->type >= TOK_TYPE_COUNT)
			abort();
		if (i + 1 < l.n) {
			const tok_token *u = &l.v[i + 1];
			int adj = t->off + t->len == u->off && !tok_is_break(t->type) && !tok_is_break(u->type);
			if (!!(t->flags & TOKF_GLUED) != adj)
				abort();
		}
		end = t->off + t->len;
	}
	arena_fini(&a);
	return 0;
}
