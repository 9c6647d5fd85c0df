/* SPDX-License-Identifier: MIT */
/* STUB entity stage (tags nothing); replaced by the gazetteer tagger. */
#include "gaz.h"

#include <stdlib.h>

struct gaz_model {
	int unused;
};

static const char *const gaz_type_names[GAZ_TYPE_COUNT] = {
	[GAZ_NONE] = "NONE", [GAZ_PER] = "PER", [GAZ_ORG] = "ORG",
	[GAZ_LOC] = "LOC", [GAZ_NORP] = "NORP", [GAZ_MISC] = "MISC",
};

const char *gaz_type_name(gaz_type t)
{
	return (unsigned)t < GAZ_TYPE_COUNT ? gaz_type_names[t] : "MISC";
}

err gaz_open(const model *m, gaz_model **out, err_info *ei)
{
	(void)m;
	*out = calloc(1, sizeof **out);
	return *out ? ERR_OK : err_setf(ei, ERR_NOMEM, "out of memory");
}

void gaz_close(gaz_model *g)
{
	free(g);
}

err gaz_tag(const gaz_model *g, const char *text, const tok_list *t, const sent_list *s,
	    arena *a, gaz_list *out)
{
	(void)g, (void)text, (void)t, (void)s, (void)a;
	out->v = NULL;
	out->n = 0;
	return ERR_OK;
}

err gaz_build(const char *src_dir, model_writer *w, err_info *ei)
{
	(void)src_dir, (void)w, (void)ei;
	return ERR_OK;
}
