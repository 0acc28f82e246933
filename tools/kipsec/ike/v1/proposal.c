// SPDX-License-Identifier: GPL-2.0
/*
 * IKEv1 proposals. Everything is compared in the wire's numbers: our
 * configuration is expanded once into "combinations" (one transform
 * each, as we would offer them), the peer's transforms are read into the
 * same shape, and a pair matches when every parameter of the phase is
 * equal. Keeping both sides in one shape is what lets a mismatch name
 * the parameter that differs with every pair, and list both sides'
 * values, even for algorithms we do not implement.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "../../kipsec.h"
#include "../ike.h"
#include "proposal.h"

/*
 * Combinations kept when expanding a configuration: more than the codec
 * can send (IKE1_MAX_TRANSFORMS), so that a responder still accepts what
 * an initiator could not have offered all at once.
 */
#define MAX_COMBOS	512

/* One transform in the wire's numbers, one value per enum ike1_param. */
struct xf {
	uint16_t v[IKE1_PARAM_LIFE];
	uint16_t keylen;
	struct ike1_life life;
};

struct combos {
	struct xf v[MAX_COMBOS];
	uint8_t prop[MAX_COMBOS];	/* index of the configured proposal */
	size_t n;
	unsigned int left_out;
};

/*
 * IKEv2 IDs to IKEv1 values. phase 0: both phases. varkey: the cipher
 * takes a Key Length attribute. legacy: refused without weak_algorithms
 * (RFC 9395 retires IKEv1 with DES, 3DES and MD5 among its leftovers;
 * groups 1, 2 and 5 are below 2048 bits).
 */
struct map {
	uint8_t phase, param;
	uint16_t v2, v1;
	bool varkey, legacy;
};

static const struct map maps[] = {
	/* RFC 2409 appendix A, Encryption Algorithm; RFC 3602 for AES */
	{ 1, IKE1_PARAM_ENCR, IKE_ENCR_DES, IKE1_ENCR_DES_CBC, false, true },
	{ 1, IKE1_PARAM_ENCR, IKE_ENCR_3DES, IKE1_ENCR_3DES_CBC, false, true },
	{ 1, IKE1_PARAM_ENCR, IKE_ENCR_AES_CBC, IKE1_ENCR_AES_CBC, true, false },
	/* Hash Algorithm, SHA2 from RFC 4868; IKEv1's PRF is its HMAC */
	{ 1, IKE1_PARAM_INTEG, IKE_PRF_HMAC_MD5, IKE1_HASH_MD5, false, true },
	{ 1, IKE1_PARAM_INTEG, IKE_PRF_HMAC_SHA1, IKE1_HASH_SHA1, false, false },
	{ 1, IKE1_PARAM_INTEG, IKE_PRF_HMAC_SHA2_256, IKE1_HASH_SHA2_256,
	  false, false },
	{ 1, IKE1_PARAM_INTEG, IKE_PRF_HMAC_SHA2_384, IKE1_HASH_SHA2_384,
	  false, false },
	{ 1, IKE1_PARAM_INTEG, IKE_PRF_HMAC_SHA2_512, IKE1_HASH_SHA2_512,
	  false, false },
	/* ESP transform IDs (RFC 2407 4.4.4): IKEv2's but for GMAC */
	{ 2, IKE1_PARAM_ENCR, IKE_ENCR_DES, IKE1_ESP_DES, false, true },
	{ 2, IKE1_PARAM_ENCR, IKE_ENCR_3DES, IKE1_ESP_3DES, false, true },
	{ 2, IKE1_PARAM_ENCR, IKE_ENCR_NULL, IKE1_ESP_NULL, false, false },
	{ 2, IKE1_PARAM_ENCR, IKE_ENCR_AES_CBC, IKE1_ESP_AES_CBC, true, false },
	{ 2, IKE1_PARAM_ENCR, IKE_ENCR_AES_CTR, IKE1_ESP_AES_CTR, true, false },
	{ 2, IKE1_PARAM_ENCR, IKE_ENCR_AES_CCM_8, IKE1_ESP_AES_CCM_8,
	  true, false },
	{ 2, IKE1_PARAM_ENCR, IKE_ENCR_AES_CCM_12, IKE1_ESP_AES_CCM_12,
	  true, false },
	{ 2, IKE1_PARAM_ENCR, IKE_ENCR_AES_CCM_16, IKE1_ESP_AES_CCM_16,
	  true, false },
	{ 2, IKE1_PARAM_ENCR, IKE_ENCR_AES_GCM_8, IKE1_ESP_AES_GCM_8,
	  true, false },
	{ 2, IKE1_PARAM_ENCR, IKE_ENCR_AES_GCM_12, IKE1_ESP_AES_GCM_12,
	  true, false },
	{ 2, IKE1_PARAM_ENCR, IKE_ENCR_AES_GCM_16, IKE1_ESP_AES_GCM_16,
	  true, false },
	{ 2, IKE1_PARAM_ENCR, IKE_ENCR_NULL_AES_GMAC,
	  IKE1_ESP_NULL_AUTH_AES_GMAC, true, false },
	/* Authentication Algorithm (RFC 2407 4.5, RFC 4868); 0 is none */
	{ 2, IKE1_PARAM_INTEG, IKE_INTEG_NONE, 0, false, false },
	{ 2, IKE1_PARAM_INTEG, IKE_INTEG_HMAC_MD5_96, IKE1_AUTH_HMAC_MD5,
	  false, true },
	{ 2, IKE1_PARAM_INTEG, IKE_INTEG_HMAC_SHA1_96, IKE1_AUTH_HMAC_SHA1,
	  false, false },
	{ 2, IKE1_PARAM_INTEG, IKE_INTEG_HMAC_SHA2_256_128,
	  IKE1_AUTH_HMAC_SHA2_256, false, false },
	{ 2, IKE1_PARAM_INTEG, IKE_INTEG_HMAC_SHA2_384_192,
	  IKE1_AUTH_HMAC_SHA2_384, false, false },
	{ 2, IKE1_PARAM_INTEG, IKE_INTEG_HMAC_SHA2_512_256,
	  IKE1_AUTH_HMAC_SHA2_512, false, false },
	{ 2, IKE1_PARAM_INTEG, IKE_INTEG_AES_XCBC_96, IKE1_AUTH_AES_XCBC_MAC,
	  false, false },
	/* Group Description: one registry for IKEv1 and IKEv2 */
	{ 2, IKE1_PARAM_GROUP, IKE_KE_NONE, 0, false, false },
	{ 0, IKE1_PARAM_GROUP, IKE_KE_MODP768, 1, false, true },
	{ 0, IKE1_PARAM_GROUP, IKE_KE_MODP1024, 2, false, true },
	{ 0, IKE1_PARAM_GROUP, IKE_KE_MODP1536, 5, false, true },
	{ 0, IKE1_PARAM_GROUP, IKE_KE_MODP2048, 14, false, false },
	{ 0, IKE1_PARAM_GROUP, IKE_KE_MODP3072, 15, false, false },
	{ 0, IKE1_PARAM_GROUP, IKE_KE_MODP4096, 16, false, false },
	{ 0, IKE1_PARAM_GROUP, IKE_KE_MODP6144, 17, false, false },
	{ 0, IKE1_PARAM_GROUP, IKE_KE_MODP8192, 18, false, false },
	{ 0, IKE1_PARAM_GROUP, IKE_KE_ECP256, 19, false, false },
	{ 0, IKE1_PARAM_GROUP, IKE_KE_ECP384, 20, false, false },
	{ 0, IKE1_PARAM_GROUP, IKE_KE_ECP521, 21, false, false },
	/* RFC 4304: the ESN attribute's only value is 1 */
	{ 2, IKE1_PARAM_ESN, IKE_ESN_NO, 0, false, false },
	{ 2, IKE1_PARAM_ESN, IKE_ESN_YES, 1, false, false },
};

static const struct map *map_v2(uint8_t phase, uint8_t param, uint16_t v2)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(maps); i++)
		if ((!maps[i].phase || maps[i].phase == phase) &&
		    maps[i].param == param && maps[i].v2 == v2)
			return &maps[i];
	return NULL;
}

static const struct map *map_v1(uint8_t phase, uint8_t param, uint16_t v1)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(maps); i++)
		if ((!maps[i].phase || maps[i].phase == phase) &&
		    maps[i].param == param && maps[i].v1 == v1)
			return &maps[i];
	return NULL;
}

/* The parameters each phase negotiates. */
static bool in_phase(uint8_t phase, unsigned int param)
{
	switch (param) {
	case IKE1_PARAM_AUTH:
		return phase == 1;
	case IKE1_PARAM_MODE:
	case IKE1_PARAM_ESN:
		return phase == 2;
	default:
		return param < IKE1_PARAM_LIFE;
	}
}

/* Which IKEv2 transform type of a configured proposal feeds a parameter. */
static uint8_t v2_type(uint8_t phase, unsigned int param)
{
	switch (param) {
	case IKE1_PARAM_ENCR:
		return IKE_TR_ENCR;
	case IKE1_PARAM_INTEG:
		return phase == 1 ? IKE_TR_PRF : IKE_TR_INTEG;
	case IKE1_PARAM_GROUP:
		return IKE_TR_KE;
	case IKE1_PARAM_ESN:
		return IKE_TR_ESN;
	default:
		return 0;
	}
}

static uint64_t pick_life(const struct ike_lifetime *l)
{
	return l->life ? l->life : l->rekey;
}

struct ike1_cfg ike1_p1_cfg(const struct ike_conn *conn, uint16_t auth)
{
	uint64_t secs = conn->reauth_time ? conn->reauth_time : conn->rekey_time;

	return (struct ike1_cfg){
		.phase = 1, .conn = conn, .auth = auth,
		.life.secs = secs ? secs + conn->over_time : 0,
	};
}

struct ike1_cfg ike1_p2_cfg(const struct ike_conn *conn,
			    const struct ike_child *child, bool udp)
{
	return (struct ike1_cfg){
		.phase = 2, .conn = conn, .child = child, .udp = udp,
		.life.secs = pick_life(&child->time),
		.life.kbytes = pick_life(&child->bytes) / 1000,
	};
}

/* RFC 2407 4.5 and RFC 3947 5.1: the mode and the UDP variant in one. */
static uint16_t encap_mode(const struct ike1_cfg *cfg)
{
	bool transport = cfg->child->mode == IKE_CONF_MODE_TRANSPORT;

	if (cfg->udp)
		return transport ? IKE1_ENCAP_UDP_TRANSPORT :
				   IKE1_ENCAP_UDP_TUNNEL;
	return transport ? IKE1_ENCAP_TRANSPORT : IKE1_ENCAP_TUNNEL;
}

/* ---- our combinations ---- */

/* The IKEv1 values one parameter takes in a configured proposal. */
#define VALS_MAX	IKE1_MAX_TRANSFORMS

struct vals {
	uint16_t v[VALS_MAX], keylen[VALS_MAX];
	uint8_t n;
};

static void vals_add(struct vals *s, uint16_t v, uint16_t keylen)
{
	uint8_t i;

	for (i = 0; i < s->n; i++)
		if (s->v[i] == v && s->keylen[i] == keylen)
			return;
	if (s->n < VALS_MAX) {
		s->v[s->n] = v;
		s->keylen[s->n++] = keylen;
	}
}

/*
 * A Quick Mode proposal without the type means none of it: no
 * integrity beside an AEAD, no PFS, no ESN. Phase 1 always has all.
 */
static void collect(const struct ike1_cfg *cfg, const struct ike_proposal *p,
		    unsigned int param, struct vals *out)
{
	uint8_t type = v2_type(cfg->phase, param);
	bool seen = false;
	uint8_t i;

	out->n = 0;
	for (i = 0; i < p->n_tr; i++) {
		const struct map *m;

		if (p->tr[i].type != type)
			continue;
		seen = true;
		m = map_v2(cfg->phase, param, p->tr[i].id);
		if (!m || (m->legacy && !cfg->conn->weak_algorithms))
			continue;
		vals_add(out, m->v1, m->varkey ? p->tr[i].keylen : 0);
	}
	if (!seen && cfg->phase == 2)
		vals_add(out, 0, 0);
}

static void combo_add(struct combos *c, const struct xf *x, uint8_t prop)
{
	if (c->n == MAX_COMBOS) {
		c->left_out++;
		return;
	}
	c->prop[c->n] = prop;
	c->v[c->n++] = *x;
}

/* Every encryption x integrity x group x ESN of one proposal. */
static void expand_one(const struct ike1_cfg *cfg, const struct ike_proposal *p,
		       uint8_t prop, struct combos *c)
{
	struct vals e, i, g, s = { .n = 1 };
	struct xf x = { .life = cfg->life };
	uint8_t a, b, d, f;

	collect(cfg, p, IKE1_PARAM_ENCR, &e);
	collect(cfg, p, IKE1_PARAM_INTEG, &i);
	collect(cfg, p, IKE1_PARAM_GROUP, &g);
	if (cfg->phase == 2)
		collect(cfg, p, IKE1_PARAM_ESN, &s);
	x.v[IKE1_PARAM_AUTH] = cfg->phase == 1 ? cfg->auth : 0;
	x.v[IKE1_PARAM_MODE] = cfg->phase == 2 ? encap_mode(cfg) : 0;
	for (a = 0; a < e.n; a++)
		for (b = 0; b < i.n; b++)
			for (d = 0; d < g.n; d++)
				for (f = 0; f < s.n; f++) {
					x.v[IKE1_PARAM_ENCR] = e.v[a];
					x.keylen = e.keylen[a];
					x.v[IKE1_PARAM_INTEG] = i.v[b];
					x.v[IKE1_PARAM_GROUP] = g.v[d];
					x.v[IKE1_PARAM_ESN] = s.v[f];
					combo_add(c, &x, prop);
				}
}

static const struct ike_proposal_list *cfg_list(const struct ike1_cfg *cfg)
{
	return cfg->phase == 1 ? &cfg->conn->proposals : &cfg->child->esp;
}

static void expand(const struct ike1_cfg *cfg, struct combos *c)
{
	const struct ike_proposal_list *l = cfg_list(cfg);
	size_t i;

	c->n = 0;
	c->left_out = 0;
	for (i = 0; i < l->n && i <= UINT8_MAX; i++)
		expand_one(cfg, &l->v[i], (uint8_t)i, c);
}

/* ---- building an offer ---- */

static void add_attr(struct ike1_transform *t, uint16_t type, uint64_t v,
		     uint8_t store[4])
{
	if (t->n_attr < IKE1_MAX_ATTRS)
		ike1_attr_number(&t->attr[t->n_attr++], type,
				 v > UINT32_MAX ? UINT32_MAX : (uint32_t)v,
				 store);
}

/* Life Type before its Duration (RFC 2407 4.5), each kind we have. */
static void add_life(struct ike1_transform *t, uint8_t phase,
		     const struct ike1_life *l, uint8_t store[2][4])
{
	uint16_t type = phase == 1 ? IKE1_P1_LIFE_TYPE : IKE1_P2_LIFE_TYPE;
	uint16_t dur = phase == 1 ? IKE1_P1_LIFE_DURATION :
				    IKE1_P2_LIFE_DURATION;

	if (l->secs) {
		add_attr(t, type, IKE1_LIFE_SECONDS, store[0]);
		add_attr(t, dur, l->secs, store[0]);
	}
	if (l->kbytes) {
		add_attr(t, type, IKE1_LIFE_KILOBYTES, store[1]);
		add_attr(t, dur, l->kbytes, store[1]);
	}
}

/* The attributes below 16 bits never touch store; the durations may. */
static void p1_attrs(const struct xf *x, struct ike1_transform *t,
		     uint8_t store[2][4])
{
	t->id = IKE1_KEY_IKE;
	add_attr(t, IKE1_P1_ENCR, x->v[IKE1_PARAM_ENCR], store[0]);
	if (x->keylen)
		add_attr(t, IKE1_P1_KEY_LENGTH, x->keylen, store[0]);
	add_attr(t, IKE1_P1_HASH, x->v[IKE1_PARAM_INTEG], store[0]);
	add_attr(t, IKE1_P1_AUTH_METHOD, x->v[IKE1_PARAM_AUTH], store[0]);
	add_attr(t, IKE1_P1_GROUP_DESC, x->v[IKE1_PARAM_GROUP], store[0]);
	add_life(t, 1, &x->life, store);
}

static void p2_attrs(const struct xf *x, struct ike1_transform *t,
		     uint8_t store[2][4])
{
	t->id = (uint8_t)x->v[IKE1_PARAM_ENCR];
	add_life(t, 2, &x->life, store);
	if (x->v[IKE1_PARAM_GROUP])
		add_attr(t, IKE1_P2_GROUP_DESC, x->v[IKE1_PARAM_GROUP],
			 store[0]);
	add_attr(t, IKE1_P2_ENCAP_MODE, x->v[IKE1_PARAM_MODE], store[0]);
	if (x->v[IKE1_PARAM_INTEG])
		add_attr(t, IKE1_P2_AUTH_ALG, x->v[IKE1_PARAM_INTEG], store[0]);
	if (x->keylen)
		add_attr(t, IKE1_P2_KEY_LENGTH, x->keylen, store[0]);
	if (x->v[IKE1_PARAM_ESN])
		add_attr(t, IKE1_P2_ESN, 1, store[0]);
}

/* A new proposal for combination i unless it continues the last one. */
static bool open_prop(const struct ike1_cfg *cfg, const struct combos *c,
		      size_t i, const uint8_t *spi, struct ike1_pl_sa *sa)
{
	struct ike1_proposal *p;

	if (sa->n_prop && (cfg->phase == 1 || c->prop[i] == c->prop[i - 1]))
		return true;
	if (sa->n_prop == IKE1_MAX_PROPOSALS)
		return false;
	p = &sa->prop[sa->n_prop++];
	memset(p, 0, sizeof(*p));
	p->num = sa->n_prop;
	p->first_tr = sa->n_tr;
	if (cfg->phase == 1) {
		p->proto = IKE1_PROTO_ISAKMP;
	} else {
		p->proto = IKE1_PROTO_ESP;
		p->spi_len = 4;
		memcpy(p->spi, spi, 4);
	}
	return true;
}

int ike1_prop_offer(const struct ike1_cfg *cfg, const uint8_t *spi,
		    struct ike1_sa_out *out)
{
	struct combos c;
	size_t i;

	memset(out, 0, sizeof(*out));
	out->sa.doi = IKE1_DOI_IPSEC;
	out->sa.situation = IKE1_SIT_IDENTITY_ONLY;
	expand(cfg, &c);
	out->left_out = c.left_out;
	for (i = 0; i < c.n; i++) {
		struct ike1_transform *t;

		if (out->sa.n_tr == IKE1_MAX_TRANSFORMS ||
		    !open_prop(cfg, &c, i, spi, &out->sa)) {
			out->left_out += c.n - i;
			break;
		}
		t = &out->sa.tr[out->sa.n_tr++];
		memset(t, 0, sizeof(*t));
		out->sa.prop[out->sa.n_prop - 1].n_tr++;
		t->num = out->sa.prop[out->sa.n_prop - 1].n_tr;
		if (cfg->phase == 1)
			p1_attrs(&c.v[i], t, out->store);
		else
			p2_attrs(&c.v[i], t, out->store);
	}
	return out->sa.n_tr ? 0 : -1;
}

/* ---- reading the peer's ---- */

static uint16_t attr_u16(const struct ike1_attr *a)
{
	uint64_t v;

	if (ike1_attr_value(a, &v) || v > UINT16_MAX)
		return UINT16_MAX;	/* matches nothing we know */
	return (uint16_t)v;
}

/* A Duration follows its Type; one too long to read lasts forever. */
static void read_life(const struct ike1_attr *a, uint16_t kind,
		      struct ike1_life *l)
{
	uint64_t v;

	if (ike1_attr_value(a, &v))
		v = UINT64_MAX;
	if (kind == IKE1_LIFE_SECONDS)
		l->secs = v;
	else if (kind == IKE1_LIFE_KILOBYTES)
		l->kbytes = v;
}

/* The parameter a Phase 1 attribute sets, IKE1_PARAM_COUNT for none. */
static unsigned int p1_param(uint16_t type)
{
	switch (type) {
	case IKE1_P1_ENCR:
		return IKE1_PARAM_ENCR;
	case IKE1_P1_HASH:
		return IKE1_PARAM_INTEG;
	case IKE1_P1_GROUP_DESC:
		return IKE1_PARAM_GROUP;
	case IKE1_P1_AUTH_METHOD:
		return IKE1_PARAM_AUTH;
	default:
		return IKE1_PARAM_COUNT;
	}
}

static unsigned int p2_param(uint16_t type)
{
	switch (type) {
	case IKE1_P2_AUTH_ALG:
		return IKE1_PARAM_INTEG;
	case IKE1_P2_GROUP_DESC:
		return IKE1_PARAM_GROUP;
	case IKE1_P2_ENCAP_MODE:
		return IKE1_PARAM_MODE;
	case IKE1_P2_ESN:
		return IKE1_PARAM_ESN;
	default:
		return IKE1_PARAM_COUNT;
	}
}

/*
 * The peer's transform t in our shape. Attributes we do not negotiate
 * (ECN Tunnel, Key Rounds) are passed over, as strongSwan does.
 */
static void read_xf(uint8_t phase, const struct ike1_transform *t,
		    struct xf *x)
{
	uint16_t life_type = phase == 1 ? IKE1_P1_LIFE_TYPE : IKE1_P2_LIFE_TYPE;
	uint16_t life_dur = phase == 1 ? IKE1_P1_LIFE_DURATION :
					 IKE1_P2_LIFE_DURATION;
	uint16_t keylen_type = phase == 1 ? IKE1_P1_KEY_LENGTH :
					    IKE1_P2_KEY_LENGTH;
	uint16_t kind = 0;
	const struct map *m;
	uint8_t i;

	memset(x, 0, sizeof(*x));
	if (phase == 2) {
		x->v[IKE1_PARAM_ENCR] = t->id;
		/* RFC 2407 leaves it to the host; strongSwan and others
		 * take tunnel */
		x->v[IKE1_PARAM_MODE] = IKE1_ENCAP_TUNNEL;
	}
	for (i = 0; i < t->n_attr; i++) {
		const struct ike1_attr *a = &t->attr[i];
		unsigned int p = phase == 1 ? p1_param(a->type) :
					      p2_param(a->type);

		if (p < IKE1_PARAM_COUNT)
			x->v[p] = attr_u16(a);
		else if (a->type == keylen_type)
			x->keylen = attr_u16(a);
		else if (a->type == life_type)
			kind = attr_u16(a);
		else if (a->type == life_dur)
			read_life(a, kind, &x->life);
	}
	if (phase == 2 && !x->life.secs)
		x->life.secs = IKE1_P2_DEFAULT_SECS;	/* RFC 2407 4.5 */
	m = map_v1(phase, IKE1_PARAM_ENCR, x->v[IKE1_PARAM_ENCR]);
	if (m && !m->varkey)
		x->keylen = 0;
	/* early RFC 3602 drafts let AES-128 go without a Key Length, and
	 * some peers still do (strongSwan takes it too) */
	if (m && m->v2 == IKE_ENCR_AES_CBC && !x->keylen)
		x->keylen = 128;
}

/* A Phase 2 proposal we can take: ESP, alone under its number. */
static bool usable_prop(uint8_t phase, const struct ike1_pl_sa *sa, uint8_t i)
{
	const struct ike1_proposal *p = &sa->prop[i];
	uint8_t j;

	if (phase == 1)
		return p->proto == IKE1_PROTO_ISAKMP;
	if (p->proto != IKE1_PROTO_ESP || p->spi_len != 4)
		return false;
	for (j = 0; j < sa->n_prop; j++)
		if (j != i && sa->prop[j].num == p->num)
			return false;
	return true;
}

static bool usable_tr(uint8_t phase, const struct ike1_transform *t)
{
	return phase == 2 || t->id == IKE1_KEY_IKE;
}

/* ---- matching ---- */

/* The parameters of the phase that differ between a and b, as bits. */
static uint32_t differ(uint8_t phase, const struct xf *a, const struct xf *b)
{
	uint32_t bits = 0;
	unsigned int p;

	for (p = 0; p < IKE1_PARAM_LIFE; p++)
		if (in_phase(phase, p) && a->v[p] != b->v[p])
			bits |= UINT32_C(1) << p;
	if (a->keylen != b->keylen)
		bits |= UINT32_C(1) << IKE1_PARAM_ENCR;
	return bits;
}

/* 0 is no limit: it is longer than any number. */
static bool longer(uint64_t a, uint64_t b)
{
	return b && (!a || a > b);
}

static uint64_t shorter(uint64_t a, uint64_t b)
{
	return longer(a, b) ? b : a;
}

static void to_alg(uint8_t phase, const struct xf *x, struct ike1_alg *a)
{
	const struct map *m;

	memset(a, 0, sizeof(*a));
	a->v1_encr = x->v[IKE1_PARAM_ENCR];
	a->v1_integ = x->v[IKE1_PARAM_INTEG];
	a->keylen = x->keylen;
	a->auth = x->v[IKE1_PARAM_AUTH];
	a->encap = x->v[IKE1_PARAM_MODE];
	a->esn = x->v[IKE1_PARAM_ESN];
	m = map_v1(phase, IKE1_PARAM_ENCR, a->v1_encr);
	a->encr = m ? m->v2 : 0;
	m = map_v1(phase, IKE1_PARAM_INTEG, a->v1_integ);
	a->integ = m ? m->v2 : 0;
	m = map_v1(phase, IKE1_PARAM_GROUP, x->v[IKE1_PARAM_GROUP]);
	a->group = m ? m->v2 : 0;
}

/*
 * Whether one of our combinations matches x; *fail narrows to the
 * parameters that differed with each of them.
 */
static bool match(uint8_t phase, const struct combos *c, const struct xf *x,
		  uint32_t *fail)
{
	size_t i;

	for (i = 0; i < c->n; i++) {
		uint32_t d = differ(phase, &c->v[i], x);

		if (!d)
			return true;
		*fail &= d;
	}
	return false;
}

/*
 * The first transform of sa that one of ours matches, its lifetime
 * unchecked; why->params gathers what differed with every pair.
 */
static int find(const struct ike1_cfg *cfg, const struct ike1_pl_sa *sa,
		struct ike1_choice *out, struct ike1_mismatch *why,
		struct xf *got)
{
	uint32_t everywhere = UINT32_MAX;
	struct combos c;
	bool tried = false;
	uint8_t i, j;

	expand(cfg, &c);
	for (i = 0; i < sa->n_prop; i++) {
		const struct ike1_proposal *p = &sa->prop[i];

		if (!usable_prop(cfg->phase, sa, i))
			continue;
		for (j = p->first_tr; j < p->first_tr + p->n_tr; j++) {
			if (!usable_tr(cfg->phase, &sa->tr[j]))
				continue;
			read_xf(cfg->phase, &sa->tr[j], got);
			tried = true;
			if (match(cfg->phase, &c, got, &everywhere)) {
				out->prop = i;
				out->tr = j;
				to_alg(cfg->phase, got, &out->alg);
				return 0;
			}
		}
	}
	why->no_proposal = !tried;
	if (tried) {
		why->params = c.n ? everywhere : 0;
		why->combination = c.n && !why->params;
	}
	return -1;
}

int ike1_prop_choose(const struct ike1_cfg *cfg,
		     const struct ike1_pl_sa *theirs,
		     struct ike1_choice *out, struct ike1_mismatch *why)
{
	struct xf x;

	memset(out, 0, sizeof(*out));
	memset(why, 0, sizeof(*why));
	if (find(cfg, theirs, out, why, &x))
		return -1;
	out->life.secs = shorter(x.life.secs, cfg->life.secs);
	out->life.kbytes = shorter(x.life.kbytes, cfg->life.kbytes);
	out->responder_lifetime = out->life.secs != x.life.secs ||
				  out->life.kbytes != x.life.kbytes;
	return 0;
}

int ike1_prop_check_reply(const struct ike1_cfg *cfg,
			  const struct ike1_pl_sa *reply,
			  struct ike1_choice *out, struct ike1_mismatch *why)
{
	struct xf x;

	memset(out, 0, sizeof(*out));
	memset(why, 0, sizeof(*why));
	if (reply->n_prop != 1 || reply->prop[0].n_tr != 1) {
		why->n_transforms = reply->n_tr;
		return -1;
	}
	if (find(cfg, reply, out, why, &x))
		return -1;
	if (longer(x.life.secs, cfg->life.secs) ||
	    longer(x.life.kbytes, cfg->life.kbytes)) {
		why->params = UINT32_C(1) << IKE1_PARAM_LIFE;
		why->life = x.life;
		return -1;
	}
	out->life = x.life;
	return 0;
}

void ike1_prop_reply(const struct ike1_pl_sa *theirs,
		     const struct ike1_choice *c, const uint8_t *spi,
		     struct ike1_pl_sa *out)
{
	memset(out, 0, sizeof(*out));
	out->doi = theirs->doi;
	out->situation = theirs->situation;
	out->n_prop = 1;
	out->n_tr = 1;
	out->prop[0] = theirs->prop[c->prop];
	out->prop[0].first_tr = 0;
	out->prop[0].n_tr = 1;
	if (spi)
		memcpy(out->prop[0].spi, spi, out->prop[0].spi_len);
	out->tr[0] = theirs->tr[c->tr];
}

/* ---- RESPONDER-LIFETIME ---- */

static size_t put_attr_bytes(uint8_t *p, uint16_t type, uint64_t v)
{
	size_t n = v > UINT32_MAX ? 8 : 4, i;

	if (v <= UINT16_MAX) {	/* TV: the AF bit and the value */
		p[0] = (uint8_t)(0x80 | type >> 8);
		p[1] = (uint8_t)type;
		p[2] = (uint8_t)(v >> 8);
		p[3] = (uint8_t)v;
		return 4;
	}
	p[0] = (uint8_t)(type >> 8);
	p[1] = (uint8_t)type;
	p[2] = 0;
	p[3] = (uint8_t)n;
	for (i = 0; i < n; i++)
		p[4 + i] = (uint8_t)(v >> (8 * (n - 1 - i)));
	return 4 + n;
}

size_t ike1_life_notify_build(uint8_t phase, const struct ike1_life *life,
			      uint8_t *buf, size_t size)
{
	uint16_t type = phase == 1 ? IKE1_P1_LIFE_TYPE : IKE1_P2_LIFE_TYPE;
	uint16_t dur = phase == 1 ? IKE1_P1_LIFE_DURATION :
				    IKE1_P2_LIFE_DURATION;
	size_t len = 0;

	/* at most two pairs of a 4-byte type and a 12-byte TLV */
	if (size < 32)
		return 0;
	if (life->secs) {
		len += put_attr_bytes(buf + len, type, IKE1_LIFE_SECONDS);
		len += put_attr_bytes(buf + len, dur, life->secs);
	}
	if (life->kbytes) {
		len += put_attr_bytes(buf + len, type, IKE1_LIFE_KILOBYTES);
		len += put_attr_bytes(buf + len, dur, life->kbytes);
	}
	return len;
}

/* One attribute at p: its type and value; the bytes it took, 0 if bad. */
static size_t get_attr_bytes(const uint8_t *p, size_t left, uint16_t *type,
			     uint64_t *v)
{
	size_t n, i;

	if (left < 4)
		return 0;
	*type = (uint16_t)((p[0] & 0x7f) << 8 | p[1]);
	if (p[0] & 0x80) {
		*v = (uint64_t)p[2] << 8 | p[3];
		return 4;
	}
	n = (size_t)p[2] << 8 | p[3];
	if (!n || n > 8 || left - 4 < n)
		return 0;
	for (*v = 0, i = 0; i < n; i++)
		*v = *v << 8 | p[4 + i];
	return 4 + n;
}

int ike1_life_notify_apply(uint8_t phase, const uint8_t *data, size_t len,
			   struct ike1_life *life)
{
	uint16_t life_type = phase == 1 ? IKE1_P1_LIFE_TYPE : IKE1_P2_LIFE_TYPE;
	uint16_t life_dur = phase == 1 ? IKE1_P1_LIFE_DURATION :
					 IKE1_P2_LIFE_DURATION;
	uint64_t kind = 0, v;
	size_t off = 0;

	while (off < len) {
		uint16_t type;
		size_t n = get_attr_bytes(data + off, len - off, &type, &v);

		if (!n)
			return -1;
		off += n;
		if (type == life_type)
			kind = v;
		else if (type == life_dur && kind == IKE1_LIFE_SECONDS)
			life->secs = shorter(life->secs, v);
		else if (type == life_dur && kind == IKE1_LIFE_KILOBYTES)
			life->kbytes = shorter(life->kbytes, v);
	}
	return 0;
}

/* ---- diagnostics ---- */

static __attribute__((format(printf, 3, 4)))
void add(char *buf, size_t size, const char *fmt, ...)
{
	size_t len = strnlen(buf, size);
	va_list ap;

	if (len + 1 >= size)
		return;
	va_start(ap, fmt);
	vsnprintf(buf + len, size - len, fmt, ap);
	va_end(ap);
}

/*
 * IKEv2's name without its type's prefix, so that both versions' logs
 * say the same: ENCR_AES_CBC is AES_CBC, PRF_HMAC_SHA2_256 HMAC_SHA2_256.
 */
static const char *v2_name(uint8_t type, uint16_t id)
{
	const char *s = ike_transform_name(type, id), *u;

	if (!s || type == IKE_TR_KE)
		return s;
	u = strchr(s, '_');
	return u ? u + 1 : s;
}

static const char *mode_words(uint16_t v)
{
	switch (v) {
	case IKE1_ENCAP_TUNNEL:
		return "tunnel";
	case IKE1_ENCAP_TRANSPORT:
		return "transport";
	case IKE1_ENCAP_UDP_TUNNEL:
		return "UDP-encapsulated tunnel";
	case IKE1_ENCAP_UDP_TRANSPORT:
		return "UDP-encapsulated transport";
	default:
		return ike1_attr_value_name(IKE1_PROTO_ESP, IKE1_P2_ENCAP_MODE, v);
	}
}

/* The IKEv1 registry's name, for what IKEv2 has no number for. */
static const char *v1_name(uint8_t phase, unsigned int param, uint16_t v)
{
	static const uint16_t attr[2][IKE1_PARAM_LIFE] = {
		[0][IKE1_PARAM_ENCR] = IKE1_P1_ENCR,
		[0][IKE1_PARAM_INTEG] = IKE1_P1_HASH,
		[0][IKE1_PARAM_GROUP] = IKE1_P1_GROUP_DESC,
		[0][IKE1_PARAM_AUTH] = IKE1_P1_AUTH_METHOD,
		[1][IKE1_PARAM_INTEG] = IKE1_P2_AUTH_ALG,
		[1][IKE1_PARAM_GROUP] = IKE1_P2_GROUP_DESC,
	};

	if (phase == 2 && param == IKE1_PARAM_ENCR)
		return ike1_transform_name(IKE1_PROTO_ESP, v);
	if (!attr[phase - 1][param])
		return NULL;
	return ike1_attr_value_name(phase == 1 ? IKE1_PROTO_ISAKMP :
						 IKE1_PROTO_ESP,
				    attr[phase - 1][param], v);
}

static const char *value_name(uint8_t phase, unsigned int param, uint16_t v,
			      uint16_t keylen, char *buf, size_t size)
{
	const struct map *m = map_v1(phase, param, v);
	const char *s = NULL;

	if (param == IKE1_PARAM_MODE)
		s = mode_words(v);
	else if (param == IKE1_PARAM_ESN)
		s = v ? "ESN" : "no ESN";
	else if (!v && phase == 2)
		s = "none";	/* no integrity (AEAD), no PFS */
	else if (m && param != IKE1_PARAM_AUTH)
		s = v2_name(v2_type(phase, param), m->v2);
	if (!s)
		s = v1_name(phase, param, v);
	if (s)
		snprintf(buf, size, "%s", s);
	else
		snprintf(buf, size, "#%u", v);
	if (keylen)
		add(buf, size, "_%u", keylen);
	return buf;
}

static void ours_vals(const struct combos *c, unsigned int p,
		      struct vals *out)
{
	size_t i;

	out->n = 0;
	for (i = 0; i < c->n; i++)
		vals_add(out, c->v[i].v[p],
			 p == IKE1_PARAM_ENCR ? c->v[i].keylen : 0);
}

static void theirs_vals(uint8_t phase, const struct ike1_pl_sa *sa,
			unsigned int p, struct vals *out)
{
	uint8_t i, j;

	out->n = 0;
	for (i = 0; i < sa->n_prop; i++) {
		const struct ike1_proposal *pr = &sa->prop[i];

		if (!usable_prop(phase, sa, i))
			continue;
		for (j = pr->first_tr; j < pr->first_tr + pr->n_tr; j++) {
			struct xf x;

			if (!usable_tr(phase, &sa->tr[j]))
				continue;
			read_xf(phase, &sa->tr[j], &x);
			vals_add(out, x.v[p],
				 p == IKE1_PARAM_ENCR ? x.keylen : 0);
		}
	}
}

static void add_vals(char *buf, size_t size, uint8_t phase, unsigned int p,
		     const struct vals *s)
{
	char one[64];
	uint8_t i;

	for (i = 0; i < s->n; i++)
		add(buf, size, "%s%s", i ? ", " : "",
		    value_name(phase, p, s->v[i], s->keylen[i], one,
			       sizeof(one)));
	if (!s->n)
		add(buf, size, "nothing we can use");
}

static bool vals_has(const struct vals *s, uint16_t v)
{
	uint8_t i;

	for (i = 0; i < s->n; i++)
		if (s->v[i] == v)
			return true;
	return false;
}

/* The peer's legacy values refused for want of the opt-in, gathered. */
struct legacy {
	char names[256];
	unsigned int n;
};

static void note_legacy(struct legacy *l, const struct ike1_cfg *cfg,
			unsigned int p, const struct vals *theirs)
{
	char one[64];
	uint8_t i;

	if (cfg->conn->weak_algorithms)
		return;
	for (i = 0; i < theirs->n; i++) {
		const struct map *m = map_v1(cfg->phase, p, theirs->v[i]);

		if (!m || !m->legacy)
			continue;
		add(l->names, sizeof(l->names), "%s%s", l->n++ ? ", " : "",
		    value_name(cfg->phase, p, theirs->v[i], 0, one,
			       sizeof(one)));
	}
}

static const char *param_words(uint8_t phase, unsigned int p)
{
	static const char *const words[2][IKE1_PARAM_LIFE] = {
		{ "encryption algorithm", "hash algorithm", "DH group",
		  "authentication method", NULL, NULL },
		{ "encryption algorithm", "integrity algorithm", "PFS group",
		  NULL, "encapsulation mode", "extended sequence numbers" },
	};

	return words[phase - 1][p];
}

/*
 * A PFS group on one side only has its own sentence: "differs" would
 * hide that one side asks for no key exchange at all.
 */
static bool pfs_one_sided(char *buf, size_t size, const struct vals *ours,
			  const struct vals *theirs)
{
	bool we_none = ours->n == 1 && !ours->v[0];
	bool they_none = theirs->n == 1 && !theirs->v[0];

	if (we_none && theirs->n && !vals_has(theirs, 0)) {
		add(buf, size, "PFS on one side only: the peer wants PFS with ");
		add_vals(buf, size, 2, IKE1_PARAM_GROUP, theirs);
		add(buf, size, ", we want none (esp_proposals names no DH group)");
		return true;
	}
	if (they_none && ours->n && !vals_has(ours, 0)) {
		add(buf, size, "PFS on one side only: we want PFS with ");
		add_vals(buf, size, 2, IKE1_PARAM_GROUP, ours);
		add(buf, size, ", the peer offered none");
		return true;
	}
	return false;
}

static void add_param(char *buf, size_t size, const struct ike1_cfg *cfg,
		      const struct combos *c, const struct ike1_pl_sa *theirs,
		      unsigned int p, struct legacy *l)
{
	struct vals o, t;

	ours_vals(c, p, &o);
	theirs_vals(cfg->phase, theirs, p, &t);
	if (cfg->phase == 2 && p == IKE1_PARAM_GROUP &&
	    pfs_one_sided(buf, size, &o, &t))
		return;
	add(buf, size, "%s differ%s (we accept ", param_words(cfg->phase, p),
	    p == IKE1_PARAM_ESN ? "" : "s");
	add_vals(buf, size, cfg->phase, p, &o);
	add(buf, size, "; peer offered ");
	add_vals(buf, size, cfg->phase, p, &t);
	add(buf, size, ")");
	note_legacy(l, cfg, p, &t);
}

static void add_life_kind(char *buf, size_t size, uint64_t theirs,
			  uint64_t ours, const char *unit)
{
	if (!longer(theirs, ours))
		return;
	if (theirs)
		add(buf, size, "lifetime differs: the responder chose %llu %s, longer than the %llu we offered",
		    (unsigned long long)theirs, unit, (unsigned long long)ours);
	else
		add(buf, size, "lifetime differs: the responder chose no limit in %s, where we offered %llu",
		    unit, (unsigned long long)ours);
}

const char *ike1_mismatch_format(const struct ike1_cfg *cfg,
				 const struct ike1_pl_sa *theirs,
				 const struct ike1_mismatch *why,
				 char *buf, size_t size)
{
	struct legacy l = { .n = 0 };
	struct combos c;
	unsigned int p;

	buf[0] = '\0';
	expand(cfg, &c);
	if (why->n_transforms)
		add(buf, size, "the responder returned %u transforms, where it must choose exactly one",
		    why->n_transforms);
	if (why->no_proposal)
		add(buf, size, cfg->phase == 1 ?
			"the peer offered no ISAKMP transform" :
			"the peer offered no ESP proposal we can take (AH, IPComp and bundles are not supported)");
	for (p = 0; p < IKE1_PARAM_LIFE; p++) {
		if (!(why->params & UINT32_C(1) << p))
			continue;
		add(buf, size, "%s", *buf ? "; " : "");
		add_param(buf, size, cfg, &c, theirs, p, &l);
	}
	if (why->params & UINT32_C(1) << IKE1_PARAM_LIFE) {
		add_life_kind(buf, size, why->life.secs, cfg->life.secs,
			      "seconds");
		if (longer(why->life.secs, cfg->life.secs) &&
		    longer(why->life.kbytes, cfg->life.kbytes))
			add(buf, size, "; ");
		add_life_kind(buf, size, why->life.kbytes, cfg->life.kbytes,
			      "kilobytes");
	}
	if (l.n)
		add(buf, size, "; the peer's %s %s legacy (RFC 9395), refused unless the connection sets weak_algorithms = yes",
		    l.names, l.n > 1 ? "are" : "is");
	if (why->combination)
		add(buf, size, "%seach parameter has a value in common, but no combination of ours matches one of the peer's transforms as a whole",
		    *buf ? "; " : "");
	if (!*buf)
		add(buf, size, "nothing to choose from: %s",
		    c.n ? "the peer offered no transform" :
			  "our configuration has nothing IKEv1 can carry");
	return buf;
}
