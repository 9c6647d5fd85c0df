/* SPDX-License-Identifier: MIT */
/* Error codes, their fixed sentences and their names in error records. */
#include "err.h"

#include <stdarg.h>
#include <stdio.h>

static const char *const err_sentences[ERR_COUNT] = {
	[ERR_OK] = "success",
	[ERR_NOMEM] = "out of memory",
	[ERR_LIMIT] = "a size limit was exceeded",
	[ERR_BADUTF8] = "text is not valid UTF-8",
	[ERR_BADREC] = "malformed record",
	[ERR_MODEL] = "model is missing, corrupt or of another version",
	[ERR_IO] = "input/output error",
	[ERR_USAGE] = "bad usage",
};

static const char *const err_names[ERR_COUNT] = {
	[ERR_OK] = "ok",
	[ERR_NOMEM] = "nomem",
	[ERR_LIMIT] = "limit",
	[ERR_BADUTF8] = "bad_utf8",
	[ERR_BADREC] = "bad_record",
	[ERR_MODEL] = "model",
	[ERR_IO] = "io",
	[ERR_USAGE] = "usage",
};

const char *err_str(err e)
{
	return (unsigned)e < ERR_COUNT ? err_sentences[e] : "unknown error";
}

const char *err_code_name(err e)
{
	return (unsigned)e < ERR_COUNT ? err_names[e] : "unknown";
}

err err_setf(err_info *ei, err e, const char *fmt, ...)
{
	if (ei) {
		va_list ap;
		va_start(ap, fmt);
		ei->code = e;
		vsnprintf(ei->msg, sizeof ei->msg, fmt, ap);
		va_end(ap);
	}
	return e;
}
