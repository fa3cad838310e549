/*
** io_file.h: the one way the readers read a file whole, under the input
** size cap (pl_set_max_input).
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

#endif
