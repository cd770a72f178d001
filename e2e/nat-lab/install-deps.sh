#!/usr/bin/env bash
# Install the tools the NAT lab needs (Debian/Ubuntu, run as root): ip (iproute2),
# iptables, conntrack. Only what is missing is installed; safe to run repeatedly.
set -euo pipefail

if [ "$(id -u)" -ne 0 ]; then
  echo "install-deps.sh: must run as root (apt-get install)" >&2
  exit 1
fi

declare -A PKG_FOR=( [ip]=iproute2 [iptables]=iptables [conntrack]=conntrack )
missing=()
for cmd in ip iptables conntrack; do
  command -v "$cmd" >/dev/null 2>&1 || missing+=("${PKG_FOR[$cmd]}")
done

if [ "${#missing[@]}" -eq 0 ]; then
  echo "nat-lab deps present: $(command -v ip) $(command -v iptables) $(command -v conntrack)"
  exit 0
fi

echo "nat-lab: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
for cmd in ip iptables conntrack; do
  command -v "$cmd" >/dev/null 2>&1 || { echo "nat-lab: $cmd still missing after install" >&2; exit 1; }
done
echo "nat-lab deps installed: ${missing[*]}"
