/* SPDX-License-Identifier: MIT */
#ifndef WHOSAID_FUZZ_H
#define WHOSAID_FUZZ_H

/* What the libFuzzer targets share: the default model, opened once per
 * process (libFuzzer gives no other place to keep it), and an exactly
 * sized heap copy of the input, so that AddressSanitizer sees a read one
 * byte past the end. The model is $WHOSAID_MODEL, else build/whosaid.model
 * (`make` builds it; `make fuzz` runs from the repository root). */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../pipeline/model.h"
#include "../stages/gaz.h"
#include "../stages/quote.h"

typedef struct {
	model *m;
	gaz_model *g;
	quote_model *q;
} fuzz_models;

/* Opens the default model or exits: a target without its model would
 * fuzz nothing and say nothing. */
static inline fuzz_models fuzz_models_open(void)
{
	fuzz_models f = {NULL, NULL, NULL};
	const char *path = getenv("WHOSAID_MODEL");
	if (!path || !*path)
		path = "build/whosaid.model";
	err_info ei = {ERR_OK, ""};
	if (model_open(path, &f.m, &ei) != ERR_OK || gaz_open(f.m, &f.g, &ei) != ERR_OK ||
	    quote_open(f.m, &f.q, &ei) != ERR_OK) {
		fprintf(stderr, "fuzz: cannot open the model %s: %s (set WHOSAID_MODEL)\n", path, ei.msg);
		exit(2);
	}
	return f;
}

/* An exactly sized copy of d (never NULL, even for n == 0); free() it. */
static inline char *fuzz_copy(const uint8_t *d, size_t n)
{
	char *c = malloc(n ? n : 1);
	if (!c)
		abort();
	if (n)
		memcpy(c, d, n);
	return c;
}

#endif
