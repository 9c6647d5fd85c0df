/* SPDX-License-Identifier: MIT */
#ifndef WHOSAID_TOK_H
#define WHOSAID_TOK_H

/* The tokenizer: byte-offset tokens over UTF-8 text. Every later stage
 * counts in token indices. Whitespace makes no token, except newlines:
 * one newline is TOK_NL, a blank line (two or more newlines, with only
 * spaces between) is one TOK_PARA; a lone \r and U+2028 count as a
 * newline and U+2029 as a blank line. Conventions later stages rely on (tests/spec/tok.txt):
 * - 's / ’s after a word is its own TOK_POSS, whether possessive
 *   ("Russia’s") or a clitic ("he's", "it’s"); every other contraction is
 *   one TOK_WORD ("don't", "we’re", "I'm", "O'Brien");
 * - a trailing ' or ’ after a word in s is TOK_APOS ("students'") unless
 *   a single quote is open in the paragraph, then it closes it;
 * - quotation marks open when space (or a bracket, dash, colon) is on
 *   their left and a word on their right, close in the mirror case, and
 *   otherwise take their glyph's side; a straight " with space or words
 *   on both sides closes if a double quote is open in the paragraph and
 *   opens if none is; a straight ' there is TOK_QUOTE_AMBIG; two
 *   apostrophes '' (and ``)
 *   are one double quotation mark, as typed in ASCII news text;
 * - "Mr." is TOK_WORD + TOK_PERIOD (the splitter knows its abbreviations);
 *   only letters with inner periods make a TOK_ABBR;
 * - a spaced ellipsis ". . ." is one TOK_ELLIPSIS (spaces inside its span);
 *   a period glued to a word before it is a TOK_PERIOD of its own;
 * - • ▪ ‣ ⁃ ◦ ● are TOK_BULLET anywhere; - * · only first on a line
 *   before a space. */

#include <stdint.h>

#include "../pipeline/arena.h"
#include "../pipeline/err.h"

typedef enum {
	TOK_WORD = 0, /* letters (and marks, digits inside): "Putin", "don't" */
	TOK_HYPHWORD, /* hyphenated word: "self-sacrificing", "Jong-Un" */
	TOK_ABBR,     /* letters with inner periods, final period included: "U.S.", "a.m." */
	TOK_NUM,      /* digits, with inner , . : / - ("9,000", "3.5", "10:30", "2023-05-09") */
	TOK_URL,      /* http://..., www.... */
	TOK_EMAIL,    /* a@b.c */
	TOK_SYM,      /* symbols and anything else: $ % & @ # emoji */
	TOK_PUNCT_FIRST,
	TOK_PERIOD = TOK_PUNCT_FIRST, /* . */
	TOK_QUESTION,                 /* ? (a run: "?!" is one token) */
	TOK_EXCLAIM,                  /* ! */
	TOK_ELLIPSIS,                 /* ... or … or ". . ." (a run of periods) */
	TOK_COMMA,                    /* , */
	TOK_COLON,                    /* : */
	TOK_SEMICOLON,                /* ; */
	TOK_DASH,                     /* - -- – — standing alone */
	TOK_OPEN,                     /* ( [ { */
	TOK_CLOSE,                    /* ) ] } */
	TOK_BULLET,                   /* • · ▪ at the start of a line, or - * there */
	TOK_APOS,                     /* an apostrophe standing alone: "students'", "'90s" */
	TOK_POSS,                     /* possessive or clitic 's / ’s ('S) as its own token */
	TOK_PUNCT,                    /* other punctuation: / etc. */
	TOK_QUOTE_FIRST,
	TOK_QUOTE_OPEN = TOK_QUOTE_FIRST, /* “ ‘ « „ ‚ ‹, or " ' opening by context */
	TOK_QUOTE_CLOSE,                  /* ” ’ » ›, or " ' closing by context */
	TOK_QUOTE_AMBIG,                  /* " ' where context does not tell */
	TOK_QUOTE_LAST = TOK_QUOTE_AMBIG,
	TOK_PUNCT_LAST = TOK_QUOTE_LAST,
	TOK_NL,   /* a single line break */
	TOK_PARA, /* a blank line: paragraph break */
	TOK_TYPE_COUNT
} tok_type;

#define tok_is_punct(t) ((t) >= TOK_PUNCT_FIRST && (t) <= TOK_PUNCT_LAST)
#define tok_is_quote(t) ((t) >= TOK_QUOTE_FIRST && (t) <= TOK_QUOTE_LAST)
#define tok_is_break(t) ((t) == TOK_NL || (t) == TOK_PARA)
#define tok_is_wordlike(t) ((t) <= TOK_EMAIL)

enum {
	TOKF_CAP = 1u << 0,      /* first letter is upper or title case */
	TOKF_UPPER = 1u << 1,    /* has letters, all of them upper case */
	TOKF_LOWER = 1u << 2,    /* has letters, all of them lower case */
	TOKF_DIGIT = 1u << 3,    /* holds a digit */
	TOKF_ASCII = 1u << 4,    /* every byte is ASCII */
	TOKF_SPACE = 1u << 5,    /* whitespace (not a newline) comes before */
	TOKF_LINE = 1u << 6,     /* first token of a line (after TOK_NL/TOK_PARA or at 0) */
	TOKF_SINGLE = 1u << 7,   /* quotation mark is a single one (' ‘ ’ ‚ ‹ ›) */
	TOKF_BADUTF8 = 1u << 8,  /* holds or is an invalid UTF-8 sequence */
	TOKF_GLUED = 1u << 9,    /* no space between this token and the next */
};

typedef struct {
	uint32_t off, len; /* byte span in the text */
	uint8_t type;      /* tok_type */
	uint8_t pad;
	uint16_t flags; /* TOKF_* */
} tok_token;

typedef struct {
	tok_token *v;
	uint32_t n;
} tok_list;

/* Splits text[0, len) into tokens. out->v lives in arena a and dies at the
 * next arena_reset(a); it never holds more than len tokens. Invalid UTF-8
 * bytes act as separators (TOK_SYM with TOKF_BADUTF8). text needs no NUL
 * and is never read past len. Returns ERR_NOMEM or ERR_LIMIT when a cannot
 * hold the tokens (ERR_LIMIT too when len is 2 GiB or more). */
MUST_CHECK err tok_scan(const char *text, uint32_t len, arena *a, tok_list *out);

/* The name of a token type ("WORD", "QUOTE_OPEN"), for tests and dumps. */
const char *tok_type_name(tok_type t);

#endif
