/* SPDX-License-Identifier: MIT */
/* Record I/O. Framing is our own: msgpack-c's streaming msgpack_unpacker
 * can only find the end of an item by buffering all of it, so a record with
 * a 4 GB length prefix would have to be held in memory before it could be
 * refused. Our framer walks item headers with one counter (items still
 * owed) and one skip length, so it needs no stack, resumes where the last
 * read stopped, and drops the bytes of an oversize record as they stream by.
 * Decoding a framed record is msgpack-c's msgpack_unpack into a zone
 * (strings point into the record's bytes); JSON lines are parsed with
 * jansson and packed into msgpack first, so both formats decode alike. */
#include "rec.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "limits.h"
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#define READ_CHUNK ((size_t)1 << 20)

struct rec_reader {
	int fd;       /* -1 for a memory reader */
	int own_fd;
	char *buf;    /* owned buffer, or the caller's memory */
	size_t cap;
	size_t beg, end;   /* unread bytes are buf[beg, end) */
	uint64_t off_base; /* file offset of buf[0] */
	int eof, dead;
	rec_format fmt;
	uint64_t line; /* JSON lines consumed */
	/* the record being framed */
	int in_rec, over;
	size_t scanned;   /* bytes of it in buf from beg */
	uint64_t dropped; /* bytes of it already thrown away (oversize) */
	uint64_t need;    /* msgpack items still owed */
	uint64_t skip;    /* payload bytes still to pass */
	uint64_t rec_off;
	uint64_t max; /* largest record, in bytes */
};

static err reader_new(rec_reader **out)
{
	rec_reader *r = calloc(1, sizeof *r);
	if (!r)
		return ERR_NOMEM;
	r->fd = -1;
	r->max = REC_MAX_BYTES;
	*out = r;
	return ERR_OK;
}

err rec_reader_open(const char *path, rec_reader **out, err_info *ei)
{
	rec_reader *r;
	if (reader_new(&r) != ERR_OK)
		return err_setf(ei, ERR_NOMEM, "out of memory");
	if (!path || strcmp(path, "-") == 0) {
		r->fd = 0;
	} else {
		r->fd = open(path, O_RDONLY | O_CLOEXEC);
		if (r->fd < 0) {
			int e = errno;
			free(r);
			return err_setf(ei, ERR_IO, "%s: %s", path, strerror(e));
		}
		r->own_fd = 1;
	}
	r->cap = READ_CHUNK;
	r->buf = malloc(r->cap);
	if (!r->buf) {
		rec_reader_close(r);
		return err_setf(ei, ERR_NOMEM, "out of memory");
	}
	*out = r;
	return ERR_OK;
}

err rec_reader_open_mem(const void *buf, size_t len, rec_reader **out)
{
	rec_reader *r;
	if (reader_new(&r) != ERR_OK)
		return ERR_NOMEM;
	r->buf = (char *)(uintptr_t)buf; /* never written through: fd < 0 */
	r->cap = r->end = len;
	r->eof = 1;
	*out = r;
	return ERR_OK;
}

void rec_reader_close(rec_reader *r)
{
	if (!r)
		return;
	if (r->own_fd)
		close(r->fd);
	if (r->fd >= 0)
		free(r->buf);
	free(r);
}

void rec_reader_set_limit(rec_reader *r, uint64_t max_bytes)
{
	r->max = max_bytes;
}

rec_format rec_reader_format(const rec_reader *r)
{
	return r->fmt;
}

/* Reads more bytes after end, moving or growing the buffer as needed. */
static err fill(rec_reader *r, err_info *ei)
{
	if (r->fd < 0 || r->eof) {
		r->eof = 1;
		return ERR_OK;
	}
	if (r->beg > 0 && (r->end == r->cap || r->beg >= r->cap / 2)) {
		memmove(r->buf, r->buf + r->beg, r->end - r->beg);
		r->off_base += r->beg;
		r->end -= r->beg;
		r->beg = 0;
	}
	if (r->cap - r->end < READ_CHUNK / 4) {
		size_t ncap = r->cap * 2;
		char *nb = realloc(r->buf, ncap);
		if (!nb)
			return err_setf(ei, ERR_NOMEM, "out of memory");
		r->buf = nb;
		r->cap = ncap;
	}
	for (;;) {
		ssize_t n = read(r->fd, r->buf + r->end, r->cap - r->end);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return err_setf(ei, ERR_IO, "read failed: %s", strerror(errno));
		if (n == 0)
			r->eof = 1;
		r->end += (size_t)n;
		return ERR_OK;
	}
}

static int is_blank(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Skips leading blanks and a UTF-8 byte order mark, then tells the format
 * from the first byte. */
static err detect(rec_reader *r, err_info *ei)
{
	for (;;) {
		while (r->beg < r->end && is_blank((unsigned char)r->buf[r->beg]))
			r->line += r->buf[r->beg++] == '\n'; /* JSON line numbers count these */
		if (r->end - r->beg >= 3 && memcmp(r->buf + r->beg, "\xEF\xBB\xBF", 3) == 0) {
			r->beg += 3;
			continue;
		}
		if (r->beg < r->end && (r->end - r->beg >= 3 || r->eof))
			break;
		if (r->eof)
			return ERR_OK;
		err e = fill(r, ei);
		if (e != ERR_OK)
			return e;
	}
	unsigned char c = (unsigned char)r->buf[r->beg];
	if ((c >= 0x80 && c <= 0x8f) || c == 0xde || c == 0xdf)
		r->fmt = REC_FMT_MPK;
	else if (c == '{' || c == '[' || c == '"' || (c >= 0x20 && c < 0x7f))
		r->fmt = REC_FMT_JSONL; /* not an object: each line becomes an error record */
	else
		r->fmt = REC_FMT_MPK; /* not a map: each item becomes an error record */
	return ERR_OK;
}

static uint64_t be(const unsigned char *p, int n)
{
	uint64_t v = 0;
	for (int i = 0; i < n; i++)
		v = v << 8 | p[i];
	return v;
}

/* Reads the header of the msgpack item at p: returns its length (1-9), 0
 * when more than avail bytes are needed, -1 for 0xc1 (never used). *items
 * is the number of child items (2n for a map), *payload the bytes after the
 * header that belong to the item itself. */
static int mp_header(const unsigned char *p, size_t avail, uint64_t *items, uint64_t *payload)
{
	static const unsigned char fixed[32] = {
		/* payload bytes of 0xc0..0xdf when the header is one byte; 0xff: other */
		0, 0xff, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 4, 8, 1, 2, 4, 8,
		1, 2, 4, 8, 2, 3, 5, 9, 17, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	};
	if (avail == 0)
		return 0;
	unsigned c = p[0];
	*items = 0;
	*payload = 0;
	if (c <= 0x7f || c >= 0xe0)
		return 1;
	if (c <= 0x8f) {
		*items = 2u * (c & 15u);
		return 1;
	}
	if (c <= 0x9f) {
		*items = c & 15u;
		return 1;
	}
	if (c <= 0xbf) {
		*payload = c & 31u;
		return 1;
	}
	if (c == 0xc1)
		return -1;
	if (fixed[c - 0xc0] != 0xff) {
		*payload = fixed[c - 0xc0];
		return 1;
	}
	int lb; /* bytes of the length field */
	uint64_t extra = 0;
	switch (c) {
	case 0xc4: case 0xd9: lb = 1; break;
	case 0xc5: case 0xda: case 0xdc: case 0xde: lb = 2; break;
	case 0xc6: case 0xdb: case 0xdd: case 0xdf: lb = 4; break;
	case 0xc7: lb = 1; extra = 1; break;
	case 0xc8: lb = 2; extra = 1; break;
	default: lb = 4; extra = 1; break; /* 0xc9 */
	}
	if (avail < (size_t)lb + 1)
		return 0;
	uint64_t n = be(p + 1, lb);
	if (c == 0xdc || c == 0xdd)
		*items = n;
	else if (c == 0xde || c == 0xdf)
		*items = 2 * n;
	else
		*payload = n + extra;
	return lb + 1;
}

/* Walks the current msgpack record as far as the buffer allows: 1 when it
 * is complete, 0 when it needs more bytes, -1 on a byte that starts no item. */
static int mp_advance(rec_reader *r)
{
	const unsigned char *p = (const unsigned char *)r->buf + r->beg;
	size_t avail = r->end - r->beg;
	while (r->need > 0 || r->skip > 0) {
		if (r->skip > 0) {
			size_t a = avail - r->scanned;
			size_t t = (uint64_t)a < r->skip ? a : (size_t)r->skip;
			r->scanned += t;
			r->skip -= t;
			if (r->skip > 0)
				return 0;
			continue;
		}
		uint64_t items, payload;
		int h = mp_header(p + r->scanned, avail - r->scanned, &items, &payload);
		if (h <= 0)
			return h;
		r->scanned += (size_t)h;
		r->need = r->need - 1 + items;
		r->skip = payload;
		if (r->need > (UINT64_C(1) << 62))
			return -1;
		/* Each owed item takes at least one byte. */
		if (r->dropped + r->scanned + r->skip + r->need > r->max)
			r->over = 1;
	}
	return 1;
}

static void set_msg(rec_raw *out, err e, const char *fmt, unsigned long long a,
		    unsigned long long b)
{
	out->e = e;
	snprintf(out->msg, sizeof out->msg, fmt, a, b);
}

static err read_mpk(rec_reader *r, rec_raw *out, int *got, err_info *ei)
{
	if (!r->in_rec) {
		while (r->beg == r->end) {
			if (r->eof) {
				*got = 0;
				return ERR_OK;
			}
			err e = fill(r, ei);
			if (e != ERR_OK)
				return e;
		}
		r->in_rec = 1;
		r->over = 0;
		r->scanned = 0;
		r->dropped = 0;
		r->need = 1;
		r->skip = 0;
		r->rec_off = r->off_base + r->beg;
	}
	*got = 1;
	out->offset = r->rec_off;
	for (;;) {
		int k = mp_advance(r);
		if (k == 1) {
			r->in_rec = 0;
			if (r->over) {
				uint64_t size = r->dropped + r->scanned;
				r->beg += r->scanned;
				set_msg(out, ERR_LIMIT, "record of %llu bytes exceeds the limit of %llu bytes",
					(unsigned long long)size, (unsigned long long)r->max);
				return ERR_OK;
			}
			out->buf = r->buf + r->beg;
			out->len = r->scanned;
			r->beg += r->scanned;
			return ERR_OK;
		}
		if (k < 0) {
			uint64_t at = r->off_base + r->beg + r->scanned;
			r->in_rec = 0;
			r->dead = 1;
			r->beg = r->end;
			set_msg(out, ERR_BADREC,
				"byte at offset %llu starts no msgpack item (record began at %llu); the rest of the input is skipped",
				(unsigned long long)at, (unsigned long long)r->rec_off);
			return ERR_OK;
		}
		if (r->over) {
			r->dropped += r->scanned;
			r->beg += r->scanned;
			r->scanned = 0;
		}
		if (r->eof) {
			uint64_t size = r->dropped + r->scanned;
			r->in_rec = 0;
			r->dead = 1;
			r->beg = r->end;
			if (r->over)
				set_msg(out, ERR_LIMIT,
					"record exceeds the limit of %llu bytes, and the input ends inside it after %llu bytes",
					(unsigned long long)r->max, (unsigned long long)size);
			else
				set_msg(out, ERR_BADREC, "input ends inside a record (truncated after %llu bytes at offset %llu)",
					(unsigned long long)size, (unsigned long long)r->rec_off);
			return ERR_OK;
		}
		err e = fill(r, ei);
		if (e != ERR_OK)
			return e;
	}
}

static int blank_line(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (!is_blank((unsigned char)s[i]))
			return 0;
	return 1;
}

static err read_jsonl(rec_reader *r, rec_raw *out, int *got, err_info *ei)
{
	for (;;) {
		if (!r->in_rec) {
			if (r->beg == r->end) {
				if (r->eof) {
					*got = 0;
					return ERR_OK;
				}
				err e = fill(r, ei);
				if (e != ERR_OK)
					return e;
				continue;
			}
			r->in_rec = 1;
			r->over = 0;
			r->scanned = 0;
			r->dropped = 0;
			r->rec_off = r->off_base + r->beg;
		}
		const char *s = r->buf + r->beg;
		const char *nl = memchr(s + r->scanned, '\n', r->end - r->beg - r->scanned);
		size_t len;
		if (nl) {
			len = (size_t)(nl - s);
			r->beg += len + 1;
		} else if (r->eof) {
			len = r->end - r->beg;
			r->beg = r->end;
		} else {
			r->scanned = r->end - r->beg;
			if (r->dropped + r->scanned > r->max) {
				r->over = 1;
				r->dropped += r->scanned;
				r->beg = r->end;
				r->scanned = 0;
			}
			err e = fill(r, ei);
			if (e != ERR_OK)
				return e;
			continue;
		}
		r->in_rec = 0;
		r->line++;
		*got = 1;
		out->line = r->line;
		out->offset = r->rec_off;
		if (r->over || len > r->max) {
			set_msg(out, ERR_LIMIT, "line of %llu bytes exceeds the limit of %llu bytes",
				(unsigned long long)(r->dropped + len), (unsigned long long)r->max);
			return ERR_OK;
		}
		if (blank_line(s, len))
			continue;
		out->buf = s;
		out->len = len;
		return ERR_OK;
	}
}

err rec_read(rec_reader *r, rec_raw *out, int *got, err_info *ei)
{
	out->buf = NULL;
	out->len = 0;
	out->e = ERR_OK;
	out->line = 0;
	out->offset = 0;
	out->msg[0] = '\0';
	*got = 0;
	if (r->dead)
		return ERR_OK;
	if (r->fmt == REC_FMT_NONE) {
		err e = detect(r, ei);
		if (e != ERR_OK)
			return e;
		if (r->fmt == REC_FMT_NONE)
			return ERR_OK;
	}
	out->fmt = r->fmt;
	return r->fmt == REC_FMT_MPK ? read_mpk(r, out, got, ei) : read_jsonl(r, out, got, ei);
}

void rec_scratch_init(rec_scratch *s)
{
	msgpack_zone_init(&s->zone, 4096);
	msgpack_sbuffer_init(&s->conv);
	msgpack_sbuffer_init(&s->fix);
	msgpack_sbuffer_init(&s->tmp);
	msgpack_sbuffer_init(&s->jcnt);
	msgpack_sbuffer_init(&s->jstr);
}

void rec_scratch_fini(rec_scratch *s)
{
	msgpack_zone_destroy(&s->zone);
	msgpack_sbuffer_destroy(&s->conv);
	msgpack_sbuffer_destroy(&s->fix);
	msgpack_sbuffer_destroy(&s->tmp);
	msgpack_sbuffer_destroy(&s->jcnt);
	msgpack_sbuffer_destroy(&s->jstr);
}

/* ---- UTF-8 ---- */

size_t utf8_valid_prefix(const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;
	while (i < len) {
#if defined(__SSE2__)
		/* ASCII 64 bytes at a time, then 16; else straight to the first
		 * byte >= 0x80 */
		if (len - i >= 64) {
			const __m128i *q = (const __m128i *)(const void *)(s + i);
			__m128i o = _mm_or_si128(_mm_or_si128(_mm_loadu_si128(q), _mm_loadu_si128(q + 1)),
						 _mm_or_si128(_mm_loadu_si128(q + 2), _mm_loadu_si128(q + 3)));
			if (!_mm_movemask_epi8(o)) {
				i += 64;
				continue;
			}
		}
		if (len - i >= 16) {
			unsigned m = (unsigned)_mm_movemask_epi8(
				_mm_loadu_si128((const __m128i *)(const void *)(s + i)));
			if (!m) {
				i += 16;
				continue;
			}
			i += (unsigned)__builtin_ctz(m);
		} else
#endif
		if (len - i >= 8) {
			uint64_t w;
			memcpy(&w, s + i, 8);
			if (!(w & UINT64_C(0x8080808080808080))) {
				i += 8;
				continue;
			}
		}
		unsigned c = s[i];
		if (c < 0x80) {
			i++;
		} else if (c < 0xc2) {
			return i;
		} else if (c < 0xe0) {
			if (len - i < 2 || (s[i + 1] & 0xc0) != 0x80)
				return i;
			i += 2;
		} else if (c < 0xf0) {
			if (len - i < 3)
				return i;
			unsigned c1 = s[i + 1];
			if ((c1 & 0xc0) != 0x80 || (c == 0xe0 && c1 < 0xa0) || (c == 0xed && c1 > 0x9f) ||
			    (s[i + 2] & 0xc0) != 0x80)
				return i;
			i += 3;
		} else if (c < 0xf5) {
			if (len - i < 4)
				return i;
			unsigned c1 = s[i + 1];
			if ((c1 & 0xc0) != 0x80 || (c == 0xf0 && c1 < 0x90) || (c == 0xf4 && c1 > 0x8f) ||
			    (s[i + 2] & 0xc0) != 0x80 || (s[i + 3] & 0xc0) != 0x80)
				return i;
			i += 4;
		} else {
			return i;
		}
	}
	return len;
}

err utf8_sanitize(const char *s, size_t len, msgpack_sbuffer *sb)
{
	size_t i = 0;
	while (i < len) {
		size_t k = utf8_valid_prefix(s + i, len - i);
		if (k && msgpack_sbuffer_write(sb, s + i, k) != 0)
			return ERR_NOMEM;
		i += k;
		if (i < len) {
			if (msgpack_sbuffer_write(sb, "\xEF\xBF\xBD", 3) != 0)
				return ERR_NOMEM;
			i++;
		}
	}
	return ERR_OK;
}

/* ---- JSON -> msgpack ---- */

static int pack_json(msgpack_packer *pk, const json_t *j, int depth)
{
	if (depth > (int)REC_MAX_DEPTH)
		return -1;
	switch (json_typeof(j)) {
	case JSON_OBJECT: {
		const char *key;
		size_t klen;
		json_t *v;
		if (msgpack_pack_map(pk, json_object_size(j)) != 0)
			return -2;
		json_object_keylen_foreach((json_t *)(uintptr_t)j, key, klen, v) {
			if (msgpack_pack_str_with_body(pk, key, klen) != 0)
				return -2;
			int e = pack_json(pk, v, depth + 1);
			if (e != 0)
				return e;
		}
		return 0;
	}
	case JSON_ARRAY: {
		size_t n = json_array_size(j);
		if (msgpack_pack_array(pk, n) != 0)
			return -2;
		for (size_t i = 0; i < n; i++) {
			int e = pack_json(pk, json_array_get(j, i), depth + 1);
			if (e != 0)
				return e;
		}
		return 0;
	}
	case JSON_STRING:
		return msgpack_pack_str_with_body(pk, json_string_value(j), json_string_length(j)) ? -2 : 0;
	case JSON_INTEGER:
		return msgpack_pack_int64(pk, (int64_t)json_integer_value(j)) ? -2 : 0;
	case JSON_REAL:
		return msgpack_pack_double(pk, json_real_value(j)) ? -2 : 0;
	case JSON_TRUE:
		return msgpack_pack_true(pk) ? -2 : 0;
	case JSON_FALSE:
		return msgpack_pack_false(pk) ? -2 : 0;
	default:
		return msgpack_pack_nil(pk) ? -2 : 0;
	}
}

/* ---- JSON -> msgpack, the fast path ----
 * Two passes over a line that is valid UTF-8: the first checks the grammar
 * and counts the elements of every container (a msgpack header needs the
 * count first), the second packs. Anything the fast path does not handle
 * exactly as jansson would (a grammar error, an escaped or a repeated key,
 * a lone surrogate, a control character, a number out of range, nesting
 * deeper than REC_MAX_DEPTH) makes it give up, and the line goes through
 * jansson. Raw bytes: whitespace is space, tab, CR, LF, as in jansson. */

enum { JF_MAX_KEYS = 64, JF_MAX_NUM = 64 };

typedef struct {
	const unsigned char *p, *end;
	msgpack_sbuffer *cnt; /* uint32_t counts, in the order containers open */
	size_t n_cnt;         /* pass 2: the next count to use */
	msgpack_sbuffer *str;
	msgpack_packer pk;
} jfast;

static void jf_ws(jfast *j)
{
	while (j->p < j->end && (*j->p == ' ' || *j->p == '\t' || *j->p == '\n' || *j->p == '\r'))
		j->p++;
}

static int jf_hex4(const unsigned char *p, const unsigned char *end, unsigned *out)
{
	if (end - p < 4)
		return -1;
	unsigned v = 0;
	for (int i = 0; i < 4; i++) {
		unsigned c = p[i], d;
		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			d = c - 'A' + 10;
		else
			return -1;
		v = v << 4 | d;
	}
	*out = v;
	return 0;
}

/* Scans the string whose opening quote is at j->p; leaves j->p after the
 * closing quote, the body in [*b, *e) and *esc set when it holds escapes.
 * Checks every escape (surrogates paired) and refuses control bytes. */
static int jf_scan_str(jfast *j, const unsigned char **b, const unsigned char **e, int *esc)
{
	const unsigned char *p = j->p + 1, *end = j->end;
	*b = p;
	*esc = 0;
	for (;;) {
		/* eight bytes at a time while none is a quote, a backslash or a
		 * control byte (has-less-than bit tricks: exact for "any") */
		while (end - p >= 8) {
			uint64_t w;
			memcpy(&w, p, 8);
			const uint64_t ones = UINT64_C(0x0101010101010101), highs = ones * 0x80;
			uint64_t q = w ^ (ones * '"'), bs = w ^ (ones * '\\');
			uint64_t hit = ((q - ones) & ~q) | ((bs - ones) & ~bs) | ((w - ones * 0x20) & ~w);
			if (hit & highs)
				break;
			p += 8;
		}
		while (p < end && *p != '"' && *p != '\\' && *p >= 0x20)
			p++;
		if (p >= end || *p < 0x20)
			return -1;
		if (*p == '"')
			break;
		*esc = 1;
		if (end - p < 2)
			return -1;
		unsigned c = p[1];
		if (c == 'u') {
			unsigned u;
			if (jf_hex4(p + 2, end, &u) != 0)
				return -1;
			p += 6;
			if (u >= 0xdc00 && u <= 0xdfff)
				return -1;
			if (u >= 0xd800 && u <= 0xdbff) {
				unsigned lo;
				if (end - p < 6 || p[0] != '\\' || p[1] != 'u' || jf_hex4(p + 2, end, &lo) != 0 ||
				    lo < 0xdc00 || lo > 0xdfff)
					return -1;
				p += 6;
			}
		} else if (c == '"' || c == '\\' || c == '/' || c == 'b' || c == 'f' || c == 'n' ||
			   c == 'r' || c == 't') {
			p += 2;
		} else {
			return -1;
		}
	}
	*e = p;
	j->p = p + 1;
	return 0;
}

/* Decodes the escapes of a scanned string body into j->str. */
static int jf_unescape(jfast *j, const unsigned char *p, const unsigned char *end)
{
	msgpack_sbuffer *sb = j->str;
	msgpack_sbuffer_clear(sb);
	while (p < end) {
		const unsigned char *q = p;
		while (q < end && *q != '\\')
			q++;
		if (q > p && msgpack_sbuffer_write(sb, (const char *)p, (size_t)(q - p)) != 0)
			return -2;
		if (q >= end)
			break;
		char buf[4];
		size_t n = 1;
		unsigned c = q[1];
		p = q + 2;
		switch (c) {
		case 'b': buf[0] = '\b'; break;
		case 'f': buf[0] = '\f'; break;
		case 'n': buf[0] = '\n'; break;
		case 'r': buf[0] = '\r'; break;
		case 't': buf[0] = '\t'; break;
		case 'u': {
			unsigned u, lo;
			(void)jf_hex4(q + 2, end, &u);
			p = q + 6;
			if (u >= 0xd800 && u <= 0xdbff) {
				(void)jf_hex4(q + 8, end, &lo);
				u = 0x10000 + ((u - 0xd800) << 10) + (lo - 0xdc00);
				p = q + 12;
			}
			if (u < 0x80) {
				buf[0] = (char)u;
			} else if (u < 0x800) {
				buf[0] = (char)(0xc0 | u >> 6), buf[1] = (char)(0x80 | (u & 0x3f));
				n = 2;
			} else if (u < 0x10000) {
				buf[0] = (char)(0xe0 | u >> 12), buf[1] = (char)(0x80 | (u >> 6 & 0x3f));
				buf[2] = (char)(0x80 | (u & 0x3f));
				n = 3;
			} else {
				buf[0] = (char)(0xf0 | u >> 18), buf[1] = (char)(0x80 | (u >> 12 & 0x3f));
				buf[2] = (char)(0x80 | (u >> 6 & 0x3f)), buf[3] = (char)(0x80 | (u & 0x3f));
				n = 4;
			}
			break;
		}
		default: buf[0] = (char)c; break; /* " \ / */
		}
		if (msgpack_sbuffer_write(sb, buf, n) != 0)
			return -2;
	}
	return 0;
}

/* Scans a number at j->p (JSON grammar); *real when it has a fraction or
 * an exponent, as jansson tells integers from reals. */
static int jf_scan_num(jfast *j, int *real)
{
	const unsigned char *p = j->p, *end = j->end;
	*real = 0;
	if (p < end && *p == '-')
		p++;
	if (p >= end || *p < '0' || *p > '9')
		return -1;
	if (*p == '0')
		p++;
	else
		while (p < end && *p >= '0' && *p <= '9')
			p++;
	if (p < end && *p == '.') {
		*real = 1;
		p++;
		if (p >= end || *p < '0' || *p > '9')
			return -1;
		while (p < end && *p >= '0' && *p <= '9')
			p++;
	}
	if (p < end && (*p == 'e' || *p == 'E')) {
		*real = 1;
		p++;
		if (p < end && (*p == '+' || *p == '-'))
			p++;
		if (p >= end || *p < '0' || *p > '9')
			return -1;
		while (p < end && *p >= '0' && *p <= '9')
			p++;
	}
	/* jansson reads a number up to the next delimiter: "1x" is an error */
	if (p < end && ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || *p == '.' ||
			(*p >= '0' && *p <= '9') || *p == '+' || *p == '-'))
		return -1;
	j->p = p;
	return 0;
}

static int jf_lit(jfast *j, const char *lit, size_t n)
{
	if ((size_t)(j->end - j->p) < n || memcmp(j->p, lit, n) != 0)
		return -1;
	j->p += n;
	return 0;
}

/* Pass 1: grammar and counts. depth counts as pack_json's does. */
static int jf_check(jfast *j, int depth)
{
	if (depth > (int)REC_MAX_DEPTH)
		return -1;
	jf_ws(j);
	if (j->p >= j->end)
		return -1;
	unsigned c = *j->p;
	if (c == '{' || c == '[') {
		size_t at = j->cnt->size;
		uint32_t n = 0;
		if (msgpack_sbuffer_write(j->cnt, (const char *)&n, sizeof n) != 0)
			return -2;
		const unsigned char *kb[JF_MAX_KEYS], *ke[JF_MAX_KEYS];
		unsigned close = c == '{' ? '}' : ']';
		j->p++;
		jf_ws(j);
		if (j->p < j->end && *j->p == close) {
			j->p++;
			return 0;
		}
		for (;;) {
			if (close == '}') {
				jf_ws(j);
				int esc;
				if (n >= JF_MAX_KEYS || j->p >= j->end || *j->p != '"' ||
				    jf_scan_str(j, &kb[n], &ke[n], &esc) != 0 || esc)
					return -1;
				size_t kl = (size_t)(ke[n] - kb[n]);
				for (uint32_t i = 0; i < n; i++)
					if ((size_t)(ke[i] - kb[i]) == kl && memcmp(kb[i], kb[n], kl) == 0)
						return -1; /* a repeated key: jansson keeps the last */
				jf_ws(j);
				if (j->p >= j->end || *j->p != ':')
					return -1;
				j->p++;
			}
			int e = jf_check(j, depth + 1);
			if (e != 0)
				return e;
			n++;
			jf_ws(j);
			if (j->p >= j->end)
				return -1;
			if (*j->p == ',') {
				j->p++;
				continue;
			}
			if (*j->p != close)
				return -1;
			j->p++;
			break;
		}
		memcpy(j->cnt->data + at, &n, sizeof n);
		return 0;
	}
	if (c == '"') {
		const unsigned char *b, *e;
		int esc;
		return jf_scan_str(j, &b, &e, &esc);
	}
	if (c == 't')
		return jf_lit(j, "true", 4);
	if (c == 'f')
		return jf_lit(j, "false", 5);
	if (c == 'n')
		return jf_lit(j, "null", 4);
	int real;
	return jf_scan_num(j, &real);
}

/* Pass 2: packs what pass 1 checked. */
static int jf_pack(jfast *j)
{
	jf_ws(j);
	unsigned c = *j->p;
	if (c == '{' || c == '[') {
		uint32_t n;
		memcpy(&n, j->cnt->data + j->n_cnt * sizeof n, sizeof n);
		j->n_cnt++;
		if ((c == '{' ? msgpack_pack_map(&j->pk, n) : msgpack_pack_array(&j->pk, n)) != 0)
			return -2;
		j->p++;
		for (uint32_t i = 0; i < n; i++) {
			jf_ws(j);
			if (i > 0) { /* the comma */
				j->p++;
				jf_ws(j);
			}
			if (c == '{') {
				const unsigned char *b, *e;
				int esc;
				(void)jf_scan_str(j, &b, &e, &esc);
				if (msgpack_pack_str_with_body(&j->pk, b, (size_t)(e - b)) != 0)
					return -2;
				jf_ws(j);
				j->p++; /* the colon */
			}
			int r = jf_pack(j);
			if (r != 0)
				return r;
		}
		jf_ws(j);
		j->p++; /* the closing bracket */
		return 0;
	}
	if (c == '"') {
		const unsigned char *b, *e;
		int esc;
		(void)jf_scan_str(j, &b, &e, &esc);
		if (esc) {
			int r = jf_unescape(j, b, e);
			if (r != 0)
				return r;
			return msgpack_pack_str_with_body(&j->pk, j->str->data, j->str->size) ? -2 : 0;
		}
		return msgpack_pack_str_with_body(&j->pk, b, (size_t)(e - b)) ? -2 : 0;
	}
	if (c == 't') {
		j->p += 4;
		return msgpack_pack_true(&j->pk) ? -2 : 0;
	}
	if (c == 'f') {
		j->p += 5;
		return msgpack_pack_false(&j->pk) ? -2 : 0;
	}
	if (c == 'n') {
		j->p += 4;
		return msgpack_pack_nil(&j->pk) ? -2 : 0;
	}
	const unsigned char *b = j->p;
	int real;
	(void)jf_scan_num(j, &real);
	size_t n = (size_t)(j->p - b);
	char num[JF_MAX_NUM + 1];
	if (n > JF_MAX_NUM)
		return -1;
	memcpy(num, b, n);
	num[n] = '\0';
	char *end;
	errno = 0;
	if (real) {
		double d = strtod(num, &end);
		if (errno == ERANGE || end != num + n)
			return -1;
		return msgpack_pack_double(&j->pk, d) ? -2 : 0;
	}
	long long v = strtoll(num, &end, 10);
	if (errno == ERANGE || end != num + n)
		return -1;
	return msgpack_pack_int64(&j->pk, (int64_t)v) ? -2 : 0;
}

/* 0: packed into sb; -1: not for the fast path (sb as it was); -2: out of
 * memory. */
static int json_fast(const char *line, size_t len, rec_scratch *s, msgpack_sbuffer *sb)
{
	if (utf8_valid_prefix(line, len) != len)
		return -1;
	jfast j;
	j.p = (const unsigned char *)line;
	j.end = j.p + len;
	j.cnt = &s->jcnt;
	j.str = &s->jstr;
	j.n_cnt = 0;
	msgpack_sbuffer_clear(j.cnt);
	int r = jf_check(&j, 1);
	if (r != 0)
		return r;
	jf_ws(&j);
	if (j.p != j.end)
		return -1;
	size_t mark = sb->size;
	j.p = (const unsigned char *)line;
	msgpack_packer_init(&j.pk, sb, msgpack_sbuffer_write);
	r = jf_pack(&j);
	if (r != 0)
		sb->size = mark;
	return r;
}

err rec_json_to_mpk(const char *line, size_t len, rec_scratch *s, msgpack_sbuffer *sb,
		    int *bad_utf8, err_info *ei)
{
	*bad_utf8 = 0;
	int r = json_fast(line, len, s, sb);
	if (r == 0)
		return ERR_OK;
	if (r == -2)
		return err_setf(ei, ERR_NOMEM, "out of memory");
	return rec_json_to_mpk_ref(line, len, s, sb, bad_utf8, ei);
}

err rec_json_to_mpk_ref(const char *line, size_t len, rec_scratch *s, msgpack_sbuffer *sb,
			int *bad_utf8, err_info *ei)
{
	json_error_t je;
	*bad_utf8 = 0;
	json_t *j = json_loadb(line, len, JSON_DECODE_ANY | JSON_ALLOW_NUL, &je);
	if (!j && json_error_code(&je) == json_error_invalid_utf8) {
		msgpack_sbuffer_clear(&s->fix);
		if (utf8_sanitize(line, len, &s->fix) != ERR_OK)
			return err_setf(ei, ERR_NOMEM, "out of memory");
		*bad_utf8 = 1;
		j = json_loadb(s->fix.data, s->fix.size, JSON_DECODE_ANY | JSON_ALLOW_NUL, &je);
	}
	if (!j) {
		/* jansson quotes the input near the error: keep that printable */
		char txt[sizeof je.text * 4];
		size_t k = 0;
		for (const unsigned char *c = (const unsigned char *)je.text; *c && k + 5 < sizeof txt; c++) {
			if (*c < 0x20 || *c >= 0x7f)
				k += (size_t)snprintf(txt + k, sizeof txt - k, "\\x%02x", *c);
			else
				txt[k++] = (char)*c;
		}
		txt[k] = '\0';
		return err_setf(ei, ERR_BADREC, "broken JSON at column %d: %s", je.column, txt);
	}
	msgpack_packer pk;
	msgpack_packer_init(&pk, sb, msgpack_sbuffer_write);
	int e = pack_json(&pk, j, 1);
	json_decref(j);
	if (e == -1)
		return err_setf(ei, ERR_BADREC, "record is nested deeper than %u levels", REC_MAX_DEPTH);
	if (e != 0)
		return err_setf(ei, ERR_NOMEM, "out of memory");
	return ERR_OK;
}

/* ---- decoding ---- */

/* The length of the complete msgpack item at p, or 0 when it is broken. */
static size_t mp_item_len(const unsigned char *p, size_t len)
{
	uint64_t need = 1, items, payload;
	size_t at = 0;
	while (need > 0) {
		int h = mp_header(p + at, len - at, &items, &payload);
		if (h <= 0 || payload > len - at - (size_t)h)
			return 0;
		at += (size_t)h + (size_t)payload;
		need = need - 1 + items;
		if (need > len - at + 1)
			return 0;
	}
	return at;
}

const char *rec_type_name(msgpack_object_type t)
{
	switch (t) {
	case MSGPACK_OBJECT_NIL: return "nil";
	case MSGPACK_OBJECT_BOOLEAN: return "a boolean";
	case MSGPACK_OBJECT_POSITIVE_INTEGER:
	case MSGPACK_OBJECT_NEGATIVE_INTEGER: return "an integer";
	case MSGPACK_OBJECT_FLOAT32:
	case MSGPACK_OBJECT_FLOAT64: return "a number";
	case MSGPACK_OBJECT_STR: return "a string";
	case MSGPACK_OBJECT_ARRAY: return "an array";
	case MSGPACK_OBJECT_MAP: return "a map";
	case MSGPACK_OBJECT_BIN: return "binary";
	default: return "an extension";
	}
}

static int key_is(const msgpack_object *k, const char *key, size_t klen)
{
	return k->type == MSGPACK_OBJECT_STR && k->via.str.size == klen &&
	       memcmp(k->via.str.ptr, key, klen) == 0;
}

const msgpack_object *rec_map_get(const msgpack_object *m, const char *key)
{
	if (m->type != MSGPACK_OBJECT_MAP)
		return NULL;
	size_t klen = strlen(key);
	for (uint32_t i = 0; i < m->via.map.size; i++)
		if (key_is(&m->via.map.ptr[i].key, key, klen))
			return &m->via.map.ptr[i].val;
	return NULL;
}

/* 1 when every value of o sits at most REC_MAX_DEPTH levels deep (o at
 * level depth), as the JSON reader and writers count. msgpack-c's decoder
 * stops at 32 containers, which lets one more level through than JSON
 * does; the recursion is bounded by that stack. */
static int depth_ok(const msgpack_object *o, int depth)
{
	if (depth > (int)REC_MAX_DEPTH)
		return 0;
	if (o->type == MSGPACK_OBJECT_ARRAY) {
		for (uint32_t i = 0; i < o->via.array.size; i++)
			if (!depth_ok(&o->via.array.ptr[i], depth + 1))
				return 0;
	} else if (o->type == MSGPACK_OBJECT_MAP) {
		for (uint32_t i = 0; i < o->via.map.size; i++)
			if (!depth_ok(&o->via.map.ptr[i].key, depth + 1) ||
			    !depth_ok(&o->via.map.ptr[i].val, depth + 1))
				return 0;
	}
	return 1;
}

err rec_decode(const rec_raw *raw, rec_scratch *s, rec_in *out, err_info *ei)
{
	memset(out, 0, sizeof *out);
	const char *buf = raw->buf;
	size_t len = raw->len;
	if (raw->fmt == REC_FMT_JSONL) {
		int bad = 0;
		msgpack_sbuffer_clear(&s->conv);
		err e = rec_json_to_mpk(buf, len, s, &s->conv, &bad, ei);
		if (e != ERR_OK)
			return e;
		if (bad)
			out->warn |= REC_WARN_BAD_UTF8;
		buf = s->conv.data;
		len = s->conv.size;
	}
	msgpack_zone_clear(&s->zone);
	size_t off = 0;
	msgpack_unpack_return ur = msgpack_unpack(buf, len, &off, &s->zone, &out->root);
	if (ur == MSGPACK_UNPACK_NOMEM_ERROR)
		return err_setf(ei, ERR_BADREC, "record is nested deeper than %u levels (or out of memory)",
				REC_MAX_DEPTH);
	if (ur != MSGPACK_UNPACK_SUCCESS && ur != MSGPACK_UNPACK_EXTRA_BYTES)
		return err_setf(ei, ERR_BADREC, "msgpack item cannot be decoded");
	if (out->root.type != MSGPACK_OBJECT_MAP)
		return err_setf(ei, ERR_BADREC, "record is %s, not a map", rec_type_name(out->root.type));
	if (raw->fmt != REC_FMT_JSONL && !depth_ok(&out->root, 1))
		return err_setf(ei, ERR_BADREC, "record is nested deeper than %u levels", REC_MAX_DEPTH);
	const msgpack_object_map *m = &out->root.via.map;
	uint32_t *kv = msgpack_zone_malloc(&s->zone, ((size_t)m->size + 1) * sizeof *kv);
	if (!kv)
		return err_setf(ei, ERR_NOMEM, "out of memory");
	const unsigned char *p = (const unsigned char *)buf;
	uint64_t items, payload;
	size_t at = (size_t)mp_header(p, len, &items, &payload);
	for (uint32_t i = 0; i < m->size; i++) {
		kv[i] = (uint32_t)at;
		size_t k = mp_item_len(p + at, len - at);
		size_t v = k ? mp_item_len(p + at + k, len - at - k) : 0;
		if (!v)
			return err_setf(ei, ERR_BADREC, "msgpack item cannot be decoded");
		at += k + v;
	}
	kv[m->size] = (uint32_t)at;
	out->raw = buf;
	out->kv_off = kv;
	int seen_text = 0, seen_date = 0;
	for (uint32_t i = 0; i < m->size; i++) {
		const msgpack_object *k = &m->ptr[i].key, *v = &m->ptr[i].val;
		if (!out->id && key_is(k, "id", 2)) {
			out->id = v;
		} else if (!seen_text && key_is(k, "text", 4)) {
			seen_text = 1;
			if (v->type == MSGPACK_OBJECT_STR) {
				out->text = v->via.str.ptr ? v->via.str.ptr : "";
				out->text_len = v->via.str.size;
			}
		} else if (!seen_date && key_is(k, "date", 4)) {
			seen_date = 1;
			if (v->type == MSGPACK_OBJECT_STR) {
				out->date = v->via.str.ptr ? v->via.str.ptr : "";
				out->date_len = v->via.str.size;
			}
		}
	}
	return ERR_OK;
}

/* ---- msgpack -> JSON ---- */

static json_t *str_json(const char *p, size_t len, msgpack_sbuffer *tmp)
{
	if (len == 0)
		return json_stringn_nocheck("", 0);
	if (utf8_valid_prefix(p, len) == len)
		return json_stringn_nocheck(p, len);
	msgpack_sbuffer_clear(tmp);
	if (utf8_sanitize(p, len, tmp) != ERR_OK)
		return NULL;
	return json_stringn_nocheck(tmp->data, tmp->size);
}

/* Returns NULL on out of memory; *deep is set when the depth limit hit. */
static json_t *to_json(const msgpack_object *o, int depth, msgpack_sbuffer *tmp, int *deep)
{
	if (depth > (int)REC_MAX_DEPTH) {
		*deep = 1;
		return NULL;
	}
	switch (o->type) {
	case MSGPACK_OBJECT_NIL: return json_null();
	case MSGPACK_OBJECT_BOOLEAN: return json_boolean(o->via.boolean);
	case MSGPACK_OBJECT_POSITIVE_INTEGER:
		if (o->via.u64 > (uint64_t)INT64_MAX)
			return json_real((double)o->via.u64);
		return json_integer((json_int_t)o->via.u64);
	case MSGPACK_OBJECT_NEGATIVE_INTEGER: return json_integer((json_int_t)o->via.i64);
	case MSGPACK_OBJECT_FLOAT32:
	case MSGPACK_OBJECT_FLOAT64: {
		json_t *r = json_real(o->via.f64);
		return r ? r : json_null(); /* NaN and infinities have no JSON form */
	}
	case MSGPACK_OBJECT_STR: return str_json(o->via.str.ptr, o->via.str.size, tmp);
	case MSGPACK_OBJECT_BIN: return str_json(o->via.bin.ptr, o->via.bin.size, tmp);
	case MSGPACK_OBJECT_ARRAY: {
		json_t *a = json_array();
		for (uint32_t i = 0; a && i < o->via.array.size; i++) {
			json_t *v = to_json(&o->via.array.ptr[i], depth + 1, tmp, deep);
			if (!v || json_array_append_new(a, v) != 0) {
				json_decref(a);
				return NULL;
			}
		}
		return a;
	}
	case MSGPACK_OBJECT_MAP: {
		json_t *m = json_object();
		for (uint32_t i = 0; m && i < o->via.map.size; i++) {
			const msgpack_object *k = &o->via.map.ptr[i].key;
			json_t *v = to_json(&o->via.map.ptr[i].val, depth + 1, tmp, deep);
			int rc = -1;
			if (v && k->type == MSGPACK_OBJECT_STR) {
				msgpack_sbuffer_clear(tmp);
				if (utf8_sanitize(k->via.str.ptr, k->via.str.size, tmp) == ERR_OK)
					rc = json_object_setn_new_nocheck(m, tmp->data ? tmp->data : "", tmp->size, v);
				else
					json_decref(v);
			} else if (v) {
				char kb[64];
				switch (k->type) {
				case MSGPACK_OBJECT_POSITIVE_INTEGER:
					snprintf(kb, sizeof kb, "%llu", (unsigned long long)k->via.u64);
					break;
				case MSGPACK_OBJECT_NEGATIVE_INTEGER:
					snprintf(kb, sizeof kb, "%lld", (long long)k->via.i64);
					break;
				case MSGPACK_OBJECT_BOOLEAN:
					snprintf(kb, sizeof kb, "%s", k->via.boolean ? "true" : "false");
					break;
				case MSGPACK_OBJECT_NIL:
					snprintf(kb, sizeof kb, "null");
					break;
				default:
					snprintf(kb, sizeof kb, "?");
					break;
				}
				rc = json_object_set_new_nocheck(m, kb, v);
			}
			if (rc != 0) {
				json_decref(m);
				return NULL;
			}
		}
		return m;
	}
	default: return json_null(); /* extension types have no JSON form */
	}
}

static int dump_cb(const char *buf, size_t size, void *data)
{
	return size ? msgpack_sbuffer_write(data, buf, size) : 0;
}

/* ---- msgpack -> JSON, the fast path ----
 * Writes what jansson's json_dump (JSON_COMPACT) writes for the tree that
 * to_json would build, for the values that make up output records: nil,
 * booleans, integers, strings of valid UTF-8, arrays, and maps whose keys
 * are distinct strings of valid UTF-8. Anything else (reals, binary,
 * extensions, other keys, repeated keys, invalid UTF-8, nesting deeper than
 * REC_MAX_DEPTH) makes it give up, and the record goes through jansson. */

enum { JW_MAX_KEYS = 64 };

static int jw_put(msgpack_sbuffer *sb, const char *p, size_t n)
{
	return msgpack_sbuffer_write(sb, p, n) ? -2 : 0;
}

static int jw_str(msgpack_sbuffer *sb, const char *str, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";
	if (n == 0) /* msgpack-c gives an empty string no pointer */
		return jw_put(sb, "\"\"", 2);
	const unsigned char *p = (const unsigned char *)str, *end = p + n;
	if (jw_put(sb, "\"", 1) != 0)
		return -2;
	while (p < end) {
		const unsigned char *q = p;
		while (end - q >= 8) { /* as in jf_scan_str: 8 bytes at a time */
			uint64_t w;
			memcpy(&w, q, 8);
			const uint64_t ones = UINT64_C(0x0101010101010101), highs = ones * 0x80;
			uint64_t qu = w ^ (ones * '"'), bs = w ^ (ones * '\\');
			if ((((qu - ones) & ~qu) | ((bs - ones) & ~bs) | ((w - ones * 0x20) & ~w)) & highs)
				break;
			q += 8;
		}
		while (q < end && *q >= 0x20 && *q != '"' && *q != '\\')
			q++;
		if (q > p && jw_put(sb, (const char *)p, (size_t)(q - p)) != 0)
			return -2;
		if (q >= end)
			break;
		char e[6] = {'\\', 0, 0, 0, 0, 0};
		size_t el = 2;
		switch (*q) {
		case '"': e[1] = '"'; break;
		case '\\': e[1] = '\\'; break;
		case '\b': e[1] = 'b'; break;
		case '\f': e[1] = 'f'; break;
		case '\n': e[1] = 'n'; break;
		case '\r': e[1] = 'r'; break;
		case '\t': e[1] = 't'; break;
		default:
			e[1] = 'u', e[2] = '0', e[3] = '0', e[4] = hex[*q >> 4], e[5] = hex[*q & 15];
			el = 6;
			break;
		}
		if (jw_put(sb, e, el) != 0)
			return -2;
		p = q + 1;
	}
	return jw_put(sb, "\"", 1);
}

/* What "%lld" prints (snprintf cost more than the rest of an entity). */
static size_t jw_utoa(char out[32], uint64_t v, int neg)
{
	char tmp[24];
	size_t n = 0, k = 0;
	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	if (neg)
		out[k++] = '-';
	while (n)
		out[k++] = tmp[--n];
	return k;
}

static int jw_value(const msgpack_object *o, int depth, msgpack_sbuffer *sb)
{
	if (depth > (int)REC_MAX_DEPTH)
		return -1;
	char num[32];
	switch (o->type) {
	case MSGPACK_OBJECT_NIL: return jw_put(sb, "null", 4);
	case MSGPACK_OBJECT_BOOLEAN: return o->via.boolean ? jw_put(sb, "true", 4) : jw_put(sb, "false", 5);
	case MSGPACK_OBJECT_POSITIVE_INTEGER:
		if (o->via.u64 > (uint64_t)INT64_MAX)
			return -1;
		return jw_put(sb, num, jw_utoa(num, o->via.u64, 0));
	case MSGPACK_OBJECT_NEGATIVE_INTEGER: {
		/* the magnitude of INT64_MIN too, without overflow */
		uint64_t mag = o->via.i64 < 0 ? (uint64_t)0 - (uint64_t)o->via.i64 : (uint64_t)o->via.i64;
		return jw_put(sb, num, jw_utoa(num, mag, o->via.i64 < 0));
	}
	case MSGPACK_OBJECT_STR:
		if (utf8_valid_prefix(o->via.str.ptr, o->via.str.size) != o->via.str.size)
			return -1;
		return jw_str(sb, o->via.str.ptr, o->via.str.size);
	case MSGPACK_OBJECT_ARRAY: {
		if (jw_put(sb, "[", 1) != 0)
			return -2;
		for (uint32_t i = 0; i < o->via.array.size; i++) {
			if (i && jw_put(sb, ",", 1) != 0)
				return -2;
			int r = jw_value(&o->via.array.ptr[i], depth + 1, sb);
			if (r != 0)
				return r;
		}
		return jw_put(sb, "]", 1);
	}
	case MSGPACK_OBJECT_MAP: {
		const msgpack_object_map *m = &o->via.map;
		if (m->size > JW_MAX_KEYS)
			return -1;
		for (uint32_t i = 0; i < m->size; i++) {
			const msgpack_object *k = &m->ptr[i].key;
			if (k->type != MSGPACK_OBJECT_STR ||
			    utf8_valid_prefix(k->via.str.ptr, k->via.str.size) != k->via.str.size)
				return -1;
			for (uint32_t j = 0; j < i; j++) {
				const msgpack_object *kj = &m->ptr[j].key;
				if (kj->via.str.size == k->via.str.size &&
				    (k->via.str.size == 0 || memcmp(kj->via.str.ptr, k->via.str.ptr, k->via.str.size) == 0))
					return -1; /* a repeated key: jansson keeps one */
			}
		}
		if (jw_put(sb, "{", 1) != 0)
			return -2;
		for (uint32_t i = 0; i < m->size; i++) {
			if (i && jw_put(sb, ",", 1) != 0)
				return -2;
			const msgpack_object *k = &m->ptr[i].key;
			if (jw_str(sb, k->via.str.ptr, k->via.str.size) != 0 || jw_put(sb, ":", 1) != 0)
				return -2;
			int r = jw_value(&m->ptr[i].val, depth + 1, sb);
			if (r != 0)
				return r;
		}
		return jw_put(sb, "}", 1);
	}
	default: return -1;
	}
}

err rec_write_json(const msgpack_object *o, msgpack_sbuffer *sb)
{
	size_t mark = sb->size;
	int r = jw_value(o, 1, sb);
	if (r == 0 && jw_put(sb, "\n", 1) == 0)
		return ERR_OK;
	sb->size = mark;
	if (r == -2)
		return ERR_NOMEM;
	return rec_write_json_ref(o, sb);
}

err rec_write_json_ref(const msgpack_object *o, msgpack_sbuffer *sb)
{
	msgpack_sbuffer tmp;
	msgpack_sbuffer_init(&tmp);
	int deep = 0;
	json_t *j = to_json(o, 1, &tmp, &deep);
	msgpack_sbuffer_destroy(&tmp);
	if (!j)
		return deep ? ERR_LIMIT : ERR_NOMEM;
	int rc = json_dump_callback(j, dump_cb, sb, JSON_COMPACT | JSON_ENCODE_ANY);
	json_decref(j);
	if (rc != 0 || msgpack_sbuffer_write(sb, "\n", 1) != 0)
		return ERR_NOMEM;
	return ERR_OK;
}
