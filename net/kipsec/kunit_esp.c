// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of ESP input against published packets: each goes through
 * kipsec's own decryption (kipsec_esp_decrypt_prepare, kipsec_crypt_run)
 * and trailer check (kipsec_esp_strip) on an SA set up by kipsec_sad_add,
 * and must give back the published plaintext and Next Header. The packets,
 * keys and plaintexts are copied from the documents, never produced by the
 * code under test:
 *
 *   - draft-mcgrew-gcm-test-01 section 4: all of its 17 AES-GCM and AES-GMAC
 *     ESP packets (RFC 4106, RFC 4543), 128, 192 and 256-bit keys, 32-bit
 *     and 64-bit (ESN) sequence numbers, all with 16-byte ICVs (the draft
 *     has none with 8 or 12). The draft does not number its cases: they
 *     are numbered here in order, with the page each is on;
 *   - RFC 3602 section 4, cases 5 to 8 (AES-CBC, encryption only). kipsec
 *     refuses CBC without integrity, so the test appends an HMAC ICV it
 *     computes itself (RFC 4303 sections 2.2.1 and 3.3.2.1);
 *   - RFC 7634 appendix A (ChaCha20-Poly1305).
 *
 * Then the same packets altered (integrity failures) and, on an SA with
 * NULL encryption, trailers that are not RFC 4303 section 2.4's.
 */
#include <crypto/aead.h>
#include <crypto/hash.h>
#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/ip.h>
#include <linux/skbuff.h>
#include <linux/slab.h>
#include <uapi/linux/kipsec.h>

#include "alg.h"
#include "crypto.h"
#include "esp.h"
#include "sad.h"

/*
 * The vectors. Each packet runs from the SPI to the end of the ICV (for
 * RFC 3602, to the end of the ciphertext); each plaintext is what lies
 * between the IV and the ICV once decrypted: the payload, the padding, the
 * Pad Length and the Next Header.
 */

/*
 * draft-mcgrew-gcm-test-01 section 4. The key is the draft's key followed
 * by the salt, the first 4 bytes of its nonce (RFC 4106 section 4). For
 * AES-GMAC (case 15) the plaintext is the draft's authenticated payload,
 * which travels in the clear: the draft's GMAC plaintext is empty.
 */
/* case 1 (page 7): AES-GCM-128, 64-bit ESN */
static const u8 mcgrew1_key[] =
	"\x4c\x80\xcd\xef\xbb\x5d\x10\xda\x90\x6a\xc7\x3c\x36\x13\xa6\x34"
	"\x2e\x44\x3b\x68";
static const u8 mcgrew1_packet[] =
	"\x00\x00\x43\x21\x00\x00\x00\x00\x49\x56\xed\x7e\x3b\x24\x4c\xfe"
	"\xfe\xcf\x53\x7e\x72\x9d\x5b\x07\xdc\x30\xdf\x52\x8d\xd2\x2b\x76"
	"\x8d\x1b\x98\x73\x66\x96\xa6\xfd\x34\x85\x09\xfa\x13\xce\xac\x34"
	"\xcf\xa2\x43\x6f\x14\xa3\xf3\xcf\x65\x92\x5b\xf1\xf4\xa1\x3c\x5d"
	"\x15\xb2\x1e\x18\x84\xf5\xff\x62\x47\xae\xab\xb7\x86\xb9\x3b\xce"
	"\x61\xbc\x17\xd7\x68\xfd\x97\x32\x45\x90\x18\x14\x8f\x6c\xbe\x72"
	"\x2f\xd0\x47\x96\x56\x2d\xfd\xb4";
static const u8 mcgrew1_plain[] =
	"\x45\x00\x00\x48\x69\x9a\x00\x00\x80\x11\x4d\xb7\xc0\xa8\x01\x02"
	"\xc0\xa8\x01\x01\x0a\x9b\xf1\x56\x38\xd3\x01\x00\x00\x01\x00\x00"
	"\x00\x00\x00\x00\x04\x5f\x73\x69\x70\x04\x5f\x75\x64\x70\x03\x73"
	"\x69\x70\x09\x63\x79\x62\x65\x72\x63\x69\x74\x79\x02\x64\x6b\x00"
	"\x00\x21\x00\x01\x01\x02\x02\x01";

/* case 2 (page 8): AES-GCM-128, 32-bit sequence number */
static const u8 mcgrew2_key[] =
	"\xfe\xff\xe9\x92\x86\x65\x73\x1c\x6d\x6a\x8f\x94\x67\x30\x83\x08"
	"\xca\xfe\xba\xbe";
static const u8 mcgrew2_packet[] =
	"\x00\x00\xa5\xf8\x00\x00\x00\x0a\xfa\xce\xdb\xad\xde\xca\xf8\x88"
	"\xde\xb2\x2c\xd9\xb0\x7c\x72\xc1\x6e\x3a\x65\xbe\xeb\x8d\xf3\x04"
	"\xa5\xa5\x89\x7d\x33\xae\x53\x0f\x1b\xa7\x6d\x5d\x11\x4d\x2a\x5c"
	"\x3d\xe8\x18\x27\xc1\x0e\x9a\x4f\x51\x33\x0d\x0e\xec\x41\x66\x42"
	"\xcf\xbb\x85\xa5\xb4\x7e\x48\xa4\xec\x3b\x9b\xa9\x5d\x91\x8b\xd1"
	"\x83\xb7\x0d\x3a\xa8\xbc\x6e\xe4\xc3\x09\xe9\xd8\x5a\x41\xad\x4a";
static const u8 mcgrew2_plain[] =
	"\x45\x00\x00\x3e\x69\x8f\x00\x00\x80\x11\x4d\xcc\xc0\xa8\x01\x02"
	"\xc0\xa8\x01\x01\x0a\x98\x00\x35\x00\x2a\x23\x43\xb2\xd0\x01\x00"
	"\x00\x01\x00\x00\x00\x00\x00\x00\x03\x73\x69\x70\x09\x63\x79\x62"
	"\x65\x72\x63\x69\x74\x79\x02\x64\x6b\x00\x00\x01\x00\x01\x00\x01";

/* case 3 (page 9): AES-GCM-256, 32-bit sequence number */
static const u8 mcgrew3_key[] =
	"\xab\xbc\xcd\xde\xf0\x01\x12\x23\x34\x45\x56\x67\x78\x89\x9a\xab"
	"\xab\xbc\xcd\xde\xf0\x01\x12\x23\x34\x45\x56\x67\x78\x89\x9a\xab"
	"\x11\x22\x33\x44";
static const u8 mcgrew3_packet[] =
	"\x4a\x2c\xbf\xe3\x00\x00\x00\x02\x01\x02\x03\x04\x05\x06\x07\x08"
	"\xff\x42\x5c\x9b\x72\x45\x99\xdf\x7a\x3b\xcd\x51\x01\x94\xe0\x0d"
	"\x6a\x78\x10\x7f\x1b\x0b\x1c\xbf\x06\xef\xae\x9d\x65\xa5\xd7\x63"
	"\x74\x8a\x63\x79\x85\x77\x1d\x34\x7f\x05\x45\x65\x9f\x14\xe9\x9d"
	"\xef\x84\x2d\x8e\xb3\x35\xf4\xee\xcf\xdb\xf8\x31\x82\x4b\x4c\x49"
	"\x15\x95\x6c\x96";
static const u8 mcgrew3_plain[] =
	"\x45\x00\x00\x30\x69\xa6\x40\x00\x80\x06\x26\x90\xc0\xa8\x01\x02"
	"\x93\x89\x15\x5e\x0a\x9e\x00\x8b\x2d\xc5\x7e\xe0\x00\x00\x00\x00"
	"\x70\x02\x40\x00\x20\xbf\x00\x00\x02\x04\x05\xb4\x01\x01\x04\x02"
	"\x01\x02\x02\x01";

/* case 4 (page 10): AES-GCM-128, 32-bit sequence number */
static const u8 mcgrew4_key[] =
	"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
	"\x00\x00\x00\x00";
static const u8 mcgrew4_packet[] =
	"\x00\x00\x00\x00\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00\x00\x00"
	"\x46\x88\xda\xf2\xf9\x73\xa3\x92\x73\x29\x09\xc3\x31\xd5\x6d\x60"
	"\xf6\x94\xab\xaa\x41\x4b\x5e\x7f\xf5\xfd\xcd\xff\xf5\xe9\xa2\x84"
	"\x45\x64\x76\x49\x27\x19\xff\xb6\x4d\xe7\xd9\xdc\xa1\xe1\xd8\x94"
	"\xbc\x3b\xd5\x78\x73\xed\x4d\x18\x1d\x19\xd4\xd5\xc8\xc1\x8a\xf3"
	"\xf8\x21\xd4\x96\xee\xb0\x96\xe9\x8a\xd2\xb6\x9e\x47\x99\xc7\x1d";
static const u8 mcgrew4_plain[] =
	"\x45\x00\x00\x3c\x99\xc5\x00\x00\x80\x01\xcb\x7a\x40\x67\x93\x18"
	"\x01\x01\x01\x01\x08\x00\x07\x5c\x02\x00\x44\x00\x61\x62\x63\x64"
	"\x65\x66\x67\x68\x69\x6a\x6b\x6c\x6d\x6e\x6f\x70\x71\x72\x73\x74"
	"\x75\x76\x77\x61\x62\x63\x64\x65\x66\x67\x68\x69\x01\x02\x02\x01";

/* case 5 (page 11): AES-GCM-128, 64-bit ESN */
static const u8 mcgrew5_key[] =
	"\x3d\xe0\x98\x74\xb3\x88\xe6\x49\x19\x88\xd0\xc3\x60\x7e\xae\x1f"
	"\x57\x69\x0e\x43";
static const u8 mcgrew5_packet[] =
	"\x42\xf6\x7e\x3f\x10\x10\x10\x10\x4e\x28\x00\x00\xa2\xfc\xa1\xa3"
	"\xfb\xa2\xca\xa4\x85\x3c\xf9\xf0\xf2\x2c\xb1\x0d\x86\xdd\x83\xb0"
	"\xfe\xc7\x56\x91\xcf\x1a\x04\xb0\x0d\x11\x38\xec\x9c\x35\x79\x17"
	"\x65\xac\xbd\x87\x01\xad\x79\x84\x5b\xf9\xfe\x3f\xba\x48\x7b\xc9"
	"\x17\x55\xe6\x66\x2b\x4c\x8d\x0d\x1f\x5e\x22\x73\x95\x30\x32\x0a"
	"\xe0\xd7\x31\xcc\x97\x8e\xca\xfa\xea\xe8\x8f\x00\xe8\x0d\x6e\x48";
static const u8 mcgrew5_plain[] =
	"\x45\x00\x00\x3c\x99\xc3\x00\x00\x80\x01\xcb\x7c\x40\x67\x93\x18"
	"\x01\x01\x01\x01\x08\x00\x08\x5c\x02\x00\x43\x00\x61\x62\x63\x64"
	"\x65\x66\x67\x68\x69\x6a\x6b\x6c\x6d\x6e\x6f\x70\x71\x72\x73\x74"
	"\x75\x76\x77\x61\x62\x63\x64\x65\x66\x67\x68\x69\x01\x02\x02\x01";

/* case 6 (page 12): AES-GCM-128, 64-bit ESN */
static const u8 mcgrew6_key[] =
	"\x3d\xe0\x98\x74\xb3\x88\xe6\x49\x19\x88\xd0\xc3\x60\x7e\xae\x1f"
	"\x57\x69\x0e\x43";
static const u8 mcgrew6_packet[] =
	"\x42\xf6\x7e\x3f\x10\x10\x10\x10\x4e\x28\x00\x00\xa2\xfc\xa1\xa3"
	"\xfb\xa2\xca\x84\x5e\x5d\xf9\xf0\xf2\x2c\x3e\x6e\x86\xdd\x83\x1e"
	"\x1f\xc6\x57\x92\xcd\x1a\xf9\x13\x0e\x13\x79\xed\x36\x9f\x07\x1f"
	"\x35\xe0\x34\xbe\x95\xf1\x12\xe4\xe7\xd0\x5d\x35";
static const u8 mcgrew6_plain[] =
	"\x45\x00\x00\x1c\x42\xa2\x00\x00\x80\x01\x44\x1f\x40\x67\x93\xb6"
	"\xe0\x00\x00\x02\x0a\x00\xf5\xff\x01\x02\x02\x01";

/* case 7 (page 12): AES-GCM-192, 32-bit sequence number */
static const u8 mcgrew7_key[] =
	"\xfe\xff\xe9\x92\x86\x65\x73\x1c\x6d\x6a\x8f\x94\x67\x30\x83\x08"
	"\xfe\xff\xe9\x92\x86\x65\x73\x1c\xca\xfe\xba\xbe";
static const u8 mcgrew7_packet[] =
	"\x00\x00\xa5\xf8\x00\x00\x00\x0a\xfa\xce\xdb\xad\xde\xca\xf8\x88"
	"\xa5\xb1\xf8\x06\x60\x29\xae\xa4\x0e\x59\x8b\x81\x22\xde\x02\x42"
	"\x09\x38\xb3\xab\x33\xf8\x28\xe6\x87\xb8\x85\x8b\x5b\xfb\xdb\xd0"
	"\x31\x5b\x27\x45\x21\x44\xcc\x77\x95\x45\x7b\x96\x52\x03\x7f\x53"
	"\x18\x02\x7b\x5b\x4c\xd7\xa6\x36";
static const u8 mcgrew7_plain[] =
	"\x45\x00\x00\x28\xa4\xad\x40\x00\x40\x06\x78\x80\x0a\x01\x03\x8f"
	"\x0a\x01\x06\x12\x80\x23\x06\xb8\xcb\x71\x26\x02\xdd\x6b\xb0\x3e"
	"\x50\x10\x16\xd0\x75\x68\x00\x01";

/* case 8 (page 13): AES-GCM-128, 64-bit ESN */
static const u8 mcgrew8_key[] =
	"\xab\xbc\xcd\xde\xf0\x01\x12\x23\x34\x45\x56\x67\x78\x89\x9a\xab"
	"\xde\xca\xf8\x88";
static const u8 mcgrew8_packet[] =
	"\x00\x00\x01\x00\x00\x00\x00\x01\xca\xfe\xde\xba\xce\xfa\xce\x74"
	"\x18\xa6\xfd\x42\xf7\x2c\xbf\x4a\xb2\xa2\xea\x90\x1f\x73\xd8\x14"
	"\xe3\xe7\xf2\x43\xd9\x54\x12\xe1\xc3\x49\xc1\xd2\xfb\xec\x16\x8f"
	"\x91\x90\xfe\xeb\xaf\x2c\xb0\x19\x84\xe6\x58\x63\x96\x5d\x74\x72"
	"\xb7\x9d\xa3\x45\xe0\xe7\x80\x19\x1f\x0d\x2f\x0e\x0f\x49\x6c\x22"
	"\x6f\x21\x27\xb2\x7d\xb3\x57\x24\xe7\x84\x5d\x68\x65\x1f\x57\xe6"
	"\x5f\x35\x4f\x75\xff\x17\x01\x57\x69\x62\x34\x36";
static const u8 mcgrew8_plain[] =
	"\x45\x00\x00\x49\x33\xba\x00\x00\x7f\x11\x91\x06\xc3\xfb\x1d\x10"
	"\xc2\xb1\xd3\x26\xc0\x28\x31\xce\x00\x35\xdd\x7b\x80\x03\x02\xd5"
	"\x00\x00\x4e\x20\x00\x1e\x8c\x18\xd7\x5b\x81\xdc\x91\xba\xa0\x47"
	"\x6b\x91\xb9\x24\xb2\x80\x38\x9d\x92\xc9\x63\xba\xc0\x46\xec\x95"
	"\x9b\x62\x66\xc0\x47\x22\xb1\x49\x23\x01\x01\x01";

/* case 9 (page 14): AES-GCM-256, 64-bit ESN */
static const u8 mcgrew9_key[] =
	"\xab\xbc\xcd\xde\xf0\x01\x12\x23\x34\x45\x56\x67\x78\x89\x9a\xab"
	"\xab\xbc\xcd\xde\xf0\x01\x12\x23\x34\x45\x56\x67\x78\x89\x9a\xab"
	"\x73\x61\x6c\x74";
static const u8 mcgrew9_packet[] =
	"\x17\x40\x5e\x67\xdd\x0d\xb9\x9b\x61\x6e\x64\x01\x69\x76\x65\x63"
	"\xf2\xd6\x9e\xcd\xbd\x5a\x0d\x5b\x8d\x5e\xf3\x8b\xad\x4d\xa5\x8d"
	"\x1f\x27\x8f\xde\x98\xef\x67\x54\x9d\x52\x4a\x30\x18\xd9\xa5\x7f"
	"\xf4\xd3\xa3\x1c\xe6\x73\x11\x9e\x45\x16\x26\xc2\x41\x57\x71\xe3"
	"\xb7\xee\xbc\xa6\x14\xc8\x9b\x35";
static const u8 mcgrew9_plain[] =
	"\x45\x08\x00\x28\x73\x2c\x00\x00\x40\x06\xe9\xf9\x0a\x01\x06\x12"
	"\x0a\x01\x03\x8f\x06\xb8\x80\x23\xdd\x6b\xaf\xbe\xcb\x71\x26\x02"
	"\x50\x10\x1f\x64\x6d\x54\x00\x01";

/* case 10 (page 15): AES-GCM-128, 64-bit ESN */
static const u8 mcgrew10_key[] =
	"\x3d\xe0\x98\x74\xb3\x88\xe6\x49\x19\x88\xd0\xc3\x60\x7e\xae\x1f"
	"\x57\x69\x0e\x43";
static const u8 mcgrew10_packet[] =
	"\x42\xf6\x7e\x3f\x10\x10\x10\x10\x4e\x28\x00\x00\xa2\xfc\xa1\xa3"
	"\xfb\xa2\xca\xd1\x2f\xc1\xf9\xf0\x0d\x3c\xeb\xf3\x05\x41\x0d\xb8"
	"\x3d\x77\x84\xb6\x07\x32\x3d\x22\x0f\x24\xb0\xa9\x7d\x54\x18\x28"
	"\x00\xca\xdb\x0f\x68\xd9\x9e\xf0\xe0\xc0\xc8\x9a\xe9\xbe\xa8\x88"
	"\x4e\x52\xd6\x5b\xc1\xaf\xd0\x74\x0f\x74\x24\x44\x74\x7b\x5b\x39"
	"\xab\x53\x31\x63\xaa\xd4\x55\x0e\xe5\x16\x09\x75\xcd\xb6\x08\xc5"
	"\x76\x91\x89\x60\x97\x63\xb8\xe1\x8c\xaa\x81\xe2";
static const u8 mcgrew10_plain[] =
	"\x45\x00\x00\x49\x33\x3e\x00\x00\x7f\x11\x91\x82\xc3\xfb\x1d\x10"
	"\xc2\xb1\xd3\x26\xc0\x28\x31\xce\x00\x35\xcb\x45\x80\x03\x02\x5b"
	"\x00\x00\x01\xe0\x00\x1e\x8c\x18\xd6\x57\x59\xd5\x22\x84\xa0\x35"
	"\x2c\x71\x47\x5c\x88\x80\x39\x1c\x76\x4d\x6e\x5e\xe0\x49\x6b\x32"
	"\x5a\xe2\x70\xc0\x38\x99\x49\x39\x15\x01\x01\x01";

/* case 11 (page 16): AES-GCM-256, 64-bit ESN */
static const u8 mcgrew11_key[] =
	"\xab\xbc\xcd\xde\xf0\x01\x12\x23\x34\x45\x56\x67\x78\x89\x9a\xab"
	"\xab\xbc\xcd\xde\xf0\x01\x12\x23\x34\x45\x56\x67\x78\x89\x9a\xab"
	"\x73\x61\x6c\x74";
static const u8 mcgrew11_packet[] =
	"\x17\x40\x5e\x67\xdd\x0d\xb9\x9b\x61\x6e\x64\x01\x69\x76\x65\x63"
	"\xd4\xb7\xed\x86\xa1\x77\x7f\x2e\xa1\x3d\x69\x73\xd3\x24\xc6\x9e"
	"\x7b\x43\xf8\x26\xfb\x56\x83\x12\x26\x50\x8b\xeb\xd2\xdc\xeb\x18"
	"\xd0\xa6\xdf\x10\xe5\x48\x7d\xf0\x74\x11\x3e\x14\xc6\x41\x02\x4e"
	"\x3e\x67\x73\xd9\x1a\x62\xee\x42\x9b\x04\x3a\x10\xe3\xef\xe6\xb0"
	"\x12\xa4\x93\x63\x41\x23\x64\xf8\xc0\xca\xc5\x87\xf2\x49\xe5\x6b"
	"\x11\xe2\x4f\x30\xe4\x4c\xcc\x76";
static const u8 mcgrew11_plain[] =
	"\x63\x69\x73\x63\x6f\x01\x72\x75\x6c\x65\x73\x01\x74\x68\x65\x01"
	"\x6e\x65\x74\x77\x65\x01\x64\x65\x66\x69\x6e\x65\x01\x74\x68\x65"
	"\x74\x65\x63\x68\x6e\x6f\x6c\x6f\x67\x69\x65\x73\x01\x74\x68\x61"
	"\x74\x77\x69\x6c\x6c\x01\x64\x65\x66\x69\x6e\x65\x74\x6f\x6d\x6f"
	"\x72\x72\x6f\x77\x01\x02\x02\x01";

/* case 12 (page 17): AES-GCM-128, 32-bit sequence number */
static const u8 mcgrew12_key[] =
	"\x7d\x77\x3d\x00\xc1\x44\xc5\x25\xac\x61\x9d\x18\xc8\x4a\x3f\x47"
	"\xd9\x66\x42\x67";
static const u8 mcgrew12_packet[] =
	"\x33\x54\x67\xae\xff\xff\xff\xff\x43\x45\x7e\x91\x82\x44\x3b\xc6"
	"\x43\x7f\x86\x6b\xcb\x3f\x69\x9f\xe9\xb0\x82\x2b\xac\x96\x1c\x45"
	"\x04\xbe\xf2\x70";
static const u8 mcgrew12_plain[] =
	"\x01\x02\x02\x01";

/* case 13 (page 17): AES-GCM-128, 64-bit ESN */
static const u8 mcgrew13_key[] =
	"\xab\xbc\xcd\xde\xf0\x01\x12\x23\x34\x45\x56\x67\x78\x89\x9a\xab"
	"\xde\xca\xf8\x88";
static const u8 mcgrew13_packet[] =
	"\x00\x00\x01\x00\x00\x00\x00\x01\xca\xfe\xde\xba\xce\xfa\xce\x74"
	"\x29\xc9\xfc\x69\xa1\x97\xd0\x38\xcc\xdd\x14\xe2\xdd\xfc\xaa\x05"
	"\x43\x33\x21\x64\x41\x25\x03\x52\x43\x03\xed\x3c\x6c\x5f\x28\x38"
	"\x43\xaf\x8c\x3e";
static const u8 mcgrew13_plain[] =
	"\x74\x6f\x01\x62\x65\x01\x6f\x72\x01\x6e\x6f\x74\x01\x74\x6f\x01"
	"\x62\x65\x00\x01";

/* case 14 (page 18): AES-GCM-256, 64-bit ESN */
static const u8 mcgrew14_key[] =
	"\x6c\x65\x67\x61\x6c\x69\x7a\x65\x6d\x61\x72\x69\x6a\x75\x61\x6e"
	"\x61\x61\x6e\x64\x64\x6f\x69\x74\x62\x65\x66\x6f\x72\x65\x69\x61"
	"\x74\x75\x72\x6e";
static const u8 mcgrew14_packet[] =
	"\x79\x6b\x69\x63\xff\xff\xff\xff\x33\x30\x21\x69\x67\x65\x74\x6d"
	"\xf9\x7a\xb2\xaa\x35\x6d\x8e\xdc\xe1\x76\x44\xac\x8c\x78\xe2\x5d"
	"\xd2\x4d\xed\xbb\x29\xeb\xf1\xb6\x4a\x27\x4b\x39\xb4\x9c\x3a\x86"
	"\x4c\xd3\xd7\x8c\xa4\xae\x68\xa3\x2b\x42\x45\x8f\xb5\x7d\xbe\x82"
	"\x1d\xcc\x63\xb9\xd0\x93\x7b\xa2\x94\x5f\x66\x93\x68\x66\x1a\x32"
	"\x9f\xb4\xc0\x53";
static const u8 mcgrew14_plain[] =
	"\x45\x00\x00\x30\xda\x3a\x00\x00\x80\x01\xdf\x3b\xc0\xa8\x00\x05"
	"\xc0\xa8\x00\x01\x08\x00\xc6\xcd\x02\x00\x07\x00\x61\x62\x63\x64"
	"\x65\x66\x67\x68\x69\x6a\x6b\x6c\x6d\x6e\x6f\x70\x71\x72\x73\x74"
	"\x01\x02\x02\x01";

/* case 15 (page 19): AES-GMAC-128, 32-bit sequence number */
static const u8 mcgrew15_key[] =
	"\x4c\x80\xcd\xef\xbb\x5d\x10\xda\x90\x6a\xc7\x3c\x36\x13\xa6\x34"
	"\x22\x43\x3c\x64";
static const u8 mcgrew15_packet[] =
	"\x00\x00\x43\x21\x00\x00\x00\x07\x00\x00\x00\x00\x00\x00\x00\x00"
	"\x45\x00\x00\x30\xda\x3a\x00\x00\x80\x01\xdf\x3b\xc0\xa8\x00\x05"
	"\xc0\xa8\x00\x01\x08\x00\xc6\xcd\x02\x00\x07\x00\x61\x62\x63\x64"
	"\x65\x66\x67\x68\x69\x6a\x6b\x6c\x6d\x6e\x6f\x70\x71\x72\x73\x74"
	"\x01\x02\x02\x01\xf2\xa9\xa8\x36\xe1\x55\x10\x6a\xa8\xdc\xd6\x18"
	"\xe4\x09\x9a\xaa";
static const u8 mcgrew15_plain[] =
	"\x45\x00\x00\x30\xda\x3a\x00\x00\x80\x01\xdf\x3b\xc0\xa8\x00\x05"
	"\xc0\xa8\x00\x01\x08\x00\xc6\xcd\x02\x00\x07\x00\x61\x62\x63\x64"
	"\x65\x66\x67\x68\x69\x6a\x6b\x6c\x6d\x6e\x6f\x70\x71\x72\x73\x74"
	"\x01\x02\x02\x01";

/* case 16 (page 20): AES-GCM-128, 64-bit ESN */
static const u8 mcgrew16_key[] =
	"\x3d\xe0\x98\x74\xb3\x88\xe6\x49\x19\x88\xd0\xc3\x60\x7e\xae\x1f"
	"\x57\x69\x0e\x43";
static const u8 mcgrew16_packet[] =
	"\x3f\x7e\xf6\x42\x10\x10\x10\x10\x4e\x28\x00\x00\xa2\xfc\xa1\xa3"
	"\xfb\xa2\xca\xa8\xc6\xc5\xf9\xf0\xf2\x2c\xa5\x4a\x06\x12\x10\xad"
	"\x3f\x6e\x57\x91\xcf\x1a\xca\x21\x0d\x11\x7c\xec\x9c\x35\x79\x17"
	"\x65\xac\xbd\x87\x01\xad\x79\x84\x5b\xf9\xfe\x3f\xba\x48\x7b\xc9"
	"\x63\x21\x93\x06\x84\xee\xca\xdb\x56\x91\x25\x46\xe7\xa9\x5c\x97"
	"\x40\xd7\xcb\x05";
static const u8 mcgrew16_plain[] =
	"\x45\x00\x00\x30\xda\x3a\x00\x00\x80\x01\xdf\x3b\xc0\xa8\x00\x05"
	"\xc0\xa8\x00\x01\x08\x00\xc6\xcd\x02\x00\x07\x00\x61\x62\x63\x64"
	"\x65\x66\x67\x68\x69\x6a\x6b\x6c\x6d\x6e\x6f\x70\x71\x72\x73\x74"
	"\x01\x02\x02\x01";

/* case 17 (page 21): AES-GCM-128, 64-bit ESN */
static const u8 mcgrew17_key[] =
	"\x4c\x80\xcd\xef\xbb\x5d\x10\xda\x90\x6a\xc7\x3c\x36\x13\xa6\x34"
	"\x22\x43\x3c\x64";
static const u8 mcgrew17_packet[] =
	"\x00\x00\x43\x21\x00\x00\x00\x07\x48\x55\xec\x7d\x3a\x23\x4b\xfd"
	"\x74\x75\x2e\x8a\xeb\x5d\x87\x3c\xd7\xc0\xf4\xac\xc3\x6c\x4b\xff"
	"\x84\xb7\xd7\xb9\x8f\x0c\xa8\xb6\xac\xda\x68\x94\xbc\x61\x90\x69"
	"\xef\x9c\xbc\x28\xfe\x1b\x56\xa7\xc4\xe0\xd5\x8c\x86\xcd\x2b\xc0";
static const u8 mcgrew17_plain[] =
	"\x08\x00\xc6\xcd\x02\x00\x07\x00\x61\x62\x63\x64\x65\x66\x67\x68"
	"\x69\x6a\x6b\x6c\x6d\x6e\x6f\x70\x71\x72\x73\x74\x01\x02\x02\x01";

/*
 * RFC 3602 section 4, cases 5 to 8. The RFC gives the payload, the padding,
 * the Pad Length and the Next Header separately: the plaintext here is
 * them end to end.
 */
/* case 5 */
static const u8 rfc3602_5_key[] =
	"\x90\xd3\x82\xb4\x10\xee\xba\x7a\xd9\x38\xc4\x6c\xec\x1a\x82\xbf";
static const u8 rfc3602_5_packet[] =
	"\x00\x00\x43\x21\x00\x00\x00\x01\xe9\x6e\x8c\x08\xab\x46\x57\x63"
	"\xfd\x09\x8d\x45\xdd\x3f\xf8\x93\xf6\x63\xc2\x5d\x32\x5c\x18\xc6"
	"\xa9\x45\x3e\x19\x4e\x12\x08\x49\xa4\x87\x0b\x66\xcc\x6b\x99\x65"
	"\x33\x00\x13\xb4\x89\x8d\xc8\x56\xa4\x69\x9e\x52\x3a\x55\xdb\x08"
	"\x0b\x59\xec\x3a\x8e\x4b\x7e\x52\x77\x5b\x07\xd1\xdb\x34\xed\x9c"
	"\x53\x8a\xb5\x0c\x55\x1b\x87\x4a\xa2\x69\xad\xd0\x47\xad\x2d\x59"
	"\x13\xac\x19\xb7\xcf\xba\xd4\xa6";
static const u8 rfc3602_5_plain[] =
	"\x08\x00\x0e\xbd\xa7\x0a\x00\x00\x8e\x9c\x08\x3d\xb9\x5b\x07\x00"
	"\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17"
	"\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f\x20\x21\x22\x23\x24\x25\x26\x27"
	"\x28\x29\x2a\x2b\x2c\x2d\x2e\x2f\x30\x31\x32\x33\x34\x35\x36\x37"
	"\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0e\x01";

/* case 6 */
static const u8 rfc3602_6_key[] =
	"\x90\xd3\x82\xb4\x10\xee\xba\x7a\xd9\x38\xc4\x6c\xec\x1a\x82\xbf";
static const u8 rfc3602_6_packet[] =
	"\x00\x00\x43\x21\x00\x00\x00\x08\x69\xd0\x8d\xf7\xd2\x03\x32\x9d"
	"\xb0\x93\xfc\x49\x24\xe5\xbd\x80\xf5\x19\x95\x88\x1e\xc4\xe0\xc4"
	"\x48\x89\x87\xce\x74\x2e\x81\x09\x68\x9b\xb3\x79\xd2\xd7\x50\xc0"
	"\xd9\x15\xdc\xa3\x46\xa8\x9f\x75";
static const u8 rfc3602_6_plain[] =
	"\x08\x00\xb5\xe8\xa8\x0a\x05\x00\xa6\x9c\x08\x3d\x0b\x66\x0e\x00"
	"\x77\x77\x77\x77\x77\x77\x77\x77\x77\x77\x77\x77\x01\x02\x02\x01";

/* case 7 */
static const u8 rfc3602_7_key[] =
	"\x01\x23\x45\x67\x89\xab\xcd\xef\x01\x23\x45\x67\x89\xab\xcd\xef";
static const u8 rfc3602_7_packet[] =
	"\x00\x00\x87\x65\x00\x00\x00\x02\xf4\xe7\x65\x24\x4f\x64\x07\xad"
	"\xf1\x3d\xc1\x38\x0f\x67\x3f\x37\x77\x3b\x52\x41\xa4\xc4\x49\x22"
	"\x5e\x4f\x3c\xe5\xed\x61\x1b\x0c\x23\x7c\xa9\x6c\xf7\x4a\x93\x01"
	"\x3c\x1b\x0e\xa1\xa0\xcf\x70\xf8\xe4\xec\xae\xc7\x8a\xc5\x3a\xad"
	"\x7a\x0f\x02\x2b\x85\x92\x43\xc6\x47\x75\x2e\x94\xa8\x59\x35\x2b"
	"\x8a\x4d\x4d\x2d\xec\xd1\x36\xe5\xc1\x77\xf1\x32\xad\x3f\xbf\xb2"
	"\x20\x1a\xc9\x90\x4c\x74\xee\x0a\x10\x9e\x0c\xa1\xe4\xdf\xe9\xd5"
	"\xa1\x00\xb8\x42\xf1\xc2\x2f\x0d";
static const u8 rfc3602_7_plain[] =
	"\x45\x00\x00\x54\x09\x04\x00\x00\x40\x01\xf9\x88\xc0\xa8\x7b\x03"
	"\xc0\xa8\x7b\xc8\x08\x00\x9f\x76\xa9\x0a\x01\x00\xb4\x9c\x08\x3d"
	"\x02\xa2\x04\x00\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f\x10\x11\x12\x13"
	"\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f\x20\x21\x22\x23"
	"\x24\x25\x26\x27\x28\x29\x2a\x2b\x2c\x2d\x2e\x2f\x30\x31\x32\x33"
	"\x34\x35\x36\x37\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0a\x04";

/* case 8 */
static const u8 rfc3602_8_key[] =
	"\x01\x23\x45\x67\x89\xab\xcd\xef\x01\x23\x45\x67\x89\xab\xcd\xef";
static const u8 rfc3602_8_packet[] =
	"\x00\x00\x87\x65\x00\x00\x00\x05\x85\xd4\x72\x24\xb5\xf3\xdd\x5d"
	"\x21\x01\xd4\xea\x8d\xff\xab\x22\x15\xb9\x26\x83\x81\x95\x96\xa8"
	"\x04\x72\x32\xcc\x00\xf7\x04\x8f\xe4\x53\x18\xe1\x1f\x8a\x0f\x62"
	"\xed\xe3\xc3\xfc\x61\x20\x3b\xb5\x0f\x98\x0a\x08\xc9\x84\x3f\xd3"
	"\xa1\xb0\x6d\x5c\x07\xff\x96\x39\xb7\xeb\x7d\xfb\x35\x12\xe5\xde"
	"\x43\x5e\x72\x07\xed\x97\x1e\xf3\xd2\x72\x6d\x9b\x5e\xf6\xaf\xfc"
	"\x6d\x17\xa0\xde\xcb\xb1\x38\x92";
static const u8 rfc3602_8_plain[] =
	"\x45\x00\x00\x44\x09\x0c\x00\x00\x40\x01\xf9\x90\xc0\xa8\x7b\x03"
	"\xc0\xa8\x7b\xc8\x08\x00\xd6\x3c\xaa\x0a\x02\x00\xc6\x9c\x08\x3d"
	"\xa3\xde\x03\x00\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff"
	"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff"
	"\xff\xff\xff\xff\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0a\x04";

/* RFC 7634 appendix A. The key is followed by the salt (section 2). */
static const u8 rfc7634_key[] =
	"\x80\x81\x82\x83\x84\x85\x86\x87\x88\x89\x8a\x8b\x8c\x8d\x8e\x8f"
	"\x90\x91\x92\x93\x94\x95\x96\x97\x98\x99\x9a\x9b\x9c\x9d\x9e\x9f"
	"\xa0\xa1\xa2\xa3";
static const u8 rfc7634_packet[] =
	"\x01\x02\x03\x04\x00\x00\x00\x05\x10\x11\x12\x13\x14\x15\x16\x17"
	"\x24\x03\x94\x28\xb9\x7f\x41\x7e\x3c\x13\x75\x3a\x4f\x05\x08\x7b"
	"\x67\xc3\x52\xe6\xa7\xfa\xb1\xb9\x82\xd4\x66\xef\x40\x7a\xe5\xc6"
	"\x14\xee\x80\x99\xd5\x28\x44\xeb\x61\xaa\x95\xdf\xab\x4c\x02\xf7"
	"\x2a\xa7\x1e\x7c\x4c\x4f\x64\xc9\xbe\xfe\x2f\xac\xc6\x38\xe8\xf3"
	"\xcb\xec\x16\x3f\xac\x46\x9b\x50\x27\x73\xf6\xfb\x94\xe6\x64\xda"
	"\x91\x65\xb8\x28\x29\xf6\x41\xe0\x76\xaa\xa8\x26\x6b\x7f\xb0\xf7"
	"\xb1\x1b\x36\x99\x07\xe1\xad\x43";
static const u8 rfc7634_plain[] =
	"\x45\x00\x00\x54\xa6\xf2\x00\x00\x40\x01\xe7\x78\xc6\x33\x64\x05"
	"\xc0\x00\x02\x05\x08\x00\x5b\x7a\x3a\x08\x00\x00\x55\x3b\xec\x10"
	"\x00\x07\x36\x27\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f\x10\x11\x12\x13"
	"\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f\x20\x21\x22\x23"
	"\x24\x25\x26\x27\x28\x29\x2a\x2b\x2c\x2d\x2e\x2f\x30\x31\x32\x33"
	"\x34\x35\x36\x37\x01\x02\x02\x04";

/* The integrity algorithms the CBC vectors get from the test. */
struct esp_integ {
	u16 id;			/* IANA IKEv2 integrity transform ID */
	const char *hmac;	/* kernel crypto API name */
	u8 key_len;
};

/* RFC 2404: a 160-bit key, the ICV its first 96 bits */
static const struct esp_integ esp_hmac_sha1_96 = { 2, "hmac(sha1)", 20 };
/* RFC 4868: a 256-bit key, the ICV its first 128 bits */
static const struct esp_integ esp_hmac_sha256_128 = { 12, "hmac(sha256)", 32 };

/* The test's own integrity key: the first key_len bytes. */
static const u8 esp_auth_key[] =
	"\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f\x10"
	"\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f\x20";

struct esp_vector {
	const char *desc;
	u16 crypt;			/* IANA IKEv2 encryption transform */
	const struct esp_integ *integ;	/* NULL for AEADs */
	bool esn;
	u64 seq;			/* all 64 bits with ESN */
	const char *tfm;		/* the transform XFRM uses for these */
	u8 iv_len;
	u8 icv_len;
	const u8 *key;
	unsigned int key_len;
	const u8 *packet;
	unsigned int packet_len;
	const u8 *plain;
	unsigned int plain_len;
	unsigned int payload_len;	/* the start of plain */
	u8 nexthdr;
};

/* The string literals' lengths, without their NUL. */
#define ESP_VECTOR(name)						\
	.key = name##_key, .key_len = sizeof(name##_key) - 1,		\
	.packet = name##_packet, .packet_len = sizeof(name##_packet) - 1, \
	.plain = name##_plain, .plain_len = sizeof(name##_plain) - 1

/*
 * IANA IKEv2 IDs: 20 ENCR_AES_GCM_16, 21 ENCR_NULL_AUTH_AES_GMAC,
 * 12 ENCR_AES_CBC, 28 ENCR_CHACHA20_POLY1305. RFC 3602's case 7 also
 * goes through an ESN SA (authencesn), with high sequence bits the test
 * chooses: with integrity separate from the cipher, they are only in the
 * ICV, which the test computes.
 */
static const struct esp_vector esp_vectors[] = {
	/* draft-mcgrew-gcm-test-01 section 4 */
	{
		.desc = "mcgrew-case1",
		.crypt = 20,
		.esn = true,
		.seq = 0x8765432100000000ULL,
		.tfm = "seqiv(rfc4106(gcm(aes)))",
		.iv_len = 8,
		.icv_len = 16,
		ESP_VECTOR(mcgrew1),
		.payload_len = 68,
		.nexthdr = 1,
	},
	{
		.desc = "mcgrew-case2",
		.crypt = 20,
		.seq = 0xa,
		.tfm = "seqiv(rfc4106(gcm(aes)))",
		.iv_len = 8,
		.icv_len = 16,
		ESP_VECTOR(mcgrew2),
		.payload_len = 62,
		.nexthdr = 1,
	},
	{
		.desc = "mcgrew-case3",
		.crypt = 20,
		.seq = 0x2,
		.tfm = "seqiv(rfc4106(gcm(aes)))",
		.iv_len = 8,
		.icv_len = 16,
		ESP_VECTOR(mcgrew3),
		.payload_len = 48,
		.nexthdr = 1,
	},
	{
		.desc = "mcgrew-case4",
		.crypt = 20,
		.seq = 0x1,
		.tfm = "seqiv(rfc4106(gcm(aes)))",
		.iv_len = 8,
		.icv_len = 16,
		ESP_VECTOR(mcgrew4),
		.payload_len = 60,
		.nexthdr = 1,
	},
	{
		.desc = "mcgrew-case5",
		.crypt = 20,
		.esn = true,
		.seq = 0x1010101010101010ULL,
		.tfm = "seqiv(rfc4106(gcm(aes)))",
		.iv_len = 8,
		.icv_len = 16,
		ESP_VECTOR(mcgrew5),
		.payload_len = 60,
		.nexthdr = 1,
	},
	{
		.desc = "mcgrew-case6",
		.crypt = 20,
		.esn = true,
		.seq = 0x1010101010101010ULL,
		.tfm = "seqiv(rfc4106(gcm(aes)))",
		.iv_len = 8,
		.icv_len = 16,
		ESP_VECTOR(mcgrew6),
		.payload_len = 24,
		.nexthdr = 1,
	},
	{
		.desc = "mcgrew-case7",
		.crypt = 20,
		.seq = 0xa,
		.tfm = "seqiv(rfc4106(gcm(aes)))",
		.iv_len = 8,
		.icv_len = 16,
		ESP_VECTOR(mcgrew7),
		.payload_len = 38,
		.nexthdr = 1,
	},
	{
		.desc = "mcgrew-case8",
		.crypt = 20,
		.esn = true,
		.seq = 0x1,
		.tfm = "seqiv(rfc4106(gcm(aes)))",
		.iv_len = 8,
		.icv_len = 16,
		ESP_VECTOR(mcgrew8),
		.payload_len = 73,
		.nexthdr = 1,
	},
	{
		.desc = "mcgrew-case9",
		.crypt = 20,
		.esn = true,
		.seq = 0x156f3126dd0db99bULL,
		.tfm = "seqiv(rfc4106(gcm(aes)))",
		.iv_len = 8,
		.icv_len = 16,
		ESP_VECTOR(mcgrew9),
		.payload_len = 38,
		.nexthdr = 1,
	},
	{
		.desc = "mcgrew-case10",
		.crypt = 20,
		.esn = true,
		.seq = 0x1010101010101010ULL,
		.tfm = "seqiv(rfc4106(gcm(aes)))",
		.iv_len = 8,
		.icv_len = 16,
		ESP_VECTOR(mcgrew10),
		.payload_len = 73,
		.nexthdr = 1,
	},
	{
		.desc = "mcgrew-case11",
		.crypt = 20,
		.esn = true,
		.seq = 0x156f3126dd0db99bULL,
		.tfm = "seqiv(rfc4106(gcm(aes)))",
		.iv_len = 8,
		.icv_len = 16,
		ESP_VECTOR(mcgrew11),
		.payload_len = 68,
		.nexthdr = 1,
	},
	{
		.desc = "mcgrew-case12",
		.crypt = 20,
		.seq = 0xffffffff,
		.tfm = "seqiv(rfc4106(gcm(aes)))",
		.iv_len = 8,
		.icv_len = 16,
		ESP_VECTOR(mcgrew12),
		.payload_len = 0,
		.nexthdr = 1,
	},
	{
		.desc = "mcgrew-case13",
		.crypt = 20,
		.esn = true,
		.seq = 0x1,
		.tfm = "seqiv(rfc4106(gcm(aes)))",
		.iv_len = 8,
		.icv_len = 16,
		ESP_VECTOR(mcgrew13),
		.payload_len = 18,
		.nexthdr = 1,
	},
	{
		.desc = "mcgrew-case14",
		.crypt = 20,
		.esn = true,
		.seq = 0xffffffffffffffffULL,
		.tfm = "seqiv(rfc4106(gcm(aes)))",
		.iv_len = 8,
		.icv_len = 16,
		ESP_VECTOR(mcgrew14),
		.payload_len = 48,
		.nexthdr = 1,
	},
	{
		.desc = "mcgrew-case15",
		.crypt = 21,
		.seq = 0x7,
		.tfm = "seqiv(rfc4543(gcm(aes)))",
		.iv_len = 8,
		.icv_len = 16,
		ESP_VECTOR(mcgrew15),
		.payload_len = 48,
		.nexthdr = 1,
	},
	{
		.desc = "mcgrew-case16",
		.crypt = 20,
		.esn = true,
		.seq = 0x1010101010101010ULL,
		.tfm = "seqiv(rfc4106(gcm(aes)))",
		.iv_len = 8,
		.icv_len = 16,
		ESP_VECTOR(mcgrew16),
		.payload_len = 48,
		.nexthdr = 1,
	},
	{
		.desc = "mcgrew-case17",
		.crypt = 20,
		.esn = true,
		.seq = 0x8765432100000007ULL,
		.tfm = "seqiv(rfc4106(gcm(aes)))",
		.iv_len = 8,
		.icv_len = 16,
		ESP_VECTOR(mcgrew17),
		.payload_len = 28,
		.nexthdr = 1,
	},
	/* RFC 3602 section 4 */
	{
		.desc = "rfc3602-case5",
		.crypt = 12,
		.integ = &esp_hmac_sha1_96,
		.seq = 0x1,
		.tfm = "echainiv(authenc(hmac(sha1),cbc(aes)))",
		.iv_len = 16,
		.icv_len = 12,
		ESP_VECTOR(rfc3602_5),
		.payload_len = 64,
		.nexthdr = 1,
	},
	{
		.desc = "rfc3602-case6",
		.crypt = 12,
		.integ = &esp_hmac_sha1_96,
		.seq = 0x8,
		.tfm = "echainiv(authenc(hmac(sha1),cbc(aes)))",
		.iv_len = 16,
		.icv_len = 12,
		ESP_VECTOR(rfc3602_6),
		.payload_len = 28,
		.nexthdr = 1,
	},
	{
		.desc = "rfc3602-case7",
		.crypt = 12,
		.integ = &esp_hmac_sha1_96,
		.seq = 0x2,
		.tfm = "echainiv(authenc(hmac(sha1),cbc(aes)))",
		.iv_len = 16,
		.icv_len = 12,
		ESP_VECTOR(rfc3602_7),
		.payload_len = 84,
		.nexthdr = 4,
	},
	{
		.desc = "rfc3602-case8",
		.crypt = 12,
		.integ = &esp_hmac_sha256_128,
		.seq = 0x5,
		.tfm = "echainiv(authenc(hmac(sha256),cbc(aes)))",
		.iv_len = 16,
		.icv_len = 16,
		ESP_VECTOR(rfc3602_8),
		.payload_len = 68,
		.nexthdr = 4,
	},
	{
		.desc = "rfc3602-case7-esn",
		.crypt = 12,
		.integ = &esp_hmac_sha1_96,
		.esn = true,
		.seq = 0x100000002ULL,
		.tfm = "echainiv(authencesn(hmac(sha1),cbc(aes)))",
		.iv_len = 16,
		.icv_len = 12,
		ESP_VECTOR(rfc3602_7),
		.payload_len = 84,
		.nexthdr = 4,
	},
	/* RFC 7634 appendix A */
	{
		.desc = "rfc7634-appendix-a",
		.crypt = 28,
		.seq = 0x5,
		.tfm = "seqiv(rfc7539esp(chacha20,poly1305))",
		.iv_len = 8,
		.icv_len = 16,
		ESP_VECTOR(rfc7634),
		.payload_len = 84,
		.nexthdr = 4,
	},
};

static void esp_vector_desc(const struct esp_vector *v, char *desc)
{
	strscpy(desc, v->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(esp_vector, esp_vectors, esp_vector_desc);

/* ---- helpers ---- */

/* The outer addresses are the test's: only the SA's identity uses them. */
#define ESP_SADDR 0xc0000201	/* 192.0.2.1 */
#define ESP_DADDR 0xc0000202	/* 192.0.2.2 */

/* Generous: under TCG with debugging on, crypto is slow but not this slow */
#define ESP_TIMEOUT (30 * HZ)

struct esp_ctx {
	struct mutex lock;	/* stands in for the netns config lock */
	struct kipsec_sad sad;
};

static int kipsec_esp_test_init(struct kunit *test)
{
	struct esp_ctx *ctx = kunit_kzalloc(test, sizeof(*ctx), GFP_KERNEL);

	if (!ctx)
		return -ENOMEM;
	mutex_init(&ctx->lock);
	test->priv = ctx;
	return kipsec_sad_init(&ctx->sad, &ctx->lock);
}

static void kipsec_esp_test_exit(struct kunit *test)
{
	struct esp_ctx *ctx = test->priv;

	kipsec_sad_destroy(&ctx->sad);
}

static void esp_cfg_init(struct kipsec_sa_config *cfg, const u8 *spi,
			 u16 crypt, const u8 *key, unsigned int key_len,
			 const struct esp_integ *integ, bool esn, u8 nexthdr)
{
	memset(cfg, 0, sizeof(*cfg));
	memcpy(&cfg->id.spi, spi, sizeof(cfg->id.spi));
	cfg->id.daddr.a4 = htonl(ESP_DADDR);
	cfg->id.proto = KIPSEC_PROTO_ESP;
	cfg->id.family = AF_INET;
	cfg->saddr.a4 = htonl(ESP_SADDR);
	/* only delivery, which these tests do not reach, depends on it */
	cfg->mode = nexthdr == IPPROTO_IPIP ? KIPSEC_MODE_TUNNEL :
					      KIPSEC_MODE_TRANSPORT;
	cfg->crypt = kipsec_alg_find(KIPSEC_ALG_CRYPT, crypt);
	cfg->crypt_key_len = key_len;
	memcpy(cfg->crypt_key, key, key_len);
	if (integ) {
		cfg->auth = kipsec_alg_find(KIPSEC_ALG_AUTH, integ->id);
		cfg->auth_key_len = integ->key_len;
		memcpy(cfg->auth_key, esp_auth_key, integ->key_len);
	}
	if (esn)
		cfg->flags = KIPSEC_SA_FLAGS_ESN;
}

/* Add the SA, with its crypto transform, and find it as input would. */
static struct kipsec_sa *esp_sa_add(struct kunit *test,
				    const struct kipsec_sa_config *cfg)
{
	struct netlink_ext_ack extack = {};
	struct esp_ctx *ctx = test->priv;
	struct kipsec_sa *sa;
	int ret;

	KUNIT_ASSERT_NOT_NULL(test, cfg->crypt);
	mutex_lock(&ctx->lock);
	ret = kipsec_sad_add(&ctx->sad, cfg, &extack);
	sa = kipsec_sad_lookup(&ctx->sad, &cfg->id);
	mutex_unlock(&ctx->lock);
	KUNIT_ASSERT_EQ_MSG(test, ret, 0, "%s", extack._msg ?: "");
	/* the SAD keeps it until the exit function destroys the SAD */
	KUNIT_ASSERT_NOT_NULL(test, sa);
	KUNIT_ASSERT_NOT_NULL(test, sa->aead);
	return sa;
}

static struct kipsec_sa *esp_vector_sa(struct kunit *test,
				       const struct esp_vector *v)
{
	struct kipsec_sa_config cfg;

	KUNIT_ASSERT_LE(test, v->key_len, sizeof(cfg.crypt_key));
	esp_cfg_init(&cfg, v->packet, v->crypt, v->key, v->key_len, v->integ,
		     v->esn, v->nexthdr);
	return esp_sa_add(test, &cfg);
}

/*
 * The ICV of integrity separate from encryption: an HMAC of the ESP
 * header, IV and ciphertext (RFC 4303 section 3.3.2.1), then with ESN of
 * the high 32 bits of the sequence number, which never go on the wire
 * (section 2.2.1), truncated (RFC 2404, RFC 4868).
 */
static void esp_icv(struct kunit *test, const struct esp_integ *integ,
		    bool esn, u64 seq, const u8 *data, unsigned int len,
		    u8 *icv, unsigned int icv_len)
{
	__be32 seq_hi = cpu_to_be32(upper_32_bits(seq));
	u8 digest[HASH_MAX_DIGESTSIZE];
	struct crypto_shash *tfm;
	SHASH_DESC_ON_STACK(desc, tfm);
	int ret;

	tfm = crypto_alloc_shash(integ->hmac, 0, 0);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, tfm);
	desc->tfm = tfm;
	ret = crypto_shash_setkey(tfm, esp_auth_key, integ->key_len);
	if (!ret)
		ret = crypto_shash_init(desc);
	if (!ret)
		ret = crypto_shash_update(desc, data, len);
	if (!ret && esn)
		ret = crypto_shash_update(desc, (u8 *)&seq_hi, sizeof(seq_hi));
	if (!ret)
		ret = crypto_shash_final(desc, digest);
	crypto_free_shash(tfm);
	KUNIT_ASSERT_EQ(test, ret, 0);
	KUNIT_ASSERT_LE(test, icv_len, sizeof(digest));
	memcpy(icv, digest, icv_len);
}

/* The packet as it travels: the CBC vectors get their ICV here. */
static u8 *esp_vector_wire(struct kunit *test, const struct esp_vector *v,
			   unsigned int *len)
{
	unsigned int icv_len = v->integ ? v->icv_len : 0;
	u8 *buf;

	*len = v->packet_len + icv_len;
	buf = kunit_kmalloc(test, *len, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	memcpy(buf, v->packet, v->packet_len);
	if (v->integ)
		esp_icv(test, v->integ, v->esn, v->seq, buf, v->packet_len,
			buf + v->packet_len, icv_len);
	return buf;
}

KUNIT_DEFINE_ACTION_WRAPPER(esp_free_skb, kfree_skb, struct sk_buff *);

/*
 * The packet in an skb as the IP layer hands it to ESP: the outer IPv4
 * header before skb->data, the transport header at the ESP header. The
 * test frees it when it ends.
 */
static struct sk_buff *esp_skb(struct kunit *test, const u8 *esp,
			       unsigned int len)
{
	struct sk_buff *skb;
	struct iphdr *iph;
	int ret;

	skb = alloc_skb(sizeof(*iph) + len, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	ret = kunit_add_action_or_reset(test, esp_free_skb, skb);
	KUNIT_ASSERT_EQ(test, ret, 0);
	skb_reset_network_header(skb);
	iph = skb_put_zero(skb, sizeof(*iph));
	iph->version = 4;
	iph->ihl = sizeof(*iph) / 4;
	iph->tot_len = htons(sizeof(*iph) + len);
	iph->ttl = 64;
	iph->protocol = IPPROTO_ESP;
	iph->saddr = htonl(ESP_SADDR);
	iph->daddr = htonl(ESP_DADDR);
	skb_put_data(skb, esp, len);
	__skb_pull(skb, sizeof(*iph));
	skb_reset_transport_header(skb);
	skb->protocol = htons(ETH_P_IP);
	return skb;
}

/* Where a decryption ends; skb->cb points to it while in crypto. */
struct esp_wait {
	struct completion done;
	int err;
};

/* As kipsec_input_finish, minus the references input takes. */
static void esp_finish(struct kipsec_crypt *c, int err)
{
	struct esp_wait *w = *(struct esp_wait **)c->skb->cb;

	kfree(c);
	w->err = err;
	complete(&w->done);
}

/*
 * Decrypt in place through kipsec's input code: the result of the
 * crypto, 0 or an error such as -EBADMSG. An asynchronous transform
 * finishes later, from another context: wait for it.
 */
static int esp_decrypt(struct kunit *test, struct kipsec_sa *sa,
		       struct sk_buff *skb, u64 seq)
{
	struct aead_request *req;
	struct kipsec_crypt *c;
	struct esp_wait *w;
	int err;

	w = kzalloc(sizeof(*w), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, w);
	init_completion(&w->done);
	*(struct esp_wait **)skb->cb = w;
	c = kipsec_esp_decrypt_prepare(sa, skb, seq, &req);
	if (!c) {
		kfree(w);
		KUNIT_FAIL_AND_ABORT(test, "kipsec_esp_decrypt_prepare failed");
	}
	c->finish = esp_finish;
	kipsec_crypt_run(c, req, false);
	if (!wait_for_completion_timeout(&w->done, ESP_TIMEOUT)) {
		/* still in crypto: leave it what it will write to */
		kunit_remove_action(test, esp_free_skb, skb);
		KUNIT_FAIL_AND_ABORT(test, "no completion in %d s",
				     ESP_TIMEOUT / HZ);
	}
	err = w->err;
	kfree(w);
	return err;
}

/* ---- published packets ---- */

static void kipsec_esp_vector_test(struct kunit *test)
{
	const struct esp_vector *v = test->param_value;
	struct kipsec_sa *sa = esp_vector_sa(test, v);
	unsigned int len, start;
	struct sk_buff *skb;
	u8 nexthdr = 0;
	u8 *wire;

	/* kipsec asks the kernel for the transform native IPsec uses */
	KUNIT_EXPECT_STREQ(test, crypto_tfm_alg_name(crypto_aead_tfm(sa->aead)),
			   v->tfm);
	KUNIT_EXPECT_EQ(test, crypto_aead_ivsize(sa->aead), v->iv_len);
	KUNIT_EXPECT_EQ(test, crypto_aead_authsize(sa->aead), v->icv_len);

	wire = esp_vector_wire(test, v, &len);
	skb = esp_skb(test, wire, len);
	KUNIT_ASSERT_EQ(test, esp_decrypt(test, sa, skb, v->seq), 0);

	/* decrypted in place: the plaintext lies between the IV and ICV */
	start = KIPSEC_ESP_HLEN + v->iv_len;
	KUNIT_ASSERT_FALSE(test, skb_is_nonlinear(skb));
	KUNIT_ASSERT_EQ(test, skb->len, start + v->plain_len + v->icv_len);
	KUNIT_EXPECT_MEMEQ(test, skb->data + start, v->plain, v->plain_len);

	/* then only the payload is left */
	KUNIT_ASSERT_EQ(test, kipsec_esp_strip(sa, skb, &nexthdr), 0);
	KUNIT_EXPECT_EQ(test, nexthdr, v->nexthdr);
	KUNIT_ASSERT_EQ(test, skb->len, v->payload_len);
	KUNIT_EXPECT_MEMEQ(test, skb->data, v->plain, v->payload_len);
}

/*
 * The packet altered in each part the ICV covers, or received under
 * another sequence number: the crypto must refuse it (RFC 4303 section
 * 3.4.4), and kipsec must pass the refusal on.
 */
static void kipsec_esp_tamper_test(struct kunit *test)
{
	const struct esp_vector *v = test->param_value;
	struct kipsec_sa *sa = esp_vector_sa(test, v);
	unsigned int len, i;
	const u8 *wire = esp_vector_wire(test, v, &len);
	const struct {
		const char *what;
		int offset;		/* the byte flipped; -1: none */
		u64 seq;
	} tampers[] = {
		{ "spi", 0, v->seq },
		{ "iv", KIPSEC_ESP_HLEN, v->seq },
		{ "ciphertext", KIPSEC_ESP_HLEN + v->iv_len, v->seq },
		{ "next header", len - v->icv_len - 1, v->seq },
		{ "first icv byte", len - v->icv_len, v->seq },
		{ "last icv byte", len - 1, v->seq },
		{ "sequence number", -1, v->seq ^ 1 },
		/* last: only ESN authenticates the high half */
		{ "high sequence number", -1, v->seq ^ BIT_ULL(32) },
	};
	unsigned int n = ARRAY_SIZE(tampers) - !v->esn;

	for (i = 0; i < n; i++) {
		u8 *bad = kunit_kmalloc(test, len, GFP_KERNEL);
		struct sk_buff *skb;

		KUNIT_ASSERT_NOT_NULL(test, bad);
		memcpy(bad, wire, len);
		if (tampers[i].offset >= 0)
			bad[tampers[i].offset] ^= 0x01;
		skb = esp_skb(test, bad, len);
		KUNIT_EXPECT_EQ_MSG(test, esp_decrypt(test, sa, skb,
						      tampers[i].seq),
				    -EBADMSG, "%s", tampers[i].what);
		kunit_release_action(test, esp_free_skb, skb);
		kunit_kfree(test, bad);
	}
}

/* ---- trailers ---- */

/* RFC 2404: HMAC-SHA-1-96's ICV */
#define ESP_NULL_ICV_LEN 12

struct trailer_case {
	const char *desc;
	u16 payload_len;
	u16 pad_len;		/* padding bytes: 1, 2, 3... */
	int pad_field;		/* the Pad Length byte; -1: pad_len */
	int bad_pad;		/* the padding byte set to 0; -1: none */
	bool no_trailer;	/* no Pad Length nor Next Header */
	int ret;		/* what kipsec_esp_strip must return */
};

/*
 * Input drops, before decryption, a packet whose ciphertext does not end
 * on a 4-byte boundary (RFC 4303 section 2.4). All these do but the last
 * two, which test kipsec_esp_strip's own guard.
 */
static const struct trailer_case trailer_cases[] = {
	{ "no padding", 6, 0, -1, -1, false, 0 },
	{ "padding 1-3", 3, 3, -1, -1, false, 0 },
	{ "padding 1-255", 3, 255, -1, -1, false, 0 },
	{ "padding only", 0, 2, -1, -1, false, 0 },
	{ "pad length 1 past the payload", 6, 0, 7, -1, false, -EINVAL },
	{ "pad length 255 of 6", 6, 0, 255, -1, false, -EINVAL },
	{ "padding 1,2,0", 3, 3, -1, 2, false, -EINVAL },
	{ "padding 0,2,3", 3, 3, -1, 0, false, -EINVAL },
	{ "padding 1-254,0", 3, 255, -1, 254, false, -EINVAL },
	{ "one byte, no trailer", 1, 0, -1, -1, true, -EINVAL },
	{ "nothing", 0, 0, -1, -1, true, -EINVAL },
};

static void trailer_case_desc(const struct trailer_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(trailer, trailer_cases, trailer_case_desc);

/*
 * With NULL encryption (RFC 2410) the plaintext is the test's to choose;
 * its packets still need a correct ICV to decrypt. Decryption succeeds,
 * then the trailer is judged.
 */
static void kipsec_esp_trailer_test(struct kunit *test)
{
	static const u8 spi_seq[KIPSEC_ESP_HLEN] = { 0, 0, 0x12, 0x34,
						     0, 0, 0, 7 };
	const struct trailer_case *c = test->param_value;
	unsigned int i, len, inner;
	struct kipsec_sa_config cfg;
	struct kipsec_sa *sa;
	struct sk_buff *skb;
	u8 nexthdr = 0;
	u8 *buf, *p;

	esp_cfg_init(&cfg, spi_seq, 11, NULL, 0, &esp_hmac_sha1_96, false,
		     IPPROTO_IPIP);
	sa = esp_sa_add(test, &cfg);
	KUNIT_EXPECT_STREQ(test, crypto_tfm_alg_name(crypto_aead_tfm(sa->aead)),
			   "authenc(hmac(sha1),ecb(cipher_null))");
	KUNIT_ASSERT_EQ(test, crypto_aead_ivsize(sa->aead), 0);

	inner = c->payload_len + c->pad_len + (c->no_trailer ? 0 : 2);
	len = KIPSEC_ESP_HLEN + inner + ESP_NULL_ICV_LEN;
	buf = kunit_kzalloc(test, len, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	memcpy(buf, spi_seq, KIPSEC_ESP_HLEN);
	p = buf + KIPSEC_ESP_HLEN;
	for (i = 0; i < c->payload_len; i++)
		*p++ = 0xa0 + i;
	for (i = 0; i < c->pad_len; i++)
		*p++ = c->bad_pad == (int)i ? 0 : i + 1;
	if (!c->no_trailer) {
		*p++ = c->pad_field < 0 ? c->pad_len : c->pad_field;
		*p++ = IPPROTO_IPIP;
	}
	esp_icv(test, &esp_hmac_sha1_96, false, 7, buf, KIPSEC_ESP_HLEN + inner,
		p, ESP_NULL_ICV_LEN);

	skb = esp_skb(test, buf, len);
	KUNIT_ASSERT_EQ(test, esp_decrypt(test, sa, skb, 7), 0);
	KUNIT_ASSERT_EQ(test, kipsec_esp_strip(sa, skb, &nexthdr), c->ret);
	if (c->ret)
		return;
	KUNIT_EXPECT_EQ(test, nexthdr, IPPROTO_IPIP);
	KUNIT_ASSERT_EQ(test, skb->len, c->payload_len);
	KUNIT_EXPECT_MEMEQ(test, skb->data, buf + KIPSEC_ESP_HLEN,
			   c->payload_len);
}

static struct kunit_case kipsec_esp_cases[] = {
	KUNIT_CASE_PARAM(kipsec_esp_vector_test, esp_vector_gen_params),
	KUNIT_CASE_PARAM(kipsec_esp_tamper_test, esp_vector_gen_params),
	KUNIT_CASE_PARAM(kipsec_esp_trailer_test, trailer_gen_params),
	{}
};

static struct kunit_suite kipsec_esp_suite = {
	.name = "kipsec_esp",
	.init = kipsec_esp_test_init,
	.exit = kipsec_esp_test_exit,
	.test_cases = kipsec_esp_cases,
};

kunit_test_suite(kipsec_esp_suite);
