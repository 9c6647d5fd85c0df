/* SPDX-License-Identifier: MIT */
#ifndef WHOSAID_EVAL_SCORE_H
#define WHOSAID_EVAL_SCORE_H

/* The scorer behind whosaid-eval: pure functions over documents that are
 * already in memory (load.c reads them from JSON Lines). It implements the
 * Measures of SPEC.md; eval/README.md states every choice it makes:
 *
 *  - Trimming: whitespace, quotation marks and punctuation are cut from both
 *    ends of every span (gold and predicted alike), and a leading "that"
 *    from content spans. A span that would trim to nothing (a cue that is
 *    only ":") keeps its text with whitespace trimmed only.
 *  - Discontinuous gold roles are compared by their hull (first start to
 *    last end) for exact spans; the overlap measures use the pieces.
 *  - Exact P/R/F1 is over the set of distinct trimmed spans per document
 *    and role; a span is right when the other side holds the same span.
 *  - Overlap matching is one to one, greedy by overlap size (bytes shared
 *    with the gold pieces), redone for each coverage threshold.
 *  - "Quoted" gold: content holding a double quotation mark, or single marks
 *    used as a pair of quotes; "quoted" predictions: kind direct or mixed.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A half-open byte span [start, end) into a document's text. */
typedef struct {
	uint32_t start, end;
} score_span;

typedef enum { SCORE_KIND_NONE = 0, SCORE_KIND_DIRECT, SCORE_KIND_MIXED, SCORE_KIND_INDIRECT } score_kind;

/* One gold attribution (PolNeAR). pieces point into the owner's storage. */
typedef struct {
	const score_span *src;
	uint32_t nsrc;
	const score_span *cue;
	uint32_t ncue;
	const score_span *content;
	uint32_t ncontent;
	bool direct;
} score_gold;

/* One predicted quote, as the pipeline writes it (SPEC.md). Strings are
 * NUL-terminated or NULL when absent. */
typedef struct {
	score_span content;
	score_kind kind;
	bool has_spk, has_cue;
	score_span spk, cue;
	const char *spk_name, *spk_text, *when, *text;
} score_quote;

/* One predicted entity mention. type is "PER", "ORG", ... or "". */
typedef struct {
	score_span sp;
	char type[8];
} score_entity;

/* The roles of the exact-span measure. */
enum { SCORE_SRC = 0, SCORE_CUE, SCORE_CONTENT, SCORE_NROLES };
/* The subsets every PolNeAR number is given for. */
enum { SCORE_ALL = 0, SCORE_QUOTED, SCORE_NSUBSETS };
/* Coverage thresholds of the overlap match: any, 30%, 80%. */
enum { SCORE_NTHRESH = 3 };
extern const double score_thresholds[SCORE_NTHRESH];

typedef struct {
	uint64_t tp, npred, ngold;
} score_prf;

/* Counts for one subset of attributions, summed over documents. */
typedef struct {
	score_prf exact[SCORE_NROLES];
	score_prf overlap[SCORE_NTHRESH]; /* tp = matched pairs */
	uint64_t spk_matched;  /* matched pairs (any overlap) */
	uint64_t spk_right;    /* of them, with the right speaker */
	uint64_t spk_with_src; /* matched pairs whose gold has a source */
	uint64_t spk_right_src;
} score_counts;

typedef struct {
	score_counts sub[SCORE_NSUBSETS];
	uint64_t docs, docs_missing, gold_attrs, gold_quoted, pred_quotes, pred_quoted;
	uint64_t gold_direct;        /* gold items with the `direct` flag */
	uint64_t pred_kind[4];       /* predicted quotes by score_kind */
	/* When set, called for every gold attribution (is_gold) and every
	 * predicted quote left unmatched by the any-overlap matching of all
	 * attributions, with its index in the document. */
	void (*on_miss)(void *ctx, bool is_gold, uint32_t index);
	/* When set, called for every pair of that matching. */
	void (*on_pair)(void *ctx, uint32_t gold, uint32_t pred);
	void *miss_ctx;
} score_polnear;

/* Trims span s of text (whitespace, quotation marks, punctuation at both
 * ends; with content, also one leading "that"). See the header comment. */
score_span score_trim(const char *text, uint32_t len, score_span s, bool content);

/* True when the gold content pieces hold a quotation mark used as such. */
bool score_is_quoted(const char *text, uint32_t len, const score_span *pieces, uint32_t n);

/* Scores one document: gold attributions g[0..ng) against predicted quotes
 * p[0..np) over text, adding into acc. Returns false on out of memory. */
bool score_polnear_doc(const char *text, uint32_t len, const score_gold *g, uint32_t ng,
		       const score_quote *p, uint32_t np, score_polnear *acc);

/* Precision, recall and F1 of c (0 where undefined). */
double score_p(score_prf c);
double score_r(score_prf c);
double score_f1(score_prf c);

/* entcov: is span s (a gold source) a proper name by the heuristic of
 * eval/README.md? When it is, *name is the name part (leading determiners
 * cut). */
bool score_proper_name(const char *text, uint32_t len, score_span s, score_span *name);

/* How well the entities e[0..ne) cover name: the best of an entity with
 * exactly its span, one containing it, or one that is its head (inside it,
 * ending where it ends, starting at a word: "Press Secretary Josh
 * Earnest"). Only PER and ORG entities count, unless any_type. */
typedef enum {
	SCORE_COVER_NONE = 0,
	SCORE_COVER_HEAD,
	SCORE_COVER_CONTAINS,
	SCORE_COVER_EXACT
} score_cover_level;
score_cover_level score_cover(const char *text, const score_entity *e, uint32_t ne,
			      score_span name, bool any_type);

/* seeds: finds the first occurrence of pat in text at or after from; a
 * space in pat matches any run of whitespace (a hard-wrapped "Kim Jong\nUn"
 * is "Kim Jong Un"). With word, the occurrence must not continue a word on
 * either side. Returns false when there is none. */
bool score_find_text(const char *text, uint32_t len, const char *pat, uint32_t from, bool word,
		     score_span *out);

/* seeds: finds the occurrence of quote in text (as score_find_text); with
 * near, the one closest to an occurrence of near, else the first. Returns
 * false when absent. */
bool score_find_quote(const char *text, uint32_t len, const char *quote, const char *near,
		      score_span *out);

/* seeds: does a predicted speaker (its canonical name or its text) match
 * the accepted name? Case-insensitive, hyphens and spaces ignored, a
 * leading "the" and a trailing possessive ignored; the text also matches
 * when one of its parts (split at , ; ( ) and "and") is the name or ends in
 * it (its head: "North Korean leader Kim Jong Un"). */
bool score_name_match(const char *pred_name, const char *pred_text, const char *accepted);

/* Byte overlap of two spans. */
uint32_t score_overlap(score_span a, score_span b);

/* The smallest span holding all n spans of v (n >= 1). */
score_span score_hull(const score_span *v, uint32_t n);

#endif
