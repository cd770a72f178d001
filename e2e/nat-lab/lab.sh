#!/usr/bin/env bash
# BitUnicom NAT lab: network namespaces joined by veth pairs, with a "public" bridge segment,
# two routers and four NAT gateways (2 endpoint-independent "cone", 2 symmetric) each hiding
# one client on a private /24. See README.md in this folder for the topology and the RFC 4787
# reasoning. Nothing is connected to the root namespace: every packet stays inside the lab.
#
#   lab.sh up       build the lab (idempotent: a healthy lab is left alone, a broken one rebuilt)
#   lab.sh down     remove every lab namespace (and with it all veths, bridges and iptables state)
#   lab.sh status   print the lab; exit 0 if fully up, 1 if absent, 2 if partial/broken
set -euo pipefail

PUB_NS=bu-pub              # holds the bridge of the public segment
PUB_BR=br0
PUB_NET=10.99.0            # public segment 10.99.0.0/24

# host:public-address  (routers sit directly on the public segment)
ROUTERS=("bu-r1:${PUB_NET}.11" "bu-r2:${PUB_NET}.12")
# nat-namespace:kind:public-address:lan-prefix:client-namespace
NATS=(
  "bu-nat-cone1:cone:${PUB_NET}.21:192.168.1:bu-c1"
  "bu-nat-cone2:cone:${PUB_NET}.22:192.168.2:bu-c2"
  "bu-nat-sym1:sym:${PUB_NET}.31:192.168.3:bu-s1"
  "bu-nat-sym2:sym:${PUB_NET}.32:192.168.4:bu-s2"
)
CLIENT_HOST=10             # client = <lan-prefix>.10, NAT LAN side = <lan-prefix>.1
LOCK_FILE=/run/bu-nat-lab.lock

all_namespaces() {
  local r n
  echo "$PUB_NS"
  for r in "${ROUTERS[@]}"; do echo "${r%%:*}"; done
  for n in "${NATS[@]}"; do
    IFS=: read -r nat _ _ _ client <<<"$n"
    echo "$nat"
    echo "$client"
  done
}

log() { echo "nat-lab: $*" >&2; }
die() { log "error: $*"; exit 1; }

require_root() {
  [ "$(id -u)" -eq 0 ] || die "must run as root (network namespaces and iptables); try: sudo $0 $*"
  local c
  for c in ip iptables sysctl; do
    command -v "$c" >/dev/null 2>&1 || die "'$c' not found; run e2e/nat-lab/install-deps.sh"
  done
}

ns_exists() { ip netns list | awk '{print $1}' | grep -qx "$1"; }

# Sysctl inside a namespace (never on the host).
nsctl() { ip netns exec "$1" sysctl -q -w "$2" >/dev/null; }

new_host_ns() {
  local ns=$1
  ip netns add "$ns"
  ip -n "$ns" link set lo up
  # Hosts are not routers unless we say so (the default for a new namespace, made explicit).
  nsctl "$ns" net.ipv4.ip_forward=0
  nsctl "$ns" net.ipv6.conf.all.disable_ipv6=1
  nsctl "$ns" net.ipv6.conf.default.disable_ipv6=1
}

# Link a host's interface to the public bridge: veth <ifname>@<ns> <-> <port>@bu-pub.
attach_public() {
  local ns=$1 ifname=$2 port=$3 addr=$4
  ip -n "$ns" link add "$ifname" type veth peer name "$port" netns "$PUB_NS"
  ip -n "$PUB_NS" link set "$port" master "$PUB_BR" up
  ip -n "$ns" addr add "${addr}/24" dev "$ifname"
  ip -n "$ns" link set "$ifname" up
}

build_nat() {
  local nat=$1 kind=$2 pub=$3 lan=$4 client=$5
  new_host_ns "$nat"
  new_host_ns "$client"
  attach_public "$nat" wan0 "${nat#bu-nat-}" "$pub"

  # Private LAN: a point-to-point veth between the gateway and its single client.
  ip -n "$nat" link add lan0 type veth peer name eth0 netns "$client"
  ip -n "$nat" addr add "${lan}.1/24" dev lan0
  ip -n "$nat" link set lan0 up
  ip -n "$client" addr add "${lan}.${CLIENT_HOST}/24" dev eth0
  ip -n "$client" link set eth0 up
  ip -n "$client" route add default via "${lan}.1" dev eth0

  # Forwarding only here, in the gateway namespace.
  nsctl "$nat" net.ipv4.ip_forward=1
  local ipt=(ip netns exec "$nat" iptables -w)
  # NAT: MASQUERADE keeps the source port when it can and reuses one mapping for every
  # destination (endpoint-independent mapping); --random-fully picks a fresh random port for
  # every new flow, i.e. per destination (address-and-port-dependent mapping = "symmetric").
  if [ "$kind" = sym ]; then
    "${ipt[@]}" -t nat -A POSTROUTING -o wan0 -j MASQUERADE --random-fully
  else
    "${ipt[@]}" -t nat -A POSTROUTING -o wan0 -j MASQUERADE
  fi
  # Home-router firewall: only replies come in from the WAN. Dropping unsolicited WAN input in
  # INPUT (not only FORWARD) also keeps an early punch packet from leaving a stale conntrack
  # entry that would steal the port the outgoing punch needs (see README).
  "${ipt[@]}" -P FORWARD DROP
  "${ipt[@]}" -A FORWARD -i lan0 -o wan0 -j ACCEPT
  "${ipt[@]}" -A FORWARD -i wan0 -o lan0 -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT
  "${ipt[@]}" -A INPUT -i wan0 -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT
  "${ipt[@]}" -A INPUT -i wan0 -j DROP

  # (After the rules: they load nf_conntrack on a fresh kernel, which creates these sysctls.)
  # Conntrack UDP timeouts: the Linux defaults (30 s unreplied, 120 s assured), set explicitly
  # so the lab does not depend on what the host happens to be configured with.
  nsctl "$nat" net.netfilter.nf_conntrack_udp_timeout=30
  nsctl "$nat" net.netfilter.nf_conntrack_udp_timeout_stream=120
  # Per-flow packet/byte counters (conntrack -L shows them): the scenarios use them to see which
  # router carries a relayed conversation. Accounting only, no effect on forwarding.
  nsctl "$nat" net.netfilter.nf_conntrack_acct=1
}

do_up() {
  new_host_ns "$PUB_NS"
  ip -n "$PUB_NS" link add "$PUB_BR" type bridge
  ip -n "$PUB_NS" link set "$PUB_BR" up
  # If br_netfilter is loaded on this kernel, keep bridged frames out of iptables (a dumb switch).
  ip netns exec "$PUB_NS" sysctl -q -w net.bridge.bridge-nf-call-iptables=0 >/dev/null 2>&1 || true

  local r host addr
  for r in "${ROUTERS[@]}"; do
    host=${r%%:*} addr=${r#*:}
    new_host_ns "$host"
    attach_public "$host" eth0 "${host#bu-}" "$addr"
  done
  local n nat kind pub lan client
  for n in "${NATS[@]}"; do
    IFS=: read -r nat kind pub lan client <<<"$n"
    build_nat "$nat" "$kind" "$pub" "$lan" "$client"
  done
}

kill_ns_processes() {
  local ns=$1 pids pid
  pids=$(ip netns pids "$ns" 2>/dev/null || true)
  [ -n "$pids" ] || return 0
  for pid in $pids; do kill -TERM "$pid" 2>/dev/null || true; done
  for _ in 1 2 3 4 5 6 7 8 9 10; do
    pids=$(ip netns pids "$ns" 2>/dev/null || true)
    [ -n "$pids" ] || return 0
    sleep 0.2
  done
  for pid in $pids; do kill -KILL "$pid" 2>/dev/null || true; done
}

do_down() {
  local ns
  for ns in $(all_namespaces); do
    ns_exists "$ns" || continue
    kill_ns_processes "$ns"
    # Deleting the namespace destroys its veths (and their peers), the bridge and every
    # iptables/conntrack table that lived in it.
    ip netns del "$ns" 2>/dev/null || true
  done
}

# Health checks used by status (each returns non-zero on the first problem).
has_addr() { ip -n "$1" -4 -o addr show dev "$2" 2>/dev/null | grep -q " $3/"; }
is_up() { ip -n "$1" -o link show dev "$2" 2>/dev/null | grep -q '[<,]UP[,>]'; }
fwd_is() { [ "$(ip netns exec "$1" sysctl -n net.ipv4.ip_forward 2>/dev/null)" = "$2" ]; }
bridge_ok() { is_up "$PUB_NS" "$PUB_BR" && is_up "$PUB_NS" lo; }
router_ok() { has_addr "$1" eth0 "$2" && is_up "$1" eth0 && is_up "$1" lo && fwd_is "$1" 0; }
nat_ok() { # nat kind pub lan
  local want='-j MASQUERADE$'
  [ "$2" = sym ] && want='-j MASQUERADE --random-fully$'
  has_addr "$1" wan0 "$3" && has_addr "$1" lan0 "$4.1" && is_up "$1" lo && fwd_is "$1" 1 &&
    ip netns exec "$1" iptables -w -t nat -S POSTROUTING | grep -q -- "-o wan0 $want" &&
    ip netns exec "$1" iptables -w -S INPUT | grep -q -- '-A INPUT -i wan0 -j DROP'
}
client_ok() { # client lan
  has_addr "$1" eth0 "$2.${CLIENT_HOST}" && is_up "$1" lo && fwd_is "$1" 0 &&
    ip -n "$1" route show default | grep -q "via $2.1 "
}

# Prints one line per check; returns 0 all healthy, 1 nothing present, 2 partial or broken.
do_status() {
  local present=0 total=0 bad=0 ns r host addr n nat kind pub lan client
  for ns in $(all_namespaces); do
    total=$((total + 1))
    if ns_exists "$ns"; then present=$((present + 1)); fi
  done
  if [ "$present" -eq 0 ]; then echo "nat-lab: down (no lab namespaces)"; return 1; fi

  check() { # ns description command...
    local ns=$1 what=$2; shift 2
    if ns_exists "$ns" && "$@"; then printf '  %-13s ok    %s\n' "$ns" "$what"
    else printf '  %-13s FAIL  %s\n' "$ns" "$what"; bad=$((bad + 1)); fi
  }
  echo "nat-lab: public segment ${PUB_NET}.0/24 = bridge ${PUB_BR} in namespace ${PUB_NS}"
  check "$PUB_NS" "bridge ${PUB_BR} up" bridge_ok
  for r in "${ROUTERS[@]}"; do
    host=${r%%:*} addr=${r#*:}
    check "$host" "router eth0 ${addr}/24, lo up, no forwarding" router_ok "$host" "$addr"
  done
  for n in "${NATS[@]}"; do
    IFS=: read -r nat kind pub lan client <<<"$n"
    check "$nat" "${kind} NAT wan0 ${pub}/24, lan0 ${lan}.1/24, forwarding, firewall" nat_ok "$nat" "$kind" "$pub" "$lan"
    check "$client" "client eth0 ${lan}.${CLIENT_HOST}/24, default via ${lan}.1 (${nat})" client_ok "$client" "$lan"
  done
  if [ "$present" -eq "$total" ] && [ "$bad" -eq 0 ]; then echo "nat-lab: up"; return 0; fi
  echo "nat-lab: partial or broken (${present}/${total} namespaces present, ${bad} failed checks)"
  return 2
}

main() {
  local cmd=${1:-}
  case "$cmd" in
    up | down | status) ;;
    *) echo "usage: $0 up|down|status" >&2; exit 2 ;;
  esac
  require_root "$cmd"
  # One lab operation at a time (parallel test workers, a second terminal).
  exec 9>"$LOCK_FILE"
  command -v flock >/dev/null 2>&1 && flock -w 60 9

  case "$cmd" in
    status) do_status ;;
    down) do_down; log "down" ;;
    up)
      if do_status >/dev/null 2>&1; then log "already up"; exit 0; fi
      do_down # clear any partial lab first
      # Any failure from here on (set -e) tears the half-built lab down again.
      trap 'rc=$?; if [ "$rc" -ne 0 ]; then log "up failed (exit $rc), cleaning up"; do_down; fi' EXIT
      do_up
      if ! do_status >/dev/null; then do_status >&2 || true; die "lab came up unhealthy"; fi
      trap - EXIT
      log "up"
      ;;
  esac
}

main "$@"
