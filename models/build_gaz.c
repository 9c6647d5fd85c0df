/* SPDX-License-Identifier: MIT */
/* The gazetteer compiler: reads the .tsv files of SRC_DIR/gaz (and of
 * its subfolders, e.g. gaz/hand/), one entry a line in the format of
 * TEAM.md (surface, type, id, name, extra), normalizes every surface with
 * the runtime tokenizer (tok_scan) and norm_token, and writes the sections
 * of models/gaz_format.h: an open-addressing table over normalized keys and
 * all their word prefixes, the entries grouped by key, a string pool and a
 * first-token bloom filter. NORP surfaces also get a plural key
 * ("North Koreans") flagged GAZE_PLURAL; explicit lines win over generated
 * ones. Output is deterministic: files in name order, keys sorted. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "../pipeline/limits.h"
#include "../stages/gaz.h"
#include "../stages/norm.h"
#include "gaz_format.h"

typedef struct {
	char *b;
	uint32_t len, cap;
	/* interning: open addressing over offsets+1, 0 = empty */
	uint32_t *ix;
	uint32_t ix_cap, ix_n;
} pool;

typedef struct {
	uint32_t key_off; /* into the key buffer */
	uint32_t key_len;
	uint32_t first_len; /* bytes of the first token's normal form */
	uint32_t seq;
	uint32_t pieces;
	gaz_entry e;
} rec;

typedef struct {
	rec *v;
	uint32_t n, cap;
	char *keys; /* normalized keys, back to back */
	size_t keys_len, keys_cap;
	pool p;
	arena a;
} builder;

static err grow(void **v, uint32_t *cap, uint32_t need, size_t size)
{
	if (need <= *cap)
		return ERR_OK;
	uint32_t c = *cap ? *cap : 64;
	while (c < need) {
		if (c > UINT32_MAX / 2)
			return ERR_LIMIT;
		c *= 2;
	}
	void *p = realloc(*v, (size_t)c * size);
	if (!p)
		return ERR_NOMEM;
	*v = p;
	*cap = c;
	return ERR_OK;
}

static uint32_t pool_find_slot(const pool *p, const char *s, uint32_t len, uint64_t h)
{
	uint32_t mask = p->ix_cap - 1, i = (uint32_t)h & mask;
	for (;;) {
		uint32_t o = p->ix[i];
		if (o == 0)
			return i;
		o--;
		if (memcmp(p->b + o, s, len) == 0 && p->b[o + len] == '\0')
			return i;
		i = (i + 1) & mask;
	}
}

/* Adds s (NUL appended) to the pool once; *off gets its offset. */
static err pool_intern(pool *p, const char *s, uint32_t len, uint32_t *off)
{
	if (len == 0) {
		*off = 0;
		return ERR_OK;
	}
	if (p->ix_n * 2 >= p->ix_cap) {
		uint32_t nc = p->ix_cap ? p->ix_cap * 2 : 1024;
		uint32_t *nix = calloc(nc, sizeof *nix);
		if (!nix)
			return ERR_NOMEM;
		uint32_t *old = p->ix, oc = p->ix_cap;
		p->ix = nix;
		p->ix_cap = nc;
		for (uint32_t k = 0; k < oc; k++)
			if (old[k]) {
				const char *t = p->b + old[k] - 1;
				uint32_t tl = (uint32_t)strlen(t);
				p->ix[pool_find_slot(p, t, tl, norm_hash(NORM_HASH_INIT, t, tl))] = old[k];
			}
		free(old);
	}
	uint32_t i = pool_find_slot(p, s, len, norm_hash(NORM_HASH_INIT, s, len));
	if (p->ix[i]) {
		*off = p->ix[i] - 1;
		return ERR_OK;
	}
	if (p->len > UINT32_MAX - len - 2)
		return ERR_LIMIT;
	err e = grow((void **)&p->b, &p->cap, p->len + len + 1, 1);
	if (e)
		return e;
	*off = p->len;
	memcpy(p->b + p->len, s, len);
	p->b[p->len + len] = '\0';
	p->len += len + 1;
	p->ix[i] = *off + 1;
	p->ix_n++;
	return ERR_OK;
}

static int kind_of(const char *s, size_t len)
{
	static const char *const names[] = {"", "PER", "ORG", "LOC", "NORP", "MISC", "ROLE", "TITLE", "FIRST"};
	for (int k = 1; k < GAZK_COUNT; k++)
		if (strlen(names[k]) == len && memcmp(names[k], s, len) == 0)
			return k;
	return 0;
}

/* "2012", "2012-03", "2012-03-09" -> YYYYMMDD; missing parts give fill. */
static uint32_t parse_date(const char *s, size_t len, uint32_t fill_md)
{
	uint32_t y = 0, m = 0, d = 0;
	size_t i = 0;
	for (; i < len && i < 4 && s[i] >= '0' && s[i] <= '9'; i++)
		y = y * 10 + (uint32_t)(s[i] - '0');
	if (i != 4)
		return fill_md == 0 ? 0 : 99999999;
	if (i + 3 <= len && s[i] == '-') {
		m = (uint32_t)(s[i + 1] - '0') * 10 + (uint32_t)(s[i + 2] - '0');
		i += 3;
		if (i + 3 <= len && s[i] == '-')
			d = (uint32_t)(s[i + 1] - '0') * 10 + (uint32_t)(s[i + 2] - '0');
	}
	if (m == 0)
		return y * 10000 + fill_md;
	if (d == 0)
		d = fill_md ? 99 : 0;
	return y * 10000 + m * 100 + d;
}

static uint32_t parse_u32(const char *s, size_t len)
{
	uint64_t v = 0;
	for (size_t i = 0; i < len && s[i] >= '0' && s[i] <= '9'; i++)
		v = v * 10 + (uint64_t)(s[i] - '0');
	return v > UINT32_MAX ? UINT32_MAX : (uint32_t)v;
}

static void parse_extra(const char *s, size_t len, gaz_entry *e)
{
	size_t i = 0;
	while (i < len) {
		size_t j = i;
		while (j < len && s[j] != ';')
			j++;
		const char *kv = s + i, *eq = memchr(kv, '=', j - i);
		if (eq) {
			size_t kl = (size_t)(eq - kv);
			const char *v = eq + 1;
			size_t vl = j - i - kl - 1;
#define KEY(lit) (kl == sizeof(lit) - 1 && memcmp(kv, lit, kl) == 0)
			if (KEY("cc") && vl == 2)
				memcpy(e->cc, v, 2);
			else if (KEY("pop") || KEY("count"))
				e->rank = parse_u32(v, vl);
			else if (KEY("gender") && vl >= 1)
				e->flags |= v[0] == 'f' ? GAZE_FEMALE : v[0] == 'm' ? GAZE_MALE : 0;
			else if (KEY("weak") && vl >= 1 && v[0] == '1')
				e->flags |= GAZE_WEAK;
			else if (KEY("case") && vl >= 1 && v[0] == '1')
				e->flags |= GAZE_ACRONYM;
			else if (KEY("start"))
				e->start = parse_date(v, vl, 0);
			else if (KEY("end"))
				e->end = vl ? parse_date(v, vl, 1231) : 99999999;
			else if (KEY("kind")) {
				static const char *const ok[] = {"", "media", "gov", "intl", "party", "company"};
				for (uint8_t k = 1; k < 6; k++)
					if (strlen(ok[k]) == vl && memcmp(ok[k], v, vl) == 0)
						e->okind = k;
			}
#undef KEY
		}
		i = j + 1;
	}
}

static int is_acronym(const char *s, size_t len)
{
	size_t letters = 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 'a' && c <= 'z')
			return 0;
		if (c >= 0x80)
			return 0;
		if (c >= 'A' && c <= 'Z')
			letters++;
	}
	return letters >= 2;
}

/* Normalizes surface into the key buffer and appends a record. */
static err add_rec(builder *bd, const char *surf, size_t slen, const gaz_entry *e, uint32_t seq,
		   const char *suffix)
{
	arena_reset(&bd->a);
	tok_list t;
	if (slen > GAZ_MAX_KEY_BYTES)
		return ERR_OK;
	err er = tok_scan(surf, (uint32_t)slen, &bd->a, &t);
	if (er)
		return er;
	char key[GAZ_MAX_KEY_BYTES * 5 + 64];
	uint32_t klen = 0, pieces = 0, first_len = 0;
	for (uint32_t i = 0; i < t.n; i++) {
		const tok_token *tk = &t.v[i];
		if (tok_is_break(tk->type))
			continue;
		if (klen)
			key[klen++] = ' ';
		klen += norm_token(surf + tk->off, tk->len, tk->type, key + klen);
		if (!first_len)
			first_len = klen;
		if (klen > GAZ_MAX_KEY_BYTES)
			return ERR_OK; /* too long to ever match: skipped */
	}
	if (suffix) {
		size_t sl = strlen(suffix);
		memcpy(key + klen, suffix, sl);
		klen += (uint32_t)sl;
		if (first_len + sl == klen)
			first_len = klen;
	}
	if (klen == 0 || klen > GAZ_MAX_KEY_BYTES)
		return ERR_OK;
	for (uint32_t i = 0; i < klen; i++)
		pieces += key[i] == ' ';
	pieces++;
	if (pieces > GAZ_MAX_PHRASE_TOKENS)
		return ERR_OK;
	if ((er = grow((void **)&bd->v, &bd->cap, bd->n + 1, sizeof *bd->v)))
		return er;
	if (bd->keys_len + klen > bd->keys_cap) {
		size_t c = bd->keys_cap ? bd->keys_cap * 2 : 1 << 16;
		while (c < bd->keys_len + klen)
			c *= 2;
		char *k = realloc(bd->keys, c);
		if (!k)
			return ERR_NOMEM;
		bd->keys = k;
		bd->keys_cap = c;
	}
	if (bd->keys_len + klen > UINT32_MAX)
		return ERR_LIMIT;
	memcpy(bd->keys + bd->keys_len, key, klen);
	rec *r = &bd->v[bd->n++];
	r->key_off = (uint32_t)bd->keys_len;
	r->key_len = klen;
	r->first_len = first_len;
	r->seq = seq;
	r->pieces = pieces;
	r->e = *e;
	bd->keys_len += klen;
	return ERR_OK;
}

/* English plural of a demonym's last word, or NULL when it takes none. */
static const char *plural_suffix(const char *s, size_t len)
{
	if (len < 3)
		return NULL;
	const char *e = s + len;
	if (e[-1] == 's' || e[-1] == 'x' || e[-1] == 'z' || (e[-1] == 'h' && (e[-2] == 's' || e[-2] == 'c')))
		return NULL;
	if (len >= 3 && memcmp(e - 3, "ese", 3) == 0)
		return NULL;
	return "s";
}

/* A person's surname alone ("Putin", "Obama"; "Kim" and "Xi" for names
 * written family name first) as a weak GAZE_SURNAME key of the same entry:
 * evidence decides at run time, and several people of one surname leave
 * the id open. */
static err add_surname(builder *bd, const char *surf, size_t slen, const gaz_entry *en, uint32_t *seq)
{
	static const char *const suffixes[] = {"jr", "jr.", "sr", "sr.", "ii", "iii", "iv", NULL};
	static const char family_first[][3] = {"KP", "KR", "CN", "TW", "VN", "HK", "MO"};
	arena_reset(&bd->a);
	tok_list t;
	if (slen > GAZ_MAX_KEY_BYTES || tok_scan(surf, (uint32_t)slen, &bd->a, &t) != ERR_OK)
		return ERR_OK;
	uint32_t w[GAZ_MAX_PHRASE_TOKENS * 2], nw = 0;
	for (uint32_t i = 0; i < t.n && nw < GAZ_MAX_PHRASE_TOKENS * 2; i++)
		if (t.v[i].type == TOK_WORD || t.v[i].type == TOK_HYPHWORD)
			w[nw++] = i;
	if (nw < 2)
		return ERR_OK;
	uint32_t pick = w[nw - 1];
	for (int k = 0; suffixes[k] && nw > 2; k++) {
		const tok_token *tk = &t.v[pick];
		if (strlen(suffixes[k]) == tk->len && strncasecmp(surf + tk->off, suffixes[k], tk->len) == 0) {
			pick = w[nw - 2];
			break;
		}
	}
	uint32_t min_len = 3;
	for (size_t k = 0; k < sizeof family_first / sizeof family_first[0]; k++)
		if (memcmp(en->cc, family_first[k], 2) == 0) {
			pick = w[0];
			min_len = 2; /* "Xi", "Li" */
		}
	const tok_token *tk = &t.v[pick];
	if (tk->len < min_len || !(surf[tk->off] >= 'A' && surf[tk->off] <= 'Z') || is_acronym(surf + tk->off, tk->len))
		return ERR_OK;
	uint32_t off = tk->off, len = tk->len;
	gaz_entry sn = *en;
	sn.flags = (uint16_t)((en->flags & (GAZE_MALE | GAZE_FEMALE)) | GAZE_WEAK | GAZE_SURNAME);
	return add_rec(bd, surf + off, len, &sn, (*seq)++ | 0x80000000u, NULL);
}

static err field_split(char *line, size_t len, const char **f, size_t *fl, int nf)
{
	int k = 0;
	size_t s = 0;
	for (size_t i = 0; i <= len && k < nf; i++)
		if (i == len || line[i] == '\t') {
			f[k] = line + s;
			fl[k] = i - s;
			k++;
			s = i + 1;
		}
	for (; k < nf; k++) {
		f[k] = line + len;
		fl[k] = 0;
	}
	return ERR_OK;
}

static err read_file(builder *bd, const char *path, uint32_t *seq, err_info *ei)
{
	FILE *fp = fopen(path, "r");
	if (!fp)
		return err_setf(ei, ERR_IO, "%s: cannot open: %s", path, strerror(errno));
	char *line = NULL;
	size_t cap = 0;
	ssize_t got;
	unsigned long lno = 0;
	err e = ERR_OK;
	while ((got = getline(&line, &cap, fp)) >= 0) {
		lno++;
		size_t len = (size_t)got;
		while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			len--;
		if (len == 0 || line[0] == '#')
			continue;
		const char *f[5];
		size_t fl[5];
		(void)field_split(line, len, f, fl, 5);
		int kind = kind_of(f[1], fl[1]);
		if (!kind || fl[0] == 0) {
			e = err_setf(ei, ERR_MODEL, "%s:%lu: expected surface<TAB>type with type PER ORG LOC NORP MISC ROLE TITLE FIRST",
				     path, lno);
			break;
		}
		if (fl[2] > UINT16_MAX || fl[3] > UINT16_MAX) {
			e = err_setf(ei, ERR_MODEL, "%s:%lu: id or name too long", path, lno);
			break;
		}
		gaz_entry en;
		memset(&en, 0, sizeof en);
		en.kind = (uint8_t)kind;
		en.end = 99999999;
		parse_extra(f[4], fl[4], &en);
		if (is_acronym(f[0], fl[0]) && kind != GAZK_FIRST)
			en.flags |= GAZE_ACRONYM;
		if (f[0][0] >= 'a' && f[0][0] <= 'z')
			en.flags |= GAZE_LOWER;
		if ((e = pool_intern(&bd->p, f[2], (uint32_t)fl[2], &en.id_off)))
			break;
		en.id_len = (uint16_t)fl[2];
		if ((e = pool_intern(&bd->p, f[3], (uint32_t)fl[3], &en.name_off)))
			break;
		en.name_len = (uint16_t)fl[3];
		if ((e = add_rec(bd, f[0], fl[0], &en, (*seq)++, NULL)))
			break;
		if (kind == GAZ_PER && !(en.flags & GAZE_WEAK) && (e = add_surname(bd, f[0], fl[0], &en, seq)))
			break;
		if (kind == GAZ_NORP && !(en.flags & GAZE_ACRONYM)) {
			const char *suf = plural_suffix(f[0], fl[0]);
			if (suf) {
				gaz_entry pl = en;
				pl.flags |= GAZE_PLURAL;
				/* generated after every explicit line of every file */
				if ((e = add_rec(bd, f[0], fl[0], &pl, (*seq)++ | 0x80000000u, suf)))
					break;
			}
		}
	}
	if (e == ERR_OK && ferror(fp))
		e = err_setf(ei, ERR_IO, "%s: read error", path);
	else if (e == ERR_NOMEM || e == ERR_LIMIT)
		e = err_setf(ei, e, "%s:%lu: %s", path, lno, err_str(e));
	free(line);
	fclose(fp);
	return e;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Appends the .tsv files of dir (and of its subfolders when depth > 0). */
static err list_dir(const char *dir, int depth, char ***files, uint32_t *n, uint32_t *cap)
{
	DIR *d = opendir(dir);
	if (!d)
		return errno == ENOENT ? ERR_OK : ERR_IO;
	struct dirent *de;
	err e = ERR_OK;
	while (!e && (de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		size_t dl = strlen(dir), nl = strlen(de->d_name);
		char *p = malloc(dl + nl + 2);
		if (!p) {
			e = ERR_NOMEM;
			break;
		}
		memcpy(p, dir, dl);
		p[dl] = '/';
		memcpy(p + dl + 1, de->d_name, nl + 1);
		struct stat st;
		if (stat(p, &st) == 0 && S_ISDIR(st.st_mode) && depth > 0) {
			e = list_dir(p, depth - 1, files, n, cap);
			free(p);
		} else if (nl > 4 && strcmp(de->d_name + nl - 4, ".tsv") == 0 && S_ISREG(st.st_mode)) {
			if ((e = grow((void **)files, cap, *n + 1, sizeof **files))) {
				free(p);
				break;
			}
			(*files)[(*n)++] = p;
		} else {
			free(p);
		}
	}
	closedir(d);
	return e;
}

static int cmp_rec_keys(const rec *a, const rec *b, const char *keys)
{
	uint32_t l = a->key_len < b->key_len ? a->key_len : b->key_len;
	int c = memcmp(keys + a->key_off, keys + b->key_off, l);
	if (c)
		return c;
	if (a->key_len != b->key_len)
		return a->key_len < b->key_len ? -1 : 1;
	return 0;
}

/* qsort has no context argument: sort an index with an explicit merge. */
static void merge_sort(uint32_t *ix, uint32_t *tmp, uint32_t n, const rec *v, const char *keys)
{
	if (n < 2)
		return;
	uint32_t h = n / 2;
	merge_sort(ix, tmp, h, v, keys);
	merge_sort(ix + h, tmp, n - h, v, keys);
	uint32_t i = 0, j = h, k = 0;
	while (i < h && j < n) {
		const rec *a = &v[ix[i]], *b = &v[ix[j]];
		int c = cmp_rec_keys(a, b, keys);
		if (c < 0 || (c == 0 && a->seq <= b->seq))
			tmp[k++] = ix[i++];
		else
			tmp[k++] = ix[j++];
	}
	while (i < h)
		tmp[k++] = ix[i++];
	while (j < n)
		tmp[k++] = ix[j++];
	memcpy(ix, tmp, n * sizeof *ix);
}

typedef struct {
	gaz_slot *s;
	uint32_t mask;
} table;

/* Finds key in the table being built; returns its slot index (empty slot
 * when absent). */
static uint32_t table_find(const table *t, const char *pool_b, const char *key, uint32_t len, uint64_t h)
{
	uint32_t i = (uint32_t)h & t->mask, hi = (uint32_t)(h >> 32);
	for (;;) {
		const gaz_slot *s = &t->s[i];
		if (s->key_len == 0)
			return i;
		if (s->hash_hi == hi && s->key_len == len && memcmp(pool_b + s->key_off, key, len) == 0)
			return i;
		i = (i + 1) & t->mask;
	}
}

static int same_entry(const gaz_entry *a, const gaz_entry *b)
{
	return a->kind == b->kind && a->id_off == b->id_off && a->id_len == b->id_len &&
	       a->name_off == b->name_off && a->start == b->start && a->flags == b->flags;
}

/* Where the last word of a normalized key (words joined by one space)
 * starts: 0 for a one-word key. */
static uint32_t last_word_start(const char *key, uint32_t len)
{
	while (len > 0 && key[len - 1] != ' ')
		len--;
	return len;
}

static err emit(builder *bd, model_writer *w, err_info *ei)
{
	uint32_t n = bd->n;
	uint32_t *ix = malloc(((size_t)n + 1) * sizeof *ix), *tmp = malloc(((size_t)n + 1) * sizeof *tmp);
	gaz_entry *ents = malloc(((size_t)n + 1) * sizeof *ents);
	err e = ERR_OK;
	table t = {NULL, 0};
	uint64_t *bloom = NULL, *more = NULL, *pairs = NULL;
	uint64_t pair_bits = 512;
	uint16_t *kinds = NULL;
	uint64_t *next = NULL;
	if (!ix || !tmp || !ents) {
		e = ERR_NOMEM;
		goto out;
	}
	for (uint32_t i = 0; i < n; i++)
		ix[i] = i;
	merge_sort(ix, tmp, n, bd->v, bd->keys);

	/* distinct keys and prefixes bound the table size */
	uint64_t need = 0;
	for (uint32_t i = 0; i < n; i++)
		need += bd->v[i].pieces;
	uint32_t n_slots = 16;
	while ((uint64_t)n_slots < need * 2 + 1) {
		if (n_slots >= (1u << 30)) {
			e = err_setf(ei, ERR_LIMIT, "gazetteer too large");
			goto out;
		}
		n_slots *= 2;
	}
	t.s = calloc(n_slots, sizeof *t.s);
	t.mask = n_slots - 1;
	uint32_t bloom_bits = 1024;
	while (bloom_bits < 32 * (n ? n : 1) && bloom_bits < (1u << 26))
		bloom_bits *= 2;
	bloom = calloc(bloom_bits / 64, sizeof *bloom);
	if (!t.s || !bloom) {
		e = ERR_NOMEM;
		goto out;
	}

	uint32_t n_ent = 0, n_keys = 0, max_pieces = 0;
	for (uint32_t i = 0; i < n;) {
		uint32_t j = i + 1;
		while (j < n && cmp_rec_keys(&bd->v[ix[i]], &bd->v[ix[j]], bd->keys) == 0)
			j++;
		const rec *r = &bd->v[ix[i]];
		uint32_t first = n_ent;
		for (uint32_t k = i; k < j; k++) {
			const gaz_entry *en = &bd->v[ix[k]].e;
			int dup = 0;
			for (uint32_t q = first; q < n_ent && !dup; q++)
				dup = same_entry(&ents[q], en);
			if (!dup && n_ent - first < UINT16_MAX)
				ents[n_ent++] = *en;
		}
		uint32_t koff;
		if ((e = pool_intern(&bd->p, bd->keys + r->key_off, r->key_len, &koff)))
			goto out;
		const char *key = bd->p.b + koff;
		uint64_t h = norm_hash(NORM_HASH_INIT, key, r->key_len);
		uint32_t s = table_find(&t, bd->p.b, key, r->key_len, h);
		if (t.s[s].key_len == 0)
			n_keys++;
		t.s[s] = (gaz_slot){(uint32_t)(h >> 32), koff, first, (uint16_t)r->key_len, (uint16_t)(n_ent - first)};
		/* every word prefix, so the tagger can stop at the first miss */
		for (uint32_t p = 0; p < r->key_len; p++)
			if (key[p] == ' ') {
				uint64_t ph = norm_hash(NORM_HASH_INIT, key, p);
				uint32_t ps = table_find(&t, bd->p.b, key, p, ph);
				if (t.s[ps].key_len == 0) {
					t.s[ps] = (gaz_slot){(uint32_t)(ph >> 32), koff, 0, (uint16_t)p, 0};
					n_keys++;
				}
			}
		uint64_t fh = norm_hash(NORM_HASH_INIT, key, r->first_len);
		int lower = 0;
		for (uint32_t k = first; k < n_ent; k++)
			lower |= ents[k].flags & GAZE_LOWER;
		for (int q = 0; q < 1 + lower; q++) {
			uint64_t bh = q ? fh ^ GAZ_BLOOM_LOWER : fh;
			uint32_t bm = bloom_bits - 1, a = gaz_bloom_a(bh, bm), b = gaz_bloom_b(bh, bm);
			bloom[a / 64] |= 1ull << (a % 64);
			bloom[b / 64] |= 1ull << (b % 64);
		}
		if (r->pieces > max_pieces)
			max_pieces = r->pieces;
		i = j;
	}
	/* resize to a load of at most 1/3: a lookup in the tagger (most of them
	 * misses) probes about 1.3 slots where a load of 2/3 takes 3 or more */
	uint32_t fit = 16;
	while (fit < 3 * (uint64_t)n_keys + 1)
		fit *= 2;
	if (fit != n_slots) {
		table nt = {calloc(fit, sizeof *nt.s), fit - 1};
		if (!nt.s) {
			e = ERR_NOMEM;
			goto out;
		}
		for (uint32_t k = 0; k < n_slots; k++)
			if (t.s[k].key_len) {
				const gaz_slot *o = &t.s[k];
				uint64_t h = norm_hash(NORM_HASH_INIT, bd->p.b + o->key_off, o->key_len);
				nt.s[table_find(&nt, bd->p.b, bd->p.b + o->key_off, o->key_len, h)] = *o;
			}
		free(t.s);
		t = nt;
		n_slots = fit;
	}
	/* GAZX: the slots whose key goes on in a longer key (every word
	 * prefix is a key, so marking each key's own prefix marks them all) */
	more = calloc(((size_t)n_slots + 63) / 64, sizeof *more);
	if (!more) {
		e = ERR_NOMEM;
		goto out;
	}
	for (uint32_t k = 0; k < n_slots; k++) {
		const gaz_slot *o = &t.s[k];
		if (!o->key_len)
			continue;
		const char *key = bd->p.b + o->key_off;
		uint32_t p = last_word_start(key, o->key_len);
		if (p < 2)
			continue;
		uint32_t ps = table_find(&t, bd->p.b, key, p - 1, norm_hash(NORM_HASH_INIT, key, p - 1));
		if (t.s[ps].key_len)
			more[ps / 64] |= 1ull << (ps % 64);
	}
	/* GAZP: (prefix, last word) of every key of two words or more */
	uint32_t n_multi = 0;
	for (uint32_t k = 0; k < n_slots; k++)
		n_multi += t.s[k].key_len && memchr(bd->p.b + t.s[k].key_off, ' ', t.s[k].key_len) ? 1u : 0u;
	while (pair_bits < 16ull * n_multi && pair_bits < (1u << 30))
		pair_bits *= 2;
	pairs = calloc(pair_bits / 64, sizeof *pairs);
	if (!pairs) {
		e = ERR_NOMEM;
		goto out;
	}
	for (uint32_t k = 0; k < n_slots; k++) {
		const gaz_slot *o = &t.s[k];
		if (!o->key_len)
			continue;
		const char *key = bd->p.b + o->key_off;
		uint32_t p = last_word_start(key, o->key_len);
		uint32_t wl = o->key_len - p;
		int plain = p >= 2 && wl >= 1 && wl <= GAZ_PLAIN_MAX;
		for (uint32_t q = 0; plain && q < wl; q++) {
			unsigned char ch = (unsigned char)key[p + q];
			plain = ch && ch < 0x80 && ch != '-' && ch != '`' && ch != ' ';
		}
		if (!plain)
			continue;
		uint64_t wh = norm_hash(NORM_HASH_INIT, key + p, wl);
		uint32_t a, b;
		gaz_pair_bits(norm_hash(NORM_HASH_INIT, key, p - 1), wh, (uint32_t)(pair_bits - 1), &a, &b);
		pairs[a / 64] |= 1ull << (a % 64);
		pairs[b / 64] |= 1ull << (b % 64);
	}
	kinds = calloc(n_slots, sizeof *kinds);
	uint32_t next_bits = gaz_next_bits(n_multi);
	next = calloc(next_bits / 64, sizeof *next);
	if (!kinds || !next) {
		e = ERR_NOMEM;
		goto out;
	}
	for (uint32_t k = 0; k < n_slots; k++)
		if (t.s[k].key_len)
			gaz_next_add(next, next_bits - 1, bd->p.b + t.s[k].key_off, t.s[k].key_len, norm_hash);
	for (uint32_t k = 0; k < n_slots; k++)
		kinds[k] = gaz_slot_kinds(ents + t.s[k].ent_first, t.s[k].n_ent);
	gaz_header hd = {GAZ_FORMAT_VERSION, n_slots, n_keys, n_ent, bd->p.len, bloom_bits, max_pieces, 0};
	if ((e = model_writer_add(w, GAZ_SEC_HEADER, &hd, sizeof hd)) ||
	    (e = model_writer_add(w, GAZ_SEC_TABLE, t.s, (size_t)n_slots * sizeof *t.s)) ||
	    (e = model_writer_add(w, GAZ_SEC_ENTRIES, ents, (size_t)n_ent * sizeof *ents)) ||
	    (e = model_writer_add(w, GAZ_SEC_POOL, bd->p.b, bd->p.len)) ||
	    (e = model_writer_add(w, GAZ_SEC_BLOOM, bloom, bloom_bits / 8)) ||
	    (e = model_writer_add(w, GAZ_SEC_MORE, more, ((size_t)n_slots + 63) / 64 * sizeof *more)) ||
	    (e = model_writer_add(w, GAZ_SEC_PAIRS, pairs, (size_t)(pair_bits / 8))) ||
	    (e = model_writer_add(w, GAZ_SEC_KINDS, kinds, (size_t)n_slots * sizeof *kinds)) ||
	    (e = model_writer_add(w, GAZ_SEC_NEXT, next, next_bits / 8)))
		goto out;
out:
	free(ix);
	free(tmp);
	free(ents);
	free(t.s);
	free(bloom);
	free(more);
	free(pairs);
	free(kinds);
	free(next);
	return e;
}

err gaz_build(const char *src_dir, model_writer *w, err_info *ei)
{
	builder bd;
	memset(&bd, 0, sizeof bd);
	arena_init(&bd.a, 64u << 20);
	char **files = NULL;
	uint32_t nf = 0, fcap = 0;
	size_t dl = strlen(src_dir);
	char *gdir = malloc(dl + 5);
	err e = ERR_OK;
	if (!gdir)
		return err_setf(ei, ERR_NOMEM, "out of memory");
	memcpy(gdir, src_dir, dl);
	memcpy(gdir + dl, "/gaz", 5);
	e = list_dir(gdir, 1, &files, &nf, &fcap);
	if (e) {
		e = err_setf(ei, e, "%s: cannot list gazetteer sources", gdir);
		goto out;
	}
	if (nf)
		qsort(files, nf, sizeof *files, cmp_str);
	/* offset 0 of the pool is an empty string, for empty ids and names */
	if ((e = grow((void **)&bd.p.b, &bd.p.cap, 1, 1)))
		goto out;
	bd.p.b[0] = '\0';
	bd.p.len = 1;
	uint32_t seq = 0;
	for (uint32_t i = 0; i < nf && !e; i++)
		e = read_file(&bd, files[i], &seq, ei);
	if (!e && (e = emit(&bd, w, ei)) && e == ERR_NOMEM)
		err_setf(ei, e, "out of memory building the gazetteer");
out:
	for (uint32_t i = 0; i < nf; i++)
		free(files[i]);
	free(files);
	free(gdir);
	free(bd.v);
	free(bd.keys);
	free(bd.p.b);
	free(bd.p.ix);
	arena_fini(&bd.a);
	return e;
}
