/* SPDX-License-Identifier: MIT */
/* STUB tokenizer (whitespace split); replaced by the real one. */
#include "tok.h"

static const char *const tok_type_names[TOK_TYPE_COUNT] = {
	[TOK_WORD] = "WORD", [TOK_HYPHWORD] = "HYPHWORD", [TOK_ABBR] = "ABBR",
	[TOK_NUM] = "NUM", [TOK_URL] = "URL", [TOK_EMAIL] = "EMAIL", [TOK_SYM] = "SYM",
	[TOK_PERIOD] = "PERIOD", [TOK_QUESTION] = "QUESTION", [TOK_EXCLAIM] = "EXCLAIM",
	[TOK_ELLIPSIS] = "ELLIPSIS", [TOK_COMMA] = "COMMA", [TOK_COLON] = "COLON",
	[TOK_SEMICOLON] = "SEMICOLON", [TOK_DASH] = "DASH", [TOK_OPEN] = "OPEN",
	[TOK_CLOSE] = "CLOSE", [TOK_BULLET] = "BULLET", [TOK_APOS] = "APOS",
	[TOK_POSS] = "POSS", [TOK_PUNCT] = "PUNCT", [TOK_QUOTE_OPEN] = "QUOTE_OPEN",
	[TOK_QUOTE_CLOSE] = "QUOTE_CLOSE", [TOK_QUOTE_AMBIG] = "QUOTE_AMBIG",
	[TOK_NL] = "NL", [TOK_PARA] = "PARA",
};

const char *tok_type_name(tok_type t)
{
	return (unsigned)t < TOK_TYPE_COUNT ? tok_type_names[t] : "?";
}

err tok_scan(const char *text, uint32_t len, arena *a, tok_list *out)
{
	tok_token *v = arena_alloc_n(a, tok_token, (size_t)len + 1);
	if (!v)
		return ERR_NOMEM;
	uint32_t n = 0, i = 0;
	while (i < len) {
		if (text[i] == ' ' || text[i] == '\t' || text[i] == '\n') {
			i++;
			continue;
		}
		uint32_t s = i;
		while (i < len && text[i] != ' ' && text[i] != '\t' && text[i] != '\n')
			i++;
		v[n++] = (tok_token){s, i - s, TOK_WORD, 0, 0};
	}
	out->v = v;
	out->n = n;
	return ERR_OK;
}
