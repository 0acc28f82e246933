// SPDX-License-Identifier: GPL-2.0
/*
 * The INFORMATIONAL exchange of the IKE SA itself (RFC 7296 1.4): the
 * peer's requests (Deletes, liveness checks) and our Delete of the IKE SA.
 * CHILD_SA Deletes we send are rekey.c's.
 */
#include "ikesa_int.h"

void ikesa_informational_request(struct ike_daemon *d, struct ikesa *sa,
					struct ike_msg *m)
{
	struct ike_buf inner = { 0 };
	size_t i;

	for (i = 0; i < m->n_delete; i++) {
		if (m->del[i].proto == IKE_PROTO_IKE) {
			ike_log("%s: the peer deleted the IKE SA",
				sa->conn_name);
			ikesa_send_encrypted(d, sa, IKE_INFORMATIONAL, true,
					     &inner);
			/*
			 * It won a rekey collision (RFC 7296 2.8.2) before
			 * our rekey was answered: the answer lets us delete
			 * our redundant IKE SA.
			 */
			ikesa_set_state(d, sa, sa->request.kind == IKESA_RQ_IKE &&
					       sa->rk_their_nonce_len ?
					       IKESA_DELETING : IKESA_DEAD);
			return;
		}
		ikesa_child_peer_delete(d, sa, &m->del[i], &inner);
	}
	/* an empty one is the peer's liveness check: answered alike */
	ikesa_send_encrypted(d, sa, IKE_INFORMATIONAL, true, &inner);
}

void ikesa_delete(struct ike_daemon *d, struct ikesa *sa)
{
	struct ike_buf inner = { 0 };
	struct ike_pl_delete del = { .proto = IKE_PROTO_IKE };

	if (sa->state != IKESA_ESTABLISHED || sa->req.buf) {
		ikesa_set_state(d, sa, IKESA_DEAD);
		return;
	}
	ike_put_delete(&inner, &del);
	ikesa_send_encrypted(d, sa, IKE_INFORMATIONAL, false, &inner);
	ikesa_child_remove(d, sa);
	ikesa_set_state(d, sa, IKESA_DELETING);
}
