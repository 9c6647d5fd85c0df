/* SPDX-License-Identifier: MIT */
/* STUB quote stage (finds nothing); replaced by the attribution stage. */
#include "quote.h"

#include <stdlib.h>

struct quote_model {
	int unused;
};

const char *quote_kind_name(quote_kind k)
{
	static const char *const names[] = {"direct", "mixed", "indirect"};
	return (unsigned)k < 3 ? names[k] : "indirect";
}

err quote_open(const model *m, quote_model **out, err_info *ei)
{
	(void)m;
	*out = calloc(1, sizeof **out);
	return *out ? ERR_OK : err_setf(ei, ERR_NOMEM, "out of memory");
}

void quote_close(quote_model *q)
{
	free(q);
}

err quote_attribute(const quote_model *q, const char *text, const tok_list *t,
		    const sent_list *s, const gaz_list *g, const char *date, uint32_t date_len,
		    arena *a, quote_list *out)
{
	(void)q, (void)text, (void)t, (void)s, (void)g, (void)date, (void)date_len, (void)a;
	out->v = NULL;
	out->n = 0;
	return ERR_OK;
}

err quote_build(const char *src_dir, model_writer *w, err_info *ei)
{
	(void)src_dir, (void)w, (void)ei;
	return ERR_OK;
}
