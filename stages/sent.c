/* SPDX-License-Identifier: MIT */
/* STUB sentence splitter (the whole text is one sentence); replaced. */
#include "sent.h"

err sent_split(const char *text, const tok_list *t, arena *a, sent_list *out)
{
	(void)text;
	out->v = NULL;
	out->n = 0;
	if (t->n == 0)
		return ERR_OK;
	out->v = arena_alloc_n(a, sent_sentence, 1);
	if (!out->v)
		return ERR_NOMEM;
	const tok_token *last = &t->v[t->n - 1];
	out->v[0] = (sent_sentence){0, t->n, t->v[0].off, last->off + last->len - t->v[0].off, 0, SENT_PARA};
	out->n = 1;
	return ERR_OK;
}
