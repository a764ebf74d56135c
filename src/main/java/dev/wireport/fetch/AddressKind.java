package dev.wireport.fetch;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;

/**
 * What kind of address a destination resolves to. Only {@link #PUBLIC} addresses are
 * fetched by default: everything else reaches the service's own host, its network or the
 * cloud provider's metadata service (169.254.169.254), which is what server-side request
 * forgery aims at. IPv6 addresses that embed an IPv4 address (mapped, compatible, NAT64,
 * 6to4) are judged by the IPv4 address they carry.
 */
enum AddressKind {

	PUBLIC("a public address"), LOOPBACK("a loopback address"), PRIVATE("a private address"),
	CARRIER_GRADE_NAT("a carrier-grade NAT address"), LINK_LOCAL("a link-local address (cloud metadata among them)"),
	MULTICAST("a multicast address"), UNSPECIFIED("the unspecified address"), BROADCAST("the broadcast address"),
	RESERVED("a reserved or documentation address");

	private final String description;

	AddressKind(String description) {
		this.description = description;
	}

	String description() {
		return this.description;
	}

	private record Range(AddressRange range, AddressKind kind) {
	}

	private static final List<Range> IPV4 = List.of(range("0.0.0.0/8", UNSPECIFIED), range("10.0.0.0/8", PRIVATE),
			range("100.64.0.0/10", CARRIER_GRADE_NAT), range("127.0.0.0/8", LOOPBACK),
			range("169.254.0.0/16", LINK_LOCAL), range("172.16.0.0/12", PRIVATE), range("192.0.0.0/24", RESERVED),
			range("192.0.2.0/24", RESERVED), range("192.88.99.0/24", RESERVED), range("192.168.0.0/16", PRIVATE),
			range("198.18.0.0/15", RESERVED), range("198.51.100.0/24", RESERVED), range("203.0.113.0/24", RESERVED),
			range("224.0.0.0/4", MULTICAST), range("255.255.255.255/32", BROADCAST), range("240.0.0.0/4", RESERVED));

	private static final List<Range> IPV6 = List.of(range("::/128", UNSPECIFIED), range("::1/128", LOOPBACK),
			range("fc00::/7", PRIVATE), range("fe80::/10", LINK_LOCAL), range("fec0::/10", PRIVATE),
			range("ff00::/8", MULTICAST), range("2001:db8::/32", RESERVED), range("100::/64", RESERVED),
			// Local-use NAT64 places the IPv4 address by prefix length, so the whole
			// prefix is refused.
			range("64:ff9b:1::/48", RESERVED), range("2001::/23", RESERVED));

	private static Range range(String cidr, AddressKind kind) {
		return new Range(AddressRange.parse(cidr), kind);
	}

	static AddressKind of(InetAddress address) {
		return of(address.getAddress());
	}

	static AddressKind of(byte[] address) {
		if (address.length == 4) {
			return find(IPV4, address);
		}
		// The IPv6 ranges first, so that :: and ::1 keep their own meaning instead of
		// being read as IPv4-compatible addresses.
		AddressKind kind = find(IPV6, address);
		byte[] embedded = (kind == PUBLIC) ? embeddedIpv4(address) : null;
		return (embedded != null) ? of(embedded) : kind;
	}

	private static AddressKind find(List<Range> ranges, byte[] address) {
		return ranges.stream()
			.filter((range) -> range.range().contains(address))
			.map(Range::kind)
			.findFirst()
			.orElse(PUBLIC);
	}

	/**
	 * The IPv4 address carried by an IPv6 address: IPv4-mapped ({@code ::ffff:a.b.c.d}),
	 * IPv4-translated ({@code ::ffff:0:a.b.c.d}), IPv4-compatible ({@code ::a.b.c.d}),
	 * NAT64 ({@code 64:ff9b::a.b.c.d}) and 6to4 ({@code 2002:aabb:ccdd::}).
	 */
	private static byte[] embeddedIpv4(byte[] v6) {
		boolean zeros64 = allZero(v6, 0, 8);
		boolean mapped = zeros64 && allZero(v6, 8, 10) && allOnes(v6, 10, 12);
		boolean translated = zeros64 && allOnes(v6, 8, 10) && allZero(v6, 10, 12);
		boolean compatible = zeros64 && allZero(v6, 8, 12);
		boolean nat64 = v6[0] == 0 && v6[1] == 0x64 && (v6[2] & 0xff) == 0xff && (v6[3] & 0xff) == 0x9b
				&& allZero(v6, 4, 12);
		if (mapped || translated || compatible || nat64) {
			return Arrays.copyOfRange(v6, 12, 16);
		}
		if (v6[0] == 0x20 && v6[1] == 0x02) {
			return Arrays.copyOfRange(v6, 2, 6);
		}
		return null;
	}

	private static boolean allOnes(byte[] bytes, int from, int to) {
		for (int i = from; i < to; i++) {
			if ((bytes[i] & 0xff) != 0xff) {
				return false;
			}
		}
		return true;
	}

	private static boolean allZero(byte[] bytes, int from, int to) {
		for (int i = from; i < to; i++) {
			if (bytes[i] != 0) {
				return false;
			}
		}
		return true;
	}

}
