/* SPDX-License-Identifier: MIT */
/* The model container: mmap, validate everything, then hand out sections
 * in place. Nothing is copied into the heap, so every thread and every
 * process shares the same pages. */
#include "model.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "limits.h"

struct model {
	const unsigned char *map;
	size_t len;
	int mapped; /* 1 when map came from mmap and must be unmapped */
	const model_section *sec;
	uint32_t n_sections;
};

static err validate(model *m, const char *what, err_info *ei)
{
	model_header h;
	if (m->len < sizeof h)
		return err_setf(ei, ERR_MODEL, "%s: too short to be a model (%zu bytes)", what, m->len);
	memcpy(&h, m->map, sizeof h);
	if (memcmp(h.magic, MODEL_MAGIC, 4) != 0)
		return err_setf(ei, ERR_MODEL, "%s: not a whosaid model (bad magic)", what);
	if (h.endian_mark != MODEL_ENDIAN_MARK)
		return err_setf(ei, ERR_MODEL, "%s: model has the wrong byte order", what);
	if (h.version != MODEL_VERSION)
		return err_setf(ei, ERR_MODEL, "%s: model version %u, this program reads version %u",
				what, h.version, MODEL_VERSION);
	if (h.file_len != m->len)
		return err_setf(ei, ERR_MODEL, "%s: model is %zu bytes but its header says %llu (truncated?)",
				what, m->len, (unsigned long long)h.file_len);
	if (h.n_sections > (m->len - sizeof h) / sizeof(model_section))
		return err_setf(ei, ERR_MODEL, "%s: section table runs past the end of the file", what);
	m->sec = (const model_section *)(m->map + sizeof h);
	m->n_sections = h.n_sections;
	size_t table_end = sizeof h + (size_t)h.n_sections * sizeof(model_section);
	for (uint32_t k = 0; k < m->n_sections; k++) {
		const model_section *s = &m->sec[k];
		if (s->off < table_end || s->off > m->len || s->len > m->len - s->off)
			return err_setf(ei, ERR_MODEL, "%s: section %u runs past the end of the file", what, k);
		if (s->off % 8 != 0)
			return err_setf(ei, ERR_MODEL, "%s: section %u is not 8-byte aligned", what, k);
		for (uint32_t j = 0; j < k; j++)
			if (m->sec[j].tag == s->tag)
				return err_setf(ei, ERR_MODEL, "%s: section %u repeats a tag", what, k);
	}
	return ERR_OK;
}

err model_open_mem(const void *buf, size_t len, model **out, err_info *ei)
{
	*out = NULL;
	if ((uintptr_t)buf % 8 != 0)
		return err_setf(ei, ERR_MODEL, "model buffer is not 8-byte aligned");
	model *m = calloc(1, sizeof *m);
	if (!m)
		return err_setf(ei, ERR_NOMEM, "out of memory opening a model");
	m->map = buf;
	m->len = len;
	err e = validate(m, "(memory)", ei);
	if (e != ERR_OK) {
		free(m);
		return e;
	}
	*out = m;
	return ERR_OK;
}

err model_open(const char *path, model **out, err_info *ei)
{
	*out = NULL;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return err_setf(ei, ERR_MODEL, "%s: cannot open model: %s", path, strerror(errno));
	struct stat st;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return err_setf(ei, ERR_MODEL, "%s: not a regular file", path);
	}
	if ((unsigned long long)st.st_size > MODEL_MAX_BYTES) {
		close(fd);
		return err_setf(ei, ERR_MODEL, "%s: model larger than MODEL_MAX_BYTES", path);
	}
	size_t len = (size_t)st.st_size;
	if (len == 0) {
		close(fd);
		return err_setf(ei, ERR_MODEL, "%s: model file is empty", path);
	}
	void *map = mmap(NULL, len, PROT_READ, MAP_SHARED, fd, 0);
	close(fd);
	if (map == MAP_FAILED)
		return err_setf(ei, ERR_MODEL, "%s: cannot map model: %s", path, strerror(errno));
	model *m = calloc(1, sizeof *m);
	if (!m) {
		munmap(map, len);
		return err_setf(ei, ERR_NOMEM, "out of memory opening a model");
	}
	m->map = map;
	m->len = len;
	m->mapped = 1;
	err e = validate(m, path, ei);
	if (e != ERR_OK) {
		model_close(m);
		return e;
	}
	*out = m;
	return ERR_OK;
}

void model_close(model *m)
{
	if (!m)
		return;
	if (m->mapped)
		munmap((void *)m->map, m->len);
	free(m);
}

err model_section_get(const model *m, uint32_t tag, const void **p, uint64_t *len)
{
	for (uint32_t k = 0; k < m->n_sections; k++)
		if (m->sec[k].tag == tag) {
			*p = m->map + m->sec[k].off;
			*len = m->sec[k].len;
			return ERR_OK;
		}
	return ERR_MODEL;
}

size_t model_size(const model *m)
{
	return m->len;
}

typedef struct {
	uint32_t tag;
	void *body;
	size_t len;
} pending;

struct model_writer {
	pending *v;
	uint32_t n, cap;
};

err model_writer_open(model_writer **out)
{
	*out = calloc(1, sizeof **out);
	return *out ? ERR_OK : ERR_NOMEM;
}

err model_writer_add(model_writer *w, uint32_t tag, const void *body, size_t len)
{
	if (w->n == w->cap) {
		uint32_t cap = w->cap ? w->cap * 2 : 8;
		pending *v = realloc(w->v, cap * sizeof *v);
		if (!v)
			return ERR_NOMEM;
		w->v = v;
		w->cap = cap;
	}
	void *copy = malloc(len ? len : 1);
	if (!copy)
		return ERR_NOMEM;
	if (len)
		memcpy(copy, body, len);
	w->v[w->n++] = (pending){tag, copy, len};
	return ERR_OK;
}

err model_writer_bytes(model_writer *w, void **buf, size_t *len)
{
	size_t off = sizeof(model_header) + (size_t)w->n * sizeof(model_section);
	off = (off + 7) & ~(size_t)7;
	size_t total = off;
	for (uint32_t k = 0; k < w->n; k++)
		total = ((total + w->v[k].len) + 7) & ~(size_t)7;
	unsigned char *b = NULL;
	if (posix_memalign((void **)&b, 8, total) != 0)
		return ERR_NOMEM;
	memset(b, 0, total);
	model_header h;
	memcpy(h.magic, MODEL_MAGIC, 4);
	h.version = MODEL_VERSION;
	h.endian_mark = MODEL_ENDIAN_MARK;
	h.n_sections = w->n;
	h.file_len = total;
	memcpy(b, &h, sizeof h);
	for (uint32_t k = 0; k < w->n; k++) {
		model_section s = {w->v[k].tag, 0, off, w->v[k].len};
		memcpy(b + sizeof h + k * sizeof s, &s, sizeof s);
		if (w->v[k].len)
			memcpy(b + off, w->v[k].body, w->v[k].len);
		off = (off + w->v[k].len + 7) & ~(size_t)7;
	}
	*buf = b;
	*len = total;
	return ERR_OK;
}

err model_writer_save(model_writer *w, const char *path, err_info *ei)
{
	void *buf;
	size_t len;
	if (model_writer_bytes(w, &buf, &len) != ERR_OK)
		return err_setf(ei, ERR_NOMEM, "out of memory writing %s", path);
	size_t plen = strlen(path);
	char *tmp = malloc(plen + 8);
	if (!tmp) {
		free(buf);
		return err_setf(ei, ERR_NOMEM, "out of memory writing %s", path);
	}
	memcpy(tmp, path, plen);
	memcpy(tmp + plen, ".tmp", 5);
	FILE *f = fopen(tmp, "wb");
	err e = ERR_OK;
	if (!f || fwrite(buf, 1, len, f) != len || fclose(f) != 0) {
		if (f && errno == 0)
			errno = EIO;
		e = err_setf(ei, ERR_IO, "%s: cannot write model: %s", tmp, strerror(errno));
	} else if (rename(tmp, path) != 0) {
		e = err_setf(ei, ERR_IO, "%s: cannot rename model: %s", path, strerror(errno));
	}
	if (e != ERR_OK)
		unlink(tmp);
	free(tmp);
	free(buf);
	return e;
}

void model_writer_close(model_writer *w)
{
	if (!w)
		return;
	for (uint32_t k = 0; k < w->n; k++)
		free(w->v[k].body);
	free(w->v);
	free(w);
}
