/* SPDX-License-Identifier: MIT */
#ifndef WHOSAID_SENT_H
#define WHOSAID_SENT_H

/* The sentence splitter: groups tokens into sentences. A paragraph break
 * always ends a sentence; a single line break ends one only after a
 * headline, bullet or line that cannot continue (hard-wrapped lines go
 * on). Quotation-aware: a sentence may end inside closing quotes (`He said
 * "Go." Then` is two), and "... win," he said stays one. Abbreviations
 * come from models/src/lists/abbreviations.txt, compiled in; the rules are
 * in stages/sent.c, the examples in tests/spec/sent.txt, the golden-rule
 * score from build/tests/test_golden_rules. */

#include <stdint.h>

#include "../pipeline/arena.h"
#include "../pipeline/err.h"
#include "tok.h"

enum {
	SENT_PARA = 1u << 0,     /* first sentence of a paragraph (after a blank line;
				    after a single line break in a text whose lines
				    are paragraphs, or before a bullet or headline) */
	SENT_HEADLINE = 1u << 1, /* a line standing alone without end punctuation */
	SENT_BULLET = 1u << 2,   /* starts with a bullet */
	SENT_DATELINE = 1u << 3, /* begins with a dateline ("SEOUL, May 9 (UPI) --") */
};

typedef struct {
	uint32_t first, n; /* token range; never holds a leading/trailing TOK_NL/TOK_PARA */
	uint32_t off, len; /* byte span: first token start to last token end */
	uint32_t para;     /* paragraph index, counting from 0; +1 at each SENT_PARA */
	uint32_t flags;    /* SENT_* */
} sent_sentence;

typedef struct {
	sent_sentence *v;
	uint32_t n;
} sent_list;

/* Splits the tokens t of text into sentences. out->v lives in arena a until
 * its next reset. Returns ERR_NOMEM or ERR_LIMIT. */
MUST_CHECK err sent_split(const char *text, const tok_list *t, arena *a, sent_list *out);

#endif
