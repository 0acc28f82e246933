// SPDX-License-Identifier: GPL-2.0
/*
 * The IKE daemon's requests to the kipsec module, and its events. Requests
 * reuse the tool's encoders (struct sa, struct policy), so the daemon and
 * `kipsec sa add` send the same bytes; failures keep the kernel's extack
 * message, because "the kernel refused the SA" must never read like a
 * negotiation failure.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <linux/kipsec.h>

#include "kernel.h"

static int kernel_fail(struct ike_kernel *k, const char *op, int err)
{
	if (k->req.ext_msg[0])
		snprintf(k->err, sizeof(k->err), "%s: %s: %s", op,
			 strerror(err), k->req.ext_msg);
	else
		snprintf(k->err, sizeof(k->err), "%s: %s", op, strerror(err));
	return -1;
}

static int kernel_talk(struct ike_kernel *k, struct nlmsghdr *nlh,
		       const char *op, mnl_cb_t cb, void *data)
{
	int err = nl_talk(&k->req, nlh, cb, data);

	return err ? kernel_fail(k, op, err) : 0;
}

int ike_kernel_open(struct ike_kernel *k)
{
	int fd;

	memset(k, 0, sizeof(*k));
	if (genl_open(&k->req))
		return -1;
	if (genl_open(&k->events))
		goto err_req;
	if (!k->events.events_grp || nl_join_events(&k->events))
		goto err_events;
	fd = mnl_socket_get_fd(k->events.sock);
	if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) < 0)
		goto err_events;
	return 0;

err_events:
	nl_close(&k->events);
err_req:
	nl_close(&k->req);
	return -1;
}

void ike_kernel_close(struct ike_kernel *k)
{
	nl_close(&k->events);
	nl_close(&k->req);
}

int ike_kernel_events_fd(const struct ike_kernel *k)
{
	return mnl_socket_get_fd(k->events.sock);
}

struct event_ctx {
	uint16_t family;
	ike_kernel_event_cb cb;
	void *data;
	struct ike_kernel_event ev;
};

static int event_cb(const struct nlmsghdr *nlh, void *data)
{
	struct event_ctx *ctx = data;
	struct ike_kernel_event *ev = &ctx->ev;

	if (nlh->nlmsg_type != ctx->family)
		return MNL_CB_OK;
	memset(ev, 0, sizeof(*ev));
	switch (genl_cmd(nlh)) {
	case KIPSEC_CMD_SA_EXPIRE_NTF:
		ev->type = IKE_KEV_EXPIRE;
		sa_decode(nlh, &ev->sa);
		break;
	case KIPSEC_CMD_ACQUIRE_NTF:
		ev->type = IKE_KEV_ACQUIRE;
		policy_decode(nlh, &ev->policy);
		break;
	case KIPSEC_CMD_MAPPING_NTF:
		ev->type = IKE_KEV_MAPPING;
		sa_decode(nlh, &ev->sa);
		break;
	default:
		return MNL_CB_OK;	/* a newer kernel's event */
	}
	/* the callback may send requests: the event is a copy by now */
	ctx->cb(ev, ctx->data);
	return MNL_CB_OK;
}

int ike_kernel_read_events(struct ike_kernel *k, ike_kernel_event_cb cb,
			   void *data)
{
	struct event_ctx ctx = { 0 };

	ctx.family = k->events.family;
	ctx.cb = cb;
	ctx.data = data;
	while (!nl_read_events(&k->events, event_cb, &ctx))
		;
	if (errno == EAGAIN || errno == EINTR)
		return 0;
	snprintf(k->err, sizeof(k->err), "kipsec events: %s", strerror(errno));
	return -1;
}

static void put_sa_id(struct nlmsghdr *nlh, const struct addr *dst,
		      uint32_t spi)
{
	struct sa id = {
		.set = BIT(KIPSEC_A_SA_SPI) | BIT(KIPSEC_A_SA_PROTO),
		.spi = spi,
		.proto = KIPSEC_PROTO_ESP,
		.dst = *dst,
	};

	sa_put(nlh, &id);
}

static int sa_reply_cb(const struct nlmsghdr *nlh, void *data)
{
	sa_decode(nlh, data);
	return MNL_CB_OK;
}

int ike_kernel_alloc_spi(struct ike_kernel *k, const struct addr *src,
			 const struct addr *dst, uint32_t *spi)
{
	struct sa req = {
		.set = BIT(KIPSEC_A_SA_PROTO),
		.proto = KIPSEC_PROTO_ESP,
		.src = *src,
		.dst = *dst,
	};
	struct sa reply = { 0 };
	struct nlmsghdr *nlh;

	nlh = genl_msg(&k->req, KIPSEC_CMD_SA_ALLOC_SPI, 0);
	sa_put(nlh, &req);
	if (kernel_talk(k, nlh, "sa-alloc-spi", sa_reply_cb, &reply))
		return -1;
	if (!HAS(&reply, KIPSEC_A_SA_SPI))
		return kernel_fail(k, "sa-alloc-spi (no SPI in the reply)",
				   EPROTO);
	*spi = reply.spi;
	return 0;
}

int ike_kernel_sa_add(struct ike_kernel *k, const struct sa *sa)
{
	struct nlmsghdr *nlh = genl_msg(&k->req, KIPSEC_CMD_SA_NEW, 0);

	sa_put(nlh, sa);
	return kernel_talk(k, nlh, "sa-new", NULL, NULL);
}

int ike_kernel_sa_del(struct ike_kernel *k, const struct addr *dst,
		      uint32_t spi)
{
	struct nlmsghdr *nlh = genl_msg(&k->req, KIPSEC_CMD_SA_DEL, 0);

	put_sa_id(nlh, dst, spi);
	return kernel_talk(k, nlh, "sa-del", NULL, NULL);
}

int ike_kernel_sa_stats(struct ike_kernel *k, const struct addr *dst,
			uint32_t spi, struct counters *stats)
{
	struct sa reply = { 0 };
	struct nlmsghdr *nlh = genl_msg(&k->req, KIPSEC_CMD_SA_GET, 0);

	put_sa_id(nlh, dst, spi);
	if (kernel_talk(k, nlh, "sa-get", sa_reply_cb, &reply))
		return -1;
	*stats = reply.stats;
	return 0;
}

static int policy_reply_cb(const struct nlmsghdr *nlh, void *data)
{
	policy_decode(nlh, data);
	return MNL_CB_OK;
}

int ike_kernel_policy_add(struct ike_kernel *k, const struct policy *p,
			  uint32_t *id)
{
	struct policy reply = { 0 };
	struct nlmsghdr *nlh = genl_msg(&k->req, KIPSEC_CMD_POLICY_NEW, 0);

	policy_put(nlh, p);
	if (kernel_talk(k, nlh, "policy-new", policy_reply_cb, &reply))
		return -1;
	if (!HAS(&reply, KIPSEC_A_POLICY_ID))
		return kernel_fail(k, "policy-new (no id in the reply)",
				   EPROTO);
	*id = reply.id;
	return 0;
}

int ike_kernel_policy_del(struct ike_kernel *k, uint32_t id)
{
	struct policy p = { .set = BIT(KIPSEC_A_POLICY_ID), .id = id };
	struct nlmsghdr *nlh = genl_msg(&k->req, KIPSEC_CMD_POLICY_DEL, 0);

	policy_put(nlh, &p);
	return kernel_talk(k, nlh, "policy-del", NULL, NULL);
}

int ike_kernel_encap_set(struct ike_kernel *k, int fd)
{
	struct nlmsghdr *nlh = genl_msg(&k->req, KIPSEC_CMD_ENCAP_SET, 0);

	mnl_attr_put_u32(nlh, KIPSEC_A_ENCAP_FD, (uint32_t)fd);
	return kernel_talk(k, nlh, "encap-set", NULL, NULL);
}

int ike_kernel_link_if_id(struct ike_kernel *k, const char *name,
			  uint32_t *if_id)
{
	int err = link_if_id(name, if_id);

	if (err == EINVAL) {
		snprintf(k->err, sizeof(k->err), "%s is not a kipsec link",
			 name);
		return -1;
	}
	if (err) {
		snprintf(k->err, sizeof(k->err), "link %s: %s", name,
			 strerror(err));
		return -1;
	}
	return 0;
}
