#!/usr/bin/env bash
# BitUnicom NAT lab: a routed "internet" of network namespaces. bu-inet is the core router; every
# public host (routers, a public client, NAT gateways) hangs off it on its own /24, so any two
# sites are at least one router hop apart (TTL matters). Each NAT site emulates one RFC 4787
# behaviour (mapping, filtering, unsolicited input, hairpinning) with iptables; see README.md.
# Nothing is connected to the root namespace: every packet stays inside the lab.
#
#   lab.sh up       build the lab (idempotent: a healthy lab is left alone, a broken one rebuilt)
#   lab.sh down     remove every lab namespace (and with it all veths, bridges and iptables state)
#   lab.sh status   one check line per host; exit 0 if fully up, 1 if absent, 2 if partial/broken
#
# The same facts live in lab.ts (SITES, ROUTERS, PUBLIC_HOSTS); sanity.spec.ts checks that this
# script's status lists exactly the hosts lab.ts knows.
set -euo pipefail

CORE_NS=bu-inet            # the internet core: forwards, no NAT, no filtering, no route to 192.168.x
# Public hosts: namespace, N (WAN 10.99.N.2/24 on eth0, core side 10.99.N.1)
PUBLIC=(
  "bu-r1   11"           # application router (bootstrap)
  "bu-r2   12"           # application router
  "bu-pub1 13"           # public client without NAT
)
# NAT sites: NAT namespace bu-nat-<site> (wan0 10.99.N.2/24, lan0 192.168.N.1/24), clients
# bu-<site> (192.168.N.10) and, for two-client sites, bu-<site>b (192.168.N.11).
#   mapping:     eim (MASQUERADE: endpoint-independent, port-preserving)
#                nopp (static SNAT sport p -> WAN:(p-10000) for the node ports; endpoint-independent)
#                edm (MASQUERADE --random-fully: endpoint-dependent)
#   filtering:   apdf (conntrack only), adf (xt_recent per node port), eif (static DNAT of the node ports)
#   unsolicited: drop | reject (ICMP port unreachable from INPUT) | answer (no INPUT rule)
#   hairpin:     on | off | - (single client)
SITES=(
  # site  N  mapping filtering unsolicited hairpin clients
  "drop1  21 eim     apdf      drop        -       1"
  "drop2  22 eim     apdf      drop        -       1"
  "rej1   23 eim     apdf      reject      -       1"
  "rej2   24 eim     apdf      reject      -       1"
  "ans1   25 eim     apdf      answer      -       1"
  "ans2   26 eim     apdf      answer      -       1"
  "adf    27 eim     adf       answer      -       1"
  "eif    28 eim     eif       answer      -       1"
  "nopp   29 nopp    apdf      answer      -       1"
  "sym1   31 edm     apdf      drop        -       1"
  "sym2   32 edm     apdf      answer      -       1"
  "hpon   41 eim     apdf      answer      on      2"
  "hpoff  42 eim     apdf      answer      off     2"
)
NODE_PORT_MIN=40400        # every client runs app nodes on UDP 40400-40499; with two clients
NODE_PORT_MAX=40499        # the first owns 40400-40449, the second 40450-40499
NOPP_OFFSET=10000          # nopp: sport p is seen as WAN:(p - 10000)
ADF_SECONDS=120            # adf: an address stays allowed this long after the client last sent to it
LOCK_FILE=/run/bu-nat-lab.lock
# Namespaces of the previous (flat, bridged) lab, removed by down/up if still present.
LEGACY=(bu-pub bu-c1 bu-c2 bu-s1 bu-s2 bu-nat-cone1 bu-nat-cone2)

log() { echo "nat-lab: $*" >&2; }
die() { log "error: $*"; exit 1; }

require_root() {
  [ "$(id -u)" -eq 0 ] || die "must run as root (network namespaces and iptables); try: sudo $0 $*"
  local c
  for c in ip iptables iptables-restore iptables-save sysctl; do
    command -v "$c" >/dev/null 2>&1 || die "'$c' not found; run e2e/nat-lab/install-deps.sh"
  done
}

# site row -> variables site n mapping filtering unsol hairpin nclients
read_site() { read -r site n mapping filtering unsol hairpin nclients <<<"$1"; }
# Client namespaces of a site with their host part: "bu-<site> 10" ["bu-<site>b 11"].
site_clients() {
  echo "bu-$1 10"
  if [ "$2" -ge 2 ]; then echo "bu-$1b 11"; fi
}
# Node port range of client index i (0 or 1) of a site with c clients.
client_ports() {
  local i=$1 c=$2 half=$(((NODE_PORT_MAX - NODE_PORT_MIN + 1) / 2))
  if [ "$c" -lt 2 ]; then echo "$NODE_PORT_MIN $NODE_PORT_MAX"
  elif [ "$i" -eq 0 ]; then echo "$NODE_PORT_MIN $((NODE_PORT_MIN + half - 1))"
  else echo "$((NODE_PORT_MIN + half)) $NODE_PORT_MAX"; fi
}

all_namespaces() {
  local row site n mapping filtering unsol hairpin nclients c _
  echo "$CORE_NS"
  for row in "${PUBLIC[@]}"; do read -r c _ <<<"$row"; echo "$c"; done
  for row in "${SITES[@]}"; do
    read_site "$row"
    echo "bu-nat-$site"
    site_clients "$site" "$nclients" | while read -r c _; do echo "$c"; done
  done
}

ns_exists() { [ -e "/run/netns/$1" ]; }
# Sysctls inside a namespace (never on the host), several per call.
nsctl() { local ns=$1; shift; ip netns exec "$ns" sysctl -q -w "$@" >/dev/null; }

new_ns() { # ns forward(0|1)
  ip netns add "$1"
  ip -n "$1" link set lo up
  nsctl "$1" net.ipv4.ip_forward="$2" net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
}

# A public host's uplink: veth <ifname>@<ns> 10.99.N.2/24 <-> <coreif>@bu-inet 10.99.N.1/24.
attach_core() { # ns ifname coreif N
  local ns=$1 ifname=$2 coreif=$3 n=$4
  ip -n "$CORE_NS" link add "$coreif" type veth peer name "$ifname" netns "$ns"
  ip -n "$CORE_NS" addr add "10.99.$n.1/24" dev "$coreif"
  ip -n "$CORE_NS" link set "$coreif" up
  ip -n "$ns" addr add "10.99.$n.2/24" dev "$ifname"
  ip -n "$ns" link set "$ifname" up
  ip -n "$ns" route add default via "10.99.$n.1" dev "$ifname"
}

# The iptables-restore input for one NAT (filter + nat tables); also used by status to know
# how many rules must be loaded.
nat_rules() { # site n mapping filtering unsol hairpin nclients
  local site=$1 n=$2 mapping=$3 filtering=$4 unsol=$5 hairpin=$6 nclients=$7
  local wan="10.99.$n.2" lan="192.168.$n" c1="192.168.$n.10" p
  echo '*nat'
  echo ':PREROUTING ACCEPT [0:0]'
  echo ':INPUT ACCEPT [0:0]'
  echo ':OUTPUT ACCEPT [0:0]'
  echo ':POSTROUTING ACCEPT [0:0]'
  # Filtering by DNAT (for the node ports only; everything else is plain conntrack = APDF).
  case "$filtering" in
    eif) echo "-A PREROUTING -i wan0 -p udp -m udp --dport $NODE_PORT_MIN:$NODE_PORT_MAX -j DNAT --to-destination $c1" ;;
    adf)
      for ((p = NODE_PORT_MIN; p <= NODE_PORT_MAX; p++)); do
        echo "-A PREROUTING -i wan0 -p udp -m udp --dport $p -m recent --rcheck --seconds $ADF_SECONDS --name adf$p --mask 255.255.255.255 --rsource -j DNAT --to-destination $c1"
      done
      ;;
  esac
  # Hairpinning: a client sending to WAN:p (p a node port) reaches the client owning p, seen
  # as coming from WAN:its own port (SNAT to the WAN address, so replies return through the NAT).
  if [ "$hairpin" = on ]; then
    local i=0 c h from to
    while read -r c h; do
      read -r from to < <(client_ports "$i" "$nclients")
      echo "-A PREROUTING -d $wan/32 -i lan0 -p udp -m udp --dport $from:$to -j DNAT --to-destination $lan.$h"
      i=$((i + 1))
    done < <(site_clients "$site" "$nclients")
    echo "-A POSTROUTING -s $lan.0/24 -o lan0 -m conntrack --ctstate DNAT -j SNAT --to-source $wan"
  fi
  # Mapping.
  case "$mapping" in
    eim) echo "-A POSTROUTING -o wan0 -j MASQUERADE" ;;
    edm) echo "-A POSTROUTING -o wan0 -j MASQUERADE --random-fully" ;;
    nopp)
      for ((p = NODE_PORT_MIN; p <= NODE_PORT_MAX; p++)); do
        echo "-A POSTROUTING -s $c1/32 -o wan0 -p udp -m udp --sport $p -j SNAT --to-source $wan:$((p - NOPP_OFFSET))"
      done
      echo "-A POSTROUTING -o wan0 -j MASQUERADE"
      ;;
  esac
  echo 'COMMIT'
  echo '*filter'
  echo ':INPUT ACCEPT [0:0]'
  echo ':FORWARD DROP [0:0]'
  echo ':OUTPUT ACCEPT [0:0]'
  if [ "$filtering" = adf ]; then # remember every address a node port sent to
    for ((p = NODE_PORT_MIN; p <= NODE_PORT_MAX; p++)); do
      echo "-A FORWARD -s $c1/32 -i lan0 -o wan0 -p udp -m udp --sport $p -m recent --set --name adf$p --mask 255.255.255.255 --rdest"
    done
  fi
  echo '-A FORWARD -i lan0 -o wan0 -j ACCEPT'
  echo '-A FORWARD -i wan0 -o lan0 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT'
  case "$filtering" in eif | adf) echo '-A FORWARD -i wan0 -o lan0 -m conntrack --ctstate DNAT -j ACCEPT' ;; esac
  if [ "$hairpin" = on ]; then echo '-A FORWARD -i lan0 -o lan0 -m conntrack --ctstate DNAT -j ACCEPT'; fi
  case "$unsol" in
    drop)
      echo '-A INPUT -i wan0 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT'
      echo '-A INPUT -i wan0 -j DROP'
      ;;
    reject)
      echo '-A INPUT -i wan0 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT'
      echo '-A INPUT -i wan0 -p udp -j REJECT --reject-with icmp-port-unreachable'
      ;;
    answer) ;; # no rule: the kernel answers (ICMP port unreachable) and confirms the conntrack entry
  esac
  echo 'COMMIT'
}

build_site() { # site n mapping filtering unsol hairpin nclients
  local site=$1 n=$2 nclients=$7 nat="bu-nat-$1" lan="192.168.$2" c h
  new_ns "$nat" 1
  attach_core "$nat" wan0 "to-$site" "$n"
  if [ "$nclients" -ge 2 ]; then
    # A switch: bridge lan0 in the NAT namespace, one veth port per client. Bridged frames stay
    # out of iptables (a plain switch), the NAT only sees what it routes.
    ip -n "$nat" link add lan0 type bridge
    nsctl "$nat" net.bridge.bridge-nf-call-iptables=0 net.bridge.bridge-nf-call-arptables=0 2>/dev/null || true
  fi
  while read -r c h; do
    new_ns "$c" 0
    if [ "$nclients" -ge 2 ]; then
      ip -n "$nat" link add "p-${c#bu-}" type veth peer name eth0 netns "$c"
      ip -n "$nat" link set "p-${c#bu-}" master lan0 up
    else
      ip -n "$nat" link add lan0 type veth peer name eth0 netns "$c"
    fi
    ip -n "$c" addr add "$lan.$h/24" dev eth0
    ip -n "$c" link set eth0 up
    ip -n "$c" route add default via "$lan.1" dev eth0
    # A host ignores ICMP redirects (a hairpinning router would otherwise redirect it away).
    nsctl "$c" net.ipv4.conf.all.accept_redirects=0 net.ipv4.conf.default.accept_redirects=0 net.ipv4.conf.eth0.accept_redirects=0
  done < <(site_clients "$site" "$nclients")
  ip -n "$nat" addr add "$lan.1/24" dev lan0
  ip -n "$nat" link set lan0 up
  nat_rules "$@" | ip netns exec "$nat" iptables-restore -w
  # (After the rules, which make sure conntrack is active in this namespace.)
  # Conntrack UDP timeouts: the Linux defaults (30 s unreplied, 120 s assured), set explicitly so
  # the lab does not depend on the host. nf_conntrack_acct: per-flow byte counters (conntrack -L),
  # the scenarios use them to see which router carries a relayed conversation. No redirects from
  # a NAT that hairpins (a packet routed back out of the interface it came in on).
  nsctl "$nat" net.netfilter.nf_conntrack_udp_timeout=30 net.netfilter.nf_conntrack_udp_timeout_stream=120 \
    net.netfilter.nf_conntrack_acct=1 net.ipv4.conf.all.send_redirects=0 net.ipv4.conf.default.send_redirects=0 \
    net.ipv4.conf.lan0.send_redirects=0
}

do_up() {
  new_ns "$CORE_NS" 1
  local row host n
  for row in "${PUBLIC[@]}"; do
    read -r host n <<<"$row"
    new_ns "$host" 0
    attach_core "$host" eth0 "to-${host#bu-}" "$n"
  done
  local site mapping filtering unsol hairpin nclients
  for row in "${SITES[@]}"; do
    read_site "$row"
    build_site "$site" "$n" "$mapping" "$filtering" "$unsol" "$hairpin" "$nclients" &
  done
  local rc=0 pid
  for pid in $(jobs -p); do wait "$pid" || rc=1; done
  [ "$rc" -eq 0 ] || die "building a NAT site failed"
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
  for ns in $(all_namespaces) "${LEGACY[@]}"; do
    ns_exists "$ns" || continue
    kill_ns_processes "$ns"
    # Deleting the namespace destroys its veths (and their peers), bridges and every
    # iptables/conntrack/xt_recent table that lived in it.
    ip netns del "$ns" 2>/dev/null || true
  done
}

# ---- health checks used by status (each returns non-zero on the first problem) ----
has_addr() { ip -n "$1" -4 -o addr show dev "$2" 2>/dev/null | grep -q " $3/24 "; }
is_up() { ip -n "$1" -o link show dev "$2" 2>/dev/null | grep -q '[<,]UP[,>]'; }
fwd_is() { [ "$(ip netns exec "$1" sysctl -n net.ipv4.ip_forward 2>/dev/null)" = "$2" ]; }
default_via() { ip -n "$1" -4 route show default 2>/dev/null | grep -q "^default via $2 "; }
core_ok() {
  is_up "$CORE_NS" lo && fwd_is "$CORE_NS" 1 || return 1
  local row host n site mapping filtering unsol hairpin nclients
  for row in "${PUBLIC[@]}"; do
    read -r host n <<<"$row"
    has_addr "$CORE_NS" "to-${host#bu-}" "10.99.$n.1" || return 1
  done
  for row in "${SITES[@]}"; do
    read_site "$row"
    has_addr "$CORE_NS" "to-$site" "10.99.$n.1" || return 1
  done
  # The core knows no private network.
  ! ip -n "$CORE_NS" -4 route show | grep -q '^192\.168\.'
}
public_ok() { # ns N
  has_addr "$1" eth0 "10.99.$2.2" && is_up "$1" lo && fwd_is "$1" 0 && default_via "$1" "10.99.$2.1"
}
nat_ok() { # site n mapping filtering unsol hairpin nclients
  local nat="bu-nat-$1" n=$2 rules want got
  has_addr "$nat" wan0 "10.99.$n.2" && has_addr "$nat" lan0 "192.168.$n.1" && is_up "$nat" lo &&
    fwd_is "$nat" 1 && default_via "$nat" "10.99.$n.1" || return 1
  rules=$(ip netns exec "$nat" iptables-save 2>/dev/null) || return 1
  # Every rule loaded (same count as generated), and the ones that define the behaviour present.
  want=$(nat_rules "$@" | grep -c '^-A ')
  got=$(grep -c '^-A ' <<<"$rules" || true)
  [ "$want" = "$got" ] || return 1
  grep -q '^:FORWARD DROP' <<<"$rules" || return 1
  case "$3" in
    eim) grep -qx -- '-A POSTROUTING -o wan0 -j MASQUERADE' <<<"$rules" ;;
    edm) grep -qx -- '-A POSTROUTING -o wan0 -j MASQUERADE --random-fully' <<<"$rules" ;;
    nopp) grep -q -- "--sport $NODE_PORT_MIN -j SNAT --to-source 10.99.$n.2:$((NODE_PORT_MIN - NOPP_OFFSET))\$" <<<"$rules" ;;
  esac || return 1
  case "$5" in
    drop) grep -qx -- '-A INPUT -i wan0 -j DROP' <<<"$rules" ;;
    reject) grep -q -- '-A INPUT -i wan0 -p udp -j REJECT --reject-with icmp-port-unreachable' <<<"$rules" ;;
    answer) ! grep -q -- '^-A INPUT' <<<"$rules" ;;
  esac
}
client_ok() { # ns lan host
  has_addr "$1" eth0 "$2.$3" && is_up "$1" lo && fwd_is "$1" 0 && default_via "$1" "$2.1"
}

# Prints one line per host; returns 0 all healthy, 1 nothing present, 2 partial or broken.
# The per-host checks run in parallel (each is a handful of `ip` calls); lines print in order.
do_status() {
  local present=0 total=0 bad=0 ns
  for ns in $(all_namespaces); do
    total=$((total + 1))
    if ns_exists "$ns"; then present=$((present + 1)); fi
  done
  if [ "$present" -eq 0 ]; then echo "nat-lab: down (no lab namespaces)"; return 1; fi

  local dir i=0
  dir=$(mktemp -d /tmp/bu-nat-lab-status.XXXXXX)
  check() { # ns description command...
    local ns=$1 what=$2 out
    out=$dir/$(printf '%03d' "$i"); i=$((i + 1)); shift 2
    (if ns_exists "$ns" && "$@"; then printf '  %-13s ok    %s\n' "$ns" "$what"
     else printf '  %-13s FAIL  %s\n' "$ns" "$what"; fi) >"$out" 2>/dev/null &
  }
  check "$CORE_NS" "core router: forwarding, 10.99.N.1 on every uplink, no route to 192.168.x" core_ok
  local row host n site mapping filtering unsol hairpin nclients c h
  for row in "${PUBLIC[@]}"; do
    read -r host n <<<"$row"
    check "$host" "public host eth0 10.99.$n.2/24, default via 10.99.$n.1, no forwarding" public_ok "$host" "$n"
  done
  for row in "${SITES[@]}"; do
    read_site "$row"
    check "bu-nat-$site" "NAT wan0 10.99.$n.2/24 lan0 192.168.$n.1/24: mapping=$mapping filtering=$filtering unsolicited=$unsol hairpin=$hairpin" \
      nat_ok "$site" "$n" "$mapping" "$filtering" "$unsol" "$hairpin" "$nclients"
    while read -r c h; do
      check "$c" "client eth0 192.168.$n.$h/24, default via 192.168.$n.1 (bu-nat-$site)" client_ok "$c" "192.168.$n" "$h"
    done < <(site_clients "$site" "$nclients")
  done
  wait
  echo "nat-lab: routed internet, core $CORE_NS; public hosts 10.99.N.2/24 via 10.99.N.1"
  cat "$dir"/*
  bad=$(cat "$dir"/* | grep -c '^  [^ ]* *FAIL' || true)
  rm -rf "$dir"
  if [ "$present" -eq "$total" ] && [ "$bad" -eq 0 ]; then echo "nat-lab: up ($total namespaces)"; return 0; fi
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
