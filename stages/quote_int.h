/* SPDX-License-Identifier: MIT */
#ifndef WHOSAID_QUOTE_INT_H
#define WHOSAID_QUOTE_INT_H

/* Inside the quote stage: the per-record token view that both the runtime
 * (stages/quote.c) and the trainer (tools/quote_train.c) build, the two
 * learned taggers (cue tagger, role tagger) and their hashed features.
 * Not a contract between stages: only quote_*.c, build_quote.c and the
 * trainer include it. */

#include <stdint.h>

#include "quote.h"

/* Model sections. */
#define QUOTE_TAG_LEX MODEL_TAG('Q', 'L', 'E', 'X')
#define QUOTE_TAG_CUE MODEL_TAG('Q', 'C', 'U', 'E')
#define QUOTE_TAG_ROLE MODEL_TAG('Q', 'R', 'O', 'L')
#define QUOTE_LEX_MAGIC 0x3158454cu /* "LEX1" */
#define QUOTE_TAGGER_MAGIC 0x32474154u /* "TAG2": int8 weights through a 256-entry table */

/* Labels. */
enum { QC_O = 0, QC_B, QC_I, QC_NLAB };
enum { QR_O = 0, QR_BS, QR_IS, QR_BT, QR_IT, QR_NLAB };
#define Q_MAXLAB 5
#define Q_MAXFEAT 40

/* Token shapes. */
enum {
	QS_LOWER = 0, QS_CAP, QS_UPPER, QS_NUM, QS_COMMA, QS_END, QS_COLON, QS_QOPEN,
	QS_QCLOSE, QS_QAMBIG, QS_DASH, QS_PAREN, QS_BREAK, QS_POSS, QS_OTHER, QS_SEMI,
	QS_COUNT
};

/* Lexicon entry flags. */
enum {
	QL_VERB = 1u << 0,   /* a reporting verb form */
	QL_NOUN = 1u << 1,   /* a reporting noun (statement, interview) */
	QL_PHRASE = 1u << 2, /* first word of a multi-word cue (according) */
	QL_SEEN = 1u << 3,   /* began a cue in the training data (cue-words.txt) */
};

/* Pronoun classes. */
enum { QP_NONE = 0, QP_HE, QP_SHE, QP_THEY, QP_IT, QP_FIRST, QP_YOU, QP_WHO };

/* A tagger's weights: hashed feature rows of nlab weights each, and
 * transitions from (start, label) to label. Training uses float weights;
 * the model holds one signed byte per weight, read through lut (companded:
 * small weights keep their resolution), so the tables stay in L2. */
typedef struct {
	uint32_t nlab, bits;
	const int8_t *w8;   /* (1 << bits) * nlab, or NULL */
	const float *wf;    /* (1 << bits) * nlab, or NULL (training) */
	/* the rows (as lut_i values, 4 int32 for the cue tagger, 8 for the
	 * role tagger, 16-byte aligned) of the small-domain templates at
	 * every value (qtag_tables, made at quote_open); NULL: hash them */
	const int32_t *sdr;
	float lut[256];     /* w8 value + 128 -> weight */
	int32_t lut_i[256]; /* the same in units of `unit`, for integer sums */
	float unit;
	float trans[(Q_MAXLAB + 1) * Q_MAXLAB];
	/* trans with the transitions the BIO constraint rules out at -1e30
	 * (qtag_prepare, at quote_open); read by Viterbi when w8 is set */
	float tr_bio[(Q_MAXLAB + 1) * Q_MAXLAB];
} qtagger;

/* The lexicon as packed in QLEX. */
typedef struct {
	uint64_t hash;
	uint32_t lemma; /* 1-based lemma index; 0 marks an empty slot */
	uint32_t flags; /* QL_* */
} qlex_slot;

struct quote_model {
	const qlex_slot *slots;
	uint32_t slot_mask;
	uint32_t n_lemmas;
	const uint32_t *lemma_off;
	const char *strings;
	uint32_t strings_len;
	int have_cue, have_role;
	qtagger cue, role;
	void *sdr_mem; /* the taggers' small-domain rows, owned (quote_open) */
	/* ltag[k]: a byte of the hash in lexicon slot k (quote_lex_tags), 0
	 * when the slot is empty (NULL: read the slots): most words miss, and
	 * the probe reads these bytes (4 KB) where the slots (16 bytes each)
	 * missed the cache */
	uint8_t *ltag;
	/* filters over word hashes (qdoc.wh & 4095), set at
	 * quote_open_sections: a bit clear means the word is no pronoun
	 * (pro_bits) or no month, weekday or day word (when_bits); with
	 * have_bits 0 nothing is filtered */
	int have_bits;
	uint64_t pro_bits[64], when_bits[64];
};

/* A record seen by the quote stage: per-token facts computed once. */
typedef struct {
	const char *text;
	const tok_list *t;
	const sent_list *s;
	const gaz_list *g;
	uint32_t n;       /* tokens */
	uint32_t *wh;     /* word hash (lower-cased, ’ as ') */
	uint32_t *suf;    /* hash of the last three bytes, lower-cased */
	uint16_t *lex;    /* lemma id, 0 when none */
	uint8_t *lexf;    /* QL_* */
	uint8_t *shp;     /* QS_* */
	uint8_t *inq;     /* 1 inside a quotation, 2 a mark opening one, 3 closing */
	int32_t *qspan;   /* index of the quotation span, or -1 */
	uint8_t *ent;     /* gaz type, | 8 on a mention's first token */
	int32_t *ment;    /* index of the gaz mention covering the token, or -1 */
	uint8_t *pro;     /* QP_* */
	uint8_t *cand;    /* 1 where the cue tagger looks: near a possible cue */
	uint32_t *sid;    /* sentence index; tokens outside sentences take the previous */
	uint32_t npara;   /* paragraph breaks */
	uint8_t small;    /* every entity type below 8 (tagger tables apply) */
	/* prefix counts over tokens [0, i), modulo 2^16: subtract, then cast
	 * to uint16_t (windows are far shorter than 2^16 tokens) */
	uint16_t *pc_comma, *pc_qmark, *pc_lex, *pc_para;
	/* quotation spans (token ranges, marks included) */
	uint32_t nq;
	uint32_t *q_first, *q_end; /* [first, end) */
	uint8_t *q_cont;           /* 1 when span k runs on into span k + 1 (next paragraph) */
	/* the quotation marks and paragraph breaks, in order */
	uint32_t *qp, nqp;
} qdoc;

/* Fills d for one record; arrays live in arena a. */
MUST_CHECK err qdoc_init(const quote_model *q, const char *text, const tok_list *t,
			 const sent_list *s, const gaz_list *g, arena *a, qdoc *d);

/* Makes q->ltag from q->slots (malloc'd, freed by quote_close). Returns
 * ERR_NOMEM. */
MUST_CHECK err quote_lex_tags(quote_model *q);

/* Hash of a byte string, lower-cased as the lexicon keys are. */
uint64_t quote_word_hash64(const char *p, uint32_t len);
/* Sets the bit (wh & 4095) of every pronoun in bits[64]. */
void quote_pronoun_bits(uint64_t *bits);

/* Tokens after a possible cue that may still belong to it. */
#define QUOTE_CUE_REACH 4
/* Cue tagger: features of token i in sentence [a, b). Returns the count. */
uint32_t qfeat_cue(const qdoc *d, uint32_t a, uint32_t b, uint32_t i, uint32_t *f);
/* Role tagger: features of token i, window [a, b), cue tokens [c0, c1). */
uint32_t qfeat_role(const qdoc *d, uint32_t a, uint32_t b, uint32_t c0, uint32_t c1,
		    uint32_t i, uint32_t *f);

/* The window of tokens the role tagger sees for a cue [c0, c1). */
void quote_role_window(const qdoc *d, uint32_t c0, uint32_t c1, uint32_t *a, uint32_t *b);

/* Scores: emit[k * nlab + l] for k in [0, n), from features f (nf[k] per
 * token, Q_MAXFEAT stride). Viterbi over labels with the BIO constraint;
 * writes lab[0, n). */
void qtag_score(const qtagger *tg, const uint32_t *f, const uint32_t *nf, uint32_t n,
		float *emit);
void qtag_viterbi(const qtagger *tg, const float *emit, uint32_t n, float *vs, uint8_t *bp,
		  uint8_t *lab);
/* Cue tagger emissions over sentence [a, a + n): features scored where
 * d->cand is set, B and I ruled out elsewhere. emit has room for n.
 * Returns the number of candidate tokens (0: the sentence holds no cue). */
uint32_t qcue_emit(const qtagger *tg, const qdoc *d, uint32_t a, uint32_t n, float *emit);
/* Role tagger emissions over window [a, b) for cue [c0, c1): the same as
 * qfeat_role and qtag_score token by token. emit has room for b - a. */
void qrole_emit(const qtagger *tg, const qdoc *d, uint32_t a, uint32_t b, uint32_t c0,
		uint32_t c1, float *emit);
/* The same over a stretch of a sequence whose label before is prev and
 * after is next (nlab: the sequence starts / ends there). */
void qtag_viterbi_in(const qtagger *tg, const float *emit, uint32_t n, uint32_t prev,
		     uint32_t next, float *vs, uint8_t *bp, uint8_t *lab);
/* Fills tg->tr_bio from tg->trans (a model's tagger, w8 set). */
void qtag_prepare(qtagger *tg);
/* 1 when label cur may follow prev (prev == nlab: start). */
int qtag_allowed(uint32_t nlab, uint32_t prev, uint32_t cur);

/* The on-disk tagger header (QCUE, QROL sections and *.tagger files),
 * followed by (1 << bits) * nlab signed bytes. */
typedef struct {
	uint32_t magic, nlab, bits, hdr_len;
	float lut[256];
	float trans[(Q_MAXLAB + 1) * Q_MAXLAB];
	uint32_t pad;
} qtagger_hdr;

/* The small-domain feature rows of the cue (role 0) or role tagger tg
 * (int8 weights): their length in int32, and the rows written to p. */
size_t qtag_tables_len(int role);
void qtag_tables(int role, const qtagger *tg, int32_t *p);

/* Opens a quote model from sections; a model without tagger sections
 * falls back to rules. */
MUST_CHECK err quote_open_sections(const model *m, quote_model *q, err_info *ei);

#endif
