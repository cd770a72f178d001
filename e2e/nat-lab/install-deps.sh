#!/usr/bin/env bash
# Install the tools the NAT lab needs (Debian/Ubuntu, run as root): ip and ss (iproute2),
# iptables (+ iptables-restore/-save), conntrack, sysctl (procps), flock (util-linux), python3 (the
# calls spec's packet capture, fixtures/udp-capture.py). The kernel
# must provide veth, bridge, nf_conntrack, nf_nat (MASQUERADE, SNAT, DNAT), REJECT and xt_recent
# (stock Debian kernels do). Only what is missing is installed; safe to run repeatedly.
set -euo pipefail

if [ "$(id -u)" -ne 0 ]; then
  echo "install-deps.sh: must run as root (apt-get install)" >&2
  exit 1
fi

declare -A PKG_FOR=( [ip]=iproute2 [ss]=iproute2 [iptables]=iptables [iptables-restore]=iptables [iptables-save]=iptables [conntrack]=conntrack [sysctl]=procps [flock]=util-linux [python3]=python3 )
CMDS=(ip ss iptables iptables-restore iptables-save conntrack sysctl flock python3)
missing=()
for cmd in "${CMDS[@]}"; do
  command -v "$cmd" >/dev/null 2>&1 || missing+=("${PKG_FOR[$cmd]}")
done
# one package may provide several commands
if [ "${#missing[@]}" -gt 0 ]; then mapfile -t missing < <(printf '%s\n' "${missing[@]}" | sort -u); fi

if [ "${#missing[@]}" -eq 0 ]; then
  echo "nat-lab deps present: ${CMDS[*]}"
  exit 0
fi

echo "nat-lab: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
for cmd in "${CMDS[@]}"; do
  command -v "$cmd" >/dev/null 2>&1 || { echo "nat-lab: $cmd still missing after install" >&2; exit 1; }
done
echo "nat-lab deps installed: ${missing[*]}"
