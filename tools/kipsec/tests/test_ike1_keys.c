// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for ike/v1/keys.c. Each table says where its values come
 * from; none of them is this code's own output.
 *
 * - SKEYID, SKEYID_d, SKEYID_a, SKEYID_e for signatures and pre-shared
 *   keys: NIST CAVP, SP 800-135 "IKEv1 KDF" component test vectors,
 *   CAVS 17.3, generated on Feb 09 2015 ('IKE v1 Digital Signature
 *   Authentication' and 'IKE v1 Pre-shared Key Authentication'), as NSS
 *   vendors them: github.com/nss-dev/nss,
 *   tests/fips/cavs_samples/IKE/fax/ikev1_dsa.fax and ikev1_psk.fax
 *   (commit 9d75dfde2e79, added by NSS bug 1546229). Sixteen cases of the
 *   3400, chosen over every hash (SHA-1, SHA-256, SHA-384, SHA-512), every
 *   g^xy length (256, 2048, 8192 bits) and both nonce lengths (64, 2048
 *   bits); the section and COUNT of each are in its first line.
 *
 * - Everything else (public key encryption, which no CAVP file at hand
 *   covers; MD5, which CAVP never tested; appendix B expansion; HASH_I,
 *   HASH_R; Quick Mode's HASHes and KEYMAT; IVs and CBC): computed once
 *   with Python's hmac and hashlib and the cryptography package, by the
 *   script below, whose printed values are pasted in. It also agrees with
 *   all 3400 CAVP cases above when run over those files.
 *
 * - Chaining relations (a Quick Mode's IV is hash(last Phase 1 block |
 *   M-ID)) are checked against OpenSSL's one-shot SHA1() here.
 *
 * import hashlib, hmac
 * from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
 * from cryptography.hazmat.decrepit.ciphers.algorithms import TripleDES
 * b = bytes.fromhex
 * def prf(h, k, *d): return hmac.new(k, b''.join(d), h).digest()
 * def hsh(h, *d): return hashlib.new(h, b''.join(d)).digest()
 * def cbc(alg, k, iv, p):
 *     e = Cipher(alg(k), modes.CBC(iv)).encryptor()
 *     return e.update(p) + e.finalize()
 * def chain(h, s, g, ci, cr):   # SKEYID_d, _a, _e
 *     d = prf(h, s, g, ci, cr, b'\0'); a = prf(h, s, d, g, ci, cr, b'\1')
 *     return d, a, prf(h, s, a, g, ci, cr, b'\2')
 * def appb(h, e, n):            # RFC 2409 appendix B
 *     k = prf(h, e, b'\0'); ka = k
 *     while len(ka) < n: k = prf(h, e, k); ka += k
 *     return ka[:n]
 * def keymat(h, d, seed, n):    # section 5.5
 *     k = prf(h, d, seed); km = k
 *     while len(km) < n: k = prf(h, d, k, seed); km += k
 *     return km[:n]
 * CI, CR = b('0011223344556677'), b('8899aabbccddeeff')
 * NI, NR = bytes(range(0x10, 0x30)), bytes(range(0x40, 0x60))
 * GXI, GXR = bytes(range(0x80, 0xc0)), bytes(range(0xc0, 0x100))
 * GXY, PSK = bytes(range(0x20, 0x40)), b'kipsec ikev1 psk'
 * out = {}
 * # PKE (SHA-1, SHA-256) and signatures with MD5 (CAVP has neither)
 * for h in ('sha1', 'sha256'):
 *     s = prf(h, hsh(h, NI, NR), CI, CR)
 *     out['pke_' + h] = (s,) + chain(h, s, GXY, CI, CR)
 * s = prf('md5', NI + NR, GXY)
 * out['sig_md5'] = (s,) + chain('md5', s, GXY, CI, CR)
 * out['ka_md5_aes256'] = appb('md5', out['sig_md5'][3], 32)
 * e = b('cd74b0c048219db81384d3fda8f6cda51e398a2b')   # CAVP PSK SHA-1 COUNT 0
 * out['ka_sha1_3des'] = appb('sha1', e, 24)
 * out['ka_sha1_aes256'] = appb('sha1', e, 32)
 * # Phase 1 and 2 with PSK, SHA-1
 * s = prf('sha1', PSK, NI, NR); d, a, e = chain('sha1', s, GXY, CI, CR)
 * SA, IDI, IDR = b('00000001000000010000002c01010001'), b('01000000c0000201'), b('01000000c0000202')
 * out['psk_sha1'] = (s, d, a, e)
 * out['hash_i'] = prf('sha1', s, GXI, GXR, CI, CR, SA, IDI)
 * out['hash_r'] = prf('sha1', s, GXR, GXI, CR, CI, SA, IDR)
 * MID, QNI, QNR = b('1a2b3c4d'), b'quick mode nonce i', b'quick mode nonce r'
 * REST, GQM = b('0a000024') + bytes(32), bytes(range(0x60, 0x80))
 * out['qm_hash1'] = prf('sha1', a, MID, REST)
 * out['qm_hash2'] = prf('sha1', a, MID, QNI, REST)
 * out['qm_hash3'] = prf('sha1', a, b'\0', MID, QNI, QNR)
 * out['info_hash'] = prf('sha1', a, b('0badcafe'), b('0b000010'))
 * SPII, SPIR = b('c0ffee01'), b('c0ffee02')
 * for pfs in (b'', GQM):                # ESP, AES-128-CBC + HMAC-SHA-1: 16 + 20
 *     t = 'pfs' if pfs else 'nopfs'
 *     out['km_%s_i' % t] = keymat('sha1', d, pfs + b'\3' + SPIR + QNI + QNR, 36)
 *     out['km_%s_r' % t] = keymat('sha1', d, pfs + b'\3' + SPII + QNI + QNR, 36)
 * # IVs: AES-128 with SHA-1 keys above, 3DES with MD5
 * ka = e[:16]
 * iv1 = hsh('sha1', GXI, GXR)[:16]
 * m5 = bytes(range(40)) + bytes(8)          # 40 bytes + 8 zeros to 48
 * c5 = cbc(algorithms.AES, ka, iv1, m5)
 * qiv = hsh('sha1', c5[-16:], MID)[:16]
 * q1 = b'quick mode message one' + bytes(10)  # 22 + 10 zeros to 32
 * c1 = cbc(algorithms.AES, ka, qiv, q1)
 * out.update(iv1=iv1, c5=c5, qiv=qiv, c1=c1)
 * out['iv1_md5_3des'] = hsh('md5', GXI, GXR)[:8]
 * k3 = out['ka_md5_aes256'][:24]
 * out['c_3des'] = cbc(TripleDES, k3, out['iv1_md5_3des'], b'3des' + bytes(4))
 * for k, v in out.items():
 *     print(k, *(x.hex() for x in (v if isinstance(v, tuple) else (v,))))
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/sha.h>

#include "kipsec.h"
#include "ike/v1/keys.h"

/* Plain hex into buf; returns the number of bytes. */
static size_t unhex(const char *s, uint8_t *buf, size_t size)
{
	size_t n = 0;

	assert_int_equal(OPENSSL_hexstr2buf_ex(buf, size, &n, s, '\0'), 1);
	return n;
}

#define HEX(s, buf)	unhex(s, buf, sizeof(buf))

static void check_hex(const char *what, const char *name,
		      const uint8_t *got, size_t len, const char *want)
{
	uint8_t w[1024];
	size_t n = HEX(want, w);

	if (len != n || memcmp(got, w, n))
		fail_msg("%s: %s differs from the vector", what, name);
}

#define CHECK(what, field, got, len, want) \
	check_hex(what, #field, got, len, want)

/* ---- algorithms ---- */

static void test_algs(void **state)
{
	static const struct { uint16_t id; uint8_t len; } hashes[] = {
		{ IKE1_HASH_MD5, 16 }, { IKE1_HASH_SHA1, 20 },
		{ IKE1_HASH_SHA2_256, 32 }, { IKE1_HASH_SHA2_384, 48 },
		{ IKE1_HASH_SHA2_512, 64 },
	};
	const struct ike_encr_alg *e;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(hashes); i++) {
		assert_non_null(ike1_hash_find(hashes[i].id));
		assert_int_equal(ike1_hash_find(hashes[i].id)->out_len,
				 hashes[i].len);
	}
	assert_null(ike1_hash_find(3));		/* Tiger */
	assert_null(ike1_hash_find(0));
	/* HMAC-MD5 is IKEv1's only: IKEv2 still does not offer it */
	assert_non_null(ike_hmac_find(IKE_PRF_HMAC_MD5));
	assert_null(ike_prf_find(IKE_PRF_HMAC_MD5));
	assert_null(ike_hmac_find(IKE_PRF_AES128_XCBC));

	e = ike1_encr_find(IKE1_ENCR_3DES_CBC, 0);
	assert_non_null(e);
	assert_int_equal(e->key_len, 24);
	assert_int_equal(e->block_len, 8);
	assert_null(ike1_encr_find(IKE1_ENCR_3DES_CBC, 192));
	for (i = 128; i <= 256; i += 64) {
		e = ike1_encr_find(IKE1_ENCR_AES_CBC, i);
		assert_non_null(e);
		assert_int_equal(e->key_len, i / 8);
		assert_int_equal(e->block_len, 16);
	}
	assert_null(ike1_encr_find(IKE1_ENCR_AES_CBC, 0));
	assert_null(ike1_encr_find(IKE1_ENCR_AES_CBC, 64));
	assert_null(ike1_encr_find(IKE1_ENCR_DES_CBC, 0));
}

/* ---- NIST CAVP: SKEYID and its children ---- */

struct cavp_vec {
	const char *where;
	uint16_t hash;
	const char *cky_i, *cky_r, *ni, *nr, *gxy, *psk;
	const char *skeyid, *skeyid_d, *skeyid_a, *skeyid_e;
};

/* ikev1_dsa.fax: signatures, SKEYID = prf(Ni_b | Nr_b, g^xy) */
static const struct cavp_vec cavp_dsa[] = {
	{ .where = "[g^xy length = 256] [SHA-1] [Ni length = 64] COUNT = 0",
	  .hash = IKE1_HASH_SHA1,
	  .cky_i = "8c3bcd3a69831d7f",
	  .cky_r = "d2d9a7ff4fbe95a7",
	  .ni = "69a62284195f1680",
	  .nr = "80c94ba25c8abda5",
	  .gxy =
		"8ba4cbc73c0187301dc19a975823854dbd641c597f637f8d053a83b9"
		"514673eb",
	  .skeyid = "707197817fb2d90cf54d1842606bdea59b9f4823",
	  .skeyid_d = "384be709a8a5e63c3ed160cfe3921c4b37d5b32d",
	  .skeyid_a = "48b327575abe3adba0f279849e289022a13e2b47",
	  .skeyid_e = "a4a415c8e0c38c0da847c356cc61c24df8025560",
	},
	{ .where = "[g^xy length = 256] [SHA-1] [Ni length = 64] COUNT = 1",
	  .hash = IKE1_HASH_SHA1,
	  .cky_i = "7b4d15ccfacaed63",
	  .cky_r = "4d25554e2513dbc4",
	  .ni = "59982b5ba57e62c0",
	  .nr = "460defc71e186463",
	  .gxy =
		"1c07321a9a7e41cd880ca37adb10c73bf00e7ae3cfc6fd8b51bce2b9"
		"90e6f201",
	  .skeyid = "0c2af3429715621d2aadc9945a9026fac791e24b",
	  .skeyid_d = "cf6fea033cbb1137f8a1f4bd5557b58bdc0caa4b",
	  .skeyid_a = "f89aa5c017628a0e358622489f72ef7944a9c56d",
	  .skeyid_e = "144f4d082000ec8e69f1ad014a58e158a8d56d43",
	},
	{ .where = "[g^xy length = 256] [SHA-256] [Ni length = 64] COUNT = 0",
	  .hash = IKE1_HASH_SHA2_256,
	  .cky_i = "30293584b2cd84c2",
	  .cky_r = "2402d7e8cf6958ca",
	  .ni = "9da2d58f57f039f9",
	  .nr = "204e0dd0ef04f372",
	  .gxy =
		"33f17afcb6134cbf1cab59877d42db3582226eff74dd37eb8b75e675"
		"645fc169",
	  .skeyid =
		"804b4a1e0ec593cfb6e454524149396de234d0dae29f34a8fdb5f9af"
		"e76ea652",
	  .skeyid_d =
		"f8ee9b1e8b7c03cf1595f7e197b0d873c5665453d512978c418823f5"
		"3f18e055",
	  .skeyid_a =
		"3c9d88515fdd981741b99c482e8d88dacdb6f9fcec2dd22af2860871"
		"74645f49",
	  .skeyid_e =
		"960563201c344d72797c3f92d81a1c36c7dbe9cbd59780cbaaeba7aa"
		"23deaf3c",
	},
	{ .where = "[g^xy length = 256] [SHA-384] [Ni length = 2048] COUNT = 0",
	  .hash = IKE1_HASH_SHA2_384,
	  .cky_i = "f183a8f150f11577",
	  .cky_r = "97728a477fe25f2b",
	  .ni =
		"0d098786c381778c7dcf8f24435c8ae450adf980a7fb2dd61ce70412"
		"3d59030a203acba403e45f8dae46138daf25f7480a956048471bc545"
		"621918ee7f37106519874e6cdca6244b3af42683bc60cfff6143bf5d"
		"62d7cb300825b7375a0c2df5000571f1f19176db9d7b7b381c53c338"
		"6e9862e0bc1c08a1efa0a9d598f56283a72760ed33fdf5127cdeedfb"
		"f86a118b5da2542dbef2499f317bd4ff6921ff92b4aac2904dc6a3e6"
		"5b8dadb12328e2e95a7c14a1a0e38fcc38a480da3b428749946df09c"
		"5897104ac0e531cfbe8d35a7e1211920e1b9fb37801acac2d7e938b6"
		"dc70c6ab6785d20fdc810e04fd5a39a9008ae368e2d71be4cb177196"
		"d203dbfb",
	  .nr =
		"09539af03e2df55640d694e7622ee7150d24a7ce0c75df309adb17ac"
		"9b03013c3bc177d9a9a338729894765bd269af3f9bbe18eae639d5e8"
		"890c97be4e21b2476e09780aebdaaae79454b3a65a894820e38a1c52"
		"6a3b5b65e18ebae639cc70fc3ceac515870d2ba21a152152772e440f"
		"61a5b27b9c50100af1316c2a413586089cc6db6653891a0bb7b92d28"
		"bf1474779b567cdda2f63411c487defdbeee5a99a7a642ad6af537f9"
		"222933d674276ebba0e64fbad8983dcf8a10c54df2bc1d0d36a733ee"
		"072d20b2e87d12861e0c459445c622c726ab4d6681b7e0c6f46d792e"
		"7533191fdb4d53e645bca77d3061a389b4bcf64817c601499f1b62af"
		"131c6d47",
	  .gxy =
		"71d0586a962aefc886cb1a3ee170df86f572b29c20814290f42a30fb"
		"ee74cf84",
	  .skeyid =
		"9d19a4c15e7864ee4e9b2f46be46ab492e33e70de7431eb00ea9bbf3"
		"99721e17e7851221690d4587028ebcb828807e30",
	  .skeyid_d =
		"7f3c2f111714d61ef8053ec7325583e3bb9507c72e937b433dbf4eb9"
		"c82372368bb93bee18f57059d5c5e48960fde93c",
	  .skeyid_a =
		"b1b1d7fef0b7e7a0c785745beb41f1a46ea6745c37eebf5afd955a42"
		"c2b0159365686db2966346cc0c5f8d1cd422548a",
	  .skeyid_e =
		"806a899ce726b696c71c97a37ec60e0af95ff098caa4037b6ec36b28"
		"8b1b483971d9ae12ee835b9cb2d30491ffedecce",
	},
	{ .where = "[g^xy length = 256] [SHA-512] [Ni length = 64] COUNT = 0",
	  .hash = IKE1_HASH_SHA2_512,
	  .cky_i = "1ff4d76565b3151a",
	  .cky_r = "1f11b8eb20d57a16",
	  .ni = "acadc6314a69cfcd",
	  .nr = "4e4ad17718fea7ce",
	  .gxy =
		"b15a9cfce8c8d7eab879d6243029d40188d3b740875a6ac62f56cac4"
		"377e2edd",
	  .skeyid =
		"f05aa036dfce45a558d40418dea98096e519bc7841e3db3dd93658d1"
		"18c3e83b502f398ecb1361ec77d38a8855efff407f6f772e5d65b58e"
		"b1134096e8478d2b",
	  .skeyid_d =
		"3c4be16a631aa49018fa6740745a61ab1f1a2455a96e91f159a134cc"
		"fe30303d68721696195e95bfd530510ef2f9532491878710944db785"
		"4f00ad13c68fca01",
	  .skeyid_a =
		"15ecf5c80b675585e10c4388f6f9c37e8b63269a0a99851f08ba617e"
		"28c561f43eaf4112223ff97525bf0b3897f514fce7a3acee10a61ae0"
		"88c01efc5f643587",
	  .skeyid_e =
		"60f6b6c10c2b6bedc085ad6546d993c9ce1f86918d1c935c89d66311"
		"70a5dab0e37298f21ca3b7901a53bde55a15fad39f782039ce26fc8c"
		"2ba8cbd9d4287669",
	},
	{ .where = "[g^xy length = 8192] [SHA-256] [Ni length = 64] COUNT = 7",
	  .hash = IKE1_HASH_SHA2_256,
	  .cky_i = "f95ac024b58ccedb",
	  .cky_r = "0b21b1e24374026c",
	  .ni = "8228722959213a5e",
	  .nr = "38972a1d960a6729",
	  .gxy =
		"c77c42ea95c3ff763dc01b1c68d5c11c5f0cabae13ec38a60e9d8b2c"
		"29c701e8b3a94c833a376f3a391a6e67af9d75cf378b4005bd0b2bb4"
		"882871bb13059626197a4e9de18e0f9f1c3088da62d96b575bfaf4bb"
		"e1ab657a9e50a3f3185e863c13c793c47c336a24d9a56146a0f9a522"
		"192e2e937c5208771f89eb37474151e5661063ec7dbcbd33c4f15e41"
		"c0f727056e9385dc6ca26d506487a43cabcf521dd8abd98d81a13a71"
		"59f36ed3c3acddcb5a7f1422ce9ff001d384fd892f308149dcf805e1"
		"954b3c6831dc9dd4ef10180151b1647dc1feba36c6ba5094f723a8da"
		"0d7296ba3bf10703f443b3f6d0a2e5cc9173428ff07aecc409f02351"
		"37bca7709cb9f5cc5b1d741765e6b3e08e9fd126af58a5ee086eb6e7"
		"57b05d97ee0cf778ed6f04879386653861fb7be3b1b003d25ec0da1b"
		"461531415ea3dac7cf178094a08bf6f5d93bc6a4e5e61062715e2515"
		"f82628b0ca4c054f5a3deadb75d6b8d0dea73945e1cf5b5a5750a368"
		"aac495b54f63dfdce73dcfad9d092d60671bbed01db698ce1d373af6"
		"74f94efc482d130a2f02791c7aba8d97e7f2054f2c0eb8974f3203db"
		"0e335e69eecb042603d39a0912aafd679ede62c87e7290e53579ea9f"
		"d64b396ff223bb3160ed82424a5e87d86f868554cc45d0a7aafd5110"
		"455b8c1e262c1369529b9a50edd5286b778874d5091e59dd41cea0aa"
		"ffbedd7f21b076f9bdc93ab31e4d29c2095153ac1b2f11f3f10ca171"
		"ed3798f87f33850a89b78fcbab571177628fa57ea7e6bc5b33f3b1ed"
		"d131da0a581ea416c2eb0a42cedc0881991b3b02d6dd12eada0196fc"
		"8b4f4b35b4e898b37ac82d3fef40b8739e7937463d385df3f1b5e238"
		"97476170d78bf2a5317b360207a0fa809948d23df64a633f2663f0bd"
		"f5bac89cdb97fb4266ec7c6a89507aa18c102230ea14a7373b343cbf"
		"e5e6fc81572aeda166027e53416b3931b64491284fc3d9c48a444736"
		"b9982eb7ca0b6cce853c8281662c79948de62892255a5bbb069ac566"
		"ad3c3a95963279dc444fb3fc431f1031164d0fa2499b327bf6ae228b"
		"03e222b530dfbfbb07f11e416831a89e862e800faa7b69256e75955e"
		"ee420c10658ed91d2af59a5b79d4557a421bf62b5c1997c32dfeed3a"
		"0f8f2a6f14f320c05a1081ef4e17db16fbf94903474f095f3a516209"
		"eb5ce35e894608d350302afb250639ad64c4f308cfa3082d103dc6bd"
		"6229073078b7f829d0bdd9c24d90b30aa55ff136e2c4a2cdc5c2834d"
		"40b11f338111e3049bd00575181ab4a37a546b130da6cc2c2f3a00e8"
		"348e0e77b1c09827dfe67a04450de71923845c941e52bf61c4eb3bf3"
		"b103283be43e497b918d38e98e56e8da894e457ba14b505b81fa4d48"
		"ee8bc7f62cdc0e8cadddece51bb23386b93f76fd6d683d3b0f9b005a"
		"46bd52a0b4e320991c5c66d189c734f8",
	  .skeyid =
		"6444c457a8e2c8661898e4660cf49ad36a669e2bc687f115037d3071"
		"1ab7093a",
	  .skeyid_d =
		"c97a06c558ad4832d3c6c7b24c2e038da6d01439a2b356a3496ccd9e"
		"df3db01e",
	  .skeyid_a =
		"f868ed4269f45d6fdc4e51da5bb95755bb0a3fba6a247aeadfb9968b"
		"a116d003",
	  .skeyid_e =
		"876188906088f4054d16d34f766dac20805a9c1e5d8e02cb11d3aaea"
		"c37fffd7",
	},
	{ .where = "[g^xy length = 8192] [SHA-512] [Ni length = 2048] COUNT = 3",
	  .hash = IKE1_HASH_SHA2_512,
	  .cky_i = "4ef6dc28a2d4219e",
	  .cky_r = "cc1585a92a6b632b",
	  .ni =
		"5c946ed778019736d9d991f7a5b2aace42cfc53ee50259c17ab02078"
		"1d56a5f5b67324290f6c4ad5a967acc4fd7c263529daa7498be35c54"
		"311b8be339d56f18be3a2d87e7043e8c0a574ba513fb1344edc55825"
		"5e936598c43f012fe13322b4a3a45d1d91e38bcabc3e729424627423"
		"144126598018f93ba3d5fdb586c53d54cd5c60a757ecd91b35b05c59"
		"9b4cd3fd784a3c6bd944c43fe2aad61b02636cbbf415f19a88701b72"
		"7529d38bdedc0be58540588bda0571d5fe80df0e94dce3a40c517bb4"
		"bfabf31fe09ce55da70c12d75753b46527c66e86923e89e696c4565f"
		"3577226035d9b5f4ce0011deca4f3122b5f87f70bf57e8b5f7bce17f"
		"3c1b5956",
	  .nr =
		"850b1e4ef7ed78dbf28981c2f531dd96d328546c15c7634cfff6a636"
		"95b804cea25461fb350b95b5cf79080fe9a34b895a89e40b748db567"
		"303de76fd6699c69d21c1b468488ef26cbc0c78d6aa4eee14fcac7c7"
		"f060d3794fc353dc2b9296509a640eac6807154b6c734c6e1d1b8e74"
		"b0bd8d83ef9ffe0d607e3b15972d32df8770b9b4d87bbb1ae23fb276"
		"9c91d740de675327bc65b9435d8e95403a36db3aada82d43701ea7eb"
		"b58806b792783659e820c1d64d80b20e72447598120776b6b446b04b"
		"2ba9f93f887b7cce0bc9aac3154e8b099bdbaa5700c92cca47c65463"
		"d462527a2889e023224273b71bcdf8ec22c46930789db9529c2f5292"
		"180a7999",
	  .gxy =
		"198a585081e24cf6690c5804c4a70d2d50b3a769bb7273754d02e84d"
		"3eae797c8b4e79d702c861bc4c2c57d41f3b05cdde5fbec0c9f8551b"
		"3bdd24f212d8e93731ff7b69f087cb3765095cf14cbda59e8bc5d466"
		"b80e62e6e63c73667e3b660ea120f2b811f399e152abd220823484d9"
		"fa6c12feb4d78f7969258ce15030ac86e17f6c8fd149df172f7fd5df"
		"9f52d6dbf1e3f7c908eed35ba9605209bcc1ec642009f5756c95d516"
		"aa69e97a0bd988d543372e3b6a9379d61e2f033c60972248f8ffeb69"
		"b1e8cd8ad2ebec630482b8e2af3bb10290a8f867efc3b00416c2cb5b"
		"f4da21cbaee81192649fca98d5fbaaa8b1944b5d75106c62d1b3e589"
		"f7a5ad5c0c697241c82a52121ebcd0b88df4afed47aedb201d6acb2b"
		"be755a77ed96e6ceadbd079f560ff2b6eab833e19379fdff272c4300"
		"eea0db22a722a1783d0b2ff9609df9500fa361a74b56cdb18ad542e7"
		"3d6daac077d50e1e509b66c614a9f68eec77174134fa0c06aba07793"
		"e91fc99e6fc003c17b798aeb5e5e3259b16e718576392fcb6a244f00"
		"a3d7bdd377fc3dba664671897b9b95919d23b7859e86bc3e9ea4f533"
		"6b53d780c6c98e65c0ef217b1cb1507980f4a9b7d338607cc61255ab"
		"d16d4a30975338d546218b9dbd00572335242d2d15757adb490947f2"
		"9d7431eae48210d98fe5b574c650fd892cf481c95a85e07f421e9269"
		"2012948c611e5575ec6d88391b6da3adfc510730b64fa823b02732bb"
		"7cb4572b30d907318b51e849e7df80afd62606f3a5721cc9dc7f05e0"
		"0b121b33b2d8175cae455413cd2e60809c9d8b1d0ae8d10c908b9602"
		"645da633011e3f64e34e1eda4622f5231bad3bedce528724b420e5b7"
		"09cffc6776141fd04373cd632cee1d0ebd9de29b864a21ab8ce58db0"
		"6a47f68110b0324637e76d8e02b79db036eb8eaff854bbe7f57a87b8"
		"b4bc1e47bb3a2dec010a28ed966d11c97f3b6421df42fe49e4e60321"
		"b5d4e8e8ce9fb060f972ded9216990a8f6d609bef00ce2c0c4fbd7f9"
		"8979224c3b9c6b69cb3d9acc4bd67934fcb2d2817864a8968d60878e"
		"2a77d7ca7c8a06ebf9c8144af1b8cc28c15b5808ab8ca9d9c6bdf825"
		"55b733cf7f32c33b6b5478445f11c646c315a78321e9470ce999239c"
		"4d1543304f260da6027a7529689d7f650308ef80221eedbfebd04a94"
		"317e2e8c7874497e6179e44b148b6c65e4f47bceec9f632a0c6f8343"
		"5a26abd6121be21a17bb28157a393d5754eca7cf3cb2c346e4fc02bd"
		"38c5513e779395a2c15e2447ac342b878f796922500994d0a6845afa"
		"8a1fee3c0c893c900f48c6e7f5670a457015b4de1f3a83cb32887efa"
		"b4f3672406455a791f301265ed293c71649acadac8b40ab9d7c18337"
		"311fa8826dd52c4977750f888afd85f201ab66df9e19e294c58ffa64"
		"b48e26245993f878f9ba4f146f45fef0",
	  .skeyid =
		"13ae1d13b2ba71116ccb416d73cfb636bf5b79ee4b028598221bb6fb"
		"82b1e9bb99b423daf64863f19acafbbad28e5a731ff5c6cb5f01fed4"
		"4bc909a32c7f8fd0",
	  .skeyid_d =
		"6344fb0c06ddee0cdba51c098493989c77beba46448fb3fdf1919345"
		"fd774978925ce303c39e8ddb9ea654d4376902235a15adaec43caddf"
		"c68f4b11a6ffece9",
	  .skeyid_a =
		"787b00a482b7ba495e01dd64cf21327eff10f035254907f173976ced"
		"d72dc9ba3b274b91e2891507828cfe8e7e97abaf6f2ed77ec43f8407"
		"979640b29ae30143",
	  .skeyid_e =
		"4f608104cc63a47bf0b12760d2c6612b1dbf50bf8d5d8eeb61a1160c"
		"ad51761f400f22db4da86cadd76ce709a75dc5183fbe589dfd138468"
		"6e8991d8acdc396c",
	},
	{ .where = "[g^xy length = 2048] [SHA-1] [Ni length = 64] COUNT = 42",
	  .hash = IKE1_HASH_SHA1,
	  .cky_i = "1506d651dca70ee5",
	  .cky_r = "9af54ff3a7d1cfde",
	  .ni = "c9624bddc3a217a1",
	  .nr = "3574d90a6b8fc714",
	  .gxy =
		"08eed8a6182e4446712da629abf7ae393b90eef9071bc1bde5d035a0"
		"fac4065bcae53a0dfd2809fb073213c58414694875ba3902faeb784d"
		"d6203319e11988dfff93df6b93ef3646d9ef6dce7d070cdf0b19f6a6"
		"6d6305c53a76d3e2621cbc0f3f60cd762da2d98035ae77cecc4fce4c"
		"0c27563315f4ec2efaaa0358cdfe38eab93b6aa46ecc63d06e4305d3"
		"7cad775056aa676c94570e043f3063a32bb92d1f47a29649c9d45380"
		"c21b457396cf212422d01e3c42a5a9c752e5f7414176445168e95643"
		"0075ed629e7f3ea8737b36a793a5b41524d055bea5cda90fe9c98a43"
		"d8969f76bd9b5606524e3d6ffd04c6f78f4ec6b127f810a25931ab0b"
		"4f4693c9",
	  .skeyid = "b5b5729489b75040afcfae996fe0dbc216df4253",
	  .skeyid_d = "195c7746df24a9696c649de9e316bbc2f0c5d64e",
	  .skeyid_a = "d9964ed163d63f47e144b445872cf3c3c9c8b0b8",
	  .skeyid_e = "3d0467634a17dd89408a838d1fcba4569cc3d714",
	},
};

/* ikev1_psk.fax: SKEYID = prf(pre-shared-key, Ni_b | Nr_b) */
static const struct cavp_vec cavp_psk[] = {
	{ .where = "[g^xy length = 256] [SHA-1] [Ni length = 64] COUNT = 0",
	  .hash = IKE1_HASH_SHA1,
	  .cky_i = "83d374c30b3b5082",
	  .cky_r = "5afc0da06c728029",
	  .ni = "b9a2d0e922dc66dd",
	  .nr = "2130166863b5ddef",
	  .gxy =
		"739003ba2c11c982946c65e26acf661fbf8ebb78011a9fead79efa12"
		"fe3e71cc",
	  .psk = "75",
	  .skeyid = "62b04d112877e442fc3282fc37c076997718a0b9",
	  .skeyid_d = "369e5aad1bdb5faf6a3d929d500cdc236710a9ab",
	  .skeyid_a = "588e957d8d790d093b3a39f121473473af78e9bb",
	  .skeyid_e = "cd74b0c048219db81384d3fda8f6cda51e398a2b",
	},
	{ .where = "[g^xy length = 256] [SHA-1] [Ni length = 64] COUNT = 1",
	  .hash = IKE1_HASH_SHA1,
	  .cky_i = "d1cbcedddd3c7b09",
	  .cky_r = "4d61a7826f1044af",
	  .ni = "03a6f25a83c8c2a3",
	  .nr = "9d958a6618f77e7f",
	  .gxy =
		"04e2d98b6ce1ae11e954482b308034ad4b9ebf9332512b01f5269ead"
		"ad43d503",
	  .psk = "c0",
	  .skeyid = "ab3be41bc62f2ef0c41a3076d58768be77fadd2e",
	  .skeyid_d = "e6e275b990aa3e075987aa28bd5c7bf9e9389b3e",
	  .skeyid_a = "f0405e6da81e8640c84d913a53f01483b7e3d34f",
	  .skeyid_e = "8e697c4bdce92234114b59aa0e634a381ad797fa",
	},
	{ .where = "[g^xy length = 256] [SHA-256] [Ni length = 64] COUNT = 0",
	  .hash = IKE1_HASH_SHA2_256,
	  .cky_i = "4e30e8d4da0fecbf",
	  .cky_r = "cf8ce1348665f112",
	  .ni = "ead9ced494868f41",
	  .nr = "f1aff4f425a94f18",
	  .gxy =
		"ea6c7c00e276d86adace3368f0c8245c3e486b8c6c1474a533b7da3b"
		"9c9b3f1f",
	  .psk = "a0",
	  .skeyid =
		"558a99b299773d267cf7c8ef073bf3b7af362c206c75a538403c5ef8"
		"84d4cace",
	  .skeyid_d =
		"3b4bb2bf33fc3f002c84f59370f39ac705ea8efd299f64aaf723b799"
		"5a2b1560",
	  .skeyid_a =
		"c78ad634ec47feee88cda902731e731eb594114db6a1882bc2c948ee"
		"9765958c",
	  .skeyid_e =
		"33b10be0f43bc5984a86a1470c48ece12290915589b8c73fa5c7b8fa"
		"f2bb6503",
	},
	{ .where = "[g^xy length = 256] [SHA-384] [Ni length = 2048] COUNT = 0",
	  .hash = IKE1_HASH_SHA2_384,
	  .cky_i = "88bbde1daa1a3bf1",
	  .cky_r = "f5761a2ebc38f492",
	  .ni =
		"cda3a7a8242b2a9a1bf37ceb4fcab909de301ef622e4d2f71c4cabf6"
		"ea03cb286f5ce0472b2b7db26fc805147aed998c09ccf424b075fc11"
		"01ef1dc3b4a423854f192782f5e0f7fd440c9c2d5821d4eee7751900"
		"9dac7af0c92429366cea5137a588fd1de958d6abaf7e679cdc8423f9"
		"257ba35b98be69fd4c438f52c0c1f961146efa7bac2e13a849cb1653"
		"f50d84d559cf55122e209d4717da45f65f4a8a5a1d60c4b22089d541"
		"9947038376df09425f089223b453bb2894a8d2283a9a458330b6a6cb"
		"052c5caa7ae90895366f70fface82341fae494cd50ffe6cac72c9016"
		"e560e5335d496de7ff8d26f859a490d7c76343f3d6a07d9e6ca1bbb9"
		"4895a323",
	  .nr =
		"5c3d727f3f36dd420dd51a1bff88c36804c7c214c93243c37e178aed"
		"826ba007d8448487e0db11671b69987be6c5dfa9a48ffd80145d70ba"
		"54bb2686ec1d50fb32f23b048fc64890faaed9fb6747b8c603d1d707"
		"3fefe2391d2ad0f3c159673173d0bc3febdf9494df1f4aa3c4afccae"
		"aca2d45c2e4f6c1d9602eff48698245f5aa14529f14c15c3b03c94aa"
		"44dc8d082003a581be7f8b3e18a709c6a64bcd0cc9c3d79baed70cb0"
		"f4be6713a066093cee9ab992dd5b19de8a6b5ea15e4e449b7f06ac9b"
		"652d0132b175ee14635b8becccfc7071ad5cb44a87c216e9414360c5"
		"0472c1352e9ef61dcedea5a7c26d1723328573b27da059edad7b3cfd"
		"b80746d3",
	  .gxy =
		"37c6d9471857650f12a397659f211e7cdf82a5dd6ea5ec1e8d0a2072"
		"858c046c",
	  .psk =
		"768f0942d5e4c62cf386076a0f830620029c0dd853543c526b810abc",
	  .skeyid =
		"b52129b5faefae715cc31929cb343043e8d1714d11ca316a8f03d123"
		"89c55a4f1d93e70d27ba55c3eedecc137352ae24",
	  .skeyid_d =
		"1e00c192e771cfa47575db9f0ee5389f9ed379e507be35200bb9ad4f"
		"a36d557b5b2d674c7c16b76beea23a80435eea3a",
	  .skeyid_a =
		"fe16a249ff4cd375f5c6a61d371cfc7f923722f114621804b32b1d44"
		"6d33d1a07836da4677c0e2d6bd28478b34a1834d",
	  .skeyid_e =
		"65641561b2bac051bb23610247bb17cfadfdee8fb2fac072e2bed012"
		"daaa248438dea0ff4325d1805750080ff4b12750",
	},
	{ .where = "[g^xy length = 256] [SHA-512] [Ni length = 64] COUNT = 0",
	  .hash = IKE1_HASH_SHA2_512,
	  .cky_i = "2ce3422d3dcba7f5",
	  .cky_r = "82ca94cbe7b77049",
	  .ni = "482a05eca86fba51",
	  .nr = "84ee19d02272de2e",
	  .gxy =
		"aea3ae089168001f2e4bd693bc8303ad094b71ec57921bb0f9d1252c"
		"09c46ed1",
	  .psk = "4c",
	  .skeyid =
		"5bcb5499ae4c1437ce6c195392bf26bf7980a59bcb787a0b58671771"
		"a3d4b06dc1eb7809241b7e5931740b05bf8a9873bb493c5f067e28e4"
		"f58ab65c3dbe44cd",
	  .skeyid_d =
		"7be2bdc8c03d05b5932b95387cad909718dace7bf9e4eeacbaae431d"
		"6521828b70f8a6011640927eae4ebbf72f3dd154040b7ee7ed2fc156"
		"83190d3da50ac7e6",
	  .skeyid_a =
		"75149f3f671435eafafb3868eff58a6367ebbb50006c8723ccead82f"
		"e49967651decf63a079b0ffaa241eb341a90d612876e76866450739e"
		"49f88ba306861b73",
	  .skeyid_e =
		"39dd0670384325de75cc2dbd681d15423b630e93e5fefb0224f1defc"
		"a1a9b0fdda61f8c922428b00cde4c386c4ca8898a48969e4c19f1fe3"
		"0899a6260c5d8d46",
	},
	{ .where = "[g^xy length = 8192] [SHA-256] [Ni length = 64] COUNT = 7",
	  .hash = IKE1_HASH_SHA2_256,
	  .cky_i = "df77ebb3ed98c6df",
	  .cky_r = "186471d02e1035cc",
	  .ni = "5e247e43fdfc2be9",
	  .nr = "3b79365483d07c62",
	  .gxy =
		"e37c856b84035eefe2e91a738981fd75680f94884c042616286996e4"
		"69a1f590aad4fba7fc0c250fc3ef105eb1acd72d9be4c8e72475c53b"
		"bafcb224b2a2fafb0a26a4b50d46eb7b722d3bde3b45d5885f3b8070"
		"960fab034e794a74439051fafee5ebc93ac3abcf086b3f557646d76d"
		"da349035e8c0ec0468c42c1f29089ff73b6bebd0168dfb38463299f1"
		"475f2cd512f1e4380ee7d1235b6e9d28b353e2c4d0f658ca2924c593"
		"e8d9b39b200832d7c386aebf06d8fefddb54c48c9f4cf0c3a5f8f9d1"
		"ea1bd9a632d9510e70f295d482383c1bada91e5246ea28e34b2d6a47"
		"17b730a72a534d7ef6ce1f3d66e4f12595e3dfb26c200a09cf6572cc"
		"65a6f653e1060f96b09dc4a920d54aca6a72a6e4e9bcff3b18fa3c4d"
		"079871e1d285513b1eff725ecee944b6f63419ab522d4e36f33a1569"
		"e07f803ad617959605c7692b97541bc0e62332c0c701c19ffdb5ebea"
		"2f0f4c65b4196a4d70e04ce78f030180cce987f89f5e52bc0729b356"
		"dea2360c87552f11862d0bb7911e64c50011cf523dc4521321692a99"
		"434a447e8ba519b39650873522a79a62c43737e7f7669918a18cd3bd"
		"4df53b76c4e387a4fcc426b370073499e4fc48cd6f5165a40160f824"
		"5be38025219e9d7afb16bf38769f19a1e4cc7021d55085a269980715"
		"18a44125af42086918d25803562808a491b44e617727200ec097e69b"
		"27b24b2f710dfe76b77ae981eb7998e61d029979446daf1c9f183786"
		"0ee0fa699350f30167fd9b2e1f5ac45f3be66aa948da688e1e0c545a"
		"d86218372cb5f7eff74c214d7ab11ae9d621dfa94a721abc7fd2eece"
		"dfa0f39707c119d2ea4580bbc12612ba1215e8c2b8807a983ec8f459"
		"6c36fabff8805d4f58372ccfe7ce2bfc47b9d549f1f8294ff717def4"
		"9e0123aadf5f81fea0260c9d405d493604244cd279734caf8b8416bf"
		"61cd320997c1426b262a78486c3ca9a662ce5ae8f961e7d5ca4c5dcf"
		"516d75b2e551b8073a05b47f0b8622e4df82ecb25ba816ffe3bfc905"
		"42d7115af36243e6199c6e42e21e415e3096ae0eea293e72faed0f19"
		"b766bf3df395dbb9640cd67716f36bb945f166095d57fc14a707009a"
		"b1ce24b5d5a5976aced1a08c8552d1eab1c8b884aafba1ce21d6361c"
		"79edf7d438abe2b08cd3ddbc6c95faaf275b9594449ef2a4994b8c13"
		"aab9ccd7899a6397815d64ec347eadf1a94d250dfbbf5de5da3e92c2"
		"c981edf179c18a083a80e276a0cd6203319e2fb8adbe09b53637dca9"
		"444b70dcc442b1e19c35f7a5748ae3075d3bf38f02b1d0aa3fe50e5c"
		"4c2ade3123af0b846ef081148ab51973edb0f3ea62f319837acdad80"
		"dc327ba6d37fcd2389d5cd27fe84d53ae4da843263a7edd84013fe09"
		"b98b714d474522c2dae829060121c6ef9850bfc7b293c65ab1c1ac38"
		"9db055683ed9efef67200714b80c84b3",
	  .psk = "63",
	  .skeyid =
		"90d851209e2cabe10a8be11ddadd255e3dab9625807da8f5cf2b54ce"
		"9acbb7f8",
	  .skeyid_d =
		"0d6f27188e059591c6835bd36f60ff2185f76a72ef1dd4ef3cb30c1d"
		"4526b4cf",
	  .skeyid_a =
		"bf89ad6a276af340a478c788a8d3adc12f70da3afdb0a822607583dc"
		"2e7d85c9",
	  .skeyid_e =
		"662b7c6c2d7d48576d406a09a9398e7df34a1ff171c10146f362d8e2"
		"87b1d876",
	},
	{ .where = "[g^xy length = 8192] [SHA-512] [Ni length = 2048] COUNT = 3",
	  .hash = IKE1_HASH_SHA2_512,
	  .cky_i = "c7a083add62ab1fc",
	  .cky_r = "bc8b55880faa5e22",
	  .ni =
		"545cf6dd8339604c7c6ac482cf42811fe37a7e53b353320332af28cf"
		"0e4f65c85766c59d8eeb93130826c8d8d01187974fb0dc2e7ea1d9b2"
		"6f32cf70201b2ec82a27113aeed36727df3c5588cf0f6b36f313c826"
		"62287f8c03cff0ff972792828a11aa06cbfda651b4124371e42a0690"
		"618bfa99be9eac51ade72ae82f23fedcb721bb39a061424b7e164a38"
		"5d39d4a8dcbb1ff2e6b39ea8da709f8a05296cbd15151ddc7ab61198"
		"29de8f97a69834d63b30c91a7eb1104a45e131c7ae31fb2b4c88888d"
		"df7751878b4cc256c1ca0dc5b9cdfb7f2c8e6abfd979c5a14fef1a73"
		"2f197865e8171c2ec3526fe07e72406821e907e47bd4912bcd303807"
		"70fcac1b",
	  .nr =
		"e3796876a23e7dd1fc951a26cdfa15d951aac0e1ee23f581823cd920"
		"ea065675bf85bb414a4539bd701ed52e2c717161864769156b60a60b"
		"6d70e4347db263a36c50e6903b8ba02db2035cad13b51577eb9f7f03"
		"b353a661c4aeeeaa7a1a9949b6a908b558243bf6b24c1d16f9d7eef7"
		"267aa90da808709e5be80615c49e9dced3b38b891ebfdf1a5f080859"
		"91ec6c4cab847a09e6e7a4c0eadcbd6465b6020cf0af433b358d4190"
		"7956849f5f620aa55bbb953a1dc91d544c2ab76766eb8bc42747e207"
		"153e9d544685d1fb9b5dee4e342a648c6b283cb3e41bbdc728dcf8a2"
		"103f9a7d5e3082bb622f47910e9d41000bb17d3e4896fb4436da7f5c"
		"b04bbd53",
	  .gxy =
		"cd50b0945855ada1e9574b2fdff760dbd9cf4fedeb0043cf66dd2a0f"
		"edf7cb315b9c5581949a3634655907a6e758637e6a26326822301e65"
		"c8038d96dd05c68a8e3582c4936806ae4e803b3912af2d6facb0c1a0"
		"26f87e5a02eff9d977edfc7b4d3967d7708b713ceaecb1d987f76fc3"
		"e35f9cf8a35ac44e1881c4d23617dc216c34e19cbdd84f28cf05edc7"
		"42d75c8e825e6ad05b608c268130f4cb3b189a9c9a1ba1f2bc81f4be"
		"6b1d1596c8cab0d95b12111095a093ce6b7c396871eb1399ec051a2b"
		"9c491868f57bc3703435d5e39444b28cf5d35d46c3da17019db38779"
		"06e0a517f33257e260e87d20901c133cbf1d60755290ed24ca740d7a"
		"3a8db56d0eba79978a9e763f1c05223e1b2a87987bd44249e9c1e3d6"
		"59679bf3bab281c757db2468c826a33364cd63c00b473113e3a63e7c"
		"886525e5b73eaba5479cb47f0f3a4e70475d5453d7d0f8edac63b8c7"
		"6a8f88d0ad42d373f6f1d230da48e981430be177faf632b2d2bade8e"
		"ce7dda8f24fa85956c15e955161df158a133ddb8e068e48a1f5f4cd2"
		"4ee32552542211ea55c3a9378029b1132fbfe4e1f9864f1ffda11c44"
		"60b7a21ceb3b69fefc264bd8934f7f5b505ab8394d7d435548aaffbe"
		"c05edbfaba08f38e6d365115a0637dda58df462ed253843a8d8a563e"
		"7f9c960c57d89ed6c1b8f8066e94a1c2edece4a13fab70055b5feac4"
		"06cd485f87a04a81b73fd312e163bb4c883c98b766575b1a5f2e4ad7"
		"888df4f6d26e9c2a659c1f523bcdcbf2d0e5c0883cdbbd84f29e9e71"
		"a2391712dc4191cb6d29350669cbfe6f8aa85ced31cd883af53e537d"
		"cc79773528ed3633dc4702052555a5945f3fc731211e216c1113aba7"
		"5a9422a89ee162e88e3e9b8a03610d3c66727507427079c0a1b349f2"
		"0d8405ef8d999b62d9ace8e15834150dba5b49d12323e7dc1ee2bc03"
		"0070876402f2e20f735844f8a580648ef4f2d7c7f19840d6d9cab740"
		"8a67f8c8cc2f0795bab9cbcd6e6620a563055816ff06f7e6ac22ce05"
		"ef1934488b12acd15cdf2ad5b68f0933ab5193414164cd603e63985a"
		"3902da1d3d7e1135c38ce254362572014da6b4ddbb5a0740632d077a"
		"a3efe5debac903ad81c848a66d25ef4db1929cc2ede05e595a7e7b22"
		"309b1117b6546e6c7ddb943b5d42497df8aef6e986c14270b53460c4"
		"a0a328fa20da042d9b9f0e348e2d049c3566bdd404afe5525b51497a"
		"57658df88efb466a4afbe23286b4093f68f4fee2d2500dac343f8241"
		"4090479d1f28e15207e8dd35dc343a864b110d3e35042350778c879e"
		"6a22b0dc4af11f321a33cf0c229e44290ba38074a3b77959d3f9e5a2"
		"68fc4f486f10532f9060d0472446ea8ee9286d54572885aefae03f32"
		"db60943c936a0230ab0688a85ed6dc26c9fe5e26a8fff985a97d700b"
		"0412f24b7d7ee27401f95f4a8768235b",
	  .psk =
		"1463c765d2746ec591343a1578566dd68683ba3da449ed91007cb32a",
	  .skeyid =
		"ec4480ec515034a22918277bdfaf138dd602b7ba6be71a36cbc1bbc2"
		"89f41bf88d5a4c1f935629d9f1a8d23bcc104fa72d4e6c2864d0a879"
		"27c3e36847b18b3d",
	  .skeyid_d =
		"2b8ebfdac8cbd6cdce34c92f6454ebce0e4763d100f8e39a9ae2a032"
		"a5aca6bf68d6d086d9e81b2b19d3002276cbff08f6c8e308c6624b9c"
		"35acf8bda949fa5b",
	  .skeyid_a =
		"af7f6e1a289501a687fad8ba13c253f8b6410b05fe2fae92d06f2a5c"
		"27bf1ce8dc79258194d5ca1e226705b3316d7346c66e196192f633f7"
		"d6d3535e6c114057",
	  .skeyid_e =
		"acec86d72c58f0b58fc77bfe551292c8b5bb54e3bdcc4a7dbf28ada9"
		"a90acea67ccee30e4c23023578244f9b3e073eb46b72e5a0be8bace1"
		"59ff438b3dd43e08",
	},
	{ .where = "[g^xy length = 2048] [SHA-1] [Ni length = 64] COUNT = 42",
	  .hash = IKE1_HASH_SHA1,
	  .cky_i = "c4a166692ca5e523",
	  .cky_r = "7c94c486f15516ec",
	  .ni = "f974c1030b3d9c8b",
	  .nr = "6f9553a24bdf3dcd",
	  .gxy =
		"0683926433f991a62ff9e3f9e13973272082166e443ba8f4da484267"
		"4e3c461f0fd8b3d9a0d86734807fa81b432439a3ad208051bfc56b45"
		"3438969113d9324f5a59d758008e7a5268954148a9b336e1a62dbeac"
		"42420f03ead0ac6c5128ef58929f137836719c3050d80cb9ee1af50b"
		"283a2919e6a9296c46690ce41e913248663e3895ac2f80f4ab52a22c"
		"ac315fa7e821b37eef26cd7b89880634a9872f164b66ae458802703e"
		"220e2bf9a991f23c71586e5f3e3bff2d0d6d5adce73e28adbc02d204"
		"e804d9c465e53a8f61a5c9bcb45351cceea5f20fdea1e69c4862331b"
		"a5e8410e994ae155d93592c4e81182b5759edb85027e31024f8762b3"
		"0a908995",
	  .psk = "3a",
	  .skeyid = "f1a40d4e9927a45ad37cf176786a8658ea5d610b",
	  .skeyid_d = "4b728d3993991401661a3d0c558607113f88bf89",
	  .skeyid_a = "64b20895445d606c220e4c82dd9a8a24a836244d",
	  .skeyid_e = "45e567bb46c23e41be38569adb6901573bf1b2e6",
	},
};

/* A case's inputs, in buffers as long as the files' longest. */
struct kdf_bufs {
	uint8_t cky_i[8], cky_r[8], ni[256], nr[256], gxy[1024], psk[64];
	struct ike1_kdf_in in;
};

static void kdf_inputs(struct kdf_bufs *b, const struct cavp_vec *v)
{
	memset(b, 0, sizeof(*b));
	assert_int_equal(HEX(v->cky_i, b->cky_i), IKE1_COOKIE_LEN);
	assert_int_equal(HEX(v->cky_r, b->cky_r), IKE1_COOKIE_LEN);
	b->in.cky_i = b->cky_i;
	b->in.cky_r = b->cky_r;
	b->in.ni = b->ni;
	b->in.ni_len = HEX(v->ni, b->ni);
	b->in.nr = b->nr;
	b->in.nr_len = HEX(v->nr, b->nr);
	b->in.gxy = b->gxy;
	b->in.gxy_len = HEX(v->gxy, b->gxy);
	if (v->psk) {
		b->in.psk = b->psk;
		b->in.psk_len = HEX(v->psk, b->psk);
	}
}

static void check_cavp(const struct cavp_vec *v, enum ike1_skeyid auth)
{
	const struct ike_prf_alg *prf = ike1_hash_find(v->hash);
	const struct ike_encr_alg *aes = ike1_encr_find(IKE1_ENCR_AES_CBC, 256);
	uint8_t skeyid[IKE_PRF_OUT_MAX];
	struct ike1_sa_keys k;
	struct kdf_bufs b;
	size_t n;

	assert_non_null(prf);
	n = prf->out_len;
	kdf_inputs(&b, v);
	assert_int_equal(ike1_skeyid(prf, auth, &b.in, skeyid), 0);
	CHECK(v->where, SKEYID, skeyid, n, v->skeyid);
	assert_int_equal(ike1_sa_keys_derive(&k, prf, aes, auth, &b.in), 0);
	CHECK(v->where, SKEYID, k.skeyid, n, v->skeyid);
	CHECK(v->where, SKEYID_d, k.skeyid_d, n, v->skeyid_d);
	CHECK(v->where, SKEYID_a, k.skeyid_a, n, v->skeyid_a);
	CHECK(v->where, SKEYID_e, k.skeyid_e, n, v->skeyid_e);
	ike1_sa_keys_clear(&k);
}

static void test_cavp_dsa(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cavp_dsa); i++)
		check_cavp(&cavp_dsa[i], IKE1_SKEYID_SIG);
}

static void test_cavp_psk(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cavp_psk); i++)
		check_cavp(&cavp_psk[i], IKE1_SKEYID_PSK);
}

/* ---- the script's fixed inputs (see the top of this file) ---- */

#define CI	"0011223344556677"
#define CR	"8899aabbccddeeff"
#define NI	"101112131415161718191a1b1c1d1e1f" \
		"202122232425262728292a2b2c2d2e2f"
#define NR	"404142434445464748494a4b4c4d4e4f" \
		"505152535455565758595a5b5c5d5e5f"
#define GXY	"202122232425262728292a2b2c2d2e2f" \
		"303132333435363738393a3b3c3d3e3f"
#define PSK	"6b697073656320696b6576312070736b"	/* "kipsec ikev1 psk" */

struct fixed {
	uint8_t cky_i[8], cky_r[8], ni[32], nr[32], gxy[32], psk[16];
	uint8_t gxi[64], gxr[64];
	struct ike1_kdf_in in;
};

static void fixed_inputs(struct fixed *f)
{
	size_t i;

	HEX(CI, f->cky_i);
	HEX(CR, f->cky_r);
	HEX(NI, f->ni);
	HEX(NR, f->nr);
	HEX(GXY, f->gxy);
	HEX(PSK, f->psk);
	for (i = 0; i < 64; i++) {	/* bytes 0x80 to 0xff */
		f->gxi[i] = 0x80 + i;
		f->gxr[i] = 0xc0 + i;
	}
	f->in = (struct ike1_kdf_in){
		.ni = f->ni, .ni_len = 32, .nr = f->nr, .nr_len = 32,
		.gxy = f->gxy, .gxy_len = 32, .cky_i = f->cky_i,
		.cky_r = f->cky_r, .psk = f->psk, .psk_len = 16,
	};
}

static void check_keys(const char *what, const struct ike1_sa_keys *k,
		       const char *s, const char *d, const char *a,
		       const char *e)
{
	size_t n = k->prf->out_len;

	CHECK(what, SKEYID, k->skeyid, n, s);
	CHECK(what, SKEYID_d, k->skeyid_d, n, d);
	CHECK(what, SKEYID_a, k->skeyid_a, n, a);
	CHECK(what, SKEYID_e, k->skeyid_e, n, e);
}

/* SKEYID = prf(hash(Ni_b | Nr_b), CKY-I | CKY-R): out['pke_*'] */
static void test_pke(void **state)
{
	const struct ike_encr_alg *aes = ike1_encr_find(IKE1_ENCR_AES_CBC, 128);
	struct ike1_sa_keys k;
	struct fixed f;

	(void)state;
	fixed_inputs(&f);
	assert_int_equal(ike1_sa_keys_derive(&k,
			 ike1_hash_find(IKE1_HASH_SHA1), aes, IKE1_SKEYID_PKE,
			 &f.in), 0);
	check_keys("PKE SHA-1", &k,
		   "b9fafec2ce610dd694b1ce85765797cc734a19da",
		   "3ba5bff88eb98516c5d9eb149213c656c16b53bf",
		   "00671b82b6d06d33a9831fe60786f64ef87404e4",
		   "25afb1b3c9e4ab09990d93b929ece4302f46ddba");
	assert_int_equal(ike1_sa_keys_derive(&k,
			 ike1_hash_find(IKE1_HASH_SHA2_256), aes,
			 IKE1_SKEYID_PKE, &f.in), 0);
	check_keys("PKE SHA-256", &k,
		   "6ebfe654bf8141259a7cd3493015893c"
		   "8d6128b1acdddb30b4e99bb657dcdc1a",
		   "0a357722fd716e292b37623973c555ff"
		   "79d2c7fd0f229d11431ce5d6b8f60ff1",
		   "c792a25b4bf60c23122fd42263885fcd"
		   "8f1a25b95fda3e039453fa0a77e3245e",
		   "28ad0c031338c7f5a54753d829478f16"
		   "f9fbee691937d4e9f121d3b57422321b");
	/* truncation: AES-128 takes SKEYID_e's first 16 bytes */
	CHECK("PKE SHA-256", Ka, k.enc_key, k.enc_len,
	      "28ad0c031338c7f5a54753d829478f16");
	ike1_sa_keys_clear(&k);
}

/* ---- appendix B: the key from a SKEYID_e too short for it ---- */

/* Signatures with MD5, Ka for AES-256: out['sig_md5'], out['ka_md5_*'] */
static void test_expand_md5(void **state)
{
	const struct ike_encr_alg *aes = ike1_encr_find(IKE1_ENCR_AES_CBC, 256);
	struct ike1_sa_keys k;
	struct fixed f;

	(void)state;
	fixed_inputs(&f);
	assert_int_equal(ike1_sa_keys_derive(&k,
			 ike1_hash_find(IKE1_HASH_MD5), aes, IKE1_SKEYID_SIG,
			 &f.in), 0);
	check_keys("SIG MD5", &k, "21993b4e43db0dd8accd2d447a1a0422",
		   "97c21aa4e7c01fde9539881730ce232a",
		   "c12ab9f316b2c9a97841b11e7155e3d5",
		   "9706b7a74c8f8bc4bdd3b3a29b561267");
	assert_int_equal(k.enc_len, 32);
	CHECK("SIG MD5 AES-256", Ka, k.enc_key, 32,
	      "158f718df25eb599ce8e9dc57c0cb0f3"
	      "23ad2e289b101da593998384ef512ba9");
	ike1_sa_keys_clear(&k);
}

/*
 * SHA-1's 20 bytes of SKEYID_e for 3DES (24) and AES-256 (32): the CAVP
 * PSK case [SHA-1] COUNT = 0 end to end, then ike1_enc_key() alone.
 */
static void test_expand_sha1(void **state)
{
	const struct ike_prf_alg *sha1 = ike1_hash_find(IKE1_HASH_SHA1);
	const struct ike_encr_alg *des3 = ike1_encr_find(IKE1_ENCR_3DES_CBC, 0);
	uint8_t e[20], ka[32];
	struct ike1_sa_keys k;
	struct kdf_bufs b;

	(void)state;
	kdf_inputs(&b, &cavp_psk[0]);
	assert_int_equal(ike1_sa_keys_derive(&k, sha1, des3, IKE1_SKEYID_PSK,
					     &b.in), 0);
	assert_int_equal(k.enc_len, 24);
	CHECK("PSK SHA-1 3DES", Ka, k.enc_key, 24,
	      "9ce3201d5c6cf897a6cba863e68c634d8d63805d1f20e30b");
	ike1_sa_keys_clear(&k);

	HEX(cavp_psk[0].skeyid_e, e);
	assert_int_equal(ike1_enc_key(sha1, e, ka, 32), 0);
	CHECK("SHA-1 AES-256", Ka, ka, 32,
	      "9ce3201d5c6cf897a6cba863e68c634d"
	      "8d63805d1f20e30bf6884e2a4ee9fc8a");
	assert_int_equal(ike1_enc_key(sha1, e, ka, 16), 0);
	CHECK("SHA-1 AES-128", Ka, ka, 16, "cd74b0c048219db81384d3fda8f6cda5");
}

/* ---- Phase 1 authentication, Phase 2 and Informational hashes ---- */

#define SAI_B	"00000001000000010000002c01010001"
#define IDII_B	"01000000c0000201"	/* IPv4 192.0.2.1 */
#define IDIR_B	"01000000c0000202"
#define MID	0x1a2b3c4d
#define QNI	"717569636b206d6f6465206e6f6e63652069"	/* "quick mode nonce i" */
#define QNR	"717569636b206d6f6465206e6f6e63652072"
#define QM_REST	"0a000024" "00000000000000000000000000000000" \
		"00000000000000000000000000000000"
#define GQM	"606162636465666768696a6b6c6d6e6f" \
		"707172737475767778797a7b7c7d7e7f"

/* PSK with SHA-1 over the fixed inputs: out['psk_sha1'] */
static void psk_sha1_keys(struct ike1_sa_keys *k, struct fixed *f)
{
	fixed_inputs(f);
	assert_int_equal(ike1_sa_keys_derive(k,
			 ike1_hash_find(IKE1_HASH_SHA1),
			 ike1_encr_find(IKE1_ENCR_AES_CBC, 128),
			 IKE1_SKEYID_PSK, &f->in), 0);
	check_keys("PSK SHA-1", k, "790bbe750513b603a74d04f0e90a6255310d2214",
		   "9f6a7b04ee107ad2a733c9075622aedad2c31bd4",
		   "6e473a1e31e55f6df8b5e842f0b34daef192d187",
		   "3455dcdb3673b3002901c233a9d2985f49feb4bc");
}

static void test_phase1_hashes(void **state)
{
	uint8_t sa[16], idi[8], idr[8], h[20];
	struct ike1_auth_in in;
	struct ike1_sa_keys k;
	struct fixed f;

	(void)state;
	psk_sha1_keys(&k, &f);
	in = (struct ike1_auth_in){
		.gxi = f.gxi, .gxi_len = 64, .gxr = f.gxr, .gxr_len = 64,
		.cky_i = f.cky_i, .cky_r = f.cky_r,
		.sai_b = sa, .sai_len = HEX(SAI_B, sa),
		.id_b = idi, .id_len = HEX(IDII_B, idi),
	};
	assert_int_equal(ike1_hash_i(&k, &in, h), 0);
	CHECK("HASH_I", HASH_I, h, 20,
	      "68b59cf740f0364f86da9082e4d942fa00086ca9");
	in.id_b = idr;
	in.id_len = HEX(IDIR_B, idr);
	assert_int_equal(ike1_hash_r(&k, &in, h), 0);
	CHECK("HASH_R", HASH_R, h, 20,
	      "d1108f19f73e099df7d3ab13a81932702eb6b343");
	in.sai_b = NULL;
	assert_int_equal(ike1_hash_i(&k, &in, h), IKE_CRYPTO_EINVAL);
	ike1_sa_keys_clear(&k);
}

static void test_qm_hashes(void **state)
{
	uint8_t rest[36], ni[18], nr[18], h[20];
	const uint8_t info[] = { 0x0b, 0x00, 0x00, 0x10 };
	struct ike1_sa_keys k;
	struct fixed f;
	size_t rest_len;

	(void)state;
	psk_sha1_keys(&k, &f);
	rest_len = HEX(QM_REST, rest);
	HEX(QNI, ni);
	HEX(QNR, nr);
	assert_int_equal(ike1_hash_msg(&k, MID, rest, rest_len, h), 0);
	CHECK("Quick Mode", HASH(1), h, 20,
	      "21a8ac122d9b9cd8fd31ab16d5a8a9c649b83de0");
	assert_int_equal(ike1_qm_hash2(&k, MID, ni, sizeof(ni), rest,
				       rest_len, h), 0);
	CHECK("Quick Mode", HASH(2), h, 20,
	      "2ce362b986c0ccee47b797bf7db5e39a926d15c0");
	assert_int_equal(ike1_qm_hash3(&k, MID, ni, sizeof(ni), nr,
				       sizeof(nr), h), 0);
	CHECK("Quick Mode", HASH(3), h, 20,
	      "da7da1e333230df1b047f2af8339978b3358cabc");
	assert_int_equal(ike1_hash_msg(&k, 0x0badcafe, info, sizeof(info), h),
			 0);
	CHECK("Informational", HASH, h, 20,
	      "1fe98e4e8337f63d6c2af7eae0d14a6848e008d5");
	ike1_sa_keys_clear(&k);
}

/* ---- KEYMAT: ESP with AES-128-CBC and HMAC-SHA-1-96, 16 + 20 bytes ---- */

static void check_child(const char *what, const struct ike_child_keys *ck,
			const char *km_i, const char *km_r)
{
	uint8_t km[2][36];

	HEX(km_i, km[0]);
	HEX(km_r, km[1]);
	assert_int_equal(ck->encr_len, 16);
	assert_int_equal(ck->integ_len, 20);
	if (memcmp(ck->encr_i, km[0], 16) ||
	    memcmp(ck->integ_i, km[0] + 16, 20) ||
	    memcmp(ck->encr_r, km[1], 16) ||
	    memcmp(ck->integ_r, km[1] + 16, 20))
		fail_msg("%s: CHILD_SA keys differ from KEYMAT", what);
}

static void test_keymat(void **state)
{
	const uint8_t spi_i[4] = { 0xc0, 0xff, 0xee, 0x01 };
	const uint8_t spi_r[4] = { 0xc0, 0xff, 0xee, 0x02 };
	uint8_t ni[18], nr[18], gqm[32], km[36];
	struct ike_child_keys ck;
	struct ike1_qm_in qm;
	struct ike1_sa_keys k;
	struct fixed f;

	(void)state;
	psk_sha1_keys(&k, &f);
	qm = (struct ike1_qm_in){
		.protocol = IKE1_PROTO_ESP,
		.ni = ni, .ni_len = HEX(QNI, ni),
		.nr = nr, .nr_len = HEX(QNR, nr),
	};
	assert_int_equal(ike1_keymat(&k, &qm, spi_r, 4, km, 36), 0);
	CHECK("without PFS", KEYMAT(SPI_r), km, 36,
	      "877e46b75300670ff0347c378459be75"
	      "0b72c25a28bbc1c26adfd7ea2ebe7b1b2db4be76");
	assert_int_equal(ike1_child_keys_derive(&ck, &k,
			 ike1_encr_find(IKE1_ENCR_AES_CBC, 128),
			 ike_integ_find(IKE_INTEG_HMAC_SHA1_96), &qm,
			 spi_i, spi_r), 0);
	check_child("without PFS", &ck,
		    "877e46b75300670ff0347c378459be75"
		    "0b72c25a28bbc1c26adfd7ea2ebe7b1b2db4be76",
		    "36db3460a98c29f696b192a0ae160573"
		    "923253954ebb5931a4851ffd2bc81587c776e7bb");

	qm.gqm = gqm;
	qm.gqm_len = HEX(GQM, gqm);
	assert_int_equal(ike1_child_keys_derive(&ck, &k,
			 ike1_encr_find(IKE1_ENCR_AES_CBC, 128),
			 ike_integ_find(IKE_INTEG_HMAC_SHA1_96), &qm,
			 spi_i, spi_r), 0);
	check_child("with PFS", &ck,
		    "bc258671bfb47a4e193642982d7c0002"
		    "7f8ca8b75e332d49bae76bdf938a7efe241495dd",
		    "5c33b5379db759927930099e91b1ae4e"
		    "0f7f0b8fc97498fa465190233feb210a73c7d75c");
	ike_child_keys_clear(&ck);
	/* an AEAD takes no integrity key, a CBC cipher needs one */
	assert_int_equal(ike1_child_keys_derive(&ck, &k,
			 ike1_encr_find(IKE1_ENCR_AES_CBC, 128), NULL, &qm,
			 spi_i, spi_r), IKE_CRYPTO_EINVAL);
	ike1_sa_keys_clear(&k);
}

/* ---- IVs: Phase 1, then Quick Mode, AES-128 with SHA-1 ---- */

/* out['iv1'] .. out['c1']: Main Mode message 5, then Quick Mode 1 */
#define IV1	"87f0c35852e65ad707f37c05fb03dc6e"
#define C5	"cc963c139d9eff683e71e78260d0e435" \
		"f89157799db99e3a78de6e41049ac236" \
		"aa0f06dd3db17b599345ca34df717309"
#define QIV	"46cfa9687840f5e857eda8eb9be58620"
#define C1	"afe259e02ca966c1610ebb3242fed6c1" \
		"42afebf6eb8f733368dade226b0419f1"
#define Q1	"quick mode message one"

/* One end of an ISAKMP SA with the PSK SHA-1 keys, its IVs started. */
struct end {
	struct ike1_sa_keys k;
	struct ike1_ivs ivs;
	struct fixed f;
};

static void end_init(struct end *e)
{
	psk_sha1_keys(&e->k, &e->f);
	assert_int_equal(ike1_ivs_init(&e->ivs, e->k.prf,
				       ike1_encr_find(IKE1_ENCR_AES_CBC, 128),
				       e->f.gxi, 64, e->f.gxr, 64), 0);
}

static void end_clear(struct end *e)
{
	ike1_sa_keys_clear(&e->k);
	ike1_ivs_clear(&e->ivs);
}

static void assert_iv(const struct ike1_ivs *ivs, uint32_t mid,
		      const uint8_t *want)
{
	uint8_t iv[IKE1_BLOCK_MAX];

	assert_int_equal(ike1_iv_get(ivs, mid, iv), 0);
	assert_memory_equal(iv, want, ivs->encr->block_len);
}

static void assert_iv_hex(const struct ike1_ivs *ivs, uint32_t mid,
			  const char *want)
{
	uint8_t w[IKE1_BLOCK_MAX];

	assert_int_equal(HEX(want, w), ivs->encr->block_len);
	assert_iv(ivs, mid, w);
}

/* Main Mode message 5's payloads: bytes 0 to 39. */
static size_t msg5(uint8_t *m)
{
	size_t i;

	for (i = 0; i < 40; i++)
		m[i] = i;
	return 40;
}

/* The initiator: encrypts message 5, then Quick Mode's first message. */
static void test_iv_initiator(void **state)
{
	uint8_t m[64], out[64], want[64];
	struct end e;
	ssize_t n;

	(void)state;
	end_init(&e);
	assert_iv_hex(&e.ivs, 0, IV1);
	n = ike1_encrypt(&e.ivs, e.k.enc_key, 0, m, msg5(m), out,
			 sizeof(out));
	assert_int_equal(n, 48);
	assert_int_equal(HEX(C5, want), 48);
	assert_memory_equal(out, want, 48);
	/* Phase 1 chains on; a Quick Mode starts from its last block */
	assert_iv(&e.ivs, 0, want + 32);
	assert_iv_hex(&e.ivs, MID, QIV);
	n = ike1_encrypt(&e.ivs, e.k.enc_key, MID, (const uint8_t *)Q1,
			 strlen(Q1), out, sizeof(out));
	assert_int_equal(n, 32);
	assert_int_equal(HEX(C1, want), 32);
	assert_memory_equal(out, want, 32);
	assert_iv(&e.ivs, MID, want + 16);
	/* and Phase 1's IV stays where message 5 left it */
	HEX(C5, want);
	assert_iv(&e.ivs, 0, want + 32);
	end_clear(&e);
}

/* The responder: the same bytes decrypt, the IVs move on confirmation. */
static void test_iv_responder(void **state)
{
	uint8_t c[64], plain[64], m[64];
	struct end e;

	(void)state;
	end_init(&e);
	assert_int_equal(HEX(C5, c), 48);
	assert_int_equal(ike1_decrypt(&e.ivs, e.k.enc_key, 0, c, 48, plain,
				      sizeof(plain)), 48);
	assert_memory_equal(plain, m, msg5(m));
	assert_memory_equal(plain + 40, "\0\0\0\0\0\0\0\0", 8);
	/* not yet known genuine: the chain has not moved */
	assert_iv_hex(&e.ivs, 0, IV1);
	ike1_iv_confirm(&e.ivs, 0);
	assert_iv(&e.ivs, 0, c + 32);

	/* the peer's new Quick Mode: decrypted in place */
	assert_int_equal(HEX(C1, c), 32);
	assert_int_equal(ike1_decrypt(&e.ivs, e.k.enc_key, MID, c, 32, c,
				      sizeof(c)), 32);
	assert_memory_equal(c, Q1, strlen(Q1));
	assert_iv_hex(&e.ivs, MID, QIV);
	ike1_iv_confirm(&e.ivs, MID);
	HEX(C1, c);
	assert_iv(&e.ivs, MID, c + 16);
	end_clear(&e);
}

/* hash(last Phase 1 block | M-ID) cut to AES's block, by OpenSSL. */
static void qm_iv(const uint8_t *p1_last, uint32_t mid, uint8_t *iv)
{
	uint8_t in[20], md[SHA_DIGEST_LENGTH];

	memcpy(in, p1_last, 16);
	in[16] = mid >> 24;
	in[17] = mid >> 16;
	in[18] = mid >> 8;
	in[19] = mid;
	SHA1(in, sizeof(in), md);
	memcpy(iv, md, 16);
}

/* A message of exchange mid from one end to the other, confirmed. */
static void send_msg(struct end *from, struct end *to, uint32_t mid,
		     const char *text)
{
	uint8_t buf[128], plain[128];
	ssize_t n;

	n = ike1_encrypt(&from->ivs, from->k.enc_key, mid,
			 (const uint8_t *)text, strlen(text), buf, sizeof(buf));
	assert_true(n > 0);
	assert_int_equal(ike1_decrypt(&to->ivs, to->k.enc_key, mid, buf, n,
				      plain, sizeof(plain)), n);
	assert_memory_equal(plain, text, strlen(text));
	ike1_iv_confirm(&to->ivs, mid);
	/* both ends now chain from the same block */
	assert_iv(&to->ivs, mid, buf + n - 16);
	assert_iv(&from->ivs, mid, buf + n - 16);
}

/*
 * Main Mode's last two messages, then two Quick Modes interleaved: the
 * messages of one move neither the other's IV nor Phase 1's.
 */
static void test_iv_two_quick_modes(void **state)
{
	const uint32_t a = 0x11111111, b = 0x22222222;
	uint8_t p1[16], iv_a[16], iv_b[16], want[16];
	struct end i, r;

	(void)state;
	end_init(&i);
	end_init(&r);
	send_msg(&i, &r, 0, "IDii HASH_I");
	send_msg(&r, &i, 0, "IDir HASH_R");
	assert_int_equal(ike1_iv_get(&i.ivs, 0, p1), 0);
	assert_iv(&r.ivs, 0, p1);

	qm_iv(p1, a, want);
	assert_iv(&i.ivs, a, want);
	qm_iv(p1, b, want);
	assert_iv(&r.ivs, b, want);

	send_msg(&i, &r, a, "A: HASH(1) SA Ni IDci IDcr");
	assert_int_equal(ike1_iv_get(&i.ivs, a, iv_a), 0);
	/* B, started by the responder, runs to its end meanwhile */
	send_msg(&r, &i, b, "B: HASH(1) SA Ni KE");
	send_msg(&i, &r, b, "B: HASH(2) SA Nr KE");
	send_msg(&r, &i, b, "B: HASH(3)");
	assert_int_equal(ike1_iv_get(&r.ivs, b, iv_b), 0);
	assert_iv(&i.ivs, a, iv_a);
	assert_iv(&r.ivs, a, iv_a);
	assert_iv(&i.ivs, 0, p1);
	assert_iv(&r.ivs, 0, p1);
	/* A goes on from where it was */
	send_msg(&r, &i, a, "A: HASH(2) SA Nr IDci IDcr");
	send_msg(&i, &r, a, "A: HASH(3)");
	assert_iv(&i.ivs, b, iv_b);
	assert_iv(&i.ivs, 0, p1);
	end_clear(&i);
	end_clear(&r);
}

/* Start exchanges 1 to IKE1_IV_SLOTS, every slot taken; their IVs. */
static void fill_slots(struct end *e, uint8_t (*iv)[16])
{
	uint8_t buf[16] = { 0 };
	uint32_t mid;

	for (mid = 1; mid <= IKE1_IV_SLOTS; mid++) {
		assert_int_equal(ike1_encrypt(&e->ivs, e->k.enc_key, mid, buf,
					      4, buf, sizeof(buf)), 16);
		assert_int_equal(ike1_iv_get(&e->ivs, mid, iv[mid]), 0);
	}
}

static void assert_slots(const struct end *e, uint8_t (*iv)[16],
			 uint32_t except)
{
	uint32_t mid;

	for (mid = 1; mid <= IKE1_IV_SLOTS; mid++)
		if (mid != except)
			assert_iv(&e->ivs, mid, iv[mid]);
}

/*
 * A message that does not decrypt to something genuine (never
 * confirmed) moves nothing, and messages with made-up message IDs evict
 * no exchange.
 */
static void test_iv_unconfirmed(void **state)
{
	uint8_t junk[32] = { 1, 2, 3 }, plain[32];
	uint8_t iv[IKE1_IV_SLOTS + 1][16];
	struct end e;
	uint32_t mid;

	(void)state;
	end_init(&e);
	assert_int_equal(ike1_decrypt(&e.ivs, e.k.enc_key, 0, junk, 32,
				      plain, sizeof(plain)), 32);
	/* our own next message drops the pending move */
	assert_int_equal(ike1_encrypt(&e.ivs, e.k.enc_key, 0, plain, 5,
				      plain, sizeof(plain)), 16);
	ike1_iv_confirm(&e.ivs, 0);
	assert_iv(&e.ivs, 0, plain);

	fill_slots(&e, iv);
	for (mid = 100; mid < 100 + 2 * IKE1_IV_SLOTS; mid++)
		assert_int_equal(ike1_decrypt(&e.ivs, e.k.enc_key, mid, junk,
					      32, plain, sizeof(plain)), 32);
	assert_slots(&e, iv, 0);
	ike1_iv_confirm(&e.ivs, 100);	/* long replaced: nothing */
	assert_slots(&e, iv, 0);
	/* a known exchange's unconfirmed message leaves its chain alone */
	assert_int_equal(ike1_decrypt(&e.ivs, e.k.enc_key, 4, junk, 32,
				      plain, sizeof(plain)), 32);
	assert_slots(&e, iv, 0);
	end_clear(&e);
}

/* IKE1_IV_SLOTS exchanges at once; one more evicts the oldest. */
static void test_iv_eviction(void **state)
{
	uint8_t buf[32], p1[16], iv[IKE1_IV_SLOTS + 1][16], fresh[16];
	struct end e;

	(void)state;
	end_init(&e);
	assert_int_equal(ike1_iv_get(&e.ivs, 0, p1), 0);
	fill_slots(&e, iv);
	/* 1 is used again: 2 is now the least recently used */
	assert_int_equal(ike1_encrypt(&e.ivs, e.k.enc_key, 1, buf, 4, buf,
				      sizeof(buf)), 16);
	assert_int_equal(ike1_iv_get(&e.ivs, 1, iv[1]), 0);
	assert_int_equal(ike1_encrypt(&e.ivs, e.k.enc_key, IKE1_IV_SLOTS + 1,
				      buf, 4, buf, sizeof(buf)), 16);
	/* 2 starts over from Phase 1; the others keep their chains */
	qm_iv(p1, 2, fresh);
	assert_iv(&e.ivs, 2, fresh);
	assert_memory_not_equal(iv[2], fresh, 16);
	memcpy(iv[2], fresh, 16);
	assert_slots(&e, iv, 0);
	assert_iv(&e.ivs, 0, p1);

	/*
	 * A finished exchange frees its slot: the next one takes it, and
	 * 3, now the least recently used, stays.
	 */
	ike1_iv_forget(&e.ivs, 5);
	qm_iv(p1, 5, fresh);
	assert_iv(&e.ivs, 5, fresh);
	assert_int_equal(ike1_encrypt(&e.ivs, e.k.enc_key, 10, buf, 4, buf,
				      sizeof(buf)), 16);
	assert_slots(&e, iv, 5);
	ike1_iv_forget(&e.ivs, 0);	/* Phase 1 is never forgotten */
	assert_iv(&e.ivs, 0, p1);
	end_clear(&e);
}

/* ---- the encrypted body ---- */

/* MD5 with 3DES: out['iv1_md5_3des'], out['c_3des'] */
static void test_3des_md5(void **state)
{
	const struct ike_encr_alg *des3 = ike1_encr_find(IKE1_ENCR_3DES_CBC, 0);
	uint8_t buf[16], want[8];
	struct ike1_sa_keys k;
	struct ike1_ivs ivs;
	struct fixed f;

	(void)state;
	fixed_inputs(&f);
	assert_int_equal(ike1_sa_keys_derive(&k,
			 ike1_hash_find(IKE1_HASH_MD5), des3, IKE1_SKEYID_SIG,
			 &f.in), 0);
	assert_int_equal(ike1_ivs_init(&ivs, k.prf, des3, f.gxi, 64, f.gxr,
				       64), 0);
	assert_iv_hex(&ivs, 0, "16f404156c0500ac");
	assert_int_equal(ike1_encrypt(&ivs, k.enc_key, 0,
				      (const uint8_t *)"3des", 4, buf,
				      sizeof(buf)), 8);
	HEX("3609da10f1d4653c", want);
	assert_memory_equal(buf, want, 8);
	assert_iv(&ivs, 0, want);
	ike1_sa_keys_clear(&k);
	ike1_ivs_clear(&ivs);
}

/* Every cipher, lengths around the block: zeros pad, decryption undoes. */
static void test_cbc_round_trip(void **state)
{
	static const size_t lens[] = { 0, 1, 7, 8, 15, 16, 17, 100 };
	static const uint16_t ciphers[][2] = {
		{ IKE1_ENCR_3DES_CBC, 0 }, { IKE1_ENCR_AES_CBC, 128 },
		{ IKE1_ENCR_AES_CBC, 192 }, { IKE1_ENCR_AES_CBC, 256 },
	};
	uint8_t key[32], plain[128], buf[128], back[128];
	const struct ike_encr_alg *encr;
	struct ike1_ivs tx, rx;
	size_t c, l, b, i, want;
	struct fixed f;
	ssize_t n;

	(void)state;
	fixed_inputs(&f);
	memset(key, 0x5a, sizeof(key));
	for (l = 0; l < sizeof(plain); l++)
		plain[l] = 0xff - l;
	for (c = 0; c < ARRAY_SIZE(ciphers); c++) {
		encr = ike1_encr_find(ciphers[c][0], ciphers[c][1]);
		b = encr->block_len;
		assert_int_equal(ike1_ivs_init(&tx,
				 ike1_hash_find(IKE1_HASH_SHA2_256), encr,
				 f.gxi, 64, f.gxr, 64), 0);
		rx = tx;
		for (l = 0; l < ARRAY_SIZE(lens); l++) {
			want = (lens[l] / b + 1) * b;
			assert_int_equal(ike1_encrypted_len(&tx, lens[l]), want);
			n = ike1_encrypt(&tx, key, 0, plain, lens[l], buf,
					 sizeof(buf));
			assert_int_equal(n, want);
			assert_int_equal(ike1_decrypt(&rx, key, 0, buf, n, back,
						      sizeof(back)), n);
			ike1_iv_confirm(&rx, 0);
			if (lens[l])
				assert_memory_equal(back, plain, lens[l]);
			for (i = lens[l]; i < want; i++)
				assert_int_equal(back[i], 0);
		}
		/* in place: 3 blocks with a whole block of padding */
		memcpy(buf, plain, 2 * b);
		assert_int_equal(ike1_encrypt(&tx, key, 0, buf, 2 * b, buf,
					      sizeof(buf)), 3 * b);
		assert_int_equal(ike1_decrypt(&rx, key, 0, buf, 3 * b, buf,
					      sizeof(buf)), 3 * b);
		assert_memory_equal(buf, plain, 2 * b);
		ike1_ivs_clear(&tx);
		ike1_ivs_clear(&rx);
	}
}

/* A body that is not whole blocks is malformed; nothing moves. */
static void test_decrypt_bad_length(void **state)
{
	static const size_t bad[] = { 0, 1, 15, 17, 24, 33 };
	uint8_t buf[64] = { 0 }, plain[64];
	struct end e;
	size_t i;

	(void)state;
	end_init(&e);
	for (i = 0; i < ARRAY_SIZE(bad); i++)
		assert_int_equal(ike1_decrypt(&e.ivs, e.k.enc_key, 0, buf,
					      bad[i], plain, sizeof(plain)),
				 IKE_CRYPTO_ESYNTAX);
	ike1_iv_confirm(&e.ivs, 0);
	assert_iv_hex(&e.ivs, 0, IV1);
	/* too small an output buffer is our bug, not the peer's */
	assert_int_equal(ike1_decrypt(&e.ivs, e.k.enc_key, 0, buf, 32, plain,
				      16), IKE_CRYPTO_EINVAL);
	assert_int_equal(ike1_encrypt(&e.ivs, e.k.enc_key, 0, buf, 16, plain,
				      16), IKE_CRYPTO_EINVAL);
	assert_iv_hex(&e.ivs, 0, IV1);
	end_clear(&e);
}

/* ---- wiping ---- */

static bool all_zero(const void *p, size_t len)
{
	const uint8_t *b = p;

	while (len--)
		if (*b++)
			return false;
	return true;
}

static void test_clear(void **state)
{
	struct end e;

	(void)state;
	end_init(&e);
	assert_false(all_zero(&e.k, sizeof(e.k)));
	assert_false(all_zero(&e.ivs, sizeof(e.ivs)));
	end_clear(&e);
	assert_true(all_zero(&e.k, sizeof(e.k)));
	assert_true(all_zero(&e.ivs, sizeof(e.ivs)));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_algs),
		cmocka_unit_test(test_cavp_dsa),
		cmocka_unit_test(test_cavp_psk),
		cmocka_unit_test(test_pke),
		cmocka_unit_test(test_expand_md5),
		cmocka_unit_test(test_expand_sha1),
		cmocka_unit_test(test_phase1_hashes),
		cmocka_unit_test(test_qm_hashes),
		cmocka_unit_test(test_keymat),
		cmocka_unit_test(test_iv_initiator),
		cmocka_unit_test(test_iv_responder),
		cmocka_unit_test(test_iv_two_quick_modes),
		cmocka_unit_test(test_iv_unconfirmed),
		cmocka_unit_test(test_iv_eviction),
		cmocka_unit_test(test_3des_md5),
		cmocka_unit_test(test_cbc_round_trip),
		cmocka_unit_test(test_decrypt_bad_length),
		cmocka_unit_test(test_clear),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
