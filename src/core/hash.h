/*
** hash.h: a small hash table from byte strings (names, ids, numbers seen as
** bytes) to indexes, so that the readers look names up in constant time
** instead of by a linear search (which made them quadratic).
**
** Open addressing with linear probing; the table keeps its own copy of
** every key.  All memory comes from the library's allocator; a failed
** allocation leaves the table as it was and is reported, never hidden.
** A zeroed struct (or hash_init) is an empty table; hash_free empties it.
*/
#ifndef PL_HASH_H
#define PL_HASH_H

#include <stddef.h>

typedef struct hash_slot hash_slot;

typedef struct hash {
    hash_slot *slots;
    size_t n_slots; /* 0 or a power of two */
    size_t count;
    char *keys; /* the keys, one after another */
    size_t keys_len, keys_alloc;
} hash;

void hash_init(hash *h);
void hash_free(hash *h);
/* Forget every key, keeping the memory. */
void hash_clear(hash *h);

/* 1 and *value when `key` (len bytes) is in the table, else 0. */
int hash_find(const hash *h, const void *key, size_t len, size_t *value);
/* Add key -> value.  Returns 1 when added, 0 when the key was there already
** (*existing, if not NULL, gets its value; the table is unchanged), -1 when
** out of memory (the table is unchanged). */
int hash_add(hash *h, const void *key, size_t len, size_t value, size_t *existing);

/* The same for NUL-terminated strings. */
int hash_find_str(const hash *h, const char *key, size_t *value);
int hash_add_str(hash *h, const char *key, size_t value, size_t *existing);

#endif
