/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Wireshark key files, so that a capture of our traffic can be decrypted:
 * DIR/ikev2_decryption_table (IKE SAs), DIR/ikev1_decryption_table
 * (ISAKMP SAs) and DIR/esp_sa (ESP SAs), the files of the UATs of those
 * names as Wireshark 4.0 reads them from its configuration directory.
 * Each call appends one line; a file is created with mode 0600, for it
 * holds secrets.
 *
 * Algorithms are IANA transform IDs (ike.h) with the Key Length attribute
 * in bits (0 when the transform has none); integ_id is IKE_INTEG_NONE
 * with an AEAD. Keys are the daemon's as crypto.h lays them out: for
 * AES-CTR, AES-GCM and ChaCha20-Poly1305 the salt or nonce is at the end,
 * which is what Wireshark wants too. An algorithm Wireshark 4.0 cannot
 * decrypt or check still gets its line, with the nearest value that makes
 * Wireshark show the data undecrypted or the ICV unchecked (keylog.c).
 *
 * Return 0, -EINVAL for an algorithm we do not implement or a bad
 * argument, or -errno from opening or writing the file.
 */
#ifndef KIPSEC_IKE_KEYLOG_H
#define KIPSEC_IKE_KEYLOG_H

#include <stddef.h>
#include <stdint.h>

#include "crypto.h"

#define IKE_KEYLOG_IKE_FILE	"ikev2_decryption_table"
#define IKE_KEYLOG_IKE1_FILE	"ikev1_decryption_table"
#define IKE_KEYLOG_ESP_FILE	"esp_sa"

/* One IKE SA: its SPIs (IKE_SPI_LEN bytes each) and SK_e*, SK_a*. */
int ike_keylog_ike(const char *dir, const uint8_t spi_i[IKE_SPI_LEN],
		   const uint8_t spi_r[IKE_SPI_LEN],
		   const struct ike_sa_keys *k, uint16_t encr_id,
		   uint16_t encr_keybits, uint16_t integ_id);

/*
 * One ISAKMP (IKEv1) SA: the initiator's cookie (IKE_SPI_LEN bytes, the
 * same 8 as an IKEv2 SPI) and the Phase 1 encryption key as
 * ike1_sa_keys_derive() leaves it in enc_key: SKEYID_e expanded or cut
 * to the cipher's key length (RFC 2409 appendix B), which is what
 * Wireshark wants. key_len must be one a Phase 1 cipher has, 16, 24 or
 * 32 (AES-128, 3DES or AES-192, AES-256), or -EINVAL: Wireshark would
 * load a key of any other length, such as SKEYID_e itself, and silently
 * decrypt nothing with it.
 *
 * The line names no algorithm: Wireshark takes the cipher, its Key
 * Length and the hash from the Phase 1 SA payload it dissects, and
 * makes the Phase 1 IV itself, hash(g^xi | g^xr), from the two KE
 * payloads, telling g^xi by the source address of the first packet with
 * that cookie. So a capture decrypts only if it holds the exchange from
 * Main Mode message 1 on: 1 for the SA and for who initiated, 3 and 4
 * for the KE payloads, then every encrypted message of the SA in order,
 * each IV being the last block of the message before (a Quick Mode's
 * first, the last block of Phase 1).
 */
int ike_keylog_ike1(const char *dir, const uint8_t cky_i[IKE_SPI_LEN],
		    const uint8_t *key, size_t key_len);

/*
 * One ESP SA, one direction: family AF_INET or AF_INET6, src and dst the
 * outer addresses in network order (4 or 16 bytes), spi in host order.
 * akey is NULL (akey_len 0) with an AEAD.
 */
int ike_keylog_esp(const char *dir, int family, const uint8_t *src,
		   const uint8_t *dst, uint32_t spi, uint16_t encr_id,
		   uint16_t encr_keybits, const uint8_t *ekey,
		   size_t ekey_len, uint16_t integ_id, const uint8_t *akey,
		   size_t akey_len);

#endif /* KIPSEC_IKE_KEYLOG_H */
