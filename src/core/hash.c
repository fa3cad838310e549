/*
** hash.c: the string -> index hash table of hash.h.
*/
#include "core/hash.h"

#include "core/alloc.h"

#include <stdint.h>
#include <string.h>

struct hash_slot {
    size_t key; /* 1 + the key's offset in h->keys; 0: an empty slot */
    size_t len;
    size_t value;
    uint64_t hash;
};

/* FNV-1a, then a final mix so that the low bits depend on every byte. */
static uint64_t hash_bytes(const unsigned char *p, size_t len) {
    uint64_t x = 1469598103934665603u;
    for (size_t i = 0; i < len; i++) {
        x ^= p[i];
        x *= 1099511628211u;
    }
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdu;
    x ^= x >> 33;
    return x;
}

void hash_init(hash *h) { memset(h, 0, sizeof *h); }

void hash_free(hash *h) {
    pl__free(h->slots);
    pl__free(h->keys);
    hash_init(h);
}

void hash_clear(hash *h) {
    if (h->slots) memset(h->slots, 0, h->n_slots * sizeof *h->slots);
    h->count = 0;
    h->keys_len = 0;
}

/* The slot holding `key`, or the empty slot where it would go. */
static hash_slot *probe(const hash *h, const void *key, size_t len, uint64_t x) {
    size_t mask = h->n_slots - 1;
    for (size_t i = (size_t)x & mask;; i = (i + 1) & mask) {
        hash_slot *s = &h->slots[i];
        if (!s->key) return s;
        if (s->hash == x && s->len == len && memcmp(h->keys + s->key - 1, key, len) == 0) return s;
    }
}

int hash_find(const hash *h, const void *key, size_t len, size_t *value) {
    if (!h->count) return 0;
    const hash_slot *s = probe(h, key, len, hash_bytes(key, len));
    if (!s->key) return 0;
    if (value) *value = s->value;
    return 1;
}

/* Room for one more key of `len` bytes: at most half the slots in use. */
static int reserve(hash *h, size_t len) {
    if (h->keys_alloc - h->keys_len < len + 1) {
        size_t want = h->keys_len + len + 1;
        size_t cap = h->keys_alloc ? h->keys_alloc : 256;
        while (cap < want) {
            if (cap > SIZE_MAX / 2) return 0;
            cap *= 2;
        }
        char *k = pl__realloc(h->keys, cap);
        if (!k) return 0;
        h->keys = k;
        h->keys_alloc = cap;
    }
    if ((h->count + 1) * 2 <= h->n_slots) return 1;
    size_t n = h->n_slots ? 2 * h->n_slots : 16;
    if (n > SIZE_MAX / sizeof(hash_slot)) return 0;
    hash_slot *slots = pl__calloc(n, sizeof *slots);
    if (!slots) return 0;
    hash old = *h;
    h->slots = slots;
    h->n_slots = n;
    for (size_t i = 0; i < old.n_slots; i++) {
        const hash_slot *s = &old.slots[i];
        if (!s->key) continue;
        hash_slot *d = &h->slots[(size_t)s->hash & (n - 1)];
        while (d->key) d = d + 1 == h->slots + n ? h->slots : d + 1;
        *d = *s;
    }
    pl__free(old.slots);
    return 1;
}

int hash_add(hash *h, const void *key, size_t len, size_t value, size_t *existing) {
    uint64_t x = hash_bytes(key, len);
    if (h->count) {
        const hash_slot *s = probe(h, key, len, x);
        if (s->key) {
            if (existing) *existing = s->value;
            return 0;
        }
    }
    if (!reserve(h, len)) return -1;
    hash_slot *s = probe(h, key, len, x);
    if (len) memcpy(h->keys + h->keys_len, key, len);
    h->keys[h->keys_len + len] = 0;
    s->key = h->keys_len + 1;
    s->len = len;
    s->value = value;
    s->hash = x;
    h->keys_len += len + 1;
    h->count++;
    return 1;
}

int hash_find_str(const hash *h, const char *key, size_t *value) {
    return hash_find(h, key, strlen(key), value);
}

int hash_add_str(hash *h, const char *key, size_t value, size_t *existing) {
    return hash_add(h, key, strlen(key), value, existing);
}
