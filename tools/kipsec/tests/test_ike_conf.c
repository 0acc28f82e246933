// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for the IKE configuration (ike/conf.c), proposals
 * (ike/proposal.c) and traffic selectors (ike/ts.c). Expected transform
 * IDs are written as numbers from the IANA "IKEv2 Parameters" registry,
 * transform types 1-5, not as ike.h's names, so a wrong constant there
 * would show up here.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kipsec.h"
#include "ike/conf.h"

/* ---- helpers ---- */

#define TR(t, i, k)	{ .type = (t), .id = (i), .keylen = (k) }
#define MAX_TR		20

struct tr_list {
	size_t n;
	struct ike_transform tr[MAX_TR];
};

static void assert_transforms(const struct ike_proposal *p,
			      const struct tr_list *want, const char *what)
{
	size_t i;

	if (p->n_tr != want->n)
		fail_msg("%s: %u transforms, expected %zu", what, p->n_tr,
			 want->n);
	for (i = 0; i < want->n; i++) {
		const struct ike_transform *a = &p->tr[i], *b = &want->tr[i];

		if (a->type != b->type || a->id != b->id ||
		    a->keylen != b->keylen)
			fail_msg("%s: transform %zu is %u/%u/%u, expected %u/%u/%u",
				 what, i, a->type, a->id, a->keylen, b->type,
				 b->id, b->keylen);
	}
}

/* Field by field: struct ike_transform has a padding byte. */
static void assert_same_proposal(const struct ike_proposal *a,
				 const struct ike_proposal *b)
{
	struct tr_list want = { b->n_tr, { { 0 } } };

	assert_int_equal(a->num, b->num);
	assert_int_equal(a->proto, b->proto);
	assert_true(b->n_tr <= MAX_TR);
	memcpy(want.tr, b->tr, b->n_tr * sizeof(b->tr[0]));
	assert_transforms(a, &want, "proposal");
}

static void parse_props(struct ike_proposal_list *l, const char *s,
			uint8_t proto, unsigned int flags)
{
	char err[256];
	size_t off;

	memset(l, 0, sizeof(*l));
	if (ike_proposals_parse(l, s, proto, flags, err, sizeof(err), &off))
		fail_msg("'%s': %s (offset %zu)", s, err, off);
}

static struct ike_ts ts_of(const char *s)
{
	struct ike_ts_cfg tc;
	char err[128];
	size_t off;

	if (ike_ts_cfg_parse(s, &tc, err, sizeof(err), &off) || tc.dynamic)
		fail_msg("'%s': %s", s, err);
	return tc.ts;
}

/*
 * The charon test peer's configuration, copied from
 * ../shared/reference/charon/swanctl.conf (verified against strongSwan
 * 5.9.8), so that this test does not depend on files outside the tree.
 */
static const char reference_conf[] =
"# sun = charon test peer, 192.168.0.2, protects 10.2.0.0/16\n"
"connections {\n"
"   v2-psk {                          # IKEv2, PSK, net-to-net\n"
"      version = 2\n"
"      local_addrs  = 192.168.0.2\n"
"      remote_addrs = 192.168.0.1\n"
"      proposals = aes256-sha256-modp2048\n"
"      local {\n"
"         auth = psk\n"
"         id = sun.test\n"
"      }\n"
"      remote {\n"
"         auth = psk\n"
"         id = moon.test\n"
"      }\n"
"      children {\n"
"         v2-psk-net {\n"
"            local_ts  = 10.2.0.0/16\n"
"            remote_ts = 10.1.0.0/16\n"
"            esp_proposals = aes128gcm16-ecp256   # ecp256 = PFS group for CREATE_CHILD_SA\n"
"            rekey_time = 1h\n"
"            dpd_action = clear\n"
"         }\n"
"      }\n"
"      dpd_delay = 30s\n"
"      rekey_time = 4h\n"
"   }\n"
"   v1-main {                         # IKEv1 Main Mode + Quick Mode, PSK\n"
"      version = 1\n"
"      local_addrs  = 192.168.0.2\n"
"      remote_addrs = 192.168.0.1\n"
"      proposals = aes256-sha256-modp2048\n"
"      local {\n"
"         auth = psk\n"
"         id = sun.test\n"
"      }\n"
"      remote {\n"
"         auth = psk\n"
"         id = moon.test\n"
"      }\n"
"      children {\n"
"         v1-main-net {\n"
"            local_ts  = 10.2.0.0/16\n"
"            remote_ts = 10.1.0.0/16\n"
"            esp_proposals = aes128gcm16-ecp256   # ecp256 = Quick Mode PFS group\n"
"         }\n"
"      }\n"
"   }\n"
"   v1-aggr {                         # IKEv1 Aggressive Mode + Quick Mode, PSK\n"
"      version = 1\n"
"      aggressive = yes\n"
"      local_addrs  = 192.168.0.2\n"
"      remote_addrs = 192.168.0.1\n"
"      proposals = aes256-sha256-modp2048\n"
"      local {\n"
"         auth = psk\n"
"         id = sun.test\n"
"      }\n"
"      remote {\n"
"         auth = psk\n"
"         id = moon.test\n"
"      }\n"
"      children {\n"
"         v1-aggr-net {\n"
"            local_ts  = 10.2.0.0/16\n"
"            remote_ts = 10.1.0.0/16\n"
"            esp_proposals = aes128-sha256-modp2048\n"
"         }\n"
"      }\n"
"   }\n"
"   v2-cert {                         # IKEv2, X.509 (RSA) certificates\n"
"      version = 2\n"
"      local_addrs  = 192.168.0.2\n"
"      remote_addrs = 192.168.0.1\n"
"      proposals = aes256-sha256-modp2048\n"
"      local {\n"
"         auth = pubkey\n"
"         certs = sunCert.pem\n"
"         id = sun.test\n"
"      }\n"
"      remote {\n"
"         auth = pubkey\n"
"         id = moon.test\n"
"         cacerts = caCert.pem\n"
"      }\n"
"      children {\n"
"         v2-cert-net {\n"
"            local_ts  = 10.2.0.0/16\n"
"            remote_ts = 10.1.0.0/16\n"
"            esp_proposals = aes128gcm16-ecp256\n"
"         }\n"
"      }\n"
"   }\n"
"}\n"
"secrets {\n"
"   ike-moon {\n"
"      id-1 = moon.test\n"
"      id-2 = sun.test\n"
"      secret = \"test-psk-0123456789\"\n"
"   }\n"
"}\n";

/* aes256-sha256-modp2048: AES-CBC 256, PRF_HMAC_SHA2_256 derived from
 * sha256, AUTH_HMAC_SHA2_256_128, the 2048-bit MODP group.
 */
static const struct tr_list ref_ike = { 4, {
	TR(1, 12, 256), TR(2, 5, 0), TR(3, 12, 0), TR(4, 14, 0) } };
/* aes128gcm16-ecp256: AES-GCM-16 128, the 256-bit ECP group, no ESN. */
static const struct tr_list ref_esp_gcm = { 3, {
	TR(1, 20, 128), TR(4, 19, 0), TR(5, 0, 0) } };
/* aes128-sha256-modp2048 */
static const struct tr_list ref_esp_cbc = { 4, {
	TR(1, 12, 128), TR(3, 12, 0), TR(4, 14, 0), TR(5, 0, 0) } };

static void assert_host(const struct ike_conf_hosts *h, const char *addr)
{
	struct addr a;

	assert_int_equal(parse_addr(addr, &a), 0);
	assert_int_equal(h->n, 1);
	assert_int_equal(h->v[0].lo.family, a.family);
	assert_memory_equal(h->v[0].lo.bytes, a.bytes, 16);
	assert_memory_equal(h->v[0].hi.bytes, a.bytes, 16);
}

static void assert_ts_cfg(const struct ike_ts_cfgs *l, const char *s)
{
	struct ike_ts want = ts_of(s);

	assert_int_equal(l->n, 1);
	assert_false(l->v[0].dynamic);
	assert_memory_equal(&l->v[0].ts, &want, sizeof(want));
}

static void check_ref_conn(const struct ike_config *cfg, const char *name,
			   unsigned int version, const char *child_name,
			   const struct tr_list *esp)
{
	const struct ike_conn *c = ike_config_find(cfg, name);
	const struct ike_child *ch;

	assert_non_null(c);
	assert_int_equal(c->version, version);
	assert_host(&c->local_addrs, "192.168.0.2");
	assert_host(&c->remote_addrs, "192.168.0.1");
	assert_int_equal(c->local_port, 500);
	assert_int_equal(c->remote_port, 500);
	assert_int_equal(c->proposals.n, 1);
	assert_transforms(&c->proposals.v[0], &ref_ike, name);
	assert_string_equal(c->local.id, "sun.test");
	assert_string_equal(c->remote.id, "moon.test");
	assert_int_equal(c->n_children, 1);
	ch = ike_conn_find_child(c, child_name);
	assert_non_null(ch);
	assert_ts_cfg(&ch->local_ts, "10.2.0.0/16");
	assert_ts_cfg(&ch->remote_ts, "10.1.0.0/16");
	assert_int_equal(ch->esp.n, 1);
	assert_transforms(&ch->esp.v[0], esp, child_name);
	assert_int_equal(ch->mode, IKE_CONF_MODE_TUNNEL);
	assert_int_equal(ch->replay_window, 32);
}

static void test_reference_conf(void **state)
{
	struct ike_config cfg;
	const struct ike_conn *c;
	const struct ike_secret *s;
	char err[512];

	(void)state;
	if (ike_config_parse(&cfg, "swanctl.conf", reference_conf, err,
			     sizeof(err)))
		fail_msg("%s", err);
	assert_int_equal(cfg.n_conns, 4);
	assert_int_equal(cfg.warnings.n, 0);
	check_ref_conn(&cfg, "v2-psk", 2, "v2-psk-net", &ref_esp_gcm);
	check_ref_conn(&cfg, "v1-main", 1, "v1-main-net", &ref_esp_gcm);
	check_ref_conn(&cfg, "v1-aggr", 1, "v1-aggr-net", &ref_esp_cbc);
	check_ref_conn(&cfg, "v2-cert", 2, "v2-cert-net", &ref_esp_gcm);

	c = ike_config_find(&cfg, "v2-psk");
	assert_int_equal(c->local.auth, IKE_CONF_AUTH_PSK);
	assert_int_equal(c->remote.auth, IKE_CONF_AUTH_PSK);
	assert_int_equal(c->dpd_delay, 30);
	assert_int_equal(c->rekey_time, 4 * 3600);
	/* strongSwan: over_time 10% of rekey_time, rand_time the same */
	assert_int_equal(c->over_time, 1440);
	assert_int_equal(c->rand_time, 1440);
	assert_int_equal(c->reauth_time, 0);
	assert_true(c->mobike);
	assert_false(c->aggressive);
	assert_int_equal(c->children[0].time.rekey, 3600);
	assert_int_equal(c->children[0].time.life, 3960);
	assert_int_equal(c->children[0].time.rand, 360);
	assert_int_equal(c->children[0].dpd_action, IKE_CONF_ACTION_NONE);
	assert_int_equal(c->children[0].start_action, IKE_CONF_ACTION_NONE);
	assert_int_equal(c->line, 3);
	assert_int_equal(c->children[0].line, 17);

	c = ike_config_find(&cfg, "v1-aggr");
	assert_true(c->aggressive);

	c = ike_config_find(&cfg, "v2-cert");
	assert_int_equal(c->local.auth, IKE_CONF_AUTH_PUBKEY);
	assert_int_equal(c->local.certs.n, 1);
	assert_string_equal(c->local.certs.v[0], "sunCert.pem");
	assert_int_equal(c->remote.auth, IKE_CONF_AUTH_PUBKEY);
	assert_int_equal(c->remote.certs.n, 1);
	assert_string_equal(c->remote.certs.v[0], "caCert.pem");

	assert_null(ike_config_find(&cfg, "v3"));
	assert_int_equal(cfg.n_secrets, 1);
	s = &cfg.secrets[0];
	assert_string_equal(s->name, "ike-moon");
	assert_int_equal(s->key_len, strlen("test-psk-0123456789"));
	assert_memory_equal(s->key, "test-psk-0123456789", s->key_len);
	assert_int_equal(s->ids.n, 2);
	assert_string_equal(s->ids.v[0], "moon.test");
	assert_string_equal(s->ids.v[1], "sun.test");
	assert_ptr_equal(ike_config_find_psk(&cfg, "sun.test", "moon.test"),
			 s);
	ike_config_free(&cfg);
}

/* What a connection that says almost nothing gets. */
static void test_defaults(void **state)
{
	static const char text[] =
		"connections {\n"
		"  c {\n"
		"    local { auth = psk }\n"
		"    remote { auth = psk }\n"
		"    children { net { } }\n"
		"  }\n"
		"}\n"
		"secrets { ike { secret = x } }\n";
	struct ike_proposal_list def;
	const struct ike_child *ch;
	const struct ike_conn *c;
	struct ike_config cfg;
	char err[512];
	size_t i;

	(void)state;
	if (ike_config_parse(&cfg, "t.conf", text, err, sizeof(err)))
		fail_msg("%s", err);
	assert_int_equal(cfg.warnings.n, 0);
	c = &cfg.conns[0];
	assert_int_equal(c->version, 0);
	assert_int_equal(c->local_addrs.n, 1);
	assert_int_equal(c->local_addrs.v[0].lo.family, 0);	/* %any */
	assert_int_equal(c->remote_addrs.v[0].lo.family, 0);
	assert_int_equal(c->local_port, 500);
	assert_int_equal(c->remote_port, 500);
	assert_true(c->mobike);
	assert_false(c->encap);
	assert_int_equal(c->fragmentation, IKE_CONF_FRAG_YES);
	assert_int_equal(c->rekey_time, 14400);
	assert_int_equal(c->dpd_delay, 0);
	assert_int_equal(c->if_id, 0);
	assert_null(c->interface);
	assert_null(c->local.id);

	parse_props(&def, "default", IKE_PROTO_IKE, 0);
	assert_int_equal(c->proposals.n, 2);
	for (i = 0; i < 2; i++)
		assert_same_proposal(&c->proposals.v[i], &def.v[i]);
	ike_proposal_list_free(&def);

	ch = &c->children[0];
	parse_props(&def, "default", IKE_PROTO_ESP, 0);
	assert_int_equal(ch->esp.n, 2);
	for (i = 0; i < 2; i++)
		assert_same_proposal(&ch->esp.v[i], &def.v[i]);
	ike_proposal_list_free(&def);
	assert_int_equal(ch->local_ts.n, 1);
	assert_true(ch->local_ts.v[0].dynamic);
	assert_int_equal(ch->local_ts.v[0].ts.ip_proto, 0);
	assert_int_equal(ch->local_ts.v[0].ts.start_port, 0);
	assert_int_equal(ch->local_ts.v[0].ts.end_port, 65535);
	assert_true(ch->remote_ts.v[0].dynamic);
	assert_int_equal(ch->mode, IKE_CONF_MODE_TUNNEL);
	assert_int_equal(ch->start_action, IKE_CONF_ACTION_NONE);
	assert_int_equal(ch->close_action, IKE_CONF_ACTION_NONE);
	assert_int_equal(ch->dpd_action, IKE_CONF_ACTION_NONE);
	assert_int_equal(ch->time.rekey, 3600);
	assert_int_equal(ch->time.life, 3960);
	assert_int_equal(ch->time.rand, 360);
	assert_int_equal(ch->bytes.rekey, 0);
	assert_int_equal(ch->bytes.life, 0);
	assert_int_equal(ch->packets.life, 0);
	assert_int_equal(ch->replay_window, 32);
	ike_config_free(&cfg);
}

/* The syntax corners and every value form, in one file. */
static void test_syntax_and_values(void **state)
{
	static const char text[] =
		"# a comment\n"
		"connections {\n"
		"  c {\t# a comment after a brace\n"
		"    version = 0\n"
		"    local_addrs = %any4, 192.0.2.0/24,192.0.2.10-192.0.2.20\n"
		"    remote_addrs = \"192.0.2.1\"\n"
		"    local_port = 4500\n"
		"    remote_port = 0x1194\n"
		"    proposals = aes128-sha256-ecp256, default\n"
		"    dpd_delay = 2m\n"
		"    dpd_timeout = 1d\n"
		"    reauth_time = 2 h\n"
		"    encap = yes\n"
		"    mobike = disabled\n"
		"    fragmentation = force\n"
		"    interface = ipsec0\n"
		"    local { auth = psk }\n"
		"    remote-1 { auth = psk\n"
		"      id = \"C=CH, O=strongSwan, CN=\\\"moon\\\"\\tx\\\n"
		"y\" }\n"
		"    children { net { local_ts = dynamic[tcp/22], 10.1.0.0/16\n"
		"      remote_ts = 10.2.0.0/16[udp], 10.3.0.1-10.3.0.9\n"
		"      mode = transport\n"
		"      start_action = trap\n"
		"      close_action = restart\n"
		"      dpd_action = route\n"
		"      rekey_time = 90m\n"
		"      life_time = 2h\n"
		"      rand_time = 5M\n"
		"      rekey_bytes = 512m\n"
		"      rekey_packets = 1000000\n"
		"      life_packets = 2000000\n"
		"      replay_window = 1024 } }\n"
		"  }\n"
		"}\n"
		"secrets {\n"
		"  ike-1 { secret = 0x00ff10\n id = 192.0.2.1 }\n"
		"  ike-2 {\n    secret = 0sAAECAw==\n    id-a = x\n    id-b = y\n  }\n"
		"  ike3 { secret = \"two words\" }\n"
		"}\n";
	static const uint8_t hex_key[] = { 0x00, 0xff, 0x10 };
	static const uint8_t b64_key[] = { 0x00, 0x01, 0x02, 0x03 };
	const struct ike_child *ch;
	const struct ike_conn *c;
	struct ike_config cfg;
	struct addr a;
	char err[512];

	(void)state;
	if (ike_config_parse(&cfg, "t.conf", text, err, sizeof(err)))
		fail_msg("%s", err);
	c = &cfg.conns[0];
	assert_int_equal(c->local_addrs.n, 3);
	assert_int_equal(c->local_addrs.v[0].lo.family, AF_INET);
	assert_int_equal(c->local_addrs.v[0].hi.bytes[3], 255);
	parse_addr("192.0.2.255", &a);
	assert_memory_equal(c->local_addrs.v[1].hi.bytes, a.bytes, 4);
	parse_addr("192.0.2.10", &a);
	assert_memory_equal(c->local_addrs.v[2].lo.bytes, a.bytes, 4);
	assert_host(&c->remote_addrs, "192.0.2.1");
	assert_int_equal(c->local_port, 4500);
	assert_int_equal(c->remote_port, 4500);
	assert_int_equal(c->proposals.n, 3);
	assert_int_equal(c->proposals.v[2].num, 3);
	assert_int_equal(c->dpd_delay, 120);
	assert_int_equal(c->dpd_timeout, 86400);
	/* only reauth_time given: no rekeying; strongSwan's 10% margins */
	assert_int_equal(c->rekey_time, 0);
	assert_int_equal(c->reauth_time, 7200);
	assert_int_equal(c->over_time, 720);
	assert_int_equal(c->rand_time, 720);
	assert_true(c->encap);
	assert_false(c->mobike);
	assert_int_equal(c->fragmentation, IKE_CONF_FRAG_FORCE);
	assert_string_equal(c->interface, "ipsec0");
	assert_string_equal(c->remote.id, "C=CH, O=strongSwan, CN=\"moon\"\txy");

	ch = &c->children[0];
	assert_int_equal(ch->local_ts.n, 2);
	assert_true(ch->local_ts.v[0].dynamic);
	assert_int_equal(ch->local_ts.v[0].ts.ip_proto, 6);
	assert_int_equal(ch->local_ts.v[0].ts.start_port, 22);
	assert_int_equal(ch->local_ts.v[0].ts.end_port, 22);
	assert_int_equal(ch->remote_ts.n, 2);
	assert_int_equal(ch->remote_ts.v[0].ts.ip_proto, 17);
	assert_int_equal(ch->mode, IKE_CONF_MODE_TRANSPORT);
	assert_int_equal(ch->start_action, IKE_CONF_ACTION_TRAP);
	assert_int_equal(ch->close_action, IKE_CONF_ACTION_START);
	assert_int_equal(ch->dpd_action, IKE_CONF_ACTION_TRAP);
	assert_int_equal(ch->time.rekey, 5400);
	assert_int_equal(ch->time.life, 7200);
	assert_int_equal(ch->time.rand, 300);
	assert_int_equal(ch->bytes.rekey, 512 << 20);
	/* 10% above, and the difference as jitter, as strongSwan */
	assert_int_equal(ch->bytes.life, (512 << 20) + (512 << 20) / 10);
	assert_int_equal(ch->bytes.rand, (512 << 20) / 10);
	assert_int_equal(ch->packets.rekey, 1000000);
	assert_int_equal(ch->packets.life, 2000000);
	assert_int_equal(ch->packets.rand, 1000000);
	assert_int_equal(ch->replay_window, 1024);

	assert_int_equal(cfg.n_secrets, 3);
	assert_int_equal(cfg.secrets[0].key_len, sizeof(hex_key));
	assert_memory_equal(cfg.secrets[0].key, hex_key, sizeof(hex_key));
	assert_int_equal(cfg.secrets[1].key_len, sizeof(b64_key));
	assert_memory_equal(cfg.secrets[1].key, b64_key, sizeof(b64_key));
	assert_int_equal(cfg.secrets[1].ids.n, 2);
	assert_int_equal(cfg.secrets[2].key_len, 9);
	assert_memory_equal(cfg.secrets[2].key, "two words", 9);
	assert_int_equal(cfg.secrets[2].ids.n, 0);
	ike_config_free(&cfg);
}

/* A file loads like a string, and a missing one says so. */
static void test_load_file(void **state)
{
	char path[] = "/tmp/test_ike_conf.XXXXXX", err[512], want[600];
	struct ike_config cfg;
	FILE *f;
	int fd;

	(void)state;
	fd = mkstemp(path);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	fputs(reference_conf, f);
	fclose(f);
	if (ike_config_load(&cfg, path, err, sizeof(err)))
		fail_msg("%s", err);
	assert_int_equal(cfg.n_conns, 4);
	ike_config_free(&cfg);

	f = fopen(path, "w");
	fputs("connections {\n  c {\n    verson = 2\n  }\n}\n", f);
	fclose(f);
	assert_int_equal(ike_config_load(&cfg, path, err, sizeof(err)), -1);
	snprintf(want, sizeof(want),
		 "%s:3:5: unknown key 'verson' in connections.c (did you mean 'version'?)",
		 path);
	assert_string_equal(err, want);
	assert_int_equal(cfg.n_conns, 0);
	unlink(path);

	assert_int_equal(ike_config_load(&cfg, path, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "%s: No such file or directory", path);
	assert_string_equal(err, want);
}

/* A PSK connection that both sides can use; bad cases add one line. */
#define CONN_HEAD							\
	"connections {\n"						\
	"  c {\n"							\
	"    remote_addrs = 192.0.2.1\n"				\
	"    local { auth = psk }\n"					\
	"    remote { auth = psk }\n"
#define SECRET "secrets { ike { secret = x } }\n"

struct bad_conf {
	const char *text;
	const char *err;
};

static const struct bad_conf bad_confs[] = {
	/* syntax */
	{ "connections {\n  c {\n    version = 2\n",
	  "t.conf:2:5: section 'c' is not closed ('}' missing before the end of the file)" },
	{ "connections {\n}\n}\n",
	  "t.conf:3:1: '}' without a section to close" },
	{ "connections {\n  c\n  {\n  }\n}\n",
	  "t.conf:2:4: expected '=' or '{' after 'c'" },
	{ "connections {\n  = 2\n}\n",
	  "t.conf:2:3: expected a name, found '='" },
	{ "connections {\n  c {\n    version =\n  }\n}\n",
	  "t.conf:3:13: value missing for 'version'" },
	{ "connections {\n  c {\n    version = # none\n  }\n}\n",
	  "t.conf:3:13: value missing for 'version'" },
	{ "connections {\n  c {\n    local {\n      id = \"sun\n    }\n  }\n}\n",
	  "t.conf:4:12: unterminated string" },
	{ "connections {\n  c {\n    version = 2\n    version = 1\n  }\n}\n",
	  "t.conf:4:5: duplicate key 'version' (already set at line 3)" },
	{ "connections {\n  c {\n  }\n  c {\n  }\n}\n",
	  "t.conf:4:3: duplicate section 'c' (already opened at line 2)" },
	{ "connections {\n  c {\n    children = x\n    children {\n    }\n  }\n}\n",
	  "t.conf:4:5: 'children' is already defined at line 3" },
	{ "include /etc/swanctl/conf.d/*.conf\n",
	  "t.conf:1:1: include is not supported: use one file" },
	/* names */
	{ "connection {\n}\n",
	  "t.conf:1:1: unknown section 'connection' at the top level (did you mean 'connections'?)" },
	{ "debug = 1\n", "t.conf:1:1: unknown key 'debug' at the top level" },
	{ "pools {\n}\n", "t.conf:1:1: 'pools' is not supported by kipsec" },
	{ "connections {\n  version = 2\n}\n",
	  "t.conf:2:3: 'version' is a key; each connection is a section: version { ... }" },
	{ "connections {\n  c {\n    rekey_tme = 1h\n  }\n}\n",
	  "t.conf:3:5: unknown key 'rekey_tme' in connections.c (did you mean 'rekey_time'?)" },
	{ CONN_HEAD "    children {\n      net {\n        rekey_tme = 1h\n      }\n    }\n  }\n}\n",
	  "t.conf:8:9: unknown key 'rekey_tme' in connections.c.children.net (did you mean 'rekey_time'?)" },
	{ "connections {\n  c {\n    lcoal {\n    }\n  }\n}\n",
	  "t.conf:3:5: unknown section 'lcoal' in connections.c (did you mean 'local'?)" },
	{ "connections {\n  c {\n    frobnicate = yes\n  }\n}\n",
	  "t.conf:3:5: unknown key 'frobnicate' in connections.c" },
	{ "connections {\n  c {\n    local_addrs {\n    }\n  }\n}\n",
	  "t.conf:3:5: 'local_addrs' is a key, not a section" },
	{ "connections {\n  c {\n    children = x\n  }\n}\n",
	  "t.conf:3:5: 'children' is a section, not a key" },
	{ "connections {\n  c {\n    unique = replace\n  }\n}\n",
	  "t.conf:3:5: 'unique' is not supported by kipsec" },
	{ "connections {\n  c {\n    if_id_in = 5\n  }\n}\n",
	  "t.conf:3:5: 'if_id_in' is not supported by kipsec: if_id binds both directions" },
	{ CONN_HEAD "    children {\n      net {\n        policies = no\n      }\n    }\n  }\n}\n",
	  "t.conf:8:9: 'policies' is not supported by kipsec" },
	{ CONN_HEAD "    children {\n      net {\n        ah_proposals = sha256\n      }\n    }\n  }\n}\n",
	  "t.conf:8:9: 'ah_proposals' is not supported by kipsec: kipsec does ESP only" },
	{ "connections {\n  c {\n    local {\n      revocation = strict\n    }\n  }\n}\n",
	  "t.conf:4:7: 'revocation' is not supported by kipsec" },
	{ "connections {\n  c {\n    remote {\n      certs = peer.pem\n    }\n  }\n}\n",
	  "t.conf:4:7: 'certs' is not supported by kipsec: only local takes certs" },
	{ "connections {\n  c {\n    local-1 {\n    }\n    local-2 {\n    }\n  }\n}\n",
	  "t.conf:5:5: a second local authentication round 'local-2' ('local-1' is at line 3): multiple rounds are not supported" },
	{ "secrets {\n  eap-carol {\n  }\n}\n",
	  "t.conf:2:3: 'eap-carol' is not supported by kipsec" },
	{ "secrets {\n  ike-x {\n    id = a\n  }\n}\n",
	  "t.conf:2:3: 'ike-x' has no secret" },
	/* values */
	{ "connections {\n  c {\n    version = 3\n  }\n}\n",
	  "t.conf:3:15: bad version '3': 2, 1 or 0 (either)" },
	{ "connections {\n  c {\n    rekey_time = 1w\n  }\n}\n",
	  "t.conf:3:18: bad time '1w' for rekey_time: seconds, or a number with s, m, h or d" },
	{ "connections {\n  c {\n    rekey_time = 99999999999999999999\n  }\n}\n",
	  "t.conf:3:18: bad time '99999999999999999999' for rekey_time: seconds, or a number with s, m, h or d" },
	{ "connections {\n  c {\n    mobike = maybe\n  }\n}\n",
	  "t.conf:3:14: bad value 'maybe' for mobike: yes or no" },
	{ "connections {\n  c {\n    local_port = 0\n  }\n}\n",
	  "t.conf:3:18: bad port '0' for local_port: 1 to 65535" },
	{ "connections {\n  c {\n    remote_addrs = 192.0.2.300\n  }\n}\n",
	  "t.conf:3:20: bad address '192.0.2.300' in remote_addrs" },
	{ "connections {\n  c {\n    remote_addrs = 192.0.2.1, moon.example.org\n  }\n}\n",
	  "t.conf:3:31: bad address 'moon.example.org' in remote_addrs: host names are not supported" },
	{ "connections {\n  c {\n    remote_addrs = 192.0.2.1,,192.0.2.2\n  }\n}\n",
	  "t.conf:3:30: empty item in remote_addrs" },
	{ "connections {\n  c {\n    proposals = aes256-sha257-modp2048\n  }\n}\n",
	  "t.conf:3:24: bad proposal 'aes256-sha257-modp2048': unknown algorithm 'sha257'" },
	{ "connections {\n  c {\n    proposals = default, aes128-sha256-modp1024\n  }\n}\n",
	  "t.conf:3:40: bad proposal 'aes128-sha256-modp1024': 'modp1024' is weak (a MODP group below 2048 bits); allow it with weak_algorithms = yes" },
	{ "connections {\n  c {\n    if_id = 0\n  }\n}\n",
	  "t.conf:3:13: bad if_id '0': 1 to 4294967295" },
	{ "connections {\n  c {\n    interface = ipsec/0\n  }\n}\n",
	  "t.conf:3:17: bad interface name 'ipsec/0'" },
	{ "connections {\n  c {\n    fragmentation = maybe\n  }\n}\n",
	  "t.conf:3:21: bad value 'maybe' for fragmentation: yes, accept, force or no" },
	{ "connections {\n  c {\n    local {\n      auth = eap-mschapv2\n    }\n  }\n}\n",
	  "t.conf:4:14: bad value 'eap-mschapv2' for auth: psk or pubkey" },
	{ CONN_HEAD "    children {\n      net {\n        local_ts = 10.1.0.0/33\n      }\n    }\n  }\n}\n",
	  "t.conf:8:20: bad traffic selector '10.1.0.0/33': not an address, prefix or range" },
	{ CONN_HEAD "    children {\n      net {\n        local_ts = 10.1.2.0/16\n      }\n    }\n  }\n}\n",
	  "t.conf:8:20: bad traffic selector '10.1.2.0/16': host bits are set (did you mean 10.1.0.0/16?)" },
	{ CONN_HEAD "    children {\n      net {\n        local_ts = 10.1.0.0/16, 10.2.0.0/16[tcp/http]\n      }\n    }\n  }\n}\n",
	  "t.conf:8:49: bad traffic selector '10.2.0.0/16[tcp/http]': bad port 'http' (a number, N-M, 'any' or 'opaque')" },
	{ CONN_HEAD "    children {\n      net {\n        mode = beet\n      }\n    }\n  }\n}\n",
	  "t.conf:8:16: bad value 'beet' for mode: tunnel or transport" },
	{ CONN_HEAD "    children {\n      net {\n        esp_proposals = aes128-sha256, 3des-sha1\n      }\n    }\n  }\n}\n",
	  "t.conf:8:40: bad proposal '3des-sha1': '3des' is weak (a 64-bit block cipher); allow it with weak_algorithms = yes" },
	{ CONN_HEAD "    children {\n      net {\n        rekey_bytes = 1t\n      }\n    }\n  }\n}\n",
	  "t.conf:8:23: bad size '1t' for rekey_bytes: bytes, or a number with k, m or g" },
	{ "secrets {\n  ike {\n    secret = 0xabc\n  }\n}\n",
	  "t.conf:3:14: bad secret: 0x and hex digits, 0s and base64, or at most 512 characters" },
	{ "secrets {\n  ike {\n    secret = 0sAAE=AA==\n  }\n}\n",
	  "t.conf:3:14: bad secret: 0x and hex digits, 0s and base64, or at most 512 characters" },
	/* what only the whole connection shows */
	{ "connections {\n  c {\n    remote_addrs = 192.0.2.1\n    remote { auth = psk }\n  }\n}\n",
	  "t.conf:2:3: local authentication is pubkey (the default), but certs is not set" },
	{ "connections {\n  c {\n    local { auth = psk }\n    remote {\n      auth = pubkey\n    }\n  }\n}\n",
	  "t.conf:5:14: remote authentication is pubkey, but cacerts is not set" },
	{ CONN_HEAD "    if_id = 7\n    interface = ipsec0\n  }\n}\n",
	  "t.conf:7:5: give if_id or interface, not both" },
	{ "connections {\n  c {\n    local { auth = psk }\n    remote { auth = psk }\n"
	  "    children {\n      net {\n        start_action = start\n      }\n    }\n  }\n}\n",
	  "t.conf:7:24: start_action = start needs one address to initiate to, but remote_addrs is not set (%any)" },
	{ "connections {\n  c {\n    remote_addrs = 192.0.2.0/24\n    local { auth = psk }\n    remote { auth = psk }\n"
	  "    children {\n      net {\n        start_action = trap\n      }\n    }\n  }\n}\n",
	  "t.conf:8:24: start_action = trap needs one address to initiate to, but remote_addrs is '192.0.2.0/24'" },
	{ CONN_HEAD "    children {\n      net {\n        life_time = 30m\n      }\n    }\n  }\n}\n",
	  "t.conf:8:21: life_time (1800s) must be more than rekey_time (3600s, the default)" },
	{ CONN_HEAD "    children {\n      net {\n        rekey_packets = 100\n        life_packets = 100\n      }\n    }\n  }\n}\n",
	  "t.conf:9:24: life_packets (100 packets) must be more than rekey_packets (100 packets)" },
	{ CONN_HEAD "    children {\n      net {\n        local_ts = 10.0.0.0/8\n        remote_ts = 2001:db8::/32\n      }\n    }\n  }\n}\n",
	  "t.conf:9:21: local_ts and remote_ts have no address family in common" },
};

static void test_bad_confs(void **state)
{
	struct ike_config cfg;
	char err[512];
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(bad_confs); i++) {
		if (!ike_config_parse(&cfg, "t.conf", bad_confs[i].text, err,
				      sizeof(err))) {
			ike_config_free(&cfg);
			fail_msg("case %zu was accepted, expected: %s", i,
				 bad_confs[i].err);
		}
		if (strcmp(err, bad_confs[i].err))
			fail_msg("case %zu:\n got  %s\n want %s", i, err,
				 bad_confs[i].err);
		/* nothing is left behind on failure */
		assert_int_equal(cfg.n_conns, 0);
		assert_int_equal(cfg.n_secrets, 0);
		assert_int_equal(cfg.warnings.n, 0);
	}
}

struct warned_conf {
	const char *text;
	const char *warning;
};

static const struct warned_conf warned_confs[] = {
	{ CONN_HEAD "    send_certreq = no\n  }\n}\n" SECRET,
	  "t.conf:6:5: warning: 'send_certreq' is accepted and ignored by kipsec" },
	{ CONN_HEAD "    children {\n      net {\n        updown = /usr/lib/ipsec/_updown iptables\n      }\n    }\n  }\n}\n" SECRET,
	  "t.conf:8:9: warning: 'updown' is accepted and ignored by kipsec" },
	{ "connections {\n  c {\n    remote_addrs = 192.0.2.1\n    local {\n      auth = psk\n      id = sun.test\n    }\n"
	  "    remote {\n      auth = psk\n      id = moon.test\n    }\n  }\n}\n"
	  "secrets {\n  ike {\n    secret = x\n    id = carol.test\n  }\n}\n",
	  "t.conf:5:14: warning: auth = psk, but no ike secret is for 'sun.test' or 'moon.test'" },
	/* the local address is the identity when no id is given */
	{ "connections {\n  c {\n    local_addrs = 192.0.2.2\n    remote_addrs = 192.0.2.1\n"
	  "    local { auth = pubkey\n certs = a.pem }\n    remote { auth = psk }\n  }\n}\n",
	  "t.conf:7:21: warning: auth = psk, but no ike secret is for '192.0.2.2' or '192.0.2.1'" },
	{ "connections {\n  c {\n    local { auth = psk }\n    remote { auth = psk }\n  }\n}\n",
	  "t.conf:3:20: warning: auth = psk, but there is no ike secret" },
};

static void test_warnings(void **state)
{
	struct ike_config cfg;
	char err[512];
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(warned_confs); i++) {
		if (ike_config_parse(&cfg, "t.conf", warned_confs[i].text, err,
				     sizeof(err)))
			fail_msg("case %zu: %s", i, err);
		if (cfg.warnings.n != 1)
			fail_msg("case %zu: %zu warnings", i, cfg.warnings.n);
		if (strcmp(cfg.warnings.v[0], warned_confs[i].warning))
			fail_msg("case %zu:\n got  %s\n want %s", i,
				 cfg.warnings.v[0], warned_confs[i].warning);
		ike_config_free(&cfg);
	}
}

/* A secret naming both peers beats one naming either, then a wildcard. */
static void test_find_psk(void **state)
{
	static const char text[] =
		"secrets {\n"
		"  ike-any { secret = any }\n"
		"  ike-one { secret = one\n id = MOON.test }\n"
		"  ike-both { secret = both\n id-1 = moon.test\n id-2 = sun.test }\n"
		"}\n";
	struct ike_config cfg;
	char err[512];

	(void)state;
	if (ike_config_parse(&cfg, "t.conf", text, err, sizeof(err)))
		fail_msg("%s", err);
	assert_string_equal(ike_config_find_psk(&cfg, "sun.test",
						"moon.test")->name, "ike-both");
	assert_string_equal(ike_config_find_psk(&cfg, "carol.test",
						"moon.test")->name, "ike-one");
	assert_string_equal(ike_config_find_psk(&cfg, "carol.test",
						"dave.test")->name, "ike-any");
	ike_config_free(&cfg);
	assert_null(ike_config_find_psk(&cfg, "a", "b"));
}

/* ---- proposals ---- */

struct good_prop {
	uint8_t proto;
	unsigned int flags;
	const char *s;
	struct tr_list want;	/* of the first proposal */
};

static const struct good_prop good_props[] = {
	/* PRF derived from the integrity algorithm, as strongSwan does */
	{ IKE_PROTO_IKE, 0, "aes256-sha256-modp2048", { 4, {
		TR(1, 12, 256), TR(2, 5, 0), TR(3, 12, 0), TR(4, 14, 0) } } },
	{ IKE_PROTO_IKE, 0, "aes128gcm16-prfsha256-ecp256", { 3, {
		TR(1, 20, 128), TR(2, 5, 0), TR(4, 19, 0) } } },
	/* AEAD: sha384 only names the PRF, the integrity is dropped */
	{ IKE_PROTO_IKE, 0, "aes256gcm16-sha384-x25519", { 3, {
		TR(1, 20, 256), TR(2, 6, 0), TR(4, 31, 0) } } },
	{ IKE_PROTO_IKE, 0,
	  "aes128gcm64-aes192gcm96-aes256gcm128-aes128gcm-prfsha512-curve448",
	  { 6, { TR(1, 18, 128), TR(1, 19, 192), TR(1, 20, 256),
		 TR(1, 20, 128), TR(2, 7, 0), TR(4, 32, 0) } } },
	{ IKE_PROTO_IKE, 0, "aes128ccm8-aes192ccm12-aes256ccm16-prfsha256-ecp384",
	  { 5, { TR(1, 14, 128), TR(1, 15, 192), TR(1, 16, 256),
		 TR(2, 5, 0), TR(4, 20, 0) } } },
	{ IKE_PROTO_IKE, 0, "chacha20poly1305-prfsha256-x448", { 3, {
		TR(1, 28, 0), TR(2, 5, 0), TR(4, 32, 0) } } },
	{ IKE_PROTO_IKE, 0, "aes128ctr-aescmac-ecp521", { 4, {
		TR(1, 13, 128), TR(2, 8, 0), TR(3, 8, 0), TR(4, 21, 0) } } },
	{ IKE_PROTO_IKE, 0, "aes192-aesxcbc-modp3072", { 4, {
		TR(1, 12, 192), TR(2, 4, 0), TR(3, 5, 0), TR(4, 15, 0) } } },
	{ IKE_PROTO_IKE, 0, "aes-sha1-modp4096", { 4, {
		TR(1, 12, 128), TR(2, 2, 0), TR(3, 2, 0), TR(4, 16, 0) } } },
	/* an explicit PRF is kept, the integrity algorithms stay too */
	{ IKE_PROTO_IKE, 0, "aes128-sha256-sha512-prfsha384-modp6144-modp8192",
	  { 6, { TR(1, 12, 128), TR(2, 6, 0), TR(3, 12, 0), TR(3, 14, 0),
		 TR(4, 17, 0), TR(4, 18, 0) } } },
	{ IKE_PROTO_IKE, 0, "aes128-sha2_256-sha2_384-sha2_512-ecp256", { 8, {
		TR(1, 12, 128), TR(2, 5, 0), TR(2, 6, 0), TR(2, 7, 0),
		TR(3, 12, 0), TR(3, 13, 0), TR(3, 14, 0), TR(4, 19, 0) } } },
	/* keywords are case-insensitive, repeats collapse */
	{ IKE_PROTO_IKE, 0, "AES256-SHA256-aes256-ECP384", { 4, {
		TR(1, 12, 256), TR(2, 5, 0), TR(3, 12, 0), TR(4, 20, 0) } } },
	{ IKE_PROTO_IKE, IKE_PROPOSAL_WEAK, "3des-des-md5-modp768-modp1024-modp1536",
	  { 7, { TR(1, 3, 0), TR(1, 2, 0), TR(2, 1, 0), TR(3, 1, 0),
		 TR(4, 1, 0), TR(4, 2, 0), TR(4, 5, 0) } } },
	/* ESP: no PRF; a KE asks for PFS; noesn unless told */
	{ IKE_PROTO_ESP, 0, "aes128gcm16-ecp256", { 3, {
		TR(1, 20, 128), TR(4, 19, 0), TR(5, 0, 0) } } },
	{ IKE_PROTO_ESP, 0, "aes128-sha256", { 3, {
		TR(1, 12, 128), TR(3, 12, 0), TR(5, 0, 0) } } },
	{ IKE_PROTO_ESP, 0, "aes256-sha512-modp2048-none-esn-noesn", { 6, {
		TR(1, 12, 256), TR(3, 14, 0), TR(4, 14, 0), TR(4, 0, 0),
		TR(5, 1, 0), TR(5, 0, 0) } } },
	{ IKE_PROTO_ESP, 0, "null-sha256", { 3, {
		TR(1, 11, 0), TR(3, 12, 0), TR(5, 0, 0) } } },
	{ IKE_PROTO_ESP, 0, "aes128gmac", { 2, {
		TR(1, 21, 128), TR(5, 0, 0) } } },
	{ IKE_PROTO_ESP, 0, "aes192ccm12-aes256ccm64-esn", { 3, {
		TR(1, 15, 192), TR(1, 14, 256), TR(5, 1, 0) } } },
	{ IKE_PROTO_ESP, 0, "aes128gcm16-sha256", { 2, {
		TR(1, 20, 128), TR(5, 0, 0) } } },
	{ IKE_PROTO_ESP, 0, "aes128-sha256-prfsha256", { 3, {
		TR(1, 12, 128), TR(3, 12, 0), TR(5, 0, 0) } } },
	{ IKE_PROTO_ESP, 0, " aes128 - sha256 ", { 3, {
		TR(1, 12, 128), TR(3, 12, 0), TR(5, 0, 0) } } },
	{ IKE_PROTO_ESP, 0, "chacha20poly1305-modpnone", { 3, {
		TR(1, 28, 0), TR(4, 0, 0), TR(5, 0, 0) } } },
};

static void test_proposal_good(void **state)
{
	struct ike_proposal_list l;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(good_props); i++) {
		parse_props(&l, good_props[i].s, good_props[i].proto,
			    good_props[i].flags);
		assert_int_equal(l.n, 1);
		assert_int_equal(l.v[0].num, 1);
		assert_int_equal(l.v[0].proto, good_props[i].proto);
		assert_int_equal(l.v[0].spi_len, 0);
		assert_transforms(&l.v[0], &good_props[i].want,
				  good_props[i].s);
		ike_proposal_list_free(&l);
	}
}

/* Lists number their proposals and append; "default" stands for two. */
static void test_proposal_list(void **state)
{
	static const struct tr_list second = { 3, {
		TR(1, 20, 256), TR(2, 6, 0), TR(4, 20, 0) } };
	struct ike_proposal_list l;
	char err[256];
	size_t off;

	(void)state;
	parse_props(&l, "aes128-sha256-modp2048 , aes256gcm16-prfsha384-ecp384",
		    IKE_PROTO_IKE, 0);
	assert_int_equal(l.n, 2);
	assert_int_equal(l.v[1].num, 2);
	assert_transforms(&l.v[1], &second, "second");
	assert_int_equal(ike_proposals_parse(&l, "default", IKE_PROTO_IKE, 0,
					     err, sizeof(err), &off), 0);
	assert_int_equal(l.n, 4);
	assert_int_equal(l.v[3].num, 4);
	/* a failure leaves the list as it was */
	assert_int_equal(ike_proposals_parse(&l, "default, aes", IKE_PROTO_IKE,
					     0, err, sizeof(err), &off), -1);
	assert_int_equal(l.n, 4);
	ike_proposal_list_free(&l);
}

/*
 * kipsec's "default": strongSwan 5.9's, minus what Documentation/
 * ike.conf.rst lists. The IDs: AES-CBC 12, AES-GCM-16 20, ChaCha20-
 * Poly1305 28; HMAC-SHA2 integrity 12, 13, 14; PRF_HMAC_SHA2 5, 6, 7;
 * groups 19, 20, 21 (ECP), 31, 32 (Curve25519, Curve448), 15-18 and 14
 * (MODP 3072-8192, 2048); HMAC-SHA1-96 2, AES-XCBC-96 5; no ESN 0.
 */
static void test_proposal_default(void **state)
{
#define DEFAULT_KE TR(4, 19, 0), TR(4, 20, 0), TR(4, 21, 0), TR(4, 31, 0), \
	TR(4, 32, 0), TR(4, 15, 0), TR(4, 16, 0), TR(4, 17, 0), \
	TR(4, 18, 0), TR(4, 14, 0)
	static const struct tr_list ike = { 19, {
		TR(1, 12, 128), TR(1, 12, 192), TR(1, 12, 256),
		TR(2, 5, 0), TR(2, 6, 0), TR(2, 7, 0),
		TR(3, 12, 0), TR(3, 13, 0), TR(3, 14, 0), DEFAULT_KE } };
	static const struct tr_list ike_aead = { 17, {
		TR(1, 20, 128), TR(1, 20, 192), TR(1, 20, 256), TR(1, 28, 0),
		TR(2, 5, 0), TR(2, 6, 0), TR(2, 7, 0), DEFAULT_KE } };
	static const struct tr_list esp = { 9, {
		TR(1, 12, 128), TR(1, 12, 192), TR(1, 12, 256),
		TR(3, 12, 0), TR(3, 13, 0), TR(3, 14, 0), TR(3, 2, 0),
		TR(3, 5, 0), TR(5, 0, 0) } };
	static const struct tr_list esp_aead = { 4, {
		TR(1, 20, 128), TR(1, 20, 192), TR(1, 20, 256), TR(5, 0, 0) } };
	struct ike_proposal_list l;

	(void)state;
	parse_props(&l, "Default", IKE_PROTO_IKE, 0);
	assert_int_equal(l.n, 2);
	assert_transforms(&l.v[0], &ike, "IKE default");
	assert_transforms(&l.v[1], &ike_aead, "IKE default AEAD");
	ike_proposal_list_free(&l);
	parse_props(&l, "default", IKE_PROTO_ESP, 0);
	assert_int_equal(l.n, 2);
	assert_transforms(&l.v[0], &esp, "ESP default");
	assert_transforms(&l.v[1], &esp_aead, "ESP default AEAD");
	ike_proposal_list_free(&l);
#undef DEFAULT_KE
}

struct bad_prop {
	uint8_t proto;
	const char *s;
	size_t off;
	const char *err;
};

static const struct bad_prop bad_props[] = {
	{ IKE_PROTO_IKE, "aes256-sha257-modp2048", 7,
	  "bad proposal 'aes256-sha257-modp2048': unknown algorithm 'sha257'" },
	{ IKE_PROTO_IKE, "aes128-sha256-modp1024", 14,
	  "bad proposal 'aes128-sha256-modp1024': 'modp1024' is weak (a MODP group below 2048 bits); allow it with weak_algorithms = yes" },
	{ IKE_PROTO_IKE, "aes128-sha256-modp768", 14,
	  "bad proposal 'aes128-sha256-modp768': 'modp768' is weak (a MODP group below 2048 bits); allow it with weak_algorithms = yes" },
	{ IKE_PROTO_IKE, "aes128-sha256-modp1536", 14,
	  "bad proposal 'aes128-sha256-modp1536': 'modp1536' is weak (a MODP group below 2048 bits); allow it with weak_algorithms = yes" },
	{ IKE_PROTO_ESP, "3des-sha1", 0,
	  "bad proposal '3des-sha1': '3des' is weak (a 64-bit block cipher); allow it with weak_algorithms = yes" },
	{ IKE_PROTO_IKE, "des-sha256-modp2048", 0,
	  "bad proposal 'des-sha256-modp2048': 'des' is weak (a 56-bit key); allow it with weak_algorithms = yes" },
	{ IKE_PROTO_IKE, "aes128-md5-modp2048", 7,
	  "bad proposal 'aes128-md5-modp2048': 'md5' is weak (MD5); allow it with weak_algorithms = yes" },
	{ IKE_PROTO_IKE, "aes128gcm16-prfmd5-ecp256", 12,
	  "bad proposal 'aes128gcm16-prfmd5-ecp256': 'prfmd5' is weak (MD5); allow it with weak_algorithms = yes" },
	{ IKE_PROTO_IKE, "aes128-sha256", 0,
	  "bad proposal 'aes128-sha256': no key exchange method (e.g. ecp256 or modp2048)" },
	{ IKE_PROTO_IKE, "aes128-modp2048", 0,
	  "bad proposal 'aes128-modp2048': no integrity algorithm (a non-AEAD cipher needs one, e.g. sha256)" },
	{ IKE_PROTO_IKE, "aes128gcm16-ecp256", 0,
	  "bad proposal 'aes128gcm16-ecp256': no pseudorandom function (IKE with an AEAD cipher needs one, e.g. prfsha256)" },
	{ IKE_PROTO_IKE, "sha256-modp2048", 0,
	  "bad proposal 'sha256-modp2048': no encryption algorithm" },
	{ IKE_PROTO_IKE, "aes128gcm16-aes128-prfsha256-ecp256", 12,
	  "bad proposal 'aes128gcm16-aes128-prfsha256-ecp256': 'aes128' cannot share a proposal with AEAD ciphers (separate them with a comma)" },
	{ IKE_PROTO_ESP, "aes128-sha256-aes128gcm16", 14,
	  "bad proposal 'aes128-sha256-aes128gcm16': 'aes128gcm16' cannot share a proposal with non-AEAD ciphers (separate them with a comma)" },
	{ IKE_PROTO_IKE, "null-sha256-modp2048", 0,
	  "bad proposal 'null-sha256-modp2048': 'null' is for ESP proposals only" },
	{ IKE_PROTO_IKE, "aes128gmac-prfsha256-modp2048", 0,
	  "bad proposal 'aes128gmac-prfsha256-modp2048': 'aes128gmac' is for ESP proposals only" },
	{ IKE_PROTO_IKE, "aes128-sha256-modp2048-esn", 23,
	  "bad proposal 'aes128-sha256-modp2048-esn': 'esn' is for ESP proposals only" },
	{ IKE_PROTO_IKE, "aes128-sha256-none", 14,
	  "bad proposal 'aes128-sha256-none': 'none' is for ESP proposals only" },
	{ IKE_PROTO_ESP, "aes128", 0,
	  "bad proposal 'aes128': no integrity algorithm (ESP with a non-AEAD cipher needs one, e.g. sha256)" },
	{ IKE_PROTO_ESP, "aes128--sha256", 7,
	  "bad proposal 'aes128--sha256': empty algorithm name" },
	{ IKE_PROTO_ESP, "aes128-sha256-", 14,
	  "bad proposal 'aes128-sha256-': empty algorithm name" },
	{ IKE_PROTO_ESP, "aes128-sha256,", 14, "bad proposal '': empty proposal" },
	{ IKE_PROTO_ESP, "aes128-sha256, aes129-sha256", 15,
	  "bad proposal 'aes129-sha256': unknown algorithm 'aes129'" },
	{ IKE_PROTO_ESP, "aes128gcm20", 0,
	  "bad proposal 'aes128gcm20': unknown algorithm 'aes128gcm20'" },
	{ IKE_PROTO_ESP, "aesgcm16", 0,
	  "bad proposal 'aesgcm16': unknown algorithm 'aesgcm16'" },
	{ IKE_PROTO_ESP, "camellia128-sha256", 0,
	  "bad proposal 'camellia128-sha256': unknown algorithm 'camellia128'" },
	{ IKE_PROTO_IKE, "aes128-sha256-ecp256bp", 14,
	  "bad proposal 'aes128-sha256-ecp256bp': unknown algorithm 'ecp256bp'" },
};

static void test_proposal_bad(void **state)
{
	struct ike_proposal_list l = { 0 };
	char err[256];
	size_t i, off;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(bad_props); i++) {
		off = 999;
		if (!ike_proposals_parse(&l, bad_props[i].s, bad_props[i].proto,
					 0, err, sizeof(err), &off))
			fail_msg("'%s' was accepted", bad_props[i].s);
		if (strcmp(err, bad_props[i].err))
			fail_msg("'%s':\n got  %s\n want %s", bad_props[i].s,
				 err, bad_props[i].err);
		if (off != bad_props[i].off)
			fail_msg("'%s': offset %zu, expected %zu",
				 bad_props[i].s, off, bad_props[i].off);
		assert_int_equal(l.n, 0);
	}
	ike_proposal_list_free(&l);
}

static void test_proposal_format(void **state)
{
	struct ike_proposal_list l;
	struct ike_transform tr = TR(1, 1000, 0);
	char buf[256], want[256];

	(void)state;
	parse_props(&l, "aes256gcm16-prfsha256-ecp256", IKE_PROTO_IKE, 0);
	snprintf(want, sizeof(want), "%s_256/%s/%s", ike_transform_name(1, 20),
		 ike_transform_name(2, 5), ike_transform_name(4, 19));
	assert_string_equal(ike_proposal_format(&l.v[0], buf, sizeof(buf)),
			    want);
	ike_proposal_list_free(&l);
	/* an ID nobody registered is still shown */
	assert_string_equal(ike_transform_format(&tr, buf, sizeof(buf)),
			    "ENCR_1000");
	tr.type = 9;
	assert_string_equal(ike_transform_format(&tr, buf, sizeof(buf)),
			    "TYPE9_1000");
	/* a short buffer truncates, it does not overflow */
	parse_props(&l, "default", IKE_PROTO_IKE, 0);
	ike_proposal_format(&l.v[0], buf, 10);
	assert_int_equal(strlen(buf), 9);
	ike_proposal_list_free(&l);
	assert_true(ike_encr_is_aead(20));
	assert_true(ike_encr_is_aead(28));
	assert_true(ike_encr_is_aead(21));
	assert_false(ike_encr_is_aead(12));
	assert_false(ike_encr_is_aead(11));
}

/* ---- selection ---- */

struct props {
	size_t n;
	struct ike_proposal v[4];
};

static void props_of(struct props *ps, const char *s, uint8_t proto)
{
	struct ike_proposal_list l;

	parse_props(&l, s, proto, IKE_PROPOSAL_WEAK);
	assert_true(l.n <= ARRAY_SIZE(ps->v));
	ps->n = l.n;
	memcpy(ps->v, l.v, l.n * sizeof(l.v[0]));
	ike_proposal_list_free(&l);
}

#define BIT_T(t)	(1u << (t))

struct select_case {
	const char *what;
	uint8_t proto;
	const char *ours;
	const char *theirs;
	unsigned int flags;
	int ret;
	uint8_t num;			/* of the chosen proposal */
	struct tr_list chosen;
	uint32_t types;			/* when nothing matches */
	bool combination, no_proto;
};

/* Designated fields: a match gives num and chosen, a miss the reasons. */
#define MATCH(n, ...)	.ret = 0, .num = (n), .chosen = { __VA_ARGS__ }
#define MISS(t)		.ret = -1, .types = (t)

static const struct select_case select_cases[] = {
	{ "peer's AEAD proposal, our second", IKE_PROTO_IKE,
	  "aes256-sha256-modp2048, aes128gcm16-prfsha256-ecp256",
	  "aes128gcm16-prfsha256-ecp256", 0,
	  MATCH(1, 3, { TR(1, 20, 128), TR(2, 5, 0), TR(4, 19, 0) }) },
	{ "our order of transforms wins", IKE_PROTO_IKE,
	  "aes256-aes128-sha512-sha256-ecp256-modp2048",
	  "aes128-aes256-sha256-sha512-modp2048-ecp256", 0,
	  MATCH(1, 4, { TR(1, 12, 256), TR(2, 7, 0), TR(3, 14, 0),
			TR(4, 19, 0) }) },
	{ "our order of proposals wins; the peer's number is kept",
	  IKE_PROTO_IKE,
	  "aes128gcm16-prfsha256-ecp256, aes256-sha256-modp2048",
	  "aes256-sha256-modp2048, aes128gcm16-prfsha256-ecp256", 0,
	  MATCH(2, 3, { TR(1, 20, 128), TR(2, 5, 0), TR(4, 19, 0) }) },
	{ "key exchange differs", IKE_PROTO_IKE,
	  "aes256-sha256-ecp256-modp2048", "aes256-sha256-modp1024", 0,
	  MISS(BIT_T(4)) },
	{ "cipher differs", IKE_PROTO_IKE,
	  "aes256-sha256-modp2048", "aes128-sha256-modp2048", 0,
	  MISS(BIT_T(1)) },
	{ "PRF differs", IKE_PROTO_IKE,
	  "aes128gcm16-prfsha256-ecp256", "aes128gcm16-prfsha384-ecp256", 0,
	  MISS(BIT_T(2)) },
	{ "integrity differs, PRF given", IKE_PROTO_IKE,
	  "aes128-sha256-prfsha256-ecp256", "aes128-sha512-prfsha256-ecp256",
	  0, MISS(BIT_T(3)) },
	{ "AEAD against classic: only the cipher differs", IKE_PROTO_IKE,
	  "aes128gcm16-prfsha256-ecp256", "aes128-sha256-ecp256", 0,
	  MISS(BIT_T(1)) },
	{ "two types differ", IKE_PROTO_IKE,
	  "aes256-sha256-ecp256", "aes128-sha256-modp2048", 0,
	  MISS(BIT_T(1) | BIT_T(4)) },
	{ "each type matches somewhere, no pair does", IKE_PROTO_IKE,
	  "aes128-sha256-ecp256, aes256-sha512-modp2048",
	  "aes128-sha512-modp2048", 0, MISS(0), .combination = true },
	{ "PFS required, peer offers none", IKE_PROTO_ESP,
	  "aes128gcm16-ecp256", "aes128gcm16", 0, MISS(BIT_T(4)) },
	{ "... fine in IKE_AUTH, where KE is left out", IKE_PROTO_ESP,
	  "aes128gcm16-ecp256", "aes128gcm16", IKE_SELECT_SKIP_KE,
	  MATCH(1, 2, { TR(1, 20, 128), TR(5, 0, 0) }) },
	{ "PFS optional, peer offers none", IKE_PROTO_ESP,
	  "aes128gcm16-ecp256-none", "aes128gcm16", 0,
	  MATCH(1, 2, { TR(1, 20, 128), TR(5, 0, 0) }) },
	{ "PFS optional, peer wants it", IKE_PROTO_ESP,
	  "aes128gcm16-none-ecp256", "aes128gcm16-ecp256", 0,
	  MATCH(1, 3, { TR(1, 20, 128), TR(4, 19, 0), TR(5, 0, 0) }) },
	{ "peer wants PFS, we do not do it", IKE_PROTO_ESP,
	  "aes128gcm16", "aes128gcm16-ecp256", 0, MISS(BIT_T(4)) },
	{ "peer's PFS is optional, ours absent: KE NONE", IKE_PROTO_ESP,
	  "aes128gcm16", "aes128gcm16-ecp256-none", 0,
	  MATCH(1, 3, { TR(1, 20, 128), TR(4, 0, 0), TR(5, 0, 0) }) },
	{ "PFS group differs", IKE_PROTO_ESP,
	  "aes128-sha256-ecp384", "aes128-sha256-ecp256", 0, MISS(BIT_T(4)) },
	{ "ESN: both allowed, ours first", IKE_PROTO_ESP,
	  "aes128gcm16-esn-noesn", "aes128gcm16-noesn-esn", 0,
	  MATCH(1, 2, { TR(1, 20, 128), TR(5, 1, 0) }) },
	{ "ESN required, peer cannot", IKE_PROTO_ESP,
	  "aes128gcm16-esn", "aes128gcm16-noesn", 0, MISS(BIT_T(5)) },
	{ "integrity differs in ESP", IKE_PROTO_ESP,
	  "aes128-sha256", "aes128-sha1", 0, MISS(BIT_T(3)) },
	{ "no ESP proposal from the peer", IKE_PROTO_ESP,
	  "aes128gcm16", NULL, 0, MISS(0), .no_proto = true },
};

static void check_select(const struct select_case *c)
{
	struct ike_proposal chosen;
	struct ike_mismatch why;
	struct props ours, theirs;
	int ret;

	props_of(&ours, c->ours, c->proto);
	if (c->theirs) {
		props_of(&theirs, c->theirs, c->proto);
	} else {	/* an IKE proposal where ESP was asked for */
		props_of(&theirs, "aes128-sha256-ecp256", IKE_PROTO_IKE);
	}
	ret = ike_proposal_select(ours.v, ours.n, theirs.v, theirs.n,
				  c->flags, &chosen, &why);
	if (ret != c->ret)
		fail_msg("%s: returned %d", c->what, ret);
	if (!ret) {
		assert_int_equal(chosen.num, c->num);
		assert_int_equal(chosen.proto, c->proto);
		assert_transforms(&chosen, &c->chosen, c->what);
		return;
	}
	if (why.types != c->types || why.combination != c->combination ||
	    why.no_proto != c->no_proto || why.n_unknown)
		fail_msg("%s: types %#x combination %d no_proto %d unknown %u",
			 c->what, why.types, why.combination, why.no_proto,
			 why.n_unknown);
}

static void test_select_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(select_cases); i++)
		check_select(&select_cases[i]);
}

static void add(struct ike_proposal *p, uint8_t type, uint16_t id,
		uint16_t keylen)
{
	p->tr[p->n_tr++] = (struct ike_transform){ type, id, keylen };
}

/* Peer proposals our parser would not write. */
static void test_select_peer_quirks(void **state)
{
	static const struct tr_list integ_none = { 4, {
		TR(1, 20, 256), TR(2, 5, 0), TR(3, 0, 0), TR(4, 19, 0) } };
	static const struct tr_list cbc = { 4, {
		TR(1, 12, 128), TR(2, 5, 0), TR(3, 12, 0), TR(4, 19, 0) } };
	static const struct tr_list gcm = { 1, { TR(1, 20, 128) } };
	struct ike_proposal theirs[2], chosen;
	struct ike_mismatch why;
	struct props ours;

	(void)state;
	/* AEAD with INTEG NONE: the reply names NONE too */
	props_of(&ours, "aes256gcm16-prfsha256-ecp256", IKE_PROTO_IKE);
	memset(theirs, 0, sizeof(theirs));
	theirs[0].num = 1;
	theirs[0].proto = IKE_PROTO_IKE;
	add(&theirs[0], 1, 20, 256);
	add(&theirs[0], 2, 5, 0);
	add(&theirs[0], 3, 0, 0);
	add(&theirs[0], 4, 19, 0);
	assert_int_equal(ike_proposal_select(ours.v, ours.n, theirs, 1, 0,
					     &chosen, &why), 0);
	assert_transforms(&chosen, &integ_none, "INTEG NONE");

	/* an unknown cipher ID is passed over; SPI and number carried */
	props_of(&ours, "aes128-sha256-ecp256", IKE_PROTO_IKE);
	memset(theirs, 0, sizeof(theirs));
	theirs[0].num = 3;
	theirs[0].proto = IKE_PROTO_IKE;
	theirs[0].spi_len = 8;
	memcpy(theirs[0].spi, "\1\2\3\4\5\6\7\10", 8);
	add(&theirs[0], 1, 1000, 0);
	add(&theirs[0], 1, 12, 128);
	add(&theirs[0], 2, 5, 0);
	add(&theirs[0], 3, 12, 0);
	add(&theirs[0], 4, 19, 0);
	assert_int_equal(ike_proposal_select(ours.v, ours.n, theirs, 1, 0,
					     &chosen, &why), 0);
	assert_int_equal(chosen.num, 3);
	assert_int_equal(chosen.spi_len, 8);
	assert_memory_equal(chosen.spi, "\1\2\3\4\5\6\7\10", 8);
	assert_transforms(&chosen, &cbc, "unknown ID");

	/* a transform type we do not know: that proposal is skipped */
	theirs[0].num = 1;
	add(&theirs[0], 6, 19, 0);
	theirs[1] = theirs[0];
	theirs[1].num = 2;
	theirs[1].n_tr--;
	assert_int_equal(ike_proposal_select(ours.v, ours.n, theirs, 2, 0,
					     &chosen, &why), 0);
	assert_int_equal(chosen.num, 2);
	assert_int_equal(ike_proposal_select(ours.v, ours.n, theirs, 1, 0,
					     &chosen, &why), -1);
	assert_int_equal(why.n_unknown, 1);
	assert_int_equal(why.types, 0);
	assert_false(why.combination);
	assert_false(why.no_proto);

	/* no ESN transform at all means no ESN; the reply has none */
	props_of(&ours, "aes128gcm16", IKE_PROTO_ESP);
	memset(theirs, 0, sizeof(theirs));
	theirs[0].num = 1;
	theirs[0].proto = IKE_PROTO_ESP;
	add(&theirs[0], 1, 20, 128);
	assert_int_equal(ike_proposal_select(ours.v, ours.n, theirs, 1, 0,
					     &chosen, &why), 0);
	assert_transforms(&chosen, &gcm, "no ESN");
	props_of(&ours, "aes128gcm16-esn", IKE_PROTO_ESP);
	assert_int_equal(ike_proposal_select(ours.v, ours.n, theirs, 1, 0,
					     &chosen, &why), -1);
	assert_int_equal(why.types, BIT_T(5));
}

static void test_mismatch_format(void **state)
{
	struct ike_proposal_list ours, theirs;
	struct ike_proposal chosen;
	struct ike_mismatch why;
	char buf[512], want[512];

	(void)state;
	parse_props(&ours, "aes256-sha256-ecp256-modp2048", IKE_PROTO_IKE, 0);
	parse_props(&theirs, "aes256-sha256-modp1024, aes256-sha256-modp1536",
		    IKE_PROTO_IKE, IKE_PROPOSAL_WEAK);
	assert_int_equal(ike_proposal_select(ours.v, ours.n, theirs.v,
					     theirs.n, 0, &chosen, &why), -1);
	snprintf(want, sizeof(want),
		 "key exchange method differs (we accept %s, %s; peer offered %s, %s)",
		 ike_transform_name(4, 19), ike_transform_name(4, 14),
		 ike_transform_name(4, 2), ike_transform_name(4, 5));
	assert_string_equal(ike_mismatch_format(&why, ours.v, ours.n,
						theirs.v, theirs.n, buf,
						sizeof(buf)), want);
	ike_proposal_list_free(&ours);
	ike_proposal_list_free(&theirs);

	/* ESP without KE is "no PFS", shown as the NONE it stands for */
	parse_props(&ours, "aes128gcm16-ecp256", IKE_PROTO_ESP, 0);
	parse_props(&theirs, "aes128-sha256, aes128gcm16", IKE_PROTO_ESP, 0);
	assert_int_equal(ike_proposal_select(ours.v, ours.n, theirs.v,
					     theirs.n, 0, &chosen, &why), -1);
	snprintf(want, sizeof(want),
		 "key exchange method differs (we accept %s; peer offered %s)",
		 ike_transform_name(4, 19), ike_transform_name(4, 0));
	assert_string_equal(ike_mismatch_format(&why, ours.v, ours.n,
						theirs.v, theirs.n, buf,
						sizeof(buf)), want);
	ike_proposal_list_free(&theirs);

	/* the peer had nothing for our protocol, and an unknown type */
	memset(&why, 0, sizeof(why));
	why.no_proto = true;
	why.n_unknown = 2;
	assert_string_equal(ike_mismatch_format(&why, ours.v, ours.n, NULL, 0,
						buf, sizeof(buf)),
			    "the peer offered no ESP proposal, 2 peer proposals skipped for an unknown transform type");
	memset(&why, 0, sizeof(why));
	why.combination = true;
	assert_string_equal(ike_mismatch_format(&why, ours.v, ours.n, NULL, 0,
						buf, sizeof(buf)),
			    "each transform type has a value in common, but no proposal of ours matches one of the peer's as a whole");
	ike_proposal_list_free(&ours);
}

/* ---- traffic selectors ---- */

struct good_ts {
	const char *s;
	bool dynamic;
	uint8_t type, proto;
	const char *start, *end;
	uint16_t sport, eport;
};

static const struct good_ts good_ts[] = {
	{ "10.1.0.0/16", false, 7, 0, "10.1.0.0", "10.1.255.255", 0, 65535 },
	{ "10.1.0.5", false, 7, 0, "10.1.0.5", "10.1.0.5", 0, 65535 },
	{ "10.1.0.5-10.1.0.9", false, 7, 0, "10.1.0.5", "10.1.0.9", 0, 65535 },
	{ "0.0.0.0/0[tcp/80]", false, 7, 6, "0.0.0.0", "255.255.255.255",
	  80, 80 },
	{ "2001:db8::/32", false, 8, 0, "2001:db8::",
	  "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff", 0, 65535 },
	{ "::/0[udp/1000-2000]", false, 8, 17, "::",
	  "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", 1000, 2000 },
	{ "10.0.0.0/8[17/53]", false, 7, 17, "10.0.0.0", "10.255.255.255",
	  53, 53 },
	{ "10.0.0.0/8[any/opaque]", false, 7, 0, "10.0.0.0",
	  "10.255.255.255", 65535, 0 },
	{ "10.0.0.0/8[icmp/2048]", false, 7, 1, "10.0.0.0", "10.255.255.255",
	  2048, 2048 },
	{ "10.0.0.0/8[tcp/any]", false, 7, 6, "10.0.0.0", "10.255.255.255",
	  0, 65535 },
	{ "dynamic", true, 0, 0, NULL, NULL, 0, 65535 },
	{ "dynamic[tcp]", true, 0, 6, NULL, NULL, 0, 65535 },
};

static void test_ts_parse_good(void **state)
{
	struct ike_ts_cfg tc;
	struct addr a;
	char err[128];
	size_t i, off;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(good_ts); i++) {
		const struct good_ts *g = &good_ts[i];

		if (ike_ts_cfg_parse(g->s, &tc, err, sizeof(err), &off))
			fail_msg("'%s': %s", g->s, err);
		assert_int_equal(tc.dynamic, g->dynamic);
		assert_int_equal(tc.ts.ip_proto, g->proto);
		assert_int_equal(tc.ts.start_port, g->sport);
		assert_int_equal(tc.ts.end_port, g->eport);
		if (g->dynamic)
			continue;
		assert_int_equal(tc.ts.type, g->type);
		parse_addr(g->start, &a);
		assert_memory_equal(tc.ts.start, a.bytes, 16);
		parse_addr(g->end, &a);
		assert_memory_equal(tc.ts.end, a.bytes, 16);
	}
}

static const struct bad_prop bad_ts[] = {
	{ 0, "10.1.0.0/33", 0, "not an address, prefix or range" },
	{ 0, "10.1.2.0/16", 0, "host bits are set (did you mean 10.1.0.0/16?)" },
	{ 0, "2001:db8::1/32", 0, "host bits are set (did you mean 2001:db8::/32?)" },
	{ 0, "10.0.0.9-10.0.0.1", 9, "the range ends before it starts" },
	{ 0, "10.0.0.1-::1", 9, "the range mixes IPv4 and IPv6" },
	{ 0, "10.0.0.1-x", 9, "'x' is not an address" },
	{ 0, "x-10.0.0.1", 0, "'x' is not an address" },
	{ 0, "10.0.0.0/8[tcp", 14, "missing ']' after the protocol and port" },
	{ 0, "10.0.0.0/8[foo/80]", 11, "unknown protocol 'foo'" },
	{ 0, "10.0.0.0/8[256]", 11, "unknown protocol '256'" },
	{ 0, "10.0.0.0/8[tcp/http]", 15,
	  "bad port 'http' (a number, N-M, 'any' or 'opaque')" },
	{ 0, "10.0.0.0/8[tcp/90-80]", 15,
	  "bad port '90-80' (a number, N-M, 'any' or 'opaque')" },
	{ 0, "host.example", 0, "not an address, prefix or range" },
	{ 0, "", 0, "not an address, prefix or range" },
	{ 0, "[tcp]", 0, "not an address, prefix or range" },
};

static void test_ts_parse_bad(void **state)
{
	struct ike_ts_cfg tc;
	char err[128];
	size_t i, off;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(bad_ts); i++) {
		off = 999;
		if (!ike_ts_cfg_parse(bad_ts[i].s, &tc, err, sizeof(err), &off))
			fail_msg("'%s' was accepted", bad_ts[i].s);
		if (strcmp(err, bad_ts[i].err))
			fail_msg("'%s':\n got  %s\n want %s", bad_ts[i].s, err,
				 bad_ts[i].err);
		if (off != bad_ts[i].off)
			fail_msg("'%s': offset %zu, expected %zu", bad_ts[i].s,
				 off, bad_ts[i].off);
	}
}

/* Printed as strongSwan does, and read back to the same selector. */
static void test_ts_format(void **state)
{
	static const char *const forms[] = {
		"10.1.0.0/16", "10.1.0.5/32", "10.1.0.5-10.1.0.9",
		"0.0.0.0/0[tcp/80]", "2001:db8::/32", "::/0[udp/1000-2000]",
		"10.0.0.0/8[udp]", "10.0.0.0/8[any/opaque]",
		"10.0.0.0/8[any/53]", "10.0.0.0/8[47]", "::1/128",
		"10.0.0.1-10.0.0.254[icmp/2048]",
	};
	struct ike_ts ts[2];
	char buf[128];
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(forms); i++) {
		struct ike_ts back;

		ts[0] = ts_of(forms[i]);
		assert_string_equal(ike_ts_format(&ts[0], buf, sizeof(buf)),
				    forms[i]);
		back = ts_of(buf);
		assert_memory_equal(&back, &ts[0], sizeof(back));
	}
	ts[0] = ts_of("10.1.0.0/16");
	ts[1] = ts_of("10.3.0.0/24[tcp]");
	assert_string_equal(ike_ts_list_format(ts, 2, buf, sizeof(buf)),
			    "10.1.0.0/16, 10.3.0.0/24[tcp]");
	assert_string_equal(ike_ts_explain(ts, 1, &ts[1], 1, buf, sizeof(buf)),
			    "we accept 10.1.0.0/16; peer proposed 10.3.0.0/24[tcp]");
}

static void test_ts_resolve(void **state)
{
	struct ike_ts_cfg tc;
	struct ike_ts ts;
	struct addr host;
	char err[128], buf[128];
	size_t off;

	(void)state;
	assert_int_equal(ike_ts_cfg_parse("dynamic[tcp/22]", &tc, err,
					  sizeof(err), &off), 0);
	parse_addr("192.0.2.1", &host);
	ike_ts_resolve(&tc, &host, &ts);
	assert_string_equal(ike_ts_format(&ts, buf, sizeof(buf)),
			    "192.0.2.1/32[tcp/22]");
	parse_addr("2001:db8::1", &host);
	ike_ts_resolve(&tc, &host, &ts);
	assert_string_equal(ike_ts_format(&ts, buf, sizeof(buf)),
			    "2001:db8::1/128[tcp/22]");
	/* a fixed selector ignores the host */
	assert_int_equal(ike_ts_cfg_parse("10.0.0.0/8", &tc, err, sizeof(err),
					  &off), 0);
	ike_ts_resolve(&tc, &host, &ts);
	assert_string_equal(ike_ts_format(&ts, buf, sizeof(buf)),
			    "10.0.0.0/8");
}

struct narrow_case {
	const char *what;
	const char *ours[3];
	const char *theirs[3];
	const char *want[3];	/* none: TS_UNACCEPTABLE */
};

static const struct narrow_case narrow_cases[] = {
	{ "proposed is a subset", { "10.1.0.0/16" }, { "10.1.2.0/24" },
	  { "10.1.2.0/24" } },
	{ "proposed is a superset", { "10.1.0.0/16" }, { "10.0.0.0/8" },
	  { "10.1.0.0/16" } },
	{ "ranges overlap", { "10.1.0.0-10.1.0.100" },
	  { "10.1.0.50-10.1.0.200" }, { "10.1.0.50-10.1.0.100" } },
	{ "port ranges overlap", { "0.0.0.0/0[tcp/1000-2000]" },
	  { "10.0.0.0/8[tcp/1500-3000]" }, { "10.0.0.0/8[tcp/1500-2000]" } },
	{ "port ranges apart", { "0.0.0.0/0[tcp/1000-2000]" },
	  { "10.0.0.0/8[tcp/3000-4000]" }, { NULL } },
	{ "any protocol against UDP", { "10.0.0.0/8" },
	  { "10.0.0.0/8[udp/53]" }, { "10.0.0.0/8[udp/53]" } },
	{ "TCP against any protocol", { "10.0.0.0/8[tcp]" }, { "0.0.0.0/0" },
	  { "10.0.0.0/8[tcp]" } },
	{ "TCP against UDP", { "10.0.0.0/8[tcp]" }, { "10.0.0.0/8[udp]" },
	  { NULL } },
	{ "no common address", { "10.1.0.0/16" }, { "10.2.0.0/16" },
	  { NULL } },
	{ "IPv4 against IPv6", { "10.0.0.0/8" }, { "::/0" }, { NULL } },
	{ "each family with its own", { "10.0.0.0/8", "2001:db8::/32" },
	  { "::/0", "0.0.0.0/0" }, { "10.0.0.0/8", "2001:db8::/32" } },
	{ "the packet's selector first is covered by the range",
	  { "10.1.0.0/16" }, { "10.1.2.3/32[tcp/80]", "10.1.0.0/16" },
	  { "10.1.0.0/16" } },
	{ "only the packet's host allowed", { "10.1.2.3/32" },
	  { "10.1.2.3/32[tcp/80]", "10.1.0.0/16" }, { "10.1.2.3/32" } },
	{ "our selectors in our order, covered ones dropped",
	  { "10.2.0.0/16", "10.1.0.0/16", "10.1.5.0/24" }, { "10.0.0.0/8" },
	  { "10.2.0.0/16", "10.1.0.0/16" } },
	{ "a wider result replaces a narrower one",
	  { "10.1.5.0/24", "10.1.0.0/16" }, { "10.0.0.0/8" },
	  { "10.1.0.0/16" } },
	{ "opaque ports are in any", { "10.0.0.0/8" },
	  { "10.0.0.0/8[tcp/opaque]" }, { "10.0.0.0/8[tcp/opaque]" } },
	{ "opaque ports are not port 80", { "10.0.0.0/8[tcp/80]" },
	  { "10.0.0.0/8[tcp/opaque]" }, { NULL } },
};

static size_t ts_list(const char *const *s, struct ike_ts *ts)
{
	size_t n = 0;

	while (n < 3 && s[n]) {
		ts[n] = ts_of(s[n]);
		n++;
	}
	return n;
}

static void test_ts_narrow(void **state)
{
	struct ike_ts ours[3], theirs[3], out[9], want[3];
	char got[256], exp[256];
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(narrow_cases); i++) {
		const struct narrow_case *c = &narrow_cases[i];
		size_t n_ours = ts_list(c->ours, ours);
		size_t n_theirs = ts_list(c->theirs, theirs);
		size_t n_want = ts_list(c->want, want), n;

		n = ike_ts_narrow(ours, n_ours, theirs, n_theirs, out);
		ike_ts_list_format(out, n, got, sizeof(got));
		ike_ts_list_format(want, n_want, exp, sizeof(exp));
		if (n != n_want || strcmp(got, exp))
			fail_msg("%s: got '%s', expected '%s'", c->what, got,
				 exp);
	}
}

static void test_ts_contains(void **state)
{
	struct ike_ts a = ts_of("10.0.0.0/8"), b = ts_of("10.1.0.0/16[tcp/80]");

	(void)state;
	assert_true(ike_ts_contains(&a, &b));
	assert_false(ike_ts_contains(&b, &a));
	assert_true(ike_ts_contains(&a, &a));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reference_conf),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_syntax_and_values),
		cmocka_unit_test(test_load_file),
		cmocka_unit_test(test_bad_confs),
		cmocka_unit_test(test_warnings),
		cmocka_unit_test(test_find_psk),
		cmocka_unit_test(test_proposal_good),
		cmocka_unit_test(test_proposal_list),
		cmocka_unit_test(test_proposal_default),
		cmocka_unit_test(test_proposal_bad),
		cmocka_unit_test(test_proposal_format),
		cmocka_unit_test(test_select_table),
		cmocka_unit_test(test_select_peer_quirks),
		cmocka_unit_test(test_mismatch_format),
		cmocka_unit_test(test_ts_parse_good),
		cmocka_unit_test(test_ts_parse_bad),
		cmocka_unit_test(test_ts_format),
		cmocka_unit_test(test_ts_resolve),
		cmocka_unit_test(test_ts_narrow),
		cmocka_unit_test(test_ts_contains),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
