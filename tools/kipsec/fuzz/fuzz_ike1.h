/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The IKEv1 parts of the fuzzer and of its seed corpus, kept apart from
 * the IKEv2 ones they are called from.
 */
#ifndef KIPSEC_FUZZ_IKE1_H
#define KIPSEC_FUZZ_IKE1_H

#include <stddef.h>
#include <stdint.h>

/* fuzz_ike1.c: decode one datagram as IKEv1, abort() on a bug. */
void fuzz_ike1_one(const uint8_t *data, size_t size);

/*
 * corpus_ike1.c: build the IKEv1 seeds, check that each decodes, and hand
 * each to write (which exits on failure).
 */
typedef void (*seed_writer)(const char *name, const uint8_t *p, size_t len);
void ike1_seeds(seed_writer write);

#endif /* KIPSEC_FUZZ_IKE1_H */
