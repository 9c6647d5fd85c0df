/* SPDX-License-Identifier: MIT */
#ifndef WHOSAID_GAZ_FORMAT_H
#define WHOSAID_GAZ_FORMAT_H

/* The gazetteer's sections in the model container (pipeline/model.h).
 * Little-endian, offsets only. Written by models/build_gaz.c, validated in
 * full by gaz_open before the first lookup.
 *
 *   GAZH  gaz_header
 *   GAZT  gaz_slot[n_slots]: open addressing (linear probing), n_slots a
 *         power of two. Keys are normalized token sequences (norm.h) joined
 *         by one space. Every prefix of a key that ends at a word boundary is
 *         present too (n_ent 0 when only a prefix), so the tagger extends a
 *         phrase token by token and stops at the first miss: longest match,
 *         cost independent of the number of entries.
 *   GAZE  gaz_entry[n_entries], grouped by key (a slot holds a range)
 *   GAZS  string pool: keys, ids and names, each followed by a NUL
 *   GAZB  bloom filter over the first token of every key (n_bloom_bits bits,
 *         a power of two, two probes), so most tokens cost no table probe.
 *         A key with an entry written in lower case ("spokesman") is also
 *         entered as hash ^ GAZ_BLOOM_LOWER: a lower-case word in the text
 *         is looked up only under that, as only such entries accept it.
 *   GAZX  optional: uint64_t words, n_slots bits (rounded up to 64 bits);
 *         bit k set when slot k's key is followed by more words in a
 *         longer key, so the tagger extends a phrase only from such slots.
 *         A model without it is read as if every bit were set.
 *   GAZP  optional: a bloom filter (uint64_t words, a power of two of bits,
 *         512 or more; two probes in one 512-bit block) over the pairs
 *         (norm_hash of a key's words but the last, norm_hash of the last
 *         word) of every key of two words or more whose last word is plain
 *         (GAZ_PLAIN_MAX bytes at most, ASCII, no '-', '`' or NUL): the
 *         tagger extends a phrase over a plain token (its normal form is its
 *         bytes lower cased) only when its pair is in, without normalizing
 *         the token or probing the table. A model without it is read as if
 *         every bit were set.
 *   GAZK  optional: uint16_t[n_slots], the kinds of slot k's entries: bit
 *         kind (gaz_type or GAZK_*) set when an entry is of it, and
 *         GAZK_WEAK_FIRST when a FIRST entry is weak. Rebuilt by the
 *         tagger when absent.
 *   GAZN  optional: uint64_t words, a power of two of bits (4096 or more),
 *         one bit (gaz_next_bit) per key of two words or more: norm_hash
 *         of its words but the last, and the first byte, last byte and
 *         length of the last word. The tagger looks at a word after a key
 *         prefix only when its bit is set. Rebuilt by the tagger when
 *         absent.
 */

#include <stdint.h>

#include "../pipeline/model.h"

#define GAZ_SEC_HEADER MODEL_TAG('G', 'A', 'Z', 'H')
#define GAZ_SEC_TABLE MODEL_TAG('G', 'A', 'Z', 'T')
#define GAZ_SEC_ENTRIES MODEL_TAG('G', 'A', 'Z', 'E')
#define GAZ_SEC_POOL MODEL_TAG('G', 'A', 'Z', 'S')
#define GAZ_SEC_BLOOM MODEL_TAG('G', 'A', 'Z', 'B')
#define GAZ_SEC_MORE MODEL_TAG('G', 'A', 'Z', 'X')
#define GAZ_SEC_PAIRS MODEL_TAG('G', 'A', 'Z', 'P')
#define GAZ_SEC_KINDS MODEL_TAG('G', 'A', 'Z', 'K')
#define GAZ_SEC_NEXT MODEL_TAG('G', 'A', 'Z', 'N')

#define GAZ_FORMAT_VERSION 2u

typedef struct {
	uint32_t version;
	uint32_t n_slots;      /* power of two */
	uint32_t n_keys;       /* slots in use (keys and prefixes) */
	uint32_t n_entries;
	uint32_t pool_len;     /* bytes */
	uint32_t n_bloom_bits; /* power of two, 512 or more */
	uint32_t max_pieces;   /* longest key, in words */
	uint32_t pad;
} gaz_header;

typedef struct {
	uint32_t hash_hi; /* high 32 bits of the key's norm_hash */
	uint32_t key_off; /* into the pool */
	uint32_t ent_first;
	uint16_t key_len; /* 0: empty slot */
	uint16_t n_ent;   /* 0: only a prefix of longer keys */
} gaz_slot;

/* Kinds of entry: the entity types of gaz.h, then the helpers. */
enum {
	GAZK_ROLE = 6,  /* role phrase linked to a holder */
	GAZK_TITLE = 7, /* honorific or role noun */
	GAZK_FIRST = 8, /* first name */
	GAZK_COUNT
};

enum {
	GAZE_WEAK = 1u << 0,    /* also a common word or only a surname: needs evidence */
	GAZE_ACRONYM = 1u << 1, /* surface all capitals: the text must be too */
	GAZE_LOWER = 1u << 2,   /* surface starts lower case ("spokesman") */
	GAZE_PLURAL = 1u << 3,  /* plural form ("Russians") */
	GAZE_MALE = 1u << 4,
	GAZE_FEMALE = 1u << 5,
	GAZE_SURNAME = 1u << 6, /* a person's surname alone, generated (weak) */
};

/* GAZK: bit 15 of a slot's kinds: it has a weak FIRST entry. */
#define GAZK_WEAK_FIRST (1u << 15)

/* ORG kinds from kind=..., for rules that want them. */
enum { GAZO_NONE = 0, GAZO_MEDIA, GAZO_GOV, GAZO_INTL, GAZO_PARTY, GAZO_COMPANY };

typedef struct {
	uint8_t kind;  /* gaz_type or GAZK_* */
	uint8_t okind; /* GAZO_* */
	uint16_t flags;
	char cc[2];    /* ISO country code or zeros */
	uint16_t pad;
	uint32_t id_off, name_off; /* into the pool */
	uint16_t id_len, name_len;
	uint32_t start, end; /* role dates as YYYYMMDD (0: unknown start, 99999999: open) */
	uint32_t rank;       /* population or name count, for ties */
} gaz_entry;

#define GAZ_BLOOM_LOWER 0x9e3779b97f4a7c15ull

/* The two bloom bits of a first-token hash, for n_bloom_bits - 1 = mask. */
static inline uint32_t gaz_bloom_a(uint64_t h, uint32_t mask)
{
	return (uint32_t)h & mask;
}
/* The second bit lies in the first one's 512-bit block: one cache line. */
static inline uint32_t gaz_bloom_b(uint64_t h, uint32_t mask)
{
	return ((uint32_t)h & mask & ~511u) | ((uint32_t)(h >> 40) & 511u);
}

/* The GAZK word of a slot's entries e[0, n). */
static inline uint16_t gaz_slot_kinds(const gaz_entry *e, uint32_t n)
{
	uint32_t m = 0;
	for (uint32_t k = 0; k < n; k++) {
		m |= 1u << (e[k].kind & 15);
		if (e[k].kind == GAZK_FIRST && (e[k].flags & GAZE_WEAK))
			m |= GAZK_WEAK_FIRST;
	}
	return (uint16_t)m;
}

/* The GAZN bit (bits - 1 = mask) of a last word of first byte b0, last
 * byte b1 and length len after a key prefix of norm_hash ph. */
static inline uint32_t gaz_next_bit(uint64_t ph, unsigned b0, unsigned b1, uint32_t len, uint32_t mask)
{
	uint64_t x = (ph ^ ((uint64_t)(b0 | b1 << 8) | (uint64_t)len << 16) * 0x9e3779b97f4a7c15ull) *
		     0xbf58476d1ce4e5b9ull;
	return (uint32_t)(x ^ x >> 31) & mask;
}

/* GAZN's bits for n_multi keys of two words or more. */
static inline uint32_t gaz_next_bits(uint32_t n_multi)
{
	uint32_t nbits = 4096;
	while (nbits < 16ull * n_multi && nbits < (1u << 30))
		nbits *= 2;
	return nbits;
}

/* Sets in bits (nbits - 1 = mask) the GAZN bit of a key k[0, len); none for
 * a key of one word. */
static inline void gaz_next_add(uint64_t *bits, uint32_t mask, const char *k, uint32_t len,
				uint64_t (*hash)(uint64_t, const char *, uint32_t))
{
	uint32_t p = len;
	while (p > 0 && k[p - 1] != ' ')
		p--;
	if (p < 2 || p == len)
		return; /* one word, or a space at either end */
	uint32_t b = gaz_next_bit(hash(0xcbf29ce484222325ull, k, p - 1), (unsigned char)k[p],
				  (unsigned char)k[len - 1], len - p, mask);
	bits[b / 64] |= 1ull << (b % 64);
}

/* Longest last word GAZP holds, in bytes. */
#define GAZ_PLAIN_MAX 16

/* The two bits of GAZP (bits - 1 = mask) for a key prefix of norm_hash ph
 * followed by a word of gaz_word_hash wh; one 512-bit block. */
static inline void gaz_pair_bits(uint64_t ph, uint64_t wh, uint32_t mask, uint32_t *a, uint32_t *b)
{
	uint64_t x = (ph ^ (wh * 0x9e3779b97f4a7c15ull)) * 0xbf58476d1ce4e5b9ull;
	x ^= x >> 29;
	*a = (uint32_t)x & mask;
	*b = ((uint32_t)x & mask & ~511u) | ((uint32_t)(x >> 40) & 511u);
}

#endif
