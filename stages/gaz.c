/* SPDX-License-Identifier: MIT */
/* The entity stage. Lookup: a lower-case word is dismissed by one bit of
 * a prefilter unless a key written in lower case could start with it; a
 * capitalized word probes the key table, and the phrase is extended token
 * by token (every word prefix of a key is in the table) until the first
 * miss, so the cost per token is a few probes whatever the number of
 * entries; candidates are tried longest first. Evidence decides: acronyms
 * must be written in capitals (long ones may be "Nato" mid-sentence); weak
 * entries (common words, bare surnames, one-word names that are head nouns)
 * need a capital that is not sentence-initial, in an all-caps or title-case
 * line, next to another capitalized word or a number; or a preposition,
 * title, reporting verb or possessive beside them. Rules beyond the lists,
 * tried in this order at each token:
 *   R0 capitalized parts of hyphenated words ("U.S.-South Korea");
 *   R1 coreference: a capitalized word that is the first or last word of an
 *      earlier multi-word person takes that person's id and name;
 *   R2 shape: a capitalized chain with a head noun at its end ("Wagner
 *      Group", "Red Square") or before of/for ("Center for Advanced ...");
 *   R3 title + name ("Defense Minister Andrei Belousov", "Mr. Putin");
 *   R4 gazetteer match of two or more words, evidence permitting;
 *   R5 first name + capitalized word(s) ("Roman Gulydov", "Mary J. Blige");
 *   R6 one-word gazetteer match; a listed surname inside a longer unknown
 *      name tags that name ("Megyn Kelly");
 *   R7 unknown capitalized name with an appositive (", a 55-year-old ...")
 *      or a reporting verb ("... said") is a person; so are datelines in
 *      capitals (a place) and transcript labels ("TAPPER:");
 *   R8 role phrase not followed by a name ("the Russian president") is the
 *      role's holder at the record's date;
 *   R9 an all-caps word in brackets after an organization is its acronym;
 *   R10 after the pass, a name written before the full name it stands for,
 *      or without the evidence found for it elsewhere, takes that person. */
#include "gaz.h"

#include <assert.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/uchar.h>

#include "../models/gaz_format.h"
#include "../pipeline/limits.h"
#include "norm.h"

/* The rare branch of a cached per-token value: kept out of line so that
 * the cached case is a load and a test at the call site. */
#if defined(__GNUC__)
#define SLOW_PATH __attribute__((noinline))
#else
#define SLOW_PATH
#endif
#if defined(__GNUC__)
#define LIKELY(x) __builtin_expect(!!(x), 1)
#else
#define LIKELY(x) (x)
#endif
/* A hot helper inlined into its main caller. */
#if defined(__GNUC__)
#define HOT_INLINE inline __attribute__((always_inline))
#else
#define HOT_INLINE inline
#endif

/* Word classes of the rules' small lists (below), looked up by hash. */
enum {
	WC_STOP = 1u << 0,    /* capitalized, starts no name ("The", "May", "Monday") */
	WC_ORGHEAD = 1u << 1, /* "Party", "Ministry", "Group" */
	WC_ORGSUF = 1u << 2,  /* "Inc", "Ltd" */
	WC_CONN = 1u << 3,    /* inside a name: "of", "for" */
	WC_PREP = 1u << 4,    /* before a place: "in", "from" */
	WC_REPORT = 1u << 5,  /* "said", "told" */
	WC_THE = 1u << 6,     /* "the" */
	WC_ART = 1u << 7,     /* "a", "an", "the" */
	WC_AND = 1u << 8,     /* "and" */
	WC_LOCHEAD = 1u << 9, /* "Square", "River" */
	WC_MALE = 1u << 10,   /* "Mr", "Sir", "King" */
	WC_FEMALE = 1u << 11, /* "Mrs", "Ms", "Queen" */
	WC_PARTICLE = 1u << 12, /* inside a name: "von", "van", "bin" */
	TC_NORM = 1u << 13,   /* per token: np and nl hold its normal form */
	TC_BLOOM = 1u << 14,  /* per token: may start a gazetteer key */
	TC_DONE = 1u << 15,   /* per token: classes computed */
};
#define WC_SLOTS 1024
#define WC_BITS 4096 /* a power of two */
#define LOWKEY_BITS 16

struct gaz_model {
	const gaz_header *h;
	const gaz_slot *slots;
	uint32_t mask;
	const gaz_entry *ents;
	const char *pool;
	const uint64_t *bloom;
	uint32_t bloom_mask;
	const uint64_t *more; /* GAZX, or NULL: every key may go on */
	const uint16_t *kinds; /* GAZK, or own_kinds */
	uint16_t *own_kinds;   /* GAZK built here when the model has none */
	const uint64_t *pairs; /* GAZP, or NULL: every pair may be in */
	uint32_t pairs_mask;   /* its bits - 1 */
	/* ASCII bytes lower-cased; 0 for those the fast path of tclass leaves
	 * to norm_token (-, `, NUL) */
	unsigned char lower[256];
	/* the same, 0 also for ' ', NUL and bytes not ASCII: a word of such
	 * bytes only is plain (GAZP) */
	unsigned char plain[256];
	/* lower, with 0x100 for the bytes it maps to 0 */
	uint16_t lower16[256];
	/* word prefixes of keys with an entry written in lower case, by
	 * lowkey_bit (first two and last two bytes, length): most lower-case
	 * words of a text are dismissed by one bit */
	uint64_t lowkey[(1u << LOWKEY_BITS) / 64];
	/* the same keys, exactly: norm_hash of every word prefix of such a
	 * key (the first token is one of them), open addressing; 0 is empty */
	uint64_t *lowset;
	uint32_t lowset_mask, lowset_n;
	/* GAZN, or own_next built here when the model has none */
	const uint64_t *nextf;
	uint64_t *own_next;
	uint32_t nextf_mask;
	/* the first byte of a normal form, by the token's first byte (ASCII
	 * lower-cased, ` as ') */
	unsigned char nfold[256];
	struct wc_slot {
		uint64_t h;
		uint32_t cls;
	} wc[WC_SLOTS]; /* the rule word lists, by norm_hash */
	/* one bit per word of the lists, by the top bits of its norm_hash:
	 * most words of a text are in none, and stop at their bit */
	uint64_t wc_bits[WC_BITS / 64];
	/* longest word of the lists of each set of WC_* bits, in bytes */
	uint8_t wc_len[WC_STOP << 13];
	/* the lists (WC_* bits) that have a word of length min(len, 31) and
	 * first byte b (b & 31) */
	uint16_t wc_shape[32][32];
};

static const char *const gaz_type_names[GAZ_TYPE_COUNT] = {
	[GAZ_NONE] = "NONE", [GAZ_PER] = "PER", [GAZ_ORG] = "ORG",
	[GAZ_LOC] = "LOC", [GAZ_NORP] = "NORP", [GAZ_MISC] = "MISC",
};

const char *gaz_type_name(gaz_type t)
{
	return (unsigned)t < GAZ_TYPE_COUNT ? gaz_type_names[t] : "MISC";
}

/* ---- open: validate every section before the first lookup ---- */

static void wc_build(gaz_model *g);

static err sec(const model *m, uint32_t tag, const char *name, const void **p, uint64_t *len,
	       err_info *ei)
{
	if (model_section_get(m, tag, p, len) != ERR_OK)
		return err_setf(ei, ERR_MODEL, "model has no gazetteer section %s", name);
	return ERR_OK;
}

/* The lowkey bit of a word w[0, len): a hash of its first two and last
 * two bytes and its length (w is not read when len is 0). */
static inline uint32_t lowkey_bit(const unsigned char *w, uint32_t len)
{
	uint16_t a, b;
	if (len < 2)
		return (((len ? w[0] : 0u) + len * 0x01000193u) * 0x9e3779b1u) >> (32 - LOWKEY_BITS);
	memcpy(&a, w, 2);
	memcpy(&b, w + len - 2, 2);
	return (((uint32_t)a | (uint32_t)b << 16) + len * 0x01000193u) * 0x9e3779b1u >> (32 - LOWKEY_BITS);
}

/* Sets the lowkey bits of a normal form k[0, len) and of the raw spellings
 * with that normal form a lower-case ASCII word may have: ` for ', - for
 * a space, at the bytes lowkey_bit reads. */
static void lowkey_add(uint64_t *bits, const char *k, uint32_t len)
{
	unsigned char w[GAZ_MAX_KEY_BYTES];
	if (len == 0 || len > sizeof w)
		return;
	uint32_t pos[4] = {0, len > 1, len > 1 ? len - 2 : 0, len - 1};
	for (unsigned v = 0; v < 16; v++) {
		memcpy(w, k, len);
		for (int q = 0; q < 4; q++) {
			unsigned char *b = &w[pos[q]];
			if (v >> q & 1)
				*b = *b == '\'' ? '`' : *b == ' ' ? '-' : *b;
		}
		uint32_t b = lowkey_bit(w, len);
		bits[b / 64] |= 1ull << (b % 64);
	}
}

static uint64_t key_hash(uint64_t h, const char *s, uint32_t len)
{
	return norm_hash(h, s, len);
}

static int in_pool(uint32_t off, uint32_t len, uint32_t pool_len)
{
	return off < pool_len && len < pool_len - off;
}

void gaz_close(gaz_model *g)
{
	if (g) {
		free(g->own_next);
		free(g->lowset);
		free(g->own_kinds);
	}
	free(g);
}

/* A key with an entry written in lower case may start with the normal
 * form whose norm_hash is h. */
static int lowset_has(const gaz_model *g, uint64_t h)
{
	h += !h;
	for (uint32_t q = (uint32_t)h & g->lowset_mask;; q = (q + 1) & g->lowset_mask) {
		if (g->lowset[q] == h)
			return 1;
		if (!g->lowset[q])
			return 0;
	}
}

/* Adds h to the set, which grows to stay at most half full; 0 when out of
 * memory. */
static int lowset_add(gaz_model *g, uint64_t h)
{
	h += !h;
	if (lowset_has(g, h))
		return 1;
	if (2 * (g->lowset_n + 1) > g->lowset_mask + 1) {
		uint32_t n = 2 * (g->lowset_mask + 1);
		uint64_t *v = calloc(n, sizeof *v);
		if (!v)
			return 0;
		for (uint32_t k = 0; k <= g->lowset_mask; k++) {
			uint64_t x = g->lowset[k];
			if (!x)
				continue;
			uint32_t q = (uint32_t)x & (n - 1);
			while (v[q])
				q = (q + 1) & (n - 1);
			v[q] = x;
		}
		free(g->lowset);
		g->lowset = v;
		g->lowset_mask = n - 1;
	}
	uint32_t q = (uint32_t)h & g->lowset_mask;
	while (g->lowset[q])
		q = (q + 1) & g->lowset_mask;
	g->lowset[q] = h;
	g->lowset_n++;
	return 1;
}

err gaz_open(const model *m, gaz_model **out, err_info *ei)
{
	*out = NULL;
	const void *ph, *pt, *pe, *ps, *pb;
	uint64_t lh, lt, le, ls, lb;
	err e;
	if ((e = sec(m, GAZ_SEC_HEADER, "GAZH", &ph, &lh, ei)) ||
	    (e = sec(m, GAZ_SEC_TABLE, "GAZT", &pt, &lt, ei)) ||
	    (e = sec(m, GAZ_SEC_ENTRIES, "GAZE", &pe, &le, ei)) ||
	    (e = sec(m, GAZ_SEC_POOL, "GAZS", &ps, &ls, ei)) ||
	    (e = sec(m, GAZ_SEC_BLOOM, "GAZB", &pb, &lb, ei)))
		return e;
	if (lh != sizeof(gaz_header))
		return err_setf(ei, ERR_MODEL, "gazetteer header has %llu bytes, expected %zu",
				(unsigned long long)lh, sizeof(gaz_header));
	const gaz_header *h = ph;
	if (h->version != GAZ_FORMAT_VERSION)
		return err_setf(ei, ERR_MODEL, "gazetteer format version %u, this program reads %u",
				h->version, GAZ_FORMAT_VERSION);
	if (h->n_slots < 2 || (h->n_slots & (h->n_slots - 1)) ||
	    lt != (uint64_t)h->n_slots * sizeof(gaz_slot))
		return err_setf(ei, ERR_MODEL, "gazetteer table: %u slots (not a power of two or not the section's size)",
				h->n_slots);
	if (h->n_keys >= h->n_slots)
		return err_setf(ei, ERR_MODEL, "gazetteer table is full (%u keys in %u slots)", h->n_keys,
				h->n_slots);
	if (le != (uint64_t)h->n_entries * sizeof(gaz_entry))
		return err_setf(ei, ERR_MODEL, "gazetteer entries: count %u does not match the section's %llu bytes",
				h->n_entries, (unsigned long long)le);
	const char *pool = ps;
	if (ls != h->pool_len || h->pool_len == 0 || pool[h->pool_len - 1] != '\0')
		return err_setf(ei, ERR_MODEL, "gazetteer string pool: length %u does not match or is not terminated",
				h->pool_len);
	if (h->n_bloom_bits < 512 || (h->n_bloom_bits & (h->n_bloom_bits - 1)) ||
	    lb != h->n_bloom_bits / 8)
		return err_setf(ei, ERR_MODEL, "gazetteer bloom filter: %u bits is not a power of two or not the section's size",
				h->n_bloom_bits);
	if (h->max_pieces > GAZ_MAX_PHRASE_TOKENS)
		return err_setf(ei, ERR_MODEL, "gazetteer phrase of %u words exceeds GAZ_MAX_PHRASE_TOKENS",
				h->max_pieces);
	const gaz_slot *sl = pt;
	uint32_t used = 0;
	for (uint32_t k = 0; k < h->n_slots; k++) {
		const gaz_slot *s = &sl[k];
		if (s->key_len == 0) {
			if (s->n_ent)
				return err_setf(ei, ERR_MODEL, "gazetteer slot %u: empty slot with entries", k);
			continue;
		}
		used++;
		if (!in_pool(s->key_off, s->key_len, h->pool_len))
			return err_setf(ei, ERR_MODEL, "gazetteer slot %u: key outside the string pool", k);
		if (s->ent_first > h->n_entries || s->n_ent > h->n_entries - s->ent_first)
			return err_setf(ei, ERR_MODEL, "gazetteer slot %u: entries %u+%u out of range", k,
					s->ent_first, s->n_ent);
	}
	if (used != h->n_keys)
		return err_setf(ei, ERR_MODEL, "gazetteer table holds %u keys, header says %u", used, h->n_keys);
	const gaz_entry *en = pe;
	for (uint32_t k = 0; k < h->n_entries; k++) {
		if (en[k].kind == 0 || en[k].kind >= GAZK_COUNT)
			return err_setf(ei, ERR_MODEL, "gazetteer entry %u: bad kind %u", k, en[k].kind);
		if (!in_pool(en[k].id_off, en[k].id_len, h->pool_len) ||
		    !in_pool(en[k].name_off, en[k].name_len, h->pool_len) ||
		    pool[en[k].id_off + en[k].id_len] != '\0' || pool[en[k].name_off + en[k].name_len] != '\0')
			return err_setf(ei, ERR_MODEL, "gazetteer entry %u: id or name outside the string pool", k);
	}
	gaz_model *g = calloc(1, sizeof *g);
	if (!g)
		return err_setf(ei, ERR_NOMEM, "out of memory opening the gazetteer");
	g->h = h;
	g->slots = sl;
	g->mask = h->n_slots - 1;
	g->ents = en;
	g->pool = pool;
	g->bloom = pb;
	g->bloom_mask = h->n_bloom_bits - 1;
	const void *px;
	uint64_t lx;
	if (model_section_get(m, GAZ_SEC_MORE, &px, &lx) == ERR_OK) {
		if (lx != ((uint64_t)h->n_slots + 63) / 64 * 8) {
			free(g);
			return err_setf(ei, ERR_MODEL, "gazetteer section GAZX: %llu bytes for %u slots",
					(unsigned long long)lx, h->n_slots);
		}
		g->more = px;
	}
	if (model_section_get(m, GAZ_SEC_PAIRS, &px, &lx) == ERR_OK) {
		if (lx < 64 || lx > (1u << 28) || (lx & (lx - 1))) {
			free(g);
			return err_setf(ei, ERR_MODEL, "gazetteer section GAZP: %llu bytes is not a power of two of 64 or more",
					(unsigned long long)lx);
		}
		g->pairs = px;
		g->pairs_mask = (uint32_t)(lx * 8 - 1);
	}
	if (model_section_get(m, GAZ_SEC_KINDS, &px, &lx) == ERR_OK) {
		if (lx != (uint64_t)h->n_slots * sizeof(uint16_t)) {
			free(g);
			return err_setf(ei, ERR_MODEL, "gazetteer section GAZK: %llu bytes for %u slots",
					(unsigned long long)lx, h->n_slots);
		}
		g->kinds = px;
	} else {
		g->own_kinds = malloc((size_t)h->n_slots * sizeof *g->own_kinds);
		if (!g->own_kinds) {
			free(g);
			return err_setf(ei, ERR_NOMEM, "out of memory opening the gazetteer");
		}
		for (uint32_t k = 0; k < h->n_slots; k++)
			g->own_kinds[k] = gaz_slot_kinds(en + sl[k].ent_first, sl[k].n_ent);
		g->kinds = g->own_kinds;
	}
	wc_build(g);
	for (unsigned b = 0; b < 256; b++)
		g->lower[b] = (unsigned char)(b == '-' || b == '`' ? 0 : b >= 'A' && b <= 'Z' ? b + 32 : b);
	for (unsigned b = 0; b < 256; b++)
		g->plain[b] = (unsigned char)(b == ' ' || b >= 0x80 ? 0 : g->lower[b]);
	for (unsigned b = 0; b < 256; b++)
		g->lower16[b] = (uint16_t)(g->lower[b] ? g->lower[b] : 0x100);
	for (unsigned b = 0; b < 256; b++)
		g->nfold[b] = (unsigned char)(b == '`' ? '\'' : b >= 'A' && b <= 'Z' ? b + 32 : b);
	if (model_section_get(m, GAZ_SEC_NEXT, &px, &lx) == ERR_OK) {
		if (lx < 512 || lx > (1u << 27) || (lx & (lx - 1))) {
			gaz_close(g);
			return err_setf(ei, ERR_MODEL, "gazetteer section GAZN: %llu bytes is not a power of two of 512 or more",
					(unsigned long long)lx);
		}
		g->nextf = px;
		g->nextf_mask = (uint32_t)(lx * 8 - 1);
	} else {
		uint32_t n_multi = 0;
		for (uint32_t k = 0; k < h->n_slots; k++)
			n_multi += sl[k].key_len && memchr(pool + sl[k].key_off, ' ', sl[k].key_len) ? 1u : 0u;
		uint32_t nbits = gaz_next_bits(n_multi);
		g->own_next = calloc(nbits / 64, sizeof *g->own_next);
		if (!g->own_next) {
			gaz_close(g);
			return err_setf(ei, ERR_NOMEM, "out of memory opening the gazetteer");
		}
		g->nextf_mask = nbits - 1;
		for (uint32_t k = 0; k < h->n_slots; k++)
			if (sl[k].key_len)
				gaz_next_add(g->own_next, g->nextf_mask, pool + sl[k].key_off, sl[k].key_len, key_hash);
		g->nextf = g->own_next;
	}
	g->lowset = calloc(256, sizeof *g->lowset);
	if (!g->lowset) {
		gaz_close(g);
		return err_setf(ei, ERR_NOMEM, "out of memory opening the gazetteer");
	}
	g->lowset_mask = 255;
	for (uint32_t k = 0; k < h->n_slots; k++) {
		const gaz_slot *s = &sl[k];
		int lower = 0;
		for (uint32_t q = 0; q < s->n_ent && !lower; q++)
			lower = en[s->ent_first + q].flags & GAZE_LOWER;
		if (!lower)
			continue;
		const char *key = pool + s->key_off;
		/* every word prefix: the first token's normal form may hold a
		 * space ("al-Jabha") */
		for (uint32_t ke = 1; ke <= s->key_len; ke++) {
			if (ke != s->key_len && key[ke] != ' ')
				continue;
			lowkey_add(g->lowkey, key, ke);
			if (!lowset_add(g, norm_hash(NORM_HASH_INIT, key, ke))) {
				gaz_close(g);
				return err_setf(ei, ERR_NOMEM, "out of memory opening the gazetteer");
			}
		}
	}
	*out = g;
	return ERR_OK;
}



/* ---- per-record state ---- */

enum {
	TI_SSTART = 1u << 0,  /* first word of its sentence */
	TI_CAPSENT = 1u << 1, /* its sentence has no lower-case letter */
	TI_USED = 1u << 2,    /* inside an emitted mention */
	TI_CAP = 1u << 3,     /* a word whose first letter is a capital */
	TI_UPPER = 1u << 4,   /* a word of two or more letters, all capitals */
	TI_LOWER = 1u << 5,   /* a word with a lower-case letter */
	TI_PLAIN = 1u << 6,   /* a word of ASCII a-z only: its own normal form */
	TI_CASED = 1u << 7,   /* TI_CAP..TI_PLAIN computed */
	TI_CAPSENT_DONE = 1u << 8, /* TI_CAPSENT computed for the sentence */
	TI_TH = 1u << 9,      /* a lower-case ASCII word with no `: th holds its hash */
};

typedef struct {
	uint32_t end; /* last token, inclusive */
	const gaz_slot *s;
} cand;

#define MAX_CANDS (GAZ_MAX_PHRASE_TOKENS + 1)

#define FULL_RING 256

typedef struct {
	const gaz_model *g;
	const char *text;
	const tok_token *tv;
	uint32_t nt;
	arena *a;
	const char **np; /* normal form of each token, NULL until computed */
	uint32_t *nl;
	uint32_t *sid;
	uint16_t *ti; /* TI_* of each token */
	uint16_t *tc; /* WC_* and TC_* of each token */
	uint64_t *th; /* norm_hash of each token's normal form */
	char *nbuf;   /* normal forms of ASCII words (never longer than the word) */
	uint32_t nbuf_len, nbuf_used;
	gaz_mention *out;
	uint32_t n, cap;
	uint32_t date; /* YYYYMMDD or 0 */
	int capsent_ready; /* TI_CAPSENT set for every sentence by mark_sentences */
	uint32_t *caps;    /* capitalized words the pass came to, in order */
	uint32_t ncaps;
	uint32_t *todo;    /* word-like tokens the pass must come to, in order:
			    * all but lower-case words lowkey dismisses */
	uint32_t ntodo;
	uint64_t partbits[16];
	uint32_t nfull;
	/* from here on, not cleared per record: full and fullh are read only
	 * where emit wrote them (the last nfull, at most FULL_RING) */
	uint32_t full[FULL_RING]; /* latest multi-word person mentions */
	uint64_t fullh[FULL_RING][2]; /* norm_hash of its first and last word; 0: not a name */
	char scratch[NORM_CAP(1024)];
} ctx;

static int is_word(const tok_token *t)
{
	return t->type == TOK_WORD || t->type == TOK_HYPHWORD || t->type == TOK_ABBR;
}

static uint16_t word_case(const char *s, uint32_t len);

/* TI_* of token i with its case computed (from its letters: tokenizer
 * flags are not relied on). */
static inline uint32_t tcase(ctx *c, uint32_t i)
{
	if (!(c->ti[i] & TI_CASED)) {
		const tok_token *t = &c->tv[i];
		uint16_t f = TI_CASED;
		if (!is_word(t)) {
			/* no case */
		} else if (t->flags & (TOKF_CAP | TOKF_UPPER | TOKF_LOWER)) {
			/* the tokenizer's flags, when it gives them */
			if (t->flags & (TOKF_CAP | TOKF_UPPER))
				f |= TI_CAP;
			if ((t->flags & TOKF_UPPER) && t->len >= 2 && !(t->len == 2 && c->text[t->off + 1] == '.'))
				f |= TI_UPPER;
			if ((t->flags & TOKF_LOWER) || ((t->flags & TOKF_CAP) && !(t->flags & TOKF_UPPER)))
				f |= TI_LOWER;
		} else {
			f |= word_case(c->text + t->off, t->len);
		}
		c->ti[i] |= f;
	}
	return c->ti[i];
}

/* A word starting with a capital ("Putin", "KCNA"); case is computed for
 * every token before the rules run. i may be nt (what next_tok returns at
 * the end): ti[nt] is 0. */
static inline int is_cap(const ctx *c, uint32_t i)
{
	return c->ti[i] & TI_CAP;
}

/* An all-capitals word of two letters or more ("SEOUL", "KCNA"); i <= nt. */
static inline int is_upper(const ctx *c, uint32_t i)
{
	return c->ti[i] & TI_UPPER;
}

static SLOW_PATH void caps_sentence_mark(ctx *c, uint32_t i);

/* Token i's sentence has no lower-case letter (a headline in capitals). */
static inline int in_caps_sentence(ctx *c, uint32_t i)
{
	if (!c->capsent_ready && !(c->ti[i] & TI_CAPSENT_DONE))
		caps_sentence_mark(c, i);
	return c->ti[i] & TI_CAPSENT;
}

/* Sets TI_CAPSENT_DONE, and TI_CAPSENT when it holds, on token i's sentence. */
static SLOW_PATH void caps_sentence_mark(ctx *c, uint32_t i)
{
	uint32_t a = i, b = i, sid = c->sid[i];
	while (a > 0 && c->sid[a - 1] == sid)
		a--;
	while (b + 1 < c->nt && c->sid[b + 1] == sid)
		b++;
	/* all capitals, or a headline in title case ("Obama Power Plant
	 * Rules Face Key Test"): capitals there are no evidence */
	uint32_t words = 0, lower = 0, long_lower = 0;
	for (uint32_t k = a; k <= b; k++) {
		uint32_t f = tcase(c, k);
		if (!is_word(&c->tv[k]) || !(f & (TI_CAP | TI_LOWER)))
			continue;
		words++;
		lower += (f & TI_LOWER) ? 1u : 0u;
		long_lower += !(f & TI_CAP) && c->tv[k].len >= 4 ? 1u : 0u;
	}
	int no_case = lower == 0 || (words >= 3 && long_lower == 0);
	for (uint32_t k = a; k <= b; k++)
		c->ti[k] |= (uint16_t)(TI_CAPSENT_DONE | (no_case ? TI_CAPSENT : 0));
}

/* Case of one word, from its letters (tokenizer flags are not relied on). */
static uint16_t word_case(const char *s, uint32_t len)
{
	uint32_t k = 0, letters = 0;
	while (k < len && s[k] >= 'a' && s[k] <= 'z')
		k++;
	if (k == len)
		return len ? TI_LOWER | TI_PLAIN : 0;
	k = 0;
	int first = 1, cap = 0, lower = 0;
	while (k < len) {
		UChar32 ch;
		unsigned char b = (unsigned char)s[k];
		int up, lo;
		if (b < 0x80) {
			k++;
			up = b >= 'A' && b <= 'Z';
			lo = b >= 'a' && b <= 'z';
		} else {
			ch = norm_utf8_next(s, &k, len);
			if (ch < 0)
				continue;
			up = u_isupper(ch) || u_istitle(ch);
			lo = u_islower(ch);
		}
		if (!up && !lo)
			continue;
		letters++;
		if (first)
			cap = up;
		first = 0;
		if (lo)
			lower = 1;
	}
	uint16_t f = 0;
	if (cap)
		f |= TI_CAP;
	if (cap && !lower && letters >= 2)
		f |= TI_UPPER;
	if (lower)
		f |= TI_LOWER;
	return f;
}

/* The normal form of token i, computed once. NULL only when out of memory. */
static const char *tnorm_slow(ctx *c, uint32_t i, uint32_t *len);

static inline const char *tnorm(ctx *c, uint32_t i, uint32_t *len)
{
	if (c->tc[i] & TC_NORM) {
		*len = c->nl[i];
		return c->np[i];
	}
	return tnorm_slow(c, i, len);
}

static SLOW_PATH const char *tnorm_slow(ctx *c, uint32_t i, uint32_t *len)
{
	const tok_token *t = &c->tv[i];
	const char *s = c->text + t->off;
	/* already in normal form: point into the text */
	int plain = t->type != TOK_ABBR && t->len <= 1024;
	if (plain && t->type == TOK_WORD && (t->flags & (TOKF_ASCII | TOKF_LOWER)) == (TOKF_ASCII | TOKF_LOWER) &&
	    !memchr(s, '`', t->len)) {
		c->np[i] = s;
		c->tc[i] |= TC_NORM;
		c->nl[i] = t->len;
		*len = t->len;
		return s;
	}
	if (plain && (t->flags & TOKF_CAP))
		plain = 0;
	for (uint32_t k = 0; plain && k < t->len; k++) {
		unsigned char ch = (unsigned char)s[k];
		plain = !(ch >= 0x80 || (ch >= 'A' && ch <= 'Z') || ch == '-' || ch == '`');
	}
	if (plain) {
		c->np[i] = s;
		c->tc[i] |= TC_NORM;
		c->nl[i] = t->len;
		*len = t->len;
		return s;
	}
	if (t->type == TOK_WORD && (t->flags & TOKF_ASCII) && c->nbuf_len - c->nbuf_used >= t->len) {
		/* an ASCII word: lower-cased into the record's buffer */
		char *p = c->nbuf + c->nbuf_used;
		uint32_t k = 0;
		for (; k < t->len; k++) {
			unsigned char ch = (unsigned char)s[k];
			if (ch == '-' || ch == '`')
				break;
			p[k] = (char)(ch >= 'A' && ch <= 'Z' ? ch + 32 : ch);
		}
		if (k == t->len) {
			c->nbuf_used += k;
			c->np[i] = p;
			c->tc[i] |= TC_NORM;
			c->nl[i] = k;
			*len = k;
			return p;
		}
	}
	uint32_t l = t->len > 1024 ? 1024 : t->len;
	if (c->nbuf_len - c->nbuf_used >= NORM_CAP(l)) {
		/* room for the longest form: written in place, no copy */
		char *q = c->nbuf + c->nbuf_used;
		uint32_t n = norm_token(s, l, t->type, q);
		c->nbuf_used += n;
		c->np[i] = q;
		c->tc[i] |= TC_NORM;
		c->nl[i] = n;
		*len = n;
		return q;
	}
	uint32_t n = norm_token(s, l, t->type, c->scratch);
	char *p = arena_alloc(c->a, n + 1);
	if (!p)
		return NULL;
	memcpy(p, c->scratch, n);
	c->np[i] = p;
	c->tc[i] |= TC_NORM;
	c->nl[i] = n;
	*len = n;
	return p;
}

static inline uint64_t ld64(const char *p)
{
	uint64_t v;
	memcpy(&v, p, 8);
	return v;
}

static inline uint32_t ld32(const char *p)
{
	uint32_t v;
	memcpy(&v, p, 4);
	return v;
}

/* a[0, len) == b[0, len); short keys without a call */
static inline int key_eq(const char *a, const char *b, uint32_t len)
{
	if (len >= 8 && len <= 16)
		return ld64(a) == ld64(b) && ld64(a + len - 8) == ld64(b + len - 8);
	if (len >= 4 && len < 8)
		return ld32(a) == ld32(b) && ld32(a + len - 4) == ld32(b + len - 4);
	if (len < 4) /* the first, middle and last byte are all of them */
		return len == 0 || (a[0] == b[0] && a[len / 2] == b[len / 2] && a[len - 1] == b[len - 1]);
	return memcmp(a, b, len) == 0;
}

static inline const gaz_slot *probe(const gaz_model *g, uint64_t h, const char *key, uint32_t len)
{
	uint32_t i = (uint32_t)h & g->mask, hi = (uint32_t)(h >> 32);
	for (;;) {
		const gaz_slot *s = &g->slots[i];
		if (s->key_len == 0)
			return NULL;
		if (s->hash_hi == hi && s->key_len == len && key_eq(g->pool + s->key_off, key, len))
			return s;
		i = (i + 1) & g->mask;
	}
}

/* Slot s's key goes on in a longer key. */
static inline int slot_more(const gaz_model *g, const gaz_slot *s)
{
	size_t k = (size_t)(s - g->slots);
	return !g->more || (g->more[k / 64] >> (k % 64) & 1);
}

static HOT_INLINE int bloom_has(const gaz_model *g, uint64_t h)
{
	uint32_t a = gaz_bloom_a(h, g->bloom_mask), b = gaz_bloom_b(h, g->bloom_mask);
	return (g->bloom[a / 64] >> (a % 64) & 1) && (g->bloom[b / 64] >> (b % 64) & 1);
}

static uint32_t tclass_slow(ctx *c, uint32_t i);

/* Classes of token i (WC_*, TC_BLOOM), computed once; 0 when out of memory. */
static inline uint32_t tclass(ctx *c, uint32_t i)
{
	if (c->tc[i] & TC_DONE)
		return c->tc[i];
	return tclass_slow(c, i);
}

/* Next token after j that is not a single line break, or nt. */
static uint32_t next_tok(const ctx *c, uint32_t j)
{
	j++;
	while (j < c->nt && c->tv[j].type == TOK_NL)
		j++;
	return j;
}

static uint32_t prev_tok(const ctx *c, uint32_t j)
{
	while (j > 0) {
		j--;
		if (c->tv[j].type != TOK_NL)
			return j;
	}
	return UINT32_MAX;
}

/* pair_miss when nextf lets the word by: GAZP decides. */
static SLOW_PATH int pair_miss_hash(const ctx *c, uint64_t h, uint32_t j)
{
	const gaz_model *g = c->g;
	const tok_token *t = &c->tv[j];
	/* a word (no spaces) or punctuation (no letters; a spaced ellipsis
	 * holds spaces) */
	if (!g->pairs || t->len == 0 || t->len > GAZ_PLAIN_MAX ||
	    !(t->type == TOK_WORD ? (t->flags & TOKF_ASCII) && c->nbuf_len - c->nbuf_used >= t->len
				  : t->type >= TOK_PUNCT_FIRST && t->type != TOK_ELLIPSIS))
		return 0;
	const unsigned char *w = (const unsigned char *)c->text + t->off, *pl = g->plain;
	uint64_t wh = NORM_HASH_INIT;
	unsigned bad = 0;
	for (uint32_t k = 0; k < t->len; k++) {
		unsigned lc = pl[w[k]];
		bad |= lc == 0;
		wh = (wh ^ lc) * 0x100000001b3ull;
	}
	if (bad)
		return 0;
	uint32_t a, b;
	gaz_pair_bits(h, wh, g->pairs_mask, &a, &b);
	return !(g->pairs[a / 64] >> (a % 64) & 1) || !(g->pairs[b / 64] >> (b % 64) & 1);
}

/* Token j surely does not extend a key of norm_hash h by one word: no
 * multi-word key has the shape nextf records for it, or it is a plain
 * ASCII word or punctuation (its normal form is its bytes lower cased,
 * one word) and GAZP does not hold the pair. False tells nothing. Cheaper
 * than the normal form, the key and the table probe it saves. */
static inline int pair_miss(const ctx *c, uint64_t h, uint32_t j)
{
	const gaz_model *g = c->g;
	const tok_token *t = &c->tv[j];
	/* an ASCII word or a one-byte punctuation mark: its normal form is
	 * one word as long as it (a word holds no '-'), its bytes lower cased
	 * and ` made ', so nextf tells at once when no key goes on with it */
	if (t->len && (t->type == TOK_WORD ? (t->flags & TOKF_ASCII) != 0
					   : t->len == 1 && t->type >= TOK_PUNCT_FIRST && t->type != TOK_ELLIPSIS)) {
		const unsigned char *w = (const unsigned char *)c->text + t->off;
		uint32_t b = gaz_next_bit(h, g->nfold[w[0]], g->nfold[w[t->len - 1]], t->len, g->nextf_mask);
		if (!(g->nextf[b / 64] >> (b % 64) & 1))
			return 1;
	}
	return pair_miss_hash(c, h, j);
}

/* Token j may extend a key of norm_hash h that ends before it, in token
 * i's sentence: false when it surely does not. */
static inline int may_extend(const ctx *c, uint32_t i, uint32_t j, uint64_t h)
{
	return j < c->nt && c->sid[j] == c->sid[i] && c->tv[j].type != TOK_PARA && !pair_miss(c, h, j);
}

/* Extends the key key[0, klen) (hash h), which ends with token i, over the
 * tokens that follow (when follow is set) and collects the candidates; s0,
 * when not NULL, is the key's slot, probed already; j1, when not
 * UINT32_MAX, is the next token, which may_extend let by already (s0 is
 * then given and goes on in a longer key). */
static int walk(ctx *c, uint32_t i, const char *first, uint32_t klen, uint64_t h, int follow,
		const gaz_slot *s0, uint32_t j1, cand *cv)
{
	uint32_t j = i, steps = 0, l;
	int n = 0;
	char key[GAZ_MAX_KEY_BYTES + 8];
	const char *kp = first; /* the key so far: first, then key once extended */
	for (;;) {
		const gaz_slot *s = s0 ? s0 : probe(c->g, h, kp, klen);
		s0 = NULL;
		if (!s)
			break;
		if (s->n_ent)
			cv[n++] = (cand){j, s};
		if (j1 != UINT32_MAX) {
			/* the caller checked the first step */
			steps++;
			j = j1;
			j1 = UINT32_MAX;
		} else {
			if (!follow || ++steps >= GAZ_MAX_PHRASE_TOKENS || n >= MAX_CANDS || !slot_more(c->g, s))
				break;
			j = next_tok(c, j);
			if (!may_extend(c, i, j, h))
				break;
		}
		const char *p = tnorm(c, j, &l);
		if (!p)
			return -1;
		if (l == 0 || klen + 1 + l > GAZ_MAX_KEY_BYTES)
			break;
		if (kp == first) {
			memcpy(key, first, klen);
			kp = key;
		}
		/* copied and hashed in one pass */
		key[klen] = ' ';
		h = (h ^ ' ') * 0x100000001b3ull;
		for (uint32_t k = 0; k < l; k++) {
			key[klen + 1 + k] = p[k];
			h = (h ^ (unsigned char)p[k]) * 0x100000001b3ull;
		}
		klen += l + 1;
	}
	return n;
}

/* Gazetteer phrases that start at token i, shortest first. Returns how many;
 * -1 when out of memory. Inlined into step, its main caller; find_cands
 * for the others. */
static HOT_INLINE int find_cands_at(ctx *c, uint32_t i, cand *cv)
{
	if (!tok_is_wordlike(c->tv[i].type))
		return 0;
	uint32_t cls = tclass(c, i);
	if (!cls)
		return -1;
	if (!(cls & TC_BLOOM))
		return 0;
	uint32_t l;
	const char *p = tnorm(c, i, &l);
	uint64_t h = c->th[i];
	/* the first word here: most phrases end or miss at once */
	const gaz_slot *s = probe(c->g, h, p, l);
	if (!s)
		return 0;
	/* one word, or a word no key goes on with here: most stop at once,
	 * without the walk */
	uint32_t j;
	if (!slot_more(c->g, s) || !may_extend(c, i, j = next_tok(c, i), h)) {
		cv[0] = (cand){i, s};
		return s->n_ent ? 1 : 0;
	}
	return walk(c, i, p, l, h, 1, s, j, cv);
}

static int find_cands(ctx *c, uint32_t i, cand *cv)
{
	return find_cands_at(c, i, cv);
}

/* ---- small word lists (capitalized forms that start no name) ---- */


static const char *const stop_words[] = {
	"the", "a", "an", "this", "that", "these", "those", "in", "on", "at", "by", "for", "from",
	"to", "of", "with", "as", "but", "and", "or", "if", "when", "while", "after", "before",
	"since", "it", "he", "she", "they", "we", "i", "you", "his", "her", "their", "our", "its",
	"my", "your", "there", "here", "what", "who", "why", "how", "where", "which", "also",
	"according", "meanwhile", "however", "despite", "during", "following", "between", "both",
	"some", "many", "last", "next", "read", "monday", "tuesday", "wednesday", "thursday",
	"friday", "saturday", "sunday", "january", "february", "march", "april", "june", "july",
	"august", "september", "october", "november", "december", "jan", "feb", "mar", "apr",
	"jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "day", "week", "year", "today",
	"yesterday", "tomorrow", "no", "not", "all", "more", "most", "one", "two", "new", "old",
	"than", "then", "so", "yet", "just", "only", "even", "every", "each", "other", "such",
	"photo", "file", "join", "us", "world", "news", "war", "victory", "state", "states",
	"original", "url", "advertising", "thank", "best", "wishes", "please", "yes", "said",
	"says", "is", "was", "are", "were", "will", "would", "can", "could", "should", "may",
	"might", "must", "do", "does", "did", "has", "have", "had", "be", "been", "being",
	"everyone", "everybody", "someone", "somebody", "nobody", "anyone", "none", "nothing",
	"update", "note", "breaking", "watch", "editor", "video", "related", "source", "sources",
	"correction", "advertisement", "caption", "transcript", "q", "another", "sen", "rep",
	"photos", "exclusive", "opinion", "analysis", "clarification", "disclaimer", "warning",
	"live", "audience", "announcer", "unidentified", "male", "female", "crowd", "end", "clip",
	"later", "earlier", "now", "still", "instead", "indeed", "thus", "perhaps", "maybe",
	"again", "already", "once", "first", "second", "third", "finally", "ultimately",
	"currently", "recently", "previously", "additionally", "similarly", "likewise",
	"nevertheless", "nonetheless", "moreover", "furthermore", "therefore", "hence", "asked",
	"dear", "hello", "thanks", "well", "oh", "yeah", "why", "because", "although", "though",
	"unlike", "like", "under", "over", "about", "against", "among", "through", "without",
	"within", "until", "upon", "whether", "either", "neither", "nor", "any", "few", "several",
	"much", "very", "too", "own", "same", "former", "late", "dr", "mr", "mrs", "ms", NULL};

static const char *const org_heads[] = {
	"party", "ministry", "agency", "council", "group", "committee", "commission",
	"institute", "university", "college", "corporation", "corp", "inc", "ltd", "llc",
	"plc", "company", "bank", "association", "organization", "organisation", "foundation",
	"journal", "times", "post", "army", "navy", "front", "movement", "league", "federation",
	"court", "department", "office", "service", "guard", "police", "network", "fund",
	"forces", "authority", "administration", "bureau", "board", "assembly", "parliament",
	"congress", "senate", "tribunal", "church", "club", "alliance", "coalition", "society",
	"centre", "center", "academy", "hospital", "school", "airlines", "airways", "motors",
	"industries", "holdings", "partners", "brigade", "battalion", "regiment", "command",
	"cabinet", "secretariat", "herald", "tribune", "telegraph", "gazette", "press",
	"broadcasting", "radio", "television", "institution", "trust", "commerce", "chamber",
	"caucus", "directorate", "unit", "squad", "fleet", "corps", "palace", "union", "workers",
	"employees", "circuit", NULL};

static const char *const loc_heads[] = {
	"square", "street", "avenue", "boulevard", "road", "river", "mountain", "mountains",
	"lake", "island", "islands", "sea", "ocean", "bay", "gulf", "valley", "peninsula",
	"strait", "canal", "bridge", "airport", "park", "province", "region", "oblast", "district",
	"county", "desert", "plateau", "heights", "coast", "basin", "cape", "harbor", "harbour",
	"tower", "towers", "plaza", "hall", "hotel", "stadium", "arena", "station", "building",
	"museum", "library", "theatre", "theater", "airbase", "base", "prison", NULL};

static const char *const org_suffixes[] = {"inc", "corp", "ltd", "llc", "plc", "co", "gmbh", "ag", "sa", NULL};

static const char *const connectors[] = {"of", "for", "on", "and", "&", "the", "de", "du", "der", NULL};

static const char *const prepositions[] = {"in", "from", "to", "at", "of", "near", "across", "into",
					   "toward", "towards", "visit", "visited", "via", NULL};

static const char *const report_verbs[] = {
	"said", "says", "say", "told", "tells", "added", "adds", "stated", "wrote", "writes",
	"asked", "explained", "noted", "claimed", "argued", "warned", "insisted", "replied",
	"announced", "tweeted", "posted", "testified", "recalled", "acknowledged", "admitted",
	"believes", "believed", "thinks", "thought", "praised", "commended", "denied",
	"continued", "responded", "countered", "suggested", "predicted", "urged", "vowed",
	"stressed", "emphasized", "conceded", "complained", "declared", "observed", NULL};


static HOT_INLINE uint32_t wc_find(const gaz_model *g, uint64_t h)
{
	uint64_t b = h >> 52 & (WC_BITS - 1);
	if (!(g->wc_bits[b / 64] >> (b % 64) & 1))
		return 0;
	for (uint32_t k = (uint32_t)h & (WC_SLOTS - 1);; k = (k + 1) & (WC_SLOTS - 1)) {
		if (g->wc[k].h == h)
			return g->wc[k].cls;
		if (g->wc[k].h == 0)
			return 0;
	}
}

static void wc_add(gaz_model *g, const char *const *list, uint32_t cls)
{
	for (; *list; list++) {
		size_t len = strlen(*list);
		for (uint32_t m = 1; m < WC_STOP << 13; m++)
			if ((m & cls) && len > g->wc_len[m])
				g->wc_len[m] = (uint8_t)len;
		g->wc_shape[len < 31 ? len : 31][(unsigned char)**list & 31] |= (uint16_t)cls;
		uint64_t h = norm_hash(NORM_HASH_INIT, *list, (uint32_t)len);
		uint64_t b = h >> 52 & (WC_BITS - 1);
		g->wc_bits[b / 64] |= 1ull << (b % 64);
		uint32_t k = (uint32_t)h & (WC_SLOTS - 1);
		while (g->wc[k].h != 0 && g->wc[k].h != h)
			k = (k + 1) & (WC_SLOTS - 1);
		g->wc[k].h = h;
		g->wc[k].cls |= cls;
	}
}

static void wc_build(gaz_model *g)
{
	wc_add(g, stop_words, WC_STOP);
	wc_add(g, org_heads, WC_ORGHEAD);
	wc_add(g, loc_heads, WC_LOCHEAD);
	wc_add(g, (const char *const[]){"von", "van", "der", "den", "de", "da", "di", "du", "la", "le", "bin",
					"ibn", "al", "el", "dos", "das", "del", "della", "ter", "ten", "zu", NULL},
	       WC_PARTICLE);
	wc_add(g, (const char *const[]){"mr", "sir", "lord", "king", "prince", "duke", "baron", "count",
					"father", "brother", "monsignor", "sheikh", "emir", "sultan", NULL},
	       WC_MALE);
	wc_add(g, (const char *const[]){"mrs", "ms", "miss", "madam", "madame", "lady", "queen", "princess",
					"duchess", "baroness", "dame", "sister", "mother", "countess", NULL},
	       WC_FEMALE);
	wc_add(g, org_suffixes, WC_ORGSUF);
	wc_add(g, connectors, WC_CONN);
	wc_add(g, prepositions, WC_PREP);
	wc_add(g, report_verbs, WC_REPORT);
	wc_add(g, (const char *const[]){"the", NULL}, WC_THE);
	wc_add(g, (const char *const[]){"a", "an", "the", NULL}, WC_ART);
	wc_add(g, (const char *const[]){"and", NULL}, WC_AND);
}

/* tclass_slow for an ASCII word (TOK_WORD, 1 to 1024 bytes) whose normal
 * form is not computed yet: the common case, with fewer branches; 0 when
 * the general path must take it (a ` or a byte norm_token changes, or no
 * room left in the record's buffer). */
static inline uint32_t tclass_ascii(ctx *c, uint32_t i, const tok_token *t)
{
	const unsigned char *w = (const unsigned char *)c->text + t->off;
	const uint32_t n = t->len;
	uint64_t hh = NORM_HASH_INIT;
	const char *p;
	if (t->flags & TOKF_LOWER) {
		/* lower case already: its own normal form unless a ` is in it */
		if (c->ti[i] & TI_TH) {
			hh = c->th[i];
		} else {
			unsigned tick = 0;
			for (uint32_t k = 0; k < n; k++) {
				tick |= w[k] == '`';
				hh = (hh ^ w[k]) * 0x100000001b3ull;
			}
			if (tick)
				return 0;
		}
		p = (const char *)w;
	} else {
		/* lower-cased and hashed in one pass into the record's buffer */
		if (c->nbuf_len - c->nbuf_used < n)
			return 0;
		unsigned char *q = (unsigned char *)c->nbuf + c->nbuf_used;
		const uint16_t *low = c->g->lower16;
		unsigned bad = 0;
		for (uint32_t k = 0; k < n; k++) {
			unsigned lc = low[w[k]];
			bad |= lc;
			q[k] = (unsigned char)lc;
			hh = (hh ^ lc) * 0x100000001b3ull;
		}
		if (bad & 0x100)
			return 0;
		p = (const char *)q;
		c->nbuf_used += n;
	}
	c->np[i] = p;
	c->nl[i] = n;
	c->th[i] = hh;
	uint32_t cls = TC_DONE | wc_find(c->g, hh);
	if (n <= GAZ_MAX_KEY_BYTES &&
	    (is_cap(c, i) ? !(cls & WC_STOP) || bloom_has(c->g, hh) : lowset_has(c->g, hh)))
		cls |= TC_BLOOM;
	c->tc[i] = (uint16_t)(cls | TC_NORM);
	return cls;
}

static SLOW_PATH uint32_t tclass_general(ctx *c, uint32_t i);

static SLOW_PATH uint32_t tclass_slow(ctx *c, uint32_t i)
{
	const tok_token *t = &c->tv[i];
	if (t->type == TOK_WORD && (t->flags & TOKF_ASCII) && t->len && t->len <= 1024 && !(c->tc[i] & TC_NORM)) {
		uint32_t cls = tclass_ascii(c, i, t);
		if (cls)
			return cls;
	}
	return tclass_general(c, i);
}

/* tclass_slow for any token. */
static SLOW_PATH uint32_t tclass_general(ctx *c, uint32_t i)
{
	uint32_t cls = TC_DONE;
	const tok_token *t = &c->tv[i];
	if (tok_is_wordlike(t->type)) {
		uint32_t l = 0;
		const char *p = NULL;
		uint64_t h = NORM_HASH_INIT;
		if (!(c->tc[i] & TC_NORM) && t->type == TOK_WORD &&
		    (t->flags & (TOKF_ASCII | TOKF_LOWER)) == (TOKF_ASCII | TOKF_LOWER) && t->len <= 1024) {
			/* lower case already (tnorm's first case): its own normal
			 * form unless a ` is in it */
			const unsigned char *w = (const unsigned char *)c->text + t->off;
			uint64_t hh = NORM_HASH_INIT;
			unsigned tick = 0;
			for (uint32_t k = 0; k < t->len; k++) {
				tick |= w[k] == '`';
				hh = (hh ^ w[k]) * 0x100000001b3ull;
			}
			if (!tick) {
				h = hh;
				p = (const char *)w;
				l = t->len;
				c->np[i] = p;
				c->tc[i] |= TC_NORM;
				c->nl[i] = l;
			}
		} else if (!(c->tc[i] & TC_NORM) && t->type == TOK_WORD && (t->flags & TOKF_ASCII) && t->len <= 1024 &&
			   c->nbuf_len - c->nbuf_used >= t->len) {
			/* an ASCII word (tnorm's case): lower-cased and hashed in
			 * one pass into the record's buffer */
			const unsigned char *w = (const unsigned char *)c->text + t->off;
			unsigned char *q = (unsigned char *)c->nbuf + c->nbuf_used;
			const uint32_t n = t->len;
			unsigned bad = 0;
			uint64_t hh = NORM_HASH_INIT;
			const uint16_t *low = c->g->lower16;
			for (uint32_t k = 0; k < n; k++) {
				unsigned lc = low[w[k]];
				bad |= lc;
				q[k] = (unsigned char)lc;
				hh = (hh ^ lc) * 0x100000001b3ull;
			}
			if (!(bad & 0x100)) {
				h = hh;
				p = (const char *)q;
				l = n;
				c->nbuf_used += n;
				c->np[i] = p;
				c->tc[i] |= TC_NORM;
				c->nl[i] = l;
			} else {
				h = NORM_HASH_INIT;
			}
		}
		if (!p) {
			p = tnorm(c, i, &l);
			if (!p)
				return 0;
			h = norm_hash(NORM_HASH_INIT, p, l);
		}
		c->th[i] = h;
		cls |= wc_find(c->g, h);
		/* a lower-case word can only start a key written in lower case; a
		 * capitalized word usually starts one (names), so the table is
		 * probed at once: the filter would cost a cache miss of its own */
		if (l && l <= GAZ_MAX_KEY_BYTES &&
		    (is_cap(c, i) || c->tv[i].type == TOK_NUM ? !(cls & WC_STOP) || bloom_has(c->g, h)
							       : lowset_has(c->g, h)))
			cls |= TC_BLOOM; /* a capitalized stop word ("He", "But") asks the filter */
	}
	c->tc[i] = (uint16_t)(cls | (c->tc[i] & TC_NORM));
	return cls;
}

/* tok_is for a token not classified yet. An ASCII word is as long as its
 * normal form and starts with the same letter: one longer than every word
 * of the lists, or of a length and first letter no word of them has, is in
 * none, and need not be classified. */
static SLOW_PATH int tok_is_slow(ctx *c, uint32_t i, uint32_t cls)
{
	const tok_token *t = &c->tv[i];
	if (t->type == TOK_WORD && (t->flags & TOKF_ASCII) && t->len &&
	    (t->len > c->g->wc_len[cls] ||
	     !(c->g->wc_shape[t->len < 31 ? t->len : 31][c->g->nfold[(unsigned char)c->text[t->off]] & 31] & cls)))
		return 0;
	return (tclass_slow(c, i) & cls) != 0;
}

/* Token i is a word of one of the lists cls (WC_* bits). */
static inline int tok_is(ctx *c, uint32_t i, uint32_t cls)
{
	/* i may be nt (what next_tok returns at the end): tc[nt] is TC_DONE
	 * with no class */
	if (c->tc[i] & TC_DONE)
		return (c->tc[i] & cls) != 0;
	return tok_is_slow(c, i, cls);
}

static int is_stop(ctx *c, uint32_t i)
{
	return tok_is(c, i, WC_STOP);
}

/* ---- entries and evidence ---- */

static const gaz_entry *slot_ent(const ctx *c, const gaz_slot *s, uint32_t k)
{
	return &c->g->ents[s->ent_first + k];
}

static int preceded_by_title(ctx *c, uint32_t i);

/* The case of tokens i..j agrees with the entry and evidence supports it. */
static int accept(ctx *c, uint32_t i, uint32_t j, const gaz_entry *e)
{
	const tok_token *t = &c->tv[i];
	if (e->flags & GAZE_ACRONYM) {
		/* British style writes long acronyms as words: "Nato", "Unicef" */
		if (i == j && t->len >= 4 && is_cap(c, i) && !is_upper(c, i) && !(c->ti[i] & TI_SSTART) &&
		    !in_caps_sentence(c, i) && !(e->flags & GAZE_WEAK))
			return 1;
		for (uint32_t k = i; k <= j; k++)
			if (is_word(&c->tv[k]) && !is_upper(c, k) && (tcase(c, k) & TI_LOWER))
				return 0;
		return 1;
	}
	if (e->flags & GAZE_LOWER)
		return 1;
	if (!is_cap(c, i) && t->type != TOK_NUM)
		return 0;
	int upper = is_upper(c, i);
	/* a one-word entry that is a common word of names ("Foundation",
	 * "Square") is as weak as a listed weak one */
	if (!(e->flags & GAZE_WEAK) &&
	    !(i == j && (e->okind == GAZO_NONE || e->okind == GAZO_COMPANY || e->okind == GAZO_PARTY) &&
	      tok_is(c, i, WC_STOP | WC_ORGHEAD | WC_LOCHEAD)))
		return 1; /* ("Congress", "The Times": bodies and outlets are what they say) */
	/* weak: a capital that means something, or context; not a word of a
	 * longer unknown name ("Van Voorhis", "Gold Star") */
	if (i == j && e->kind != GAZ_PER) {
		uint32_t p = prev_tok(c, i), nx = next_tok(c, j);
		if ((nx < c->nt && c->sid[nx] == c->sid[i] && is_cap(c, nx) && !is_stop(c, nx)) ||
		    (p != UINT32_MAX && !(c->ti[i] & TI_SSTART) && is_cap(c, p) && !is_stop(c, p) &&
		     !(c->ti[p] & TI_USED)))
			return 0;
	}
	if (i == j) {
		/* nor of an address or a number ("131 West 23rd Street") */
		uint32_t p = prev_tok(c, i), nx = next_tok(c, j);
		if ((nx < c->nt && c->tv[nx].type == TOK_NUM) || (p != UINT32_MAX && c->tv[p].type == TOK_NUM))
			return 0;
	}
	if (!upper && !(c->ti[i] & TI_SSTART) && !in_caps_sentence(c, i))
		return 1;
	uint32_t p = prev_tok(c, i);
	if (e->kind == GAZ_PER) {
		uint32_t nx = next_tok(c, j);
		/* "Putin said", "Obama's", "WALLACE:" opening a transcript line */
		if (tok_is(c, nx, WC_REPORT) || (nx < c->nt && c->tv[nx].type == TOK_POSS))
			return 1;
		if (upper && (t->flags & TOKF_LINE) && nx < c->nt && c->tv[nx].type == TOK_COLON)
			return 1;
		if (p != UINT32_MAX && preceded_by_title(c, i))
			return 1;
	}
	if (upper || in_caps_sentence(c, i))
		return 0;
	if (!(c->ti[i] & TI_SSTART))
		return 1;
	return p != UINT32_MAX && tok_is(c, p, WC_PREP);
}

/* GAZK of slot s: which kinds its entries have. */
static inline uint32_t slot_kinds(const ctx *c, const gaz_slot *s)
{
	return c->g->kinds[s - c->g->slots];
}

/* The slot also lists the word as a first name marked weak (a common word). */
static int weak_first(const ctx *c, const gaz_slot *s)
{
	return (slot_kinds(c, s) & GAZK_WEAK_FIRST) != 0;
}

/* The slot has a TITLE or ROLE entry. */
static inline int has_title(const ctx *c, const gaz_slot *s)
{
	return (slot_kinds(c, s) & (1u << GAZK_TITLE | 1u << GAZK_ROLE)) != 0;
}

/* A surname that several listed people share: a person, no id. */
static const gaz_entry amb_surname = {.kind = GAZ_PER, .flags = GAZE_WEAK | GAZE_SURNAME};

/* The best entity entry (PER..MISC) of slot s for tokens i..j, or NULL. */
static const gaz_entry *best_entity(ctx *c, uint32_t i, uint32_t j, const gaz_slot *s)
{
	const gaz_entry *best = NULL;
	if (!(slot_kinds(c, s) & ((1u << GAZ_TYPE_COUNT) - (1u << GAZ_PER))))
		return NULL; /* no entity entry */
	/* accept() depends on kind, flags and okind only: entries alike (the
	 * surnames of one family) are judged once */
	uint32_t last_key = UINT32_MAX;
	int last_ok = 0, surname_ok = -1;
	for (uint32_t k = 0; k < s->n_ent; k++) {
		const gaz_entry *e = slot_ent(c, s, k);
		if (e->kind < GAZ_PER || e->kind >= GAZ_TYPE_COUNT)
			continue;
		uint32_t key = (uint32_t)e->kind | (uint32_t)e->okind << 8 | (uint32_t)e->flags << 16;
		if (key != last_key) {
			last_key = key;
			last_ok = accept(c, i, j, e);
		}
		if (!last_ok)
			continue;
		if (e->flags & GAZE_SURNAME) {
			if (surname_ok < 0)
				surname_ok = !tok_is(c, i, WC_STOP) && !weak_first(c, s);
			if (!surname_ok)
				continue; /* "January", "Court": words first, surnames second */
		}
		if (!best) {
			best = e;
			continue;
		}
		int bw = best->flags & GAZE_WEAK, ew = e->flags & GAZE_WEAK;
		if ((best->flags & GAZE_SURNAME) && (e->flags & GAZE_SURNAME) &&
		    (best->id_off != e->id_off || best == &amb_surname)) {
			best = &amb_surname; /* two people of this surname: no id */
			continue;
		}
		if ((bw && !ew) || (bw == ew && e->rank > best->rank))
			best = e;
		else if (bw == ew && e->rank == best->rank && e->kind == GAZ_ORG && best->kind == GAZ_NORP &&
			 tok_is(c, j, WC_ORGHEAD))
			best = e; /* "Conservative Party": the party, not its members */
	}
	return best;
}

static HOT_INLINE const gaz_entry *find_kind(ctx *c, const gaz_slot *s, uint8_t kind)
{
	const gaz_entry *best = NULL;
	if (!(slot_kinds(c, s) >> kind & 1))
		return NULL;
	for (uint32_t k = 0; k < s->n_ent; k++) {
		const gaz_entry *e = slot_ent(c, s, k);
		if (e->kind == kind && (!best || e->rank > best->rank))
			best = e;
	}
	return best;
}

/* The role holder at the record's date, else the latest one. */
static const gaz_entry *role_holder(ctx *c, const gaz_slot *s)
{
	const gaz_entry *best = NULL;
	for (uint32_t k = 0; k < s->n_ent; k++) {
		const gaz_entry *e = slot_ent(c, s, k);
		if (e->kind != GAZK_ROLE)
			continue;
		if (c->date && (e->start > c->date || e->end < c->date))
			continue;
		if (!best || e->start > best->start)
			best = e;
	}
	if (!best && c->date)
		for (uint32_t k = 0; k < s->n_ent; k++) {
			const gaz_entry *e = slot_ent(c, s, k);
			if (e->kind == GAZK_ROLE && e->start <= c->date && (!best || e->start > best->start))
				best = e;
		}
	return best;
}

/* Longest TITLE or ROLE phrase starting at i: its last token, or UINT32_MAX. */
static uint32_t title_at(ctx *c, const cand *cv, int nc, const gaz_slot **slot)
{
	for (int k = nc - 1; k >= 0; k--)
		if (has_title(c, cv[k].s)) {
			*slot = cv[k].s;
			return cv[k].end;
		}
	return UINT32_MAX;
}

/* True when a TITLE or ROLE phrase ends right before token i. */
static int preceded_by_title(ctx *c, uint32_t i)
{
	uint32_t p = i;
	for (int back = 0; back < 3; back++) {
		p = prev_tok(c, p);
		if (p == UINT32_MAX || c->sid[p] != c->sid[i])
			return 0;
		cand cv[MAX_CANDS];
		int nc = find_cands(c, p, cv);
		for (int k = 0; k < nc; k++)
			if (next_tok(c, cv[k].end) == i &&
			    has_title(c, cv[k].s))
				return 1;
	}
	return 0;
}

/* ---- emitting ---- */

static err emit(ctx *c, uint32_t i, uint32_t j, uint8_t type, uint16_t flags, const gaz_entry *e)
{
	if (c->n == c->cap) {
		uint32_t nc = c->cap ? c->cap * 2 : 64;
		gaz_mention *v = arena_realloc(c->a, c->out, (size_t)c->cap * sizeof *v, (size_t)nc * sizeof *v);
		if (!v)
			return arena_over_cap(c->a, (size_t)nc * sizeof *v) ? ERR_LIMIT : ERR_NOMEM;
		c->out = v;
		c->cap = nc;
	}
	assert(i <= j && j < c->nt);
	gaz_mention *m = &c->out[c->n];
	m->first = i;
	m->n = j - i + 1;
	m->off = c->tv[i].off;
	m->len = c->tv[j].off + c->tv[j].len - m->off;
	m->type = type;
	m->pad = 0;
	m->flags = flags;
	m->ref = -1;
	if (e && e->id_len) {
		m->id = c->g->pool + e->id_off;
		m->id_len = e->id_len;
	} else {
		m->id = NULL;
		m->id_len = 0;
	}
	if (e && e->name_len) {
		m->name = c->g->pool + e->name_off;
		m->name_len = e->name_len;
	} else {
		m->name = c->text + m->off;
		m->name_len = m->len;
	}
	if (e) {
		if (e->id_len)
			m->flags |= GAZF_KNOWN;
		if (e->flags & GAZE_MALE)
			m->flags |= GAZF_MALE;
		if (e->flags & GAZE_FEMALE)
			m->flags |= GAZF_FEMALE;
		if (e->flags & GAZE_PLURAL)
			m->flags |= GAZF_PLURAL;
	}
	for (uint32_t k = i; k <= j; k++)
		c->ti[k] |= TI_USED;
	c->n++;
	/* remember multi-word persons for coreference by name */
	if (type == GAZ_PER && !(flags & (GAZF_ROLE | GAZF_COREF))) {
		uint32_t words = 0;
		for (uint32_t k = i; k <= j; k++)
			words += is_word(&c->tv[k]) ? 1u : 0u;
		if (words >= 2) {
			/* a first name alone ("Roman") does not name an unknown person */
			uint8_t ends_ok = 2;
			if (e) {
				ends_ok |= 1;
			} else {
				cand cv[MAX_CANDS];
				int nc = find_cands(c, i, cv);
				if (nc < 0)
					return ERR_NOMEM;
				int first = 0;
				for (int k = 0; k < nc; k++)
					first |= cv[k].end == i && find_kind(c, cv[k].s, GAZK_FIRST);
				if (!first)
					ends_ok |= 1;
			}
			uint32_t slot = c->nfull % FULL_RING, ends[2] = {i, j};
			c->full[slot] = c->n - 1;
			c->nfull++;
			for (int q = 0; q < 2; q++) {
				c->fullh[slot][q] = 0;
				if (!(ends_ok >> q & 1) || !tok_is_wordlike(c->tv[ends[q]].type))
					continue;
				if (!tclass(c, ends[q]))
					return ERR_NOMEM;
				uint64_t h = c->th[ends[q]];
				c->fullh[slot][q] = h;
				c->partbits[(h >> 6) & 15] |= 1ull << (h & 63);
			}
		}
	}
	return ERR_OK;
}

/* R1: the latest earlier multi-word person whose first or last word is the
 * word at i; index into out or -1. */
static SLOW_PATH int32_t coref_scan(ctx *c, uint32_t i, uint64_t h);

static inline int32_t coref_person(ctx *c, uint32_t i)
{
	/* no person yet, or none with this word: most calls stop here */
	if (!c->nfull || !tclass(c, i))
		return -1;
	uint64_t h = c->th[i];
	if (!(c->partbits[(h >> 6) & 15] >> (h & 63) & 1))
		return -1;
	return coref_scan(c, i, h);
}

/* coref_person past its filter: the persons, latest first. */
static SLOW_PATH int32_t coref_scan(ctx *c, uint32_t i, uint64_t h)
{
	uint32_t l;
	const char *p = tnorm(c, i, &l);
	if (!p || l < 2)
		return -1;
	uint32_t lo = c->nfull > FULL_RING ? c->nfull - FULL_RING : 0;
	for (uint32_t k = c->nfull; k-- > lo;) {
		for (int q = 0; q < 2; q++) {
			if (c->fullh[k % FULL_RING][q] != h)
				continue;
			uint32_t mi = c->full[k % FULL_RING];
			const gaz_mention *m = &c->out[mi];
			uint32_t ml;
			const char *mp = tnorm(c, q ? m->first + m->n - 1 : m->first, &ml);
			if (mp && ml == l && memcmp(mp, p, l) == 0)
				return (int32_t)mi;
		}
	}
	return -1;
}

/* Emits tokens [i, j] as a mention of type that carries the id and name
 * of the earlier mention ref (flag GAZF_COREF). */
static err emit_as(ctx *c, uint32_t i, uint32_t j, uint8_t type, int32_t ref)
{
	gaz_mention r = c->out[ref]; /* emit may move c->out */
	err e = emit(c, i, j, type, GAZF_COREF, NULL);
	if (e)
		return e;
	gaz_mention *m = &c->out[c->n - 1];
	m->id = r.id;
	m->id_len = r.id_len;
	m->name = r.name;
	m->name_len = r.name_len;
	m->ref = ref;
	return ERR_OK;
}

static err emit_coref(ctx *c, uint32_t i, uint32_t j, int32_t ref)
{
	uint16_t known = (uint16_t)(c->out[ref].flags & (GAZF_KNOWN | GAZF_MALE | GAZF_FEMALE));
	err e = emit_as(c, i, j, GAZ_PER, ref);
	if (e)
		return e;
	c->out[c->n - 1].flags |= known;
	return ERR_OK;
}

/* A capitalized word that may be part of a name (not a stop word). */
static HOT_INLINE int name_word(ctx *c, uint32_t i)
{
	return is_cap(c, i) && !tok_is(c, i, WC_STOP | WC_ORGHEAD | WC_LOCHEAD);
}

/* The end of a name of up to max words starting at i (UINT32_MAX: none). */
/* "al-Assad", "bin-Salman": a particle joined to a capitalized name. */
static int particle_word(ctx *c, uint32_t j)
{
	const tok_token *t = &c->tv[j];
	if (t->type != TOK_HYPHWORD)
		return 0;
	const char *s = c->text + t->off, *h = memchr(s, '-', t->len);
	if (!h || h - s > 3 || h + 1 >= s + t->len || !(h[1] >= 'A' && h[1] <= 'Z'))
		return 0;
	size_t pl = (size_t)(h - s);
	return (pl == 2 && (memcmp(s, "al", 2) == 0 || memcmp(s, "el", 2) == 0 || memcmp(s, "ad", 2) == 0 ||
			    memcmp(s, "as", 2) == 0 || memcmp(s, "an", 2) == 0)) ||
	       (pl == 3 && (memcmp(s, "bin", 3) == 0 || memcmp(s, "ibn", 3) == 0));
}

/* An initial: one capital letter glued to a period ("J." in "Mary J. Blige"). */
static HOT_INLINE int initial_at(const ctx *c, uint32_t j)
{
	return j + 1 < c->nt && c->tv[j].len == 1 && (c->ti[j] & TI_CAP) && c->tv[j + 1].type == TOK_PERIOD &&
	       c->tv[j + 1].off == c->tv[j].off + 1;
}

/* The end of a name of up to max words starting at i (UINT32_MAX: none);
 * initials inside it do not count as words. */
static uint32_t name_chain(ctx *c, uint32_t i, uint32_t max)
{
	if (!name_word(c, i))
		return UINT32_MAX;
	uint32_t end = i, words = 1, j = next_tok(c, i);
	while (words < max && j < c->nt && c->sid[j] == c->sid[i]) {
		if (initial_at(c, j)) {
			uint32_t k = next_tok(c, j + 1);
			if (k < c->nt && c->sid[k] == c->sid[i] && name_word(c, k) && !initial_at(c, k)) {
				end = k;
				words++;
				j = next_tok(c, k);
				continue;
			}
			break;
		}
		if (tok_is(c, j, WC_PARTICLE)) {
			/* "Ursula von der Leyen", "Ludwig van Beethoven" */
			uint32_t k = next_tok(c, j);
			if (k < c->nt && tok_is(c, k, WC_PARTICLE))
				k = next_tok(c, k);
			if (k < c->nt && c->sid[k] == c->sid[i] && name_word(c, k)) {
				end = k;
				words++;
				j = next_tok(c, k);
				continue;
			}
			break;
		}
		if (!name_word(c, j) && !particle_word(c, j))
			break;
		end = j;
		words++;
		j = next_tok(c, j);
	}
	return end;
}

/* R2: end of an organization-shaped chain starting at i, or UINT32_MAX. */
static uint32_t org_shape(ctx *c, uint32_t i, uint8_t *type)
{
	*type = GAZ_ORG;
	if (!is_cap(c, i) || is_stop(c, i))
		return UINT32_MAX;
	uint32_t j = i, end = UINT32_MAX, words = 0, last_word = i;
	int head_before_conn = 0;
	while (j < c->nt && c->sid[j] == c->sid[i] && words < 8) {
		const tok_token *t = &c->tv[j];
		if (is_cap(c, j) && !(j != i && is_stop(c, j) && !tok_is(c, j, WC_CONN))) {
			words++;
			last_word = j;
			if (words >= 2 && tok_is(c, j, WC_ORGHEAD | WC_ORGSUF)) {
				end = j;
				*type = GAZ_ORG;
			} else if (words >= 2 && tok_is(c, j, WC_LOCHEAD)) {
				end = j;
				*type = GAZ_LOC;
			}
			if (head_before_conn && words >= 2)
				end = j;
		} else if (words >= 1 && tok_is(c, j, WC_CONN) && !tok_is(c, j, WC_AND | WC_THE)) {
			uint32_t nx = next_tok(c, j);
			if (!is_cap(c, nx))
				break;
			if (tok_is(c, last_word, WC_ORGHEAD))
				head_before_conn = 1;
			else if (tok_is(c, last_word, WC_LOCHEAD) && words == 1) {
				head_before_conn = 1; /* "Gulf of Mexico" */
				*type = GAZ_LOC;
			}
		} else if (t->type == TOK_PERIOD && j == last_word + 1 && tok_is(c, last_word, WC_ORGSUF)) {
			end = j;
			break;
		} else {
			break;
		}
		j = next_tok(c, j);
	}
	return end;
}

static int is_comma(const ctx *c, uint32_t i)
{
	return i < c->nt && c->tv[i].type == TOK_COMMA;
}

/* R7: after a name, ", a 55-year-old ..." or ", the spokesman ..." */
static int appositive_after(ctx *c, uint32_t end)
{
	uint32_t j = next_tok(c, end);
	if (!is_comma(c, j))
		return 0;
	j = next_tok(c, j);
	if (!tok_is(c, j, WC_ART))
		return 0;
	for (int k = 0; k < 5; k++) {
		j = next_tok(c, j);
		if (j >= c->nt || tok_is_punct(c->tv[j].type))
			return 0;
		uint32_t l;
		const char *p = tnorm(c, j, &l);
		if (!p)
			return 0;
		if (l >= 8 && memcmp(p + l - 8, "year old", 8) == 0)
			return 1;
		cand cv[MAX_CANDS];
		int nc = find_cands(c, j, cv);
		for (int q = 0; q < nc; q++)
			if (find_kind(c, cv[q].s, GAZK_TITLE))
				return 1;
	}
	return 0;
}

static int verb_after(ctx *c, uint32_t end)
{
	uint32_t j = next_tok(c, end);
	if (is_comma(c, j)) /* "X, who ..., said" is left to the quote stage */
		return 0;
	return tok_is(c, j, WC_REPORT);
}

/* ---- the tagger ---- */

static uint32_t parse_ymd(const char *d, uint32_t len)
{
	if (!d || len < 10)
		return 0;
	uint32_t v = 0;
	for (int k = 0; k < 10; k++) {
		if (k == 4 || k == 7) {
			if (d[k] != '-')
				return 0;
			continue;
		}
		if (d[k] < '0' || d[k] > '9')
			return 0;
		v = v * 10 + (uint32_t)(d[k] - '0');
	}
	return v;
}

/* Lower-case word i (ASCII or TI_PLAIN, TOK_WORD, a-z first) starts no
 * key written in lower case: its lowkey bit is clear. */
static inline int lowkey_clear(const ctx *c, uint32_t i)
{
	const tok_token *tk = &c->tv[i];
	uint32_t b = lowkey_bit((const unsigned char *)c->text + tk->off, tk->len);
	return !(c->g->lowkey[b / 64] >> (b % 64) & 1);
}

/* Word-like token i starts no gazetteer key: a lower-case word (ASCII,
 * or TI_PLAIN) that lowkey dismisses. Its case is known. */
static inline int todo_skip(const ctx *c, uint32_t i)
{
	const tok_token *tk = &c->tv[i];
	if (tk->len == 0)
		return 1;
	unsigned char b0 = (unsigned char)c->text[tk->off];
	/* lower case throughout: lowkey is over normal forms ("thE" is not
	 * one, and is left to find_cands) */
	return tk->type == TOK_WORD && b0 >= 'a' && b0 <= 'z' &&
	       ((tk->flags & (TOKF_ASCII | TOKF_LOWER)) == (TOKF_ASCII | TOKF_LOWER) || (c->ti[i] & TI_PLAIN)) &&
	       lowkey_clear(c, i);
}

/* Puts word-like token i on the todo list unless todo_skip says it starts
 * no key. */
static void todo_add(ctx *c, uint32_t i)
{
	if (tok_is_wordlike(c->tv[i].type) && !todo_skip(c, i))
		c->todo[c->ntodo++] = i;
}

/* type | flags << 16 of token t: one load where the layout allows (as
 * tok.c stores them) */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
_Static_assert(offsetof(tok_token, pad) == offsetof(tok_token, type) + 1 &&
		       offsetof(tok_token, flags) == offsetof(tok_token, type) + 2,
	       "type, pad and flags make 4 bytes");
static inline uint32_t tok_tf(const tok_token *t)
{
	uint32_t tf;
	memcpy(&tf, &t->type, 4);
	return tf & 0xffff00ffu;
}
#else
static inline uint32_t tok_tf(const tok_token *t)
{
	return (uint32_t)t->type | (uint32_t)t->flags << 16;
}
#endif

/* One pass over the tokens: sentence ids (tokens outside any sentence get
 * ids of their own so that phrases stop there), sentence starts, case,
 * capital sentences, and the todo list. Every token's ti and tc are
 * written here first. */
static SLOW_PATH void mark_sentences(ctx *c, const sent_list *s)
{
	const uint32_t nt = c->nt;
	const tok_token *tv = c->tv;
	uint16_t *ti = c->ti, *tc = c->tc;
	uint32_t *sid = c->sid;
	memset(tc, 0, (size_t)nt * sizeof *tc);
	if (s && s->n) {
		const char *text = c->text;
		const uint64_t *lowkey = c->g->lowkey;
		uint32_t i = 0;
		for (uint32_t k = 0; k <= s->n; k++) {
			uint32_t f = k < s->n ? s->v[k].first : nt, e = k < s->n ? f + s->v[k].n : nt;
			if (f < i || e > nt || e < f)
				continue;
			for (; i < f; i++) {
				sid[i] = s->n + i;
				ti[i] = 0;
				if (!tok_is_wordlike(tv[i].type))
					tc[i] = TC_DONE;
				(void)tcase(c, i);
				todo_add(c, i);
			}
			/* words with a letter, those with a lower-case one, those of
			 * four bytes or more without a capital (nonzero; the
			 * lower-case words of the fast paths are looked at after the
			 * loop, only when it matters); other: the tokens of neither
			 * lower-case path, which count all the others as words with
			 * a lower-case letter */
			uint32_t words = 0, lower = 0, long_lower = 0, other = 0;
			uint32_t *todo = c->todo, ntodo = c->ntodo;
			for (; i < e; i++) {
				sid[i] = k;
				const tok_token *tk = &tv[i];
				uint32_t tf = tok_tf(tk), ty = tf & 0xff, fl = tf >> 16, len = tk->len;
				if (LIKELY((tf & (0xffu | (uint32_t)(TOKF_LOWER | TOKF_CAP | TOKF_UPPER | TOKF_ASCII) << 16)) ==
					   (uint32_t)(TOKF_LOWER | TOKF_ASCII) << 16)) {
					/* the common case, a lower-case ASCII word, straight
					 * from the tokenizer's flags: most words stop at their
					 * lowkey bit, whatever their first byte ("'em", "3d") */
					ti[i] = TI_CASED | TI_LOWER;
					const unsigned char *w = (const unsigned char *)text + tk->off;
					/* (an empty word, which the tokenizer never makes, may
					 * go on the list: step finds nothing there) */
					uint32_t b = lowkey_bit(w, len);
					if (!(lowkey[b / 64] >> (b % 64) & 1))
						continue;
					todo[ntodo++] = i;
					continue;
				}
				if (ty <= TOK_ABBR && (fl & (TOKF_LOWER | TOKF_CAP | TOKF_UPPER)) == TOKF_LOWER) {
					/* the same, not ASCII or not a plain word */
					ti[i] = TI_CASED | TI_LOWER;
					if (len != 0)
						todo[ntodo++] = i;
					continue;
				}
				other++;
				if ((tf & (0xffu | (uint32_t)(TOKF_LOWER | TOKF_CAP | TOKF_UPPER | TOKF_ASCII) << 16)) ==
				    (uint32_t)(TOKF_CAP | TOKF_ASCII) << 16) {
					/* a capitalized ASCII word ("Putin"): what tcase and
					 * todo_skip say of it, straight */
					ti[i] = TI_CASED | TI_CAP | TI_LOWER;
					words++;
					lower++;
					if (len != 0)
						todo[ntodo++] = i;
					continue;
				}
				if (ty >= TOK_PUNCT_FIRST) {
					/* no case and no classes: tclass need not be called */
					tc[i] = TC_DONE;
					ti[i] = 0;
					continue;
				}
				/* a token that is not word-like has no classes: tclass need
				 * not be called for it */
				if (ty > TOK_EMAIL)
					tc[i] = TC_DONE;
				ti[i] = 0;
				if (ty <= TOK_ABBR) {
					uint32_t cf = tcase(c, i);
					if (ty != TOK_NUM && (cf & (TI_CAP | TI_LOWER))) {
						words++;
						lower += (cf & TI_LOWER) ? 1u : 0u;
						long_lower += !(cf & TI_CAP) && tk->len >= 4 ? 1u : 0u;
					}
					if (!todo_skip(c, i))
						todo[ntodo++] = i;
				} else if (ty <= TOK_EMAIL) {
					if (!todo_skip(c, i))
						todo[ntodo++] = i;
				}
			}
			c->ntodo = ntodo;
			/* the first word or number starts the sentence, if a word */
			for (uint32_t q = f; q < e; q++) {
				uint32_t ty = tv[q].type;
				if (ty <= TOK_NUM) {
					if (ty != TOK_NUM)
						ti[q] |= TI_SSTART;
					break;
				}
			}
			uint32_t fast = e - f - other;
			words += fast;
			lower += fast;
			for (uint32_t q = f; fast && q < e && words >= 3 && !long_lower; q++)
				long_lower = (ti[q] & (TI_LOWER | TI_CAP)) == TI_LOWER && tv[q].type <= TOK_ABBR && tv[q].len >= 4;
			if (k < s->n && (lower == 0 || (words >= 3 && long_lower == 0)))
				for (uint32_t q = f; q < e; q++)
					ti[q] |= TI_CAPSENT;
		}
		c->capsent_ready = 1;
		return;
	}
	for (uint32_t i = 0; i < nt; i++) {
		ti[i] = 0;
		if (!tok_is_wordlike(tv[i].type))
			tc[i] = TC_DONE;
		(void)tcase(c, i);
	}
	uint32_t k = 0;
	int seen = 0;
	for (uint32_t i = 0; i < nt; i++) {
		c->sid[i] = k;
		uint8_t ty = c->tv[i].type;
		if (!seen && (ty == TOK_WORD || ty == TOK_HYPHWORD || ty == TOK_ABBR))
			c->ti[i] |= TI_SSTART;
		if (ty <= TOK_NUM)
			seen = 1;
		if (ty == TOK_PARA || ty == TOK_QUESTION || ty == TOK_EXCLAIM ||
		    (ty == TOK_PERIOD && i + 1 < nt && (tcase(c, i + 1) & TI_CAP))) {
			k++;
			seen = 0;
		}
	}
	for (uint32_t i = 0; i < nt; i++)
		todo_add(c, i);
}

/* The gazetteer entity and its end among cv, longest accepted first. */
static const gaz_entry *longest_entity(ctx *c, uint32_t i, const cand *cv, int nc, uint32_t *end)
{
	for (int k = nc - 1; k >= 0; k--) {
		const gaz_entry *e = best_entity(c, i, cv[k].end, cv[k].s);
		if (e) {
			*end = cv[k].end;
			return e;
		}
	}
	return NULL;
}

static uint32_t words_in(const ctx *c, uint32_t i, uint32_t j)
{
	uint32_t n = 0;
	for (uint32_t k = i; k <= j && k < c->nt; k++)
		n += tok_is_wordlike(c->tv[k].type);
	return n;
}

/* R3/R5 and friends: a person named at i..end, from the gazetteer when the
 * name is listed, with coreference for one-word names. */
static err emit_person(ctx *c, uint32_t i, uint32_t end, const gaz_entry *e, uint16_t flags)
{
	if ((!e || (e->flags & GAZE_SURNAME)) && words_in(c, i, end) == 1) {
		int32_t r = coref_person(c, i);
		if (r >= 0)
			return emit_coref(c, i, end, r);
	}
	return emit(c, i, end, GAZ_PER, flags, e);
}

/* R0: names inside a hyphenated word ("U.S.-South Korea", "Russia-Ukraine",
 * "pro-Russian"): each capitalized part is looked up on its own, the last
 * one together with the words that follow. Only entries that need no
 * evidence. Returns through *hit whether anything was tagged. */
static err hyph_parts(ctx *c, uint32_t i, uint32_t *last, int *hit)
{
	const tok_token *t = &c->tv[i];
	const char *s = c->text + t->off;
	*hit = 0;
	*last = i;
	for (uint32_t a = 0, b; a < t->len; a = b + 1) {
		b = a;
		while (b < t->len && s[b] != '-')
			b++;
		if (b == a || b - a > 64 || !(s[a] >= 'A' && s[a] <= 'Z') || (a == 0 && b == t->len))
			continue;
		int digits = 0; /* "EB-5", "F-16", "COVID-19": a code, not names */
		for (uint32_t k = 0; k < t->len && !digits; k++)
			digits = s[k] >= '0' && s[k] <= '9';
		if (digits)
			return ERR_OK;
		char key[GAZ_MAX_KEY_BYTES + NORM_CAP(64)];
		uint32_t kl = norm_token(s + a, b - a, TOK_WORD, key);
		if (kl == 0)
			continue;
		int upper = 1;
		for (uint32_t k = a; k < b; k++)
			upper &= !(s[k] >= 'a' && s[k] <= 'z');
		cand cv[MAX_CANDS];
		int nc = walk(c, i, key, kl, norm_hash(NORM_HASH_INIT, key, kl), b == t->len, NULL, UINT32_MAX, cv);
		if (nc < 0)
			return ERR_NOMEM;
		for (int k = nc - 1; k >= 0; k--) {
			const gaz_entry *best = NULL;
			for (uint32_t q = 0; q < cv[k].s->n_ent; q++) {
				const gaz_entry *e = &c->g->ents[cv[k].s->ent_first + q];
				if (e->kind < GAZ_PER || e->kind >= GAZ_TYPE_COUNT || (e->flags & GAZE_WEAK) ||
				    ((e->flags & GAZE_ACRONYM) && !upper))
					continue;
				if (!best || e->rank > best->rank)
					best = e;
			}
			if (!best)
				continue;
			err e = emit(c, i, cv[k].end, best->kind, 0, best);
			if (e)
				return e;
			gaz_mention *m = &c->out[c->n - 1];
			uint32_t end = cv[k].end == i ? t->off + b : m->off + m->len;
			m->off = t->off + a;
			m->len = end - m->off;
			*hit = 1;
			*last = cv[k].end;
			break;
		}
	}
	return ERR_OK;
}

/* R10, after the pass: a name mentioned before the full name it stands for
 * (a headline "Pence: ..." above "Mike Pence") takes that person too. The
 * late mentions are merged into text order and every ref renumbered. */
#define SINGLE_MAX 64

static err late_coref(ctx *c)
{
	/* one-word persons found with evidence ("Obama said") name the same
	 * word where evidence was missing ("Obama also addressed ...") */
	uint32_t single[SINGLE_MAX], ns = 0;
	for (uint32_t k = 0; k < c->n && ns < SINGLE_MAX; k++) {
		const gaz_mention *m = &c->out[k];
		if (m->type == GAZ_PER && m->n == 1 && !(m->flags & GAZF_ROLE) && is_word(&c->tv[m->first]) &&
		    m->len == c->tv[m->first].len && tclass(c, m->first))
			single[ns++] = k;
	}
	if (c->nfull == 0 && ns == 0)
		return ERR_OK;
	uint64_t sbits = 0; /* word hashes of the singles, one bit each */
	for (uint32_t k = 0; k < ns; k++)
		sbits |= 1ull << (c->th[c->out[single[k]].first] & 63);
	uint32_t n_old = c->n;
	/* the capitalized words the pass visited: every other capitalized word
	 * was inside a mention */
	for (uint32_t q = 0; q < c->ncaps; q++) {
		uint32_t i = c->caps[q];
		if ((c->ti[i] & TI_USED) || !is_cap(c, i) || is_upper(c, i) || !is_word(&c->tv[i]) || is_stop(c, i))
			continue;
		uint32_t p = prev_tok(c, i), nx = next_tok(c, i);
		if ((p != UINT32_MAX && c->sid[p] == c->sid[i] && is_cap(c, p) && !(c->ti[i] & TI_SSTART)) ||
		    (nx < c->nt && c->sid[nx] == c->sid[i] && is_cap(c, nx)))
			continue; /* part of a longer name */
		int32_t r = coref_person(c, i);
		if (r < 0 && ns && tclass(c, i) && (sbits >> (c->th[i] & 63) & 1)) {
			for (uint32_t k = 0; k < ns && r < 0; k++) {
				const gaz_mention *m = &c->out[single[k]];
				if (c->th[m->first] == c->th[i] && c->tv[m->first].len == c->tv[i].len &&
				    memcmp(c->text + c->tv[m->first].off, c->text + c->tv[i].off, c->tv[i].len) == 0)
					r = m->ref >= 0 ? m->ref : (int32_t)single[k];
			}
		}
		if (r < 0)
			continue;
		err e = emit_coref(c, i, i, r);
		if (e)
			return e;
	}
	if (c->n == n_old)
		return ERR_OK;
	gaz_mention *v = arena_alloc_n(c->a, gaz_mention, c->n);
	uint32_t *map = arena_alloc_n(c->a, uint32_t, c->n);
	if (!v || !map)
		return ERR_NOMEM;
	uint32_t a = 0, b = n_old, k = 0;
	while (a < n_old || b < c->n) {
		uint32_t from = b >= c->n || (a < n_old && c->out[a].off <= c->out[b].off) ? a++ : b++;
		map[from] = k;
		v[k++] = c->out[from];
	}
	for (k = 0; k < c->n; k++)
		if (v[k].ref >= 0)
			v[k].ref = (int32_t)map[v[k].ref];
	c->out = v;
	c->cap = c->n;
	return ERR_OK;
}

static HOT_INLINE err step(ctx *c, uint32_t i, uint32_t *next)
{
	*next = i + 1;
	cand cv[MAX_CANDS];
	int nc = find_cands_at(c, i, cv);
	if (nc < 0)
		return ERR_NOMEM;
	/* no phrase starts here: below, only R0 (hyphenated words) and rules
	 * on capitalized words can tag anything */
	int bare = nc == 0 && c->tv[i].type != TOK_HYPHWORD;
	if (bare && !is_cap(c, i))
		return ERR_OK;
	uint32_t gend = UINT32_MAX;
	const gaz_entry *ge = longest_entity(c, i, cv, nc, &gend);
	uint32_t gwords = ge ? words_in(c, i, gend) : 0;
	err e;

	/* R0 */
	if (!ge && c->tv[i].type == TOK_HYPHWORD) {
		int hit;
		uint32_t last;
		if ((e = hyph_parts(c, i, &last, &hit)))
			return e;
		if (hit) {
			*next = last + 1;
			return ERR_OK;
		}
	}

	/* R1 */
	if (is_cap(c, i) && (!ge || gwords == 1) && !(is_upper(c, i) && ge)) {
		int32_t r = coref_person(c, i);
		if (r >= 0 && (!ge || (ge->flags & GAZE_WEAK) || ge->kind == GAZ_PER)) {
			*next = i + 1;
			return emit_coref(c, i, i, r);
		}
	}
	/* a capitalized stop word ("The", "He") that starts no phrase: R2 and
	 * R7 want a name word, R7a, R7b and R9 capitals */
	if (bare && !is_upper(c, i) && is_stop(c, i))
		return ERR_OK;
	/* R2 */
	uint8_t otype;
	uint32_t oend = org_shape(c, i, &otype);
	if (oend != UINT32_MAX && (!ge || gend < oend)) {
		/* "Soviet Red Army": a leading nationality stays apart */
		uint32_t start = i;
		if (ge && ge->kind == GAZ_NORP && words_in(c, next_tok(c, gend), oend) >= 2) {
			if ((e = emit(c, i, gend, GAZ_NORP, 0, ge)))
				return e;
			start = next_tok(c, gend);
		}
		cand ov[MAX_CANDS];
		int on = find_cands(c, start, ov);
		if (on < 0)
			return ERR_NOMEM;
		uint32_t ee = UINT32_MAX;
		const gaz_entry *oe = longest_entity(c, start, ov, on, &ee);
		if ((e = emit(c, start, oend, oe && ee == oend ? oe->kind : otype, 0, oe && ee == oend ? oe : NULL)))
			return e;
		*next = oend + 1;
		return ERR_OK;
	}
	/* R3 title + name, R8 role alone */
	const gaz_slot *ts = NULL;
	uint32_t tend = title_at(c, cv, nc, &ts);
	if (tend != UINT32_MAX && (!ge || gend <= tend)) {
		uint32_t n0 = next_tok(c, tend);
		if (n0 < c->nt && c->sid[n0] == c->sid[i] && is_cap(c, n0) && !is_stop(c, n0)) {
			cand nv[MAX_CANDS];
			int nn = find_cands(c, n0, nv);
			if (nn < 0)
				return ERR_NOMEM;
			uint32_t nend = UINT32_MAX;
			const gaz_entry *ne = longest_entity(c, n0, nv, nn, &nend);
			uint16_t g = 0;
			const gaz_entry *te = find_kind(c, ts, GAZK_TITLE);
			if (te && (te->flags & GAZE_MALE))
				g = GAZF_MALE;
			if (te && (te->flags & GAZE_FEMALE))
				g = GAZF_FEMALE;
			if (!g && tok_is(c, i, WC_MALE))
				g = GAZF_MALE; /* honorifics the lists give no gender */
			if (!g && tok_is(c, i, WC_FEMALE))
				g = GAZF_FEMALE;
			uint32_t chain = name_chain(c, n0, 3);
			int per = ne && ne->kind == GAZ_PER && (!(ne->flags & GAZE_SURNAME) || chain == UINT32_MAX || chain <= nend);
			int unknown = !per && (!ne || (ne->flags & GAZE_WEAK)) && chain != UINT32_MAX;
			/* the place or people inside the title stay: "Jordan's King
			 * Abdullah", "Russian President Vladimir Putin" */
			if ((per || unknown) && ge && gend < tend && ge->kind != GAZ_PER && (e = emit(c, i, gend, ge->kind, 0, ge)))
				return e;
			if (per) {
				if ((e = emit_person(c, n0, nend, ne, g)))
					return e;
				*next = nend + 1;
				return ERR_OK;
			}
			if (unknown) {
				if ((e = emit_person(c, n0, chain, NULL, g)))
					return e;
				*next = chain + 1;
				return ERR_OK;
			}
		}
		const gaz_entry *re = role_holder(c, ts);
		if (re && (n0 >= c->nt || !is_cap(c, n0) || c->sid[n0] != c->sid[i])) {
			uint32_t start = i, p = prev_tok(c, i);
			if (p != UINT32_MAX && c->sid[p] == c->sid[i] && !(c->ti[p] & TI_USED) &&
			    tok_is(c, p, WC_THE))
				start = p;
			if ((e = emit(c, start, tend, GAZ_PER, GAZF_ROLE, re)))
				return e;
			*next = tend + 1;
			return ERR_OK;
		}
		if (!ge) {
			*next = tend + 1;
			return ERR_OK;
		}
	}
	/* R4 */
	if (ge && gwords >= 2) {
		if ((e = emit(c, i, gend, ge->kind, 0, ge)))
			return e;
		*next = gend + 1;
		return ERR_OK;
	}
	/* R5 first name + capitalized word(s) */
	const gaz_entry *fe = NULL;
	for (int k = 0; k < nc && !fe; k++)
		if (cv[k].end == i)
			fe = find_kind(c, cv[k].s, GAZK_FIRST);
	if (fe && is_cap(c, i) && !is_upper(c, i) && (!ge || (ge->flags & GAZE_WEAK))) {
		uint32_t n0 = next_tok(c, i);
		if (initial_at(c, n0))
			n0 = next_tok(c, n0 + 1);
		if (n0 < c->nt && c->sid[n0] == c->sid[i] && name_word(c, n0)) {
			cand nv[MAX_CANDS];
			int nn = find_cands(c, n0, nv);
			if (nn < 0)
				return ERR_NOMEM;
			uint32_t nend = UINT32_MAX;
			const gaz_entry *ne = longest_entity(c, n0, nv, nn, &nend);
			/* a common first name before a one-word place is a person:
			 * "Denzel Washington", "Jack London" */
			int place_ok = ne && ne->kind == GAZ_LOC && nend == n0 && (!ge || (ge->flags & GAZE_WEAK)) &&
				       fe->rank >= 1000;
			if (!ne || ne->kind == GAZ_PER || (ne->flags & GAZE_WEAK) || place_ok) {
				/* the first name itself may be a word ("Will Smith") */
				uint32_t ce = name_chain(c, n0, 2);
				uint16_t g = fe->flags & GAZE_MALE ? GAZF_MALE : fe->flags & GAZE_FEMALE ? GAZF_FEMALE : 0;
				if (ce != UINT32_MAX && ce > i) {
					if ((e = emit(c, i, ce, GAZ_PER, g, NULL)))
						return e;
					*next = ce + 1;
					return ERR_OK;
				}
			}
		}
	}
	/* R6; a listed surname inside a longer unknown name is that name:
	 * "Megyn Kelly", "Aung San Suu Kyi", not the listed Kelly or San */
	if (ge && (ge->flags & GAZE_SURNAME) && gend == i) {
		uint32_t start = i, end = i, p = prev_tok(c, i);
		if (p != UINT32_MAX && c->sid[p] == c->sid[i] && !(c->ti[p] & TI_USED) && name_word(c, p))
			start = p;
		for (uint32_t k = 0, nx = next_tok(c, end); k < 2; k++, nx = next_tok(c, end)) {
			if (nx >= c->nt || c->sid[nx] != c->sid[i] || !name_word(c, nx))
				break;
			end = nx;
		}
		if (start != i || end != i) {
			if ((e = emit(c, start, end, GAZ_PER, 0, NULL)))
				return e;
			*next = end + 1;
			return ERR_OK;
		}
	}
	if (ge) {
		if ((e = emit(c, i, gend, ge->kind, 0, ge)))
			return e;
		*next = gend + 1;
		return ERR_OK;
	}
	/* R7b a dateline: "HEMPSTEAD, N.Y., Sept. 26 (UPI) --" */
	if (is_upper(c, i) && (c->tv[i].flags & TOKF_LINE) && !is_stop(c, i) && !in_caps_sentence(c, i)) {
		uint32_t end = i, nx = next_tok(c, i);
		if (nx < c->nt && c->sid[nx] == c->sid[i] && is_upper(c, nx) && !is_stop(c, nx)) {
			end = nx; /* "NEW DELHI" */
			nx = next_tok(c, nx);
		}
		if (nx < c->nt && (c->tv[nx].type == TOK_COMMA || c->tv[nx].type == TOK_DASH || c->tv[nx].type == TOK_OPEN)) {
			if ((e = emit(c, i, end, GAZ_LOC, 0, NULL)))
				return e;
			*next = end + 1;
			return ERR_OK;
		}
	}
	/* R7a "TAPPER:" opening a transcript line */
	if (is_upper(c, i) && (c->tv[i].flags & TOKF_LINE) && !is_stop(c, i) && !tok_is(c, i, WC_ORGHEAD)) {
		uint32_t nx = next_tok(c, i);
		if (nx < c->nt && c->tv[nx].type == TOK_COLON) {
			if ((e = emit(c, i, i, GAZ_PER, 0, NULL)))
				return e;
			*next = nx;
			return ERR_OK;
		}
	}
	/* R7 unknown capitalized name with an appositive or a reporting verb */
	if (name_word(c, i) && !is_upper(c, i)) {
		uint32_t ce = name_chain(c, i, 3);
		/* one word: a first name ("Melanie said"), a word inside a
		 * sentence (", Limbaugh said"), or a sentence-initial word that is
		 * no plural ("Limbaugh told", not "Analysts said") */
		int one = 0;
		if (ce == i && verb_after(c, ce)) {
			uint32_t l;
			const char *p = tnorm(c, i, &l);
			uint32_t pv = prev_tok(c, i);
			one = fe || !(c->ti[i] & TI_SSTART) || (p && l > 2 && p[l - 1] != 's');
			if (pv != UINT32_MAX && c->sid[pv] == c->sid[i] && is_cap(c, pv))
				one = 0; /* the end of a longer name ("The Elysee Palace said") */
		}
		if (ce != UINT32_MAX && ce > i && (c->ti[i] & TI_SSTART)) {
			/* "Later Putin said": the person starts at the next word */
			cand nv[MAX_CANDS];
			uint32_t n0 = next_tok(c, i), nend;
			int nn = find_cands(c, n0, nv);
			if (nn < 0)
				return ERR_NOMEM;
			const gaz_entry *ne = longest_entity(c, n0, nv, nn, &nend);
			if ((ne && ne->kind == GAZ_PER) || coref_person(c, n0) >= 0)
				return ERR_OK;
		}
		if (ce != UINT32_MAX && (ce != i || one) && (one || appositive_after(c, ce) || verb_after(c, ce))) {
			if ((e = emit(c, i, ce, GAZ_PER, 0, NULL)))
				return e;
			*next = ce + 1;
			return ERR_OK;
		}
	}
	/* R9 "(C4ADS)" after an organization */
	if (is_upper(c, i) && c->n > 0) {
		uint32_t p = prev_tok(c, i), nx = next_tok(c, i);
		const gaz_mention *m = &c->out[c->n - 1];
		if (p != UINT32_MAX && c->tv[p].type == TOK_OPEN && nx < c->nt && c->tv[nx].type == TOK_CLOSE &&
		    m->type == GAZ_ORG && m->first + m->n == p) {
			if ((e = emit_as(c, i, i, GAZ_ORG, (int32_t)(c->n - 1))))
				return e;
		}
	}
	return ERR_OK;
}

/* Whether a gazetteer phrase may start at the lower-case ASCII word i, its
 * own normal form with hash h: it starts a key with an entry written in
 * lower case and, when the word alone is only a prefix of keys ("the" of
 * "the Kremlin"), the next word continues one. False means find_cands(i)
 * finds nothing, and step(i) then does nothing. */
static int lower_starts_key(ctx *c, uint32_t i, uint64_t h)
{
	const gaz_model *g = c->g;
	if (!lowset_has(g, h))
		return 0;
	const char *w = c->text + c->tv[i].off;
	uint32_t len = c->tv[i].len;
	const gaz_slot *s = probe(g, h, w, len);
	if (!s)
		return 0;
	uint32_t j = next_tok(c, i), l;
	if (s->n_ent) {
		/* a title alone ("voters", "nominee"): step tags nothing at a
		 * lower-case word whose only phrase is it and has neither an
		 * entity nor a role (R3 wants a capitalized word after it) */
		if ((slot_kinds(c, s) & (((1u << GAZ_TYPE_COUNT) - (1u << GAZ_PER)) | 1u << GAZK_ROLE)) ||
		    is_cap(c, j) || (slot_more(g, s) && may_extend(c, i, j, h)))
			return 1;
		return 0;
	}
	if (!slot_more(g, s))
		return 0;
	if (j >= c->nt || c->sid[j] != c->sid[i] || c->tv[j].type == TOK_PARA || pair_miss(c, h, j))
		return 0;
	const char *p = tnorm(c, j, &l);
	if (!p)
		return 1; /* out of memory: step reports it */
	if (l == 0 || len + 1 + l > GAZ_MAX_KEY_BYTES)
		return 0;
	char key[GAZ_MAX_KEY_BYTES + 8];
	memcpy(key, w, len);
	key[len] = ' ';
	memcpy(key + len + 1, p, l);
	return probe(g, norm_hash(h, key + len, l + 1), key, len + 1 + l) != NULL;
}

err gaz_tag_at(const gaz_model *g, const char *text, const tok_list *t, const sent_list *s,
	       const char *date, uint32_t date_len, arena *a, gaz_list *out)
{
	out->v = NULL;
	out->n = 0;
	if (!g || !t || t->n == 0)
		return ERR_OK;
	ctx *c = arena_alloc(a, sizeof *c);
	if (!c)
		return ERR_NOMEM;
	memset(c, 0, offsetof(ctx, full));
	c->g = g;
	c->text = text;
	c->tv = t->v;
	c->nt = t->n;
	c->a = a;
	c->date = parse_ymd(date, date_len);
	c->np = arena_alloc_n(a, const char *, t->n);
	c->nl = arena_alloc_n(a, uint32_t, t->n);
	c->sid = arena_alloc_n(a, uint32_t, t->n);
	c->ti = arena_alloc_n(a, uint16_t, (size_t)t->n + 1); /* both written first by mark_sentences */
	c->tc = arena_alloc_n(a, uint16_t, (size_t)t->n + 1);
	c->th = arena_alloc_n(a, uint64_t, t->n);
	c->caps = arena_alloc_n(a, uint32_t, t->n);
	c->todo = arena_alloc_n(a, uint32_t, t->n);
	uint32_t tlen = t->v[t->n - 1].off + t->v[t->n - 1].len;
	c->nbuf = arena_alloc(a, (size_t)tlen + 1);
	c->nbuf_len = c->nbuf ? tlen : 0;
	if (!c->np || !c->nl || !c->sid || !c->ti || !c->tc || !c->th || !c->caps || !c->todo)
		return arena_over_cap(a, (size_t)t->n * 43) ? ERR_LIMIT : ERR_NOMEM;
	mark_sentences(c, s);
	c->ti[t->n] = 0; /* is_cap and is_upper read it at the end */
	c->tc[t->n] = TC_DONE; /* and tok_is this */
	for (uint32_t q = 0, i = 0; q < c->ntodo; q++) {
		uint32_t k = c->todo[q];
		if (k < i || (c->ti[k] & TI_USED))
			continue;
		const tok_token *tk = &c->tv[k];
		if (tk->type == TOK_WORD && (tk->flags & (TOKF_ASCII | TOKF_LOWER)) == (TOKF_ASCII | TOKF_LOWER) &&
		    tk->len && text[tk->off] >= 'a' && text[tk->off] <= 'z') {
			/* all a-z (or ' and digits): its own normal form, so the
			 * exact set of lower-case key starts decides */
			const char *w = text + tk->off;
			uint64_t h = NORM_HASH_INIT;
			uint32_t n = 0;
			for (; n < tk->len && w[n] != '`'; n++)
				h = (h ^ (unsigned char)w[n]) * 0x100000001b3ull;
			if (n == tk->len) {
				if (!lower_starts_key(c, k, h))
					continue;
				c->th[k] = h; /* for tclass */
				c->ti[k] |= TI_TH;
			}
		}
		uint32_t next;
		if (c->ti[k] & TI_CAP)
			c->caps[c->ncaps++] = k;
		err e = step(c, k, &next);
		if (e)
			return e;
		i = next > k ? next : k + 1;
	}
	err e = late_coref(c);
	if (e)
		return e;
	out->v = c->out;
	out->n = c->n;
	return ERR_OK;
}

err gaz_tag(const gaz_model *g, const char *text, const tok_list *t, const sent_list *s, arena *a,
	    gaz_list *out)
{
	return gaz_tag_at(g, text, t, s, NULL, 0, a, out);
}
