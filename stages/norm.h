/* SPDX-License-Identifier: MIT */
#ifndef WHOSAID_NORM_H
#define WHOSAID_NORM_H

/* Token normalization shared by the gazetteer compiler, the entity tagger
 * and the quote stage: case folded, diacritics removed (NFD, marks
 * dropped), apostrophe variants made ', hyphens inside a word made a space
 * ("Jong-Un" -> "jong un") and periods of abbreviations dropped ("U.N." ->
 * "un"). ASCII tokens take a byte loop; others go through ICU. */

#include <stdint.h>

/* Most bytes norm_token writes for a token of len bytes. */
#define NORM_CAP(len) (4u * (len) + 16u)

/* Writes the normal form of text[0, len), a token of tok_type type, into
 * out (room for NORM_CAP(len) bytes) and returns its length in bytes. Never
 * fails: bytes that are not valid UTF-8 are copied unchanged. */
uint32_t norm_token(const char *text, uint32_t len, unsigned type, char *out);

/* FNV-1a over bytes, continuing from h; NORM_HASH_INIT starts a key. */
#define NORM_HASH_INIT 0xcbf29ce484222325ull
static inline uint64_t norm_hash(uint64_t h, const char *s, uint32_t len)
{
	for (uint32_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 0x100000001b3ull;
	return h;
}

/* Decodes the UTF-8 sequence at s[*k] (len bytes in all), advancing *k;
 * -1 for an invalid byte (then *k advances by one). */
int32_t norm_utf8_next(const char *s, uint32_t *k, uint32_t len);
/* Appends code point cp (< 0x110000) to out at n; returns the new length. */
uint32_t norm_utf8_put(char *out, uint32_t n, uint32_t cp);

#endif
