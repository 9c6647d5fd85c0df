/* SPDX-License-Identifier: MIT */
#ifndef WHOSAID_ERR_H
#define WHOSAID_ERR_H

/* One error enum for the whole codebase; zero is success everywhere.
 * err_str() gives one fixed sentence per code; detail (which record, which
 * byte, which file) goes into an err_info, filled only at boundaries. */

#include <stddef.h>

#if defined(__GNUC__)
#define MUST_CHECK __attribute__((warn_unused_result))
#define PRINTF_LIKE(f, a) __attribute__((format(printf, f, a)))
#else
#define MUST_CHECK
#define PRINTF_LIKE(f, a)
#endif

typedef enum {
	ERR_OK = 0,
	ERR_NOMEM,   /* out of memory */
	ERR_LIMIT,   /* a named limit was exceeded */
	ERR_BADUTF8, /* invalid UTF-8 (strict mode) */
	ERR_BADREC,  /* record is not a map, lacks text, or is broken */
	ERR_MODEL,   /* model file missing, corrupt or of another version */
	ERR_IO,      /* read or write failed */
	ERR_USAGE,   /* bad command line */
	ERR_COUNT
} err;

typedef struct {
	err code;
	char msg[512];
} err_info;

/* A short fixed sentence for e ("record too large"); never NULL. */
const char *err_str(err e);

/* A stable machine-readable code for e ("limit"), used in error records. */
const char *err_code_name(err e);

/* Sets ei (when not NULL) to code e and a formatted message; returns e. */
err err_setf(err_info *ei, err e, const char *fmt, ...) PRINTF_LIKE(3, 4);

#endif
