#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The configuration walk: every combination the control plane accepts must
# carry traffic. selftests/walk/walk.py discovers the space instead of
# listing it: proto, mode and sa-flags from the YAML spec; crypt and auth
# transform IDs (0-63) and key lengths (0-64 bytes) by probing sa-new, and
# which flags (legacy-algs) an algorithm needs; the algorithm shapes each
# proto takes. Then it installs every cell -- proto x mode x families
# (tunnel 4in4, 6in6, 4in6, 6in4; transport v4, v6) x UDP encapsulation
# off/on x each subset of the other flags (esn) x policy-based (SPD,
# if_id 0) / route-based (kipsec link, if_id) x every accepted algorithm
# combination with each key length (if that exceeds WALK_MAX_CELLS, 6000,
# or with WALK_COVER=1, the crypt x auth pairs rotate over the contexts:
# every algorithm still in every context, every pair in some) -- in two
# namespaces over a veth, each with its own SPIs, reqid and UDP port, and
# sends one datagram per cell A->B, echoed B->A. A cell the kernel refuses
# (AH templates today) is reported as refused and not walked; an accepted
# cell whose datagram does not come through, or comes through without its
# SAs counting it, fails its context's test, with the SA and namespace
# counters that explain (or do not explain) the loss. A new algorithm in
# net/kipsec/alg.c, a new flag, mode or proto in the spec, or AH templates
# once accepted, join the walk without an edit here.

. "$(dirname "$0")/lib.sh"

module_check
tool_check
[ -x "$PYTHON" ] || bail "$PYTHON missing"
"$PYTHON" -c 'import yaml' 2>/dev/null || bail "python3-yaml missing for $PYTHON"
[ -d "$KSRC/tools/net/ynl/lib" ] || bail "YNL library missing (KSRC=$KSRC)"

ns_new A || bail "ip netns add"
ns_new B || bail "ip netns add"

args=("$SPEC" "$KSRC/tools/net/ynl" "$(command -v "$KIPSEC")" "$A" "$B")
[ "${WALK_COVER:-0}" = 1 ] && args+=(--cover)

start=$SECONDS
saw_end=0
while IFS= read -r line; do
	case $line in
	"T ok "*) ok "${line#T ok }" ;;
	"T notok "*) not_ok "${line#T notok }" ;;
	"# walked "*) saw_end=1; echo "$line" ;;
	"#"*) echo "$line" ;;
	*) diag "walk.py: $line" ;;
	esac
done < <("$PYTHON" "$TOP/selftests/walk/walk.py" "${args[@]}" 2>&1)
diag "walk.py ran $((SECONDS - start)) s"
[ "$saw_end" = 1 ] || not_ok "walk.py ran to its end (see its output above)"
