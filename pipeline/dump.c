/* SPDX-License-Identifier: MIT */
/* whosaid dump: output records (msgpack, or JSON Lines) to text tables.
 * Each table is a fixed list of columns; each row is built as cells
 * (string, integer or null) and then written in one of four formats:
 * jsonl (one object per row), csv (RFC 4180: quoted when a field holds
 * , " CR or LF, quotes doubled, CRLF line ends, header row), tsv (header
 * row, LF line ends, tab, newline, CR and backslash escaped as \t \n \r \\),
 * table (aligned columns for people, long fields cut with "..."). Nulls are
 * empty fields in csv, tsv and table. Text is written as UTF-8, with
 * U+FFFD for any invalid byte. */
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "cmd.h"
#include "dump.h"
#include "limits.h"
#include "rec.h"

#define MAX_COLS 12

typedef enum { TABLE_DOCS, TABLE_QUOTES, TABLE_ENTITIES } table_kind;
typedef enum { FMT_JSONL, FMT_CSV, FMT_TSV, FMT_TABLE } out_format;
typedef enum { CELL_NULL, CELL_STR, CELL_INT } cell_kind;

typedef struct {
	const char *name;
	int width; /* in the table format; 0: takes the rest of the line */
} column;

static const column docs_cols[] = {
	{"id", 24}, {"date", 10}, {"title", 0}, {"source", 12}, {"url", 0}, {"entities", 8},
	{"quotes", 6}, {"warnings", 12}, {"error", 0},
};
static const column quote_cols[] = {
	{"doc_id", 0}, {"date", 0}, {"when", 10}, {"speaker", 24}, {"speaker_id", 0},
	{"speaker_type", 0}, {"kind", 8}, {"cue", 0}, {"quote", 0}, {"start", 0}, {"end", 0},
};
static const column ent_cols[] = {
	{"doc_id", 0}, {"type", 4}, {"id", 18}, {"name", 26}, {"text", 0}, {"start", 0}, {"end", 0},
};

typedef struct {
	cell_kind kind[MAX_COLS];
	const char *p[MAX_COLS];
	size_t len[MAX_COLS];
	long long num[MAX_COLS];
	int n;
} row;

typedef struct {
	table_kind table;
	out_format fmt;
	int width; /* table format: line width */
	FILE *out;
	msgpack_sbuffer line; /* one row, built before it is written */
	msgpack_sbuffer tmp;
	char last_doc[128];   /* table format: the document whose rows show */
	size_t last_doc_len;
	int header_done;
	int werr; /* errno of the first failed write, 0 while all went out */
} dumper;

static void cell_str(row *r, const char *p, size_t len)
{
	r->kind[r->n] = CELL_STR;
	r->p[r->n] = p ? p : "";
	r->len[r->n] = len;
	r->n++;
}

static void cell_null(row *r)
{
	r->kind[r->n] = CELL_NULL;
	r->n++;
}

static void cell_int(row *r, long long v)
{
	r->kind[r->n] = CELL_INT;
	r->num[r->n] = v;
	r->n++;
}

/* A scalar msgpack value as a cell: strings, integers, null; others null. */
static void cell_obj(row *r, const msgpack_object *o)
{
	if (!o) {
		cell_null(r);
		return;
	}
	switch (o->type) {
	case MSGPACK_OBJECT_STR: cell_str(r, o->via.str.ptr, o->via.str.size); break;
	case MSGPACK_OBJECT_POSITIVE_INTEGER: cell_int(r, (long long)o->via.u64); break;
	case MSGPACK_OBJECT_NEGATIVE_INTEGER: cell_int(r, (long long)o->via.i64); break;
	case MSGPACK_OBJECT_BOOLEAN: cell_str(r, o->via.boolean ? "true" : "false", o->via.boolean ? 4 : 5); break;
	default: cell_null(r); break;
	}
}

static const msgpack_object *get(const msgpack_object *m, const char *key)
{
	return m ? rec_map_get(m, key) : NULL;
}

static const msgpack_object *get_map(const msgpack_object *m, const char *key)
{
	const msgpack_object *v = get(m, key);
	return v && v->type == MSGPACK_OBJECT_MAP ? v : NULL;
}

static void put(dumper *d, const char *p, size_t len)
{
	if (len) /* an empty buffer has data == NULL: memcpy(NULL, p, 0) is UB */
		msgpack_sbuffer_write(&d->line, p, len);
}

static void puts_(dumper *d, const char *s)
{
	put(d, s, strlen(s));
}

/* Appends p to sb as valid UTF-8; tmp holds the repaired copy if needed. */
static err valid_text(const char **p, size_t *len, msgpack_sbuffer *tmp)
{
	if (utf8_valid_prefix(*p, *len) == *len)
		return ERR_OK;
	msgpack_sbuffer_clear(tmp);
	if (utf8_sanitize(*p, *len, tmp) != ERR_OK)
		return ERR_NOMEM;
	*p = tmp->data ? tmp->data : "";
	*len = tmp->size;
	return ERR_OK;
}

static int wr(msgpack_sbuffer *sb, const char *p, size_t len)
{
	return len ? msgpack_sbuffer_write(sb, p, len) : 0;
}

err dump_csv_field(msgpack_sbuffer *sb, const char *p, size_t len)
{
	msgpack_sbuffer tmp;
	msgpack_sbuffer_init(&tmp);
	err e = valid_text(&p, &len, &tmp);
	int need = 0, rc = 0;
	for (size_t i = 0; i < len && !need; i++)
		need = p[i] == ',' || p[i] == '"' || p[i] == '\r' || p[i] == '\n';
	if (e == ERR_OK && !need) {
		rc = wr(sb, p, len);
	} else if (e == ERR_OK) {
		size_t s = 0;
		rc |= wr(sb, "\"", 1);
		for (size_t i = 0; i < len; i++) {
			if (p[i] == '"') {
				rc |= wr(sb, p + s, i + 1 - s);
				rc |= wr(sb, "\"", 1);
				s = i + 1;
			}
		}
		rc |= wr(sb, p + s, len - s);
		rc |= wr(sb, "\"", 1);
	}
	msgpack_sbuffer_destroy(&tmp);
	return e != ERR_OK || rc != 0 ? ERR_NOMEM : ERR_OK;
}

err dump_tsv_field(msgpack_sbuffer *sb, const char *p, size_t len)
{
	msgpack_sbuffer tmp;
	msgpack_sbuffer_init(&tmp);
	err e = valid_text(&p, &len, &tmp);
	int rc = 0;
	size_t s = 0;
	for (size_t i = 0; e == ERR_OK && i < len; i++) {
		const char *x = NULL;
		switch (p[i]) {
		case '\t': x = "\\t"; break;
		case '\n': x = "\\n"; break;
		case '\r': x = "\\r"; break;
		case '\\': x = "\\\\"; break;
		default: break;
		}
		if (x) {
			rc |= wr(sb, p + s, i - s);
			rc |= wr(sb, x, 2);
			s = i + 1;
		}
	}
	if (e == ERR_OK)
		rc |= wr(sb, p + s, len - s);
	msgpack_sbuffer_destroy(&tmp);
	return e != ERR_OK || rc != 0 ? ERR_NOMEM : ERR_OK;
}

/* Table format: the cell squeezed into width columns (code points), white
 * space runs folded to one space, cut with "..." when too long. */
static void put_fit(dumper *d, const char *p, size_t len, int width, int pad)
{
	msgpack_sbuffer_clear(&d->tmp);
	if (utf8_valid_prefix(p, len) != len) {
		if (utf8_sanitize(p, len, &d->tmp) != ERR_OK)
			return;
		p = d->tmp.data;
		len = d->tmp.size;
	}
	/* Count the code points of the folded text first, to know if it fits. */
	int total = 0, sp = 1;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)p[i];
		if (c <= ' ') {
			if (!sp)
				total++;
			sp = 1;
		} else if ((c & 0xc0) != 0x80) {
			total++;
			sp = 0;
		}
	}
	if (sp && total > 0)
		total--; /* a trailing space */
	int limit = total > width ? width - 3 : width;
	if (limit < 0)
		limit = 0;
	int shown = 0;
	sp = 1;
	for (size_t i = 0; i < len;) {
		unsigned char c = (unsigned char)p[i];
		if (c <= ' ') {
			int any = 0;
			while (i < len && (unsigned char)p[i] <= ' ')
				i++;
			any = i < len;
			if (!sp && any) {
				if (shown >= limit)
					break;
				put(d, " ", 1);
				shown++;
			}
			sp = 1;
			continue;
		}
		size_t k = 1;
		while (i + k < len && ((unsigned char)p[i + k] & 0xc0) == 0x80)
			k++;
		if (shown >= limit)
			break;
		put(d, p + i, k);
		shown++;
		sp = 0;
		i += k;
	}
	if (total > width && width >= 3) {
		put(d, "...", 3);
		shown += 3;
	}
	for (; pad && shown < width; shown++)
		put(d, " ", 1);
}

/* A failed write (full disk, closed pipe) is kept in d->werr; the loop
 * over the records then stops, and the run ends with status 2. */
static void write_line(dumper *d)
{
	if (!d->werr && d->line.size && fwrite(d->line.data, 1, d->line.size, d->out) != d->line.size)
		d->werr = errno ? errno : EIO;
	msgpack_sbuffer_clear(&d->line);
}

/* Ends a line of the table format: trailing blanks dropped, LF, written. */
static void write_table_line(dumper *d)
{
	while (d->line.size && d->line.data[d->line.size - 1] == ' ')
		d->line.size--;
	puts_(d, "\n");
	write_line(d);
}

static const column *cols_of(table_kind t, int *n)
{
	switch (t) {
	case TABLE_DOCS: *n = (int)(sizeof docs_cols / sizeof docs_cols[0]); return docs_cols;
	case TABLE_QUOTES: *n = (int)(sizeof quote_cols / sizeof quote_cols[0]); return quote_cols;
	default: *n = (int)(sizeof ent_cols / sizeof ent_cols[0]); return ent_cols;
	}
}

/* Table format: the columns that show, in order (*n_show of them, indexes
 * into the table's columns), and the width of each; the last one takes
 * what is left of the line. */
static void table_layout(const dumper *d, int order[MAX_COLS], int *n_show, int widths[MAX_COLS])
{
	int n;
	const column *cols = cols_of(d->table, &n);
	static const char *const docs_keep[] = {"id", "date", "entities", "quotes", "title", NULL};
	static const char *const quote_keep[] = {"speaker", "when", "kind", "quote", NULL};
	static const char *const ent_keep[] = {"type", "id", "name", "text", NULL};
	const char *const *keep = d->table == TABLE_DOCS ? docs_keep
				  : d->table == TABLE_QUOTES ? quote_keep : ent_keep;
	int used = 0, k = 0;
	for (; keep[k]; k++) {
		for (int i = 0; i < n; i++)
			if (strcmp(keep[k], cols[i].name) == 0)
				order[k] = i;
		widths[k] = cols[order[k]].width;
		if (keep[k + 1])
			used += widths[k] + 2;
	}
	widths[k - 1] = d->width - used > 20 ? d->width - used : 20;
	*n_show = k;
}

static void write_header(dumper *d)
{
	int n;
	const column *cols = cols_of(d->table, &n);
	d->header_done = 1;
	if (d->fmt == FMT_JSONL)
		return;
	if (d->fmt == FMT_TABLE) {
		int order[MAX_COLS], widths[MAX_COLS], n_show;
		table_layout(d, order, &n_show, widths);
		for (int k = 0; k < n_show; k++) {
			const char *name = cols[order[k]].name;
			if (k)
				puts_(d, "  ");
			put_fit(d, name, strlen(name), widths[k], 1);
		}
		write_table_line(d);
		return;
	}
	for (int i = 0; i < n; i++) {
		if (i)
			puts_(d, d->fmt == FMT_CSV ? "," : "\t");
		puts_(d, cols[i].name);
	}
	puts_(d, d->fmt == FMT_CSV ? "\r\n" : "\n");
	write_line(d);
}

static void write_row(dumper *d, const row *r)
{
	int n;
	const column *cols = cols_of(d->table, &n);
	if (!d->header_done)
		write_header(d);
	if (d->fmt == FMT_JSONL) {
		json_t *o = json_object();
		for (int i = 0; i < n && o; i++) {
			json_t *v;
			if (r->kind[i] == CELL_INT) {
				v = json_integer(r->num[i]);
			} else if (r->kind[i] == CELL_STR) {
				msgpack_sbuffer_clear(&d->tmp);
				if (utf8_sanitize(r->p[i], r->len[i], &d->tmp) != ERR_OK)
					v = NULL;
				else
					v = json_stringn_nocheck(d->tmp.data ? d->tmp.data : "", d->tmp.size);
			} else {
				v = json_null();
			}
			json_object_set_new_nocheck(o, cols[i].name, v);
		}
		if (o) {
			char *s = json_dumps(o, JSON_COMPACT);
			if (s) {
				puts_(d, s);
				puts_(d, "\n");
				free(s);
			}
			json_decref(o);
		}
		write_line(d);
		return;
	}
	char num[32];
	if (d->fmt == FMT_TABLE) {
		int order[MAX_COLS], widths[MAX_COLS], n_show;
		table_layout(d, order, &n_show, widths);
		for (int k = 0; k < n_show; k++) {
			int i = order[k];
			if (k)
				puts_(d, "  ");
			if (r->kind[i] == CELL_STR) {
				put_fit(d, r->p[i], r->len[i], widths[k], 1);
			} else if (r->kind[i] == CELL_INT) {
				int nk = snprintf(num, sizeof num, "%lld", r->num[i]);
				put_fit(d, num, (size_t)nk, widths[k], 1);
			} else {
				put_fit(d, "-", 1, widths[k], 1);
			}
		}
		write_table_line(d);
		return;
	}
	for (int i = 0; i < n; i++) {
		if (i)
			puts_(d, d->fmt == FMT_CSV ? "," : "\t");
		if (r->kind[i] == CELL_STR) {
			if (d->fmt == FMT_CSV)
				(void)!dump_csv_field(&d->line, r->p[i], r->len[i]);
			else
				(void)!dump_tsv_field(&d->line, r->p[i], r->len[i]);
		} else if (r->kind[i] == CELL_INT) {
			int k = snprintf(num, sizeof num, "%lld", r->num[i]);
			put(d, num, (size_t)k);
		}
	}
	puts_(d, d->fmt == FMT_CSV ? "\r\n" : "\n");
	write_line(d);
}

static size_t array_size(const msgpack_object *o)
{
	return o && o->type == MSGPACK_OBJECT_ARRAY ? o->via.array.size : 0;
}

/* Table format: a line naming the document before its rows. */
static void doc_banner(dumper *d, const msgpack_object *rec)
{
	const msgpack_object *id = get(rec, "id");
	char key[128];
	size_t klen = 0;
	if (id && id->type == MSGPACK_OBJECT_STR) {
		klen = id->via.str.size < sizeof key ? id->via.str.size : sizeof key;
		memcpy(key, id->via.str.ptr, klen);
	} else if (id && id->type == MSGPACK_OBJECT_POSITIVE_INTEGER) {
		klen = (size_t)snprintf(key, sizeof key, "%llu", (unsigned long long)id->via.u64);
	}
	if (d->header_done && klen == d->last_doc_len && memcmp(key, d->last_doc, klen) == 0)
		return;
	memcpy(d->last_doc, key, klen);
	d->last_doc_len = klen;
	if (!d->header_done)
		write_header(d);
	const msgpack_object *date = get(rec, "date");
	const msgpack_object *title = get(rec, "title");
	puts_(d, "# ");
	put_fit(d, key, klen, 40, 0);
	if (date && date->type == MSGPACK_OBJECT_STR) {
		puts_(d, "  ");
		put_fit(d, date->via.str.ptr, date->via.str.size, 25, 0);
	}
	if (title && title->type == MSGPACK_OBJECT_STR) {
		puts_(d, "  ");
		put_fit(d, title->via.str.ptr, title->via.str.size, d->width > 90 ? d->width - 70 : 20, 0);
	}
	puts_(d, "\n");
	write_line(d);
}

static void dump_record(dumper *d, const msgpack_object *rec)
{
	const msgpack_object *id = get(rec, "id"), *date = get(rec, "date");
	if (d->table == TABLE_DOCS) {
		row r = {.n = 0};
		cell_obj(&r, id);
		cell_obj(&r, date);
		cell_obj(&r, get(rec, "title"));
		cell_obj(&r, get(rec, "source"));
		cell_obj(&r, get(rec, "url"));
		cell_int(&r, (long long)array_size(get(rec, "entities")));
		cell_int(&r, (long long)array_size(get(rec, "quotes")));
		/* warnings joined by ';' and the error as "code: message" */
		msgpack_sbuffer_clear(&d->tmp);
		char joined[512], errs[600];
		size_t jl = 0;
		const msgpack_object *w = get(rec, "warnings");
		for (size_t i = 0; i < array_size(w); i++) {
			const msgpack_object *s = &w->via.array.ptr[i];
			if (s->type != MSGPACK_OBJECT_STR)
				continue;
			int k = snprintf(joined + jl, sizeof joined - jl, "%s%.*s", jl ? ";" : "",
					 (int)s->via.str.size, s->via.str.ptr);
			if (k < 0 || (size_t)k >= sizeof joined - jl)
				break;
			jl += (size_t)k;
		}
		if (jl)
			cell_str(&r, joined, jl);
		else
			cell_null(&r);
		const msgpack_object *e = get_map(rec, "error");
		if (e) {
			const msgpack_object *code = get(e, "code"), *msg = get(e, "message");
			int k = snprintf(errs, sizeof errs, "%.*s: %.*s",
					 code && code->type == MSGPACK_OBJECT_STR ? (int)code->via.str.size : 0,
					 code && code->type == MSGPACK_OBJECT_STR ? code->via.str.ptr : "",
					 msg && msg->type == MSGPACK_OBJECT_STR ? (int)msg->via.str.size : 0,
					 msg && msg->type == MSGPACK_OBJECT_STR ? msg->via.str.ptr : "");
			cell_str(&r, errs, k > 0 ? ((size_t)k < sizeof errs ? (size_t)k : sizeof errs - 1) : 0);
		} else {
			cell_null(&r);
		}
		write_row(d, &r);
		return;
	}
	const msgpack_object *arr = get(rec, d->table == TABLE_QUOTES ? "quotes" : "entities");
	size_t n = array_size(arr);
	for (size_t i = 0; i < n; i++) {
		const msgpack_object *x = &arr->via.array.ptr[i];
		if (x->type != MSGPACK_OBJECT_MAP)
			continue;
		if (d->fmt == FMT_TABLE)
			doc_banner(d, rec);
		row r = {.n = 0};
		cell_obj(&r, id);
		if (d->table == TABLE_QUOTES) {
			const msgpack_object *spk = get_map(x, "speaker"), *cue = get_map(x, "cue");
			cell_obj(&r, date);
			cell_obj(&r, get(x, "when"));
			const msgpack_object *name = get(spk, "name");
			cell_obj(&r, name && name->type == MSGPACK_OBJECT_STR ? name : get(spk, "text"));
			cell_obj(&r, get(spk, "id"));
			cell_obj(&r, get(spk, "type"));
			cell_obj(&r, get(x, "kind"));
			cell_obj(&r, get(cue, "text"));
			cell_obj(&r, get(x, "text"));
		} else {
			cell_obj(&r, get(x, "type"));
			cell_obj(&r, get(x, "id"));
			cell_obj(&r, get(x, "name"));
			cell_obj(&r, get(x, "text"));
		}
		cell_obj(&r, get(x, "start"));
		cell_obj(&r, get(x, "end"));
		write_row(d, &r);
	}
}

static const char dump_usage[] =
	"usage: whosaid dump [--table docs|quotes|entities] [--format jsonl|csv|tsv|table]\n"
	"                    [--width N] [-o FILE] [FILE...]\n"
	"Turns output records of `whosaid run` (msgpack or JSON Lines) into text.\n"
	"  -t, --table T   docs: the records as JSON Lines (default), or one row per\n"
	"                  record in csv/tsv/table; quotes: one row per quote\n"
	"                  (doc_id,date,when,speaker,speaker_id,speaker_type,kind,cue,\n"
	"                  quote,start,end); entities: one row per mention\n"
	"                  (doc_id,type,id,name,text,start,end)\n"
	"  -f, --format F  jsonl (default), csv (RFC 4180, header row, CRLF line ends),\n"
	"                  tsv (header row; tab, newline, CR, backslash escaped as\n"
	"                  \\t \\n \\r \\\\), table (aligned columns for reading)\n"
	"  -w, --width N   line width of the table format (default: the terminal's,\n"
	"                  else $COLUMNS, else 120)\n"
	"  -o, --output FILE  write to FILE instead of standard output\n"
	"  -h, --help      this help\n";

static int term_width(void)
{
	struct winsize ws;
	if (isatty(1) && ioctl(1, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 40)
		return ws.ws_col;
	const char *c = getenv("COLUMNS");
	if (c && atoi(c) >= 40)
		return atoi(c);
	return 120;
}

int cmd_dump(int argc, char **argv)
{
	static const struct option opts[] = {
		{"table", required_argument, NULL, 't'},  {"format", required_argument, NULL, 'f'},
		{"width", required_argument, NULL, 'w'},  {"output", required_argument, NULL, 'o'},
		{"help", no_argument, NULL, 'h'},         {NULL, 0, NULL, 0},
	};
	/* A closed pipe on output is reported (EPIPE) and ends the dump with
	 * status 2, rather than killing the process without a word. */
	signal(SIGPIPE, SIG_IGN);
	dumper d;
	memset(&d, 0, sizeof d);
	d.table = TABLE_DOCS;
	d.fmt = FMT_JSONL;
	d.width = 0;
	const char *out_path = NULL;
	optind = 1;
	int ch;
	while ((ch = getopt_long(argc, argv, "t:f:w:o:h", opts, NULL)) != -1) {
		switch (ch) {
		case 't':
			if (strcmp(optarg, "docs") == 0)
				d.table = TABLE_DOCS;
			else if (strcmp(optarg, "quotes") == 0)
				d.table = TABLE_QUOTES;
			else if (strcmp(optarg, "entities") == 0)
				d.table = TABLE_ENTITIES;
			else {
				fprintf(stderr, "whosaid: unknown table '%s' (docs, quotes or entities)\n%s", optarg,
					dump_usage);
				return 2;
			}
			break;
		case 'f':
			if (strcmp(optarg, "jsonl") == 0 || strcmp(optarg, "json") == 0)
				d.fmt = FMT_JSONL;
			else if (strcmp(optarg, "csv") == 0)
				d.fmt = FMT_CSV;
			else if (strcmp(optarg, "tsv") == 0)
				d.fmt = FMT_TSV;
			else if (strcmp(optarg, "table") == 0)
				d.fmt = FMT_TABLE;
			else {
				fprintf(stderr, "whosaid: unknown format '%s' (jsonl, csv, tsv or table)\n%s",
					optarg, dump_usage);
				return 2;
			}
			break;
		case 'w':
			d.width = atoi(optarg);
			if (d.width < 40) {
				fprintf(stderr, "whosaid: --width wants 40 or more\n%s", dump_usage);
				return 2;
			}
			break;
		case 'o': out_path = optarg; break;
		case 'h': fputs(dump_usage, stdout); return 0;
		default: fputs(dump_usage, stderr); return 2;
		}
	}
	char **files = argv + optind;
	int n_files = argc - optind;
	if (cmd_check_inputs(files, n_files, out_path))
		return 2;
	d.out = stdout;
	if (out_path && strcmp(out_path, "-") != 0) {
		d.out = fopen(out_path, "wb");
		if (!d.out) {
			fprintf(stderr, "whosaid: %s: %s\n", out_path, strerror(errno));
			return 2;
		}
	}
	if (d.width == 0)
		d.width = term_width();
	msgpack_sbuffer_init(&d.line);
	msgpack_sbuffer_init(&d.tmp);
	rec_scratch s;
	rec_scratch_init(&s);
	int status = 0;
	uint64_t pos = 0;
	for (int f = 0; f < (n_files ? n_files : 1) && !d.werr; f++) {
		const char *path = n_files ? files[f] : NULL;
		const char *name = path ? path : "standard input";
		rec_reader *r;
		err_info ei = {ERR_OK, ""};
		if (rec_reader_open(path, &r, &ei) != ERR_OK) {
			fprintf(stderr, "whosaid: %s\n", ei.msg);
			status = 2;
			continue;
		}
		rec_reader_set_limit(r, REC_MAX_OUT_BYTES);
		for (;;) {
			rec_raw raw;
			int got;
			if (rec_read(r, &raw, &got, &ei) != ERR_OK) {
				fprintf(stderr, "whosaid: %s: %s\n", name, ei.msg);
				status = 2;
				break;
			}
			if (!got || d.werr)
				break;
			uint64_t p = pos++;
			rec_in in;
			err e = raw.e;
			if (e != ERR_OK)
				snprintf(ei.msg, sizeof ei.msg, "%s", raw.msg);
			else
				e = rec_decode(&raw, &s, &in, &ei);
			if (e != ERR_OK) {
				fprintf(stderr, "whosaid: %s: record %llu: %s: %s\n", name, (unsigned long long)p,
					err_str(e), ei.msg);
				if (status == 0)
					status = 1;
				continue;
			}
			if (d.table == TABLE_DOCS && d.fmt == FMT_JSONL) {
				msgpack_sbuffer_clear(&d.line);
				if (rec_write_json(&in.root, &d.line) != ERR_OK) {
					fprintf(stderr, "whosaid: %s: record %llu: cannot write it as JSON\n", name,
						(unsigned long long)p);
					msgpack_sbuffer_clear(&d.line);
					if (status == 0)
						status = 1;
					continue;
				}
				write_line(&d);
			} else {
				dump_record(&d, &in.root);
			}
		}
		rec_reader_close(r);
	}
	if (d.table != TABLE_DOCS && !d.header_done && d.fmt != FMT_JSONL)
		write_header(&d);
	else if (d.table == TABLE_DOCS && d.fmt != FMT_JSONL && !d.header_done)
		write_header(&d);
	rec_scratch_fini(&s);
	msgpack_sbuffer_destroy(&d.line);
	msgpack_sbuffer_destroy(&d.tmp);
	int bad = d.werr;
	if (!bad && fflush(d.out) != 0)
		bad = errno;
	if (!bad && ferror(d.out))
		bad = EIO;
	if (d.out != stdout && fclose(d.out) != 0 && !bad)
		bad = errno;
	if (bad) {
		fprintf(stderr, "whosaid: writing %s failed: %s\n", out_path ? out_path : "standard output",
			strerror(bad));
		return 2;
	}
	return status;
}
