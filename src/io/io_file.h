/*
** io_file.h: the one way the readers read files -- whole, under the input
** size cap (pl_set_max_input), or the first bytes to tell a kind of file --
** and the one way they tell a file's format from its name
** (pl_input_format_of in parley.h).
*/
#ifndef PL_IO_FILE_H
#define PL_IO_FILE_H

#include "parley.h"

#include <stddef.h>

/* Read the file at `path` into memory, NUL-terminated (the NUL is not
** counted in *len); *text is released with pl__free.  A file larger than
** pl_max_input() bytes is refused before anything is allocated for it when
** its size is known (a regular file), and as soon as the cap is passed when
** it is not (a pipe, a device such as /dev/zero); memory stays within the
** cap.  Failures are reported in `diags` under the file's name: PL_EIO (cannot
** be read, or a folder), PL_ERANGE (over the cap), PL_ENOMEM.  The text is
** not checked here: each reader's buffer entry point applies text_check
** (UTF-8, byte order mark skipped). */
pl_status io_file_read(const char *path, pl_diags *diags, char **text, size_t *len);

/* The first bytes of the file at `path` (at most size - 1, NUL-terminated
** in head; *len may be NULL), for a reader that tells kinds of files apart
** by their content.  PL_EIO when it cannot be opened (nothing reported: the
** whole read that follows says why), PL_ENOMEM when the C library could not
** allocate to open it. */
pl_status io_file_head(const char *path, char *head, size_t size, size_t *len);

/* 1 if `path` ends in `suffix` (lower case), letters compared in any case. */
int io_file_has_suffix(const char *path, const char *suffix);
/* 1 if text (a file's first bytes) starts like a decide data file: the
** first row's first field, unquoted, a tag #A, #P, #M, #D, #O or #/,
** then a TAB, ';' or ','. */
int io_is_decide(const char *text, size_t len);

#endif
