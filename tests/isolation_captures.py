#!/usr/bin/python3
"""Writes the capture files isolation_test.cc judges, into the directory argv[1].

Packets are built with scapy; link headers and the pcap/pcapng containers are
written by hand so that every link type, byte order and corruption the test
needs is exact. Internal: 10.0.0.0/8 and fd00:1::/48; allowed: 192.0.2.0/24
and 2001:db8:a::/48 (the test's watch). Every host 10.1.x.y / fd00:1::N that
breaches appears in exactly one file, so the test can expect per file.
"""
import os
import struct
import sys

from scapy.all import (ARP, ICMP, IP, IPv6, TCP, UDP, Ether, Dot1Q, Dot1AD, Raw,
                       IPv6ExtHdrHopByHop, IPv6ExtHdrDestOpt, IPv6ExtHdrRouting,
                       IPv6ExtHdrFragment, ICMPv6EchoRequest, fragment, fragment6)

OUT = sys.argv[1]
T0 = 1_700_000_000  # 2023-11-14T22:13:20Z
MAC = dict(src="02:00:00:00:00:01", dst="02:00:00:00:00:02")

def write_pcap(name, linktype, frames, snaplen=65535, big_endian=False, nano=False, cut=None):
    """frames: list of bytes; frame i is stamped T0 + i seconds + 250 ms.
    cut: {index: caplen} to truncate records as a small snap length would."""
    order = ">" if big_endian else "<"
    magic = 0xA1B23C4D if nano else 0xA1B2C3D4
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(struct.pack(order + "IHHiIII", magic, 2, 4, 0, 0, snaplen, linktype))
        for i, data in enumerate(frames):
            caplen = (cut or {}).get(i, len(data))
            frac = 250_000_000 if nano else 250_000
            f.write(struct.pack(order + "IIII", T0 + i, frac, caplen, len(data)))
            f.write(data[:caplen])

def eth(pkt, ethertype=None):
    return bytes(Ether(**MAC) / pkt)

# --- Ethernet: plain, VLAN, QinQ, IPv6 extension headers, fragments, non-IP.
ethernet = [
    eth(IP(src="10.1.1.1", dst="203.0.113.5") / TCP(sport=40000, dport=443)),      # breach
    eth(IP(src="10.1.1.1", dst="203.0.113.5") / TCP(sport=40000, dport=443)),      # breach, same destination
    eth(IP(src="10.1.1.1", dst="10.2.2.2") / UDP(sport=5353, dport=53)),           # internal
    eth(IP(src="10.1.1.1", dst="192.0.2.10") / TCP(sport=40001, dport=80)),        # allowed
    eth(IP(src="203.0.113.5", dst="10.1.1.1") / TCP(sport=443, dport=40000)),      # inbound
    bytes(Ether(**MAC) / Dot1Q(vlan=10) / IP(src="10.1.1.2", dst="198.51.100.1") / UDP(sport=1, dport=123)),
    bytes(Ether(**MAC) / Dot1AD(vlan=20) / Dot1Q(vlan=30) / IP(src="10.1.1.3", dst="198.51.100.2") / ICMP()),
    bytes(Ether(**MAC) / Dot1Q(vlan=10) / IP(src="10.1.1.2", dst="192.0.2.1") / UDP(sport=1, dport=123)),  # allowed
    eth(IPv6(src="fd00:1::5", dst="2001:db8:ff::1") / IPv6ExtHdrHopByHop() / IPv6ExtHdrDestOpt() /
        TCP(sport=50000, dport=22)),
    eth(IPv6(src="fd00:1::5", dst="2001:db8:a::1") / UDP(sport=1, dport=53)),      # allowed
    eth(IPv6(src="fd00:1::5", dst="fd00:1::9") / UDP(sport=1, dport=53)),          # internal
    eth(IPv6(src="fd00:1::5", dst="2001:db8:ff::1") / IPv6ExtHdrRouting() / ICMPv6EchoRequest()),
    bytes(Ether(**MAC, type=0x0806) / ARP(psrc="10.1.1.1", pdst="8.8.8.8")),   # not IP
    bytes(Ether(**MAC, type=0x88cc) / Raw(b"\x02\x07\x04" + bytes(40))),        # LLDP: not IP
]
# IPv4 fragments: 3 pieces, the first with the UDP port.
ethernet += [eth(f) for f in fragment(IP(src="10.1.1.4", dst="203.0.113.9") /
                                       UDP(sport=7, dport=5000) / Raw(bytes(100)), fragsize=48)]
# IPv6 fragments: 2 pieces, the first with the UDP port.
ethernet += [eth(f) for f in fragment6(IPv6(src="fd00:1::6", dst="2001:db8:ff::2") / IPv6ExtHdrFragment() /
                                        UDP(sport=7, dport=6000) / Raw(bytes(120)), 100)]
write_pcap("ethernet.pcap", 1, ethernet)

# --- Deep VLAN stacks: 4 tags are followed; 5 and 6 are undecodable, and
# counted as such rather than hiding the breach inside.
def tagged(tags, pkt):
    frame = Ether(**MAC)
    for i in range(tags):
        frame = frame / (Dot1AD(vlan=100 + i) if i == 0 else Dot1Q(vlan=100 + i))
    return bytes(frame / pkt)
write_pcap("vlan-deep.pcap", 1, [
    tagged(4, IP(src="10.1.13.4", dst="203.0.113.130") / TCP(sport=1, dport=443)),   # breach
    tagged(5, IP(src="10.1.13.5", dst="203.0.113.130") / TCP(sport=1, dport=443)),   # undecodable
    tagged(6, IP(src="10.1.13.6", dst="203.0.113.130") / TCP(sport=1, dport=443)),   # undecodable
    tagged(3, ARP(psrc="10.1.13.3", pdst="10.1.13.1")),                               # not IP: decoded
])

# --- Truncated records: transport header cut (still a breach, no port) and
# IP header cut before the destination (not judged).
truncated = [
    eth(IP(src="10.1.3.1", dst="203.0.113.30") / TCP(sport=1000, dport=8443)),
    eth(IP(src="10.1.3.2", dst="203.0.113.31") / TCP(sport=1000, dport=8443)),
    eth(IPv6(src="fd00:1::31", dst="2001:db8:ff::31") / UDP(sport=1, dport=9)),
    eth(IP(src="10.1.3.3", dst="203.0.113.32") / UDP(sport=1, dport=9)),
]
write_pcap("truncated.pcap", 1, truncated, snaplen=36, cut={0: 36, 1: 30, 2: 14 + 30, 3: 10})

# --- Linux cooked v1 (16-byte header, protocol at 14) and v2 (20 bytes, protocol first).
def sll(pkt, proto):
    return struct.pack(">HHH8sH", 4, 1, 6, bytes(8), proto) + bytes(pkt)
def sll2(pkt, proto):
    return struct.pack(">HHIHBB8s", proto, 0, 2, 1, 4, 6, bytes(8)) + bytes(pkt)
write_pcap("sll.pcap", 113, [
    sll(IP(src="10.1.4.1", dst="203.0.113.40") / TCP(sport=1, dport=80), 0x0800),
    sll(IPv6(src="fd00:1::41", dst="2001:db8:ff::41") / UDP(sport=1, dport=443), 0x86DD),
    sll(IP(src="10.1.4.1", dst="192.0.2.40") / TCP(sport=1, dport=80), 0x0800),
    sll(ARP(psrc="10.1.4.1", pdst="10.1.4.2"), 0x0806),
])
write_pcap("sll2.pcap", 276, [
    sll2(IP(src="10.1.5.1", dst="203.0.113.50") / TCP(sport=1, dport=25), 0x0800),
    sll2(IPv6(src="fd00:1::51", dst="2001:db8:ff::51") / TCP(sport=1, dport=25), 0x86DD),
    sll2(IP(src="10.1.5.1", dst="10.9.9.9") / TCP(sport=1, dport=25), 0x0800),
])

# --- Raw IP (LINKTYPE_RAW 101), DLT_IPV4 (228), DLT_IPV6 (229); big-endian, nanosecond file.
write_pcap("raw.pcap", 101, [
    bytes(IP(src="10.1.6.1", dst="203.0.113.60") / UDP(sport=1, dport=53)),
    bytes(IPv6(src="fd00:1::61", dst="2001:db8:ff::61") / UDP(sport=1, dport=53)),
    bytes(IP(src="10.1.6.1", dst="192.0.2.60") / UDP(sport=1, dport=53)),
], big_endian=True, nano=True)
write_pcap("ipv4.pcap", 228, [bytes(IP(src="10.1.7.1", dst="203.0.113.70") / TCP(sport=1, dport=993))])
write_pcap("ipv6.pcap", 229, [bytes(IPv6(src="fd00:1::71", dst="2001:db8:ff::71") / TCP(sport=1, dport=993))])

# --- BSD loopback: DLT_NULL holds the family in the capturing host's byte
# order (libpcap's filter assumes the file's), DLT_LOOP in network order. The
# *-swapped files hold the other order, which the decoder accepts as well but
# libpcap's `ip`/`ip6` tests do not.
def loopback(name, linktype, order, v4_host, v6_host, v6_family):
    write_pcap(name, linktype, [
        struct.pack(order + "I", 2) + bytes(IP(src=v4_host, dst="203.0.113.80") / TCP(sport=1, dport=21)),
        struct.pack(order + "I", v6_family) + bytes(IPv6(src=v6_host, dst="2001:db8:ff::81") / TCP(sport=1, dport=21)),
        struct.pack(order + "I", 7) + bytes(40),                                    # unknown family
        struct.pack(order + "I", 2) + bytes(IP(src=v4_host, dst="10.3.3.3") / TCP(sport=1, dport=21)),
    ])
loopback("null.pcap", 0, "<", "10.1.8.1", "fd00:1::81", 30)
loopback("null-swapped.pcap", 0, ">", "10.1.11.1", "fd00:1::111", 28)
loopback("loop.pcap", 108, ">", "10.1.9.1", "fd00:1::91", 24)
loopback("loop-swapped.pcap", 108, "<", "10.1.12.1", "fd00:1::121", 30)

# --- Unsupported link type (IEEE 802.11) and corrupt files.
write_pcap("wifi.pcap", 105, [bytes(30)])
write_pcap("corrupt.pcap", 1, ethernet[:2])
with open(os.path.join(OUT, "corrupt.pcap"), "r+b") as f:
    # Second record (offset 24 + 16 + len(first)) claims 16 MiB of data.
    f.seek(24 + 16 + len(ethernet[0]) + 8)
    f.write(struct.pack("<I", 0x01000000))
write_pcap("cut.pcap", 1, ethernet[:2])
with open(os.path.join(OUT, "cut.pcap"), "r+b") as f:
    f.truncate(24 + 16 + len(ethernet[0]) + 16 + 10)
with open(os.path.join(OUT, "not-a-capture.pcap"), "wb") as f:
    f.write(b"this is not a capture file at all\n")

# --- pcapng (section header, one interface, enhanced packet blocks), by hand.
def block(kind, body):
    body += bytes(-len(body) % 4)
    return struct.pack("<II", kind, len(body) + 12) + body + struct.pack("<I", len(body) + 12)
ng = [eth(IP(src="10.1.10.1", dst="203.0.113.100") / TCP(sport=1, dport=3389)),
      eth(IP(src="10.1.10.1", dst="10.0.0.1") / TCP(sport=1, dport=3389))]
with open(os.path.join(OUT, "capture.pcapng"), "wb") as f:
    f.write(block(0x0A0D0D0A, struct.pack("<IHHq", 0x1A2B3C4D, 1, 0, -1)))
    f.write(block(1, struct.pack("<HHI", 1, 0, 65535)))
    for i, data in enumerate(ng):
        ts = (T0 + i) * 1_000_000 + 250_000
        f.write(block(6, struct.pack("<IIIII", 0, ts >> 32, ts & 0xFFFFFFFF, len(data), len(data)) + data))
