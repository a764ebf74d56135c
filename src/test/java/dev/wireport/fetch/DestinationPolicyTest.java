package dev.wireport.fetch;

import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.http.HttpStatus;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The default destination policy refuses every address that is not public unicast, in
 * every spelling a client would accept, before any connection is attempted.
 */
class DestinationPolicyTest {

	private static DestinationPolicy policy(List<String> allow, List<String> deny, boolean allowPrivate) {
		return new DestinationPolicy(new FetchProperties(Duration.ofSeconds(5), Duration.ofSeconds(10),
				Duration.ofSeconds(30), DataSize.ofMegabytes(10), 5, "test", allow, deny, allowPrivate));
	}

	private static final DestinationPolicy DEFAULT = policy(List.of(), List.of(), false);

	@ParameterizedTest
	@CsvSource({ "http://127.0.0.1/, 127.0.0.1", "http://localhost/, 127.0.0.1", "http://localhost./, 127.0.0.1",
			"http://LOCALHOST/, 127.0.0.1", "http://2130706433/, 127.0.0.1", "http://0x7f000001/, 127.0.0.1",
			"http://0x7f.1/, 127.0.0.1", "http://0177.0.0.1/, 127.0.0.1", "http://017700000001/, 127.0.0.1",
			"http://127.1/, 127.0.0.1", "http://127.0.1/, 127.0.0.1", "http://127.0.0.1./, 127.0.0.1",
			"http://0/, 0.0.0.0", "http://[::1]/, 0:0:0:0:0:0:0:1", "http://[::ffff:127.0.0.1]/, 127.0.0.1",
			"http://[::ffff:7f00:1]/, 127.0.0.1", "http://[0:0:0:0:0:ffff:127.0.0.1]/, 127.0.0.1",
			"http://[::127.0.0.1]/, 0:0:0:0:0:0:7f00:1", "http://[64:ff9b::127.0.0.1]/, 64:ff9b:0:0:0:0:7f00:1",
			"http://[2002:7f00:1::]/, 2002:7f00:1:0:0:0:0:0", "http://169.254.169.254/, 169.254.169.254",
			"http://0xa9fea9fe/, 169.254.169.254", "http://2852039166/, 169.254.169.254",
			"http://[::ffff:169.254.169.254]/, 169.254.169.254", "http://[fe80::1]/, fe80:0:0:0:0:0:0:1",
			"http://10.0.0.1/, 10.0.0.1", "http://012.0.0.1/, 10.0.0.1", "http://172.16.0.1/, 172.16.0.1",
			"http://192.168.1.1/, 192.168.1.1", "http://0xc0.0xa8.1.1/, 192.168.1.1", "http://100.64.0.1/, 100.64.0.1",
			"http://[fd12:3456::1]/, fd12:3456:0:0:0:0:0:1", "http://224.0.0.1/, 224.0.0.1",
			"http://[ff02::1]/, ff02:0:0:0:0:0:0:1", "http://255.255.255.255/, 255.255.255.255",
			"http://[::]/, 0:0:0:0:0:0:0:0", "http://[::0.0.0.2]/, 0:0:0:0:0:0:0:2",
			"http://[::ffff:0:7f00:1]/, 0:0:0:0:ffff:0:7f00:1", "http://[64:ff9b:1::a00:1]/, 64:ff9b:1:0:0:0:a00:1",
			"https://127.0.0.1:8443/x, 127.0.0.1", "http://0.0.0.0:8080/, 0.0.0.0" })
	void refusesEverySpellingOfANonPublicAddress(String url, String address) {
		assertThatExceptionOfType(FetchException.class).isThrownBy(() -> DEFAULT.check(URI.create(url)))
			.satisfies((ex) -> assertThat(ex.status()).isEqualTo(HttpStatus.FORBIDDEN))
			.withMessageContaining("(" + address + ")")
			.withMessageContaining("only public addresses are fetched");
	}

	@ParameterizedTest
	@ValueSource(strings = { "ftp://example.com/", "file:///etc/passwd", "gopher://example.com/",
			"http://user:secret@example.com/", "http://user@example.com/" })
	void refusesOtherSchemesAndUserInformation(String url) {
		assertThatExceptionOfType(FetchException.class).isThrownBy(() -> DEFAULT.check(URI.create(url)))
			.satisfies((ex) -> assertThat(ex.status()).isEqualTo(HttpStatus.FORBIDDEN));
	}

	@ParameterizedTest
	@ValueSource(strings = { "http://256.0.0.1/", "http://1.2.3.4.5/", "http://0x100000000/", "http://1.2.65536/" })
	void aHostThatEndsInANumberButIsNoAddressIsMalformed(String url) {
		assertThatExceptionOfType(FetchException.class).isThrownBy(() -> DEFAULT.check(URI.create(url)))
			.satisfies((ex) -> assertThat(ex.status()).isEqualTo(HttpStatus.BAD_REQUEST));
	}

	@ParameterizedTest
	@ValueSource(
			strings = { "http://93.184.216.34:0/", "http://93.184.216.34:65536/", "http://0x5d.184.216.34:99999/" })
	void aPortOutsideTheRangeIsMalformed(String url) {
		assertThatExceptionOfType(FetchException.class).isThrownBy(() -> DEFAULT.check(URI.create(url)))
			.satisfies((ex) -> assertThat(ex.status()).isEqualTo(HttpStatus.BAD_REQUEST))
			.withMessageContaining("outside 1 to 65535");
	}

	@Test
	void publicAddressesPassAndOddSpellingsAreRewrittenToTheCheckedAddress() throws FetchException {
		DestinationPolicy.Destination destination = DEFAULT.check(URI.create("http://0x5d.184.216.34:8080/a?b=c"));

		assertThat(destination.address().getHostAddress()).isEqualTo("93.184.216.34");
		assertThat(destination.url()).hasToString("http://93.184.216.34:8080/a?b=c");
		assertThat(DEFAULT.check(URI.create("http://[2606:2800:220:1::]/")).address().getHostAddress())
			.isEqualTo("2606:2800:220:1:0:0:0:0");
	}

	@Test
	void theSwitchAllowsLoopbackAndPrivateButNotLinkLocal() throws FetchException {
		DestinationPolicy trusted = policy(List.of(), List.of(), true);

		assertThat(trusted.check(URI.create("http://127.0.0.1:9/")).address().getHostAddress()).isEqualTo("127.0.0.1");
		assertThat(trusted.check(URI.create("http://10.1.2.3/")).address().getHostAddress()).isEqualTo("10.1.2.3");
		assertThatExceptionOfType(FetchException.class)
			.isThrownBy(() -> trusted.check(URI.create("http://169.254.169.254/")));
	}

	@Test
	void anAllowListPermitsOnlyItsEntriesAndTheDenyListWins() throws FetchException {
		DestinationPolicy lists = policy(List.of("10.0.0.0/8", "93.184.216.34"), List.of("10.9.0.0/16"), false);

		assertThat(lists.check(URI.create("http://10.1.1.1/")).address().getHostAddress()).isEqualTo("10.1.1.1");
		assertThat(lists.check(URI.create("http://93.184.216.34/")).address().getHostAddress())
			.isEqualTo("93.184.216.34");
		assertThatExceptionOfType(FetchException.class).isThrownBy(() -> lists.check(URI.create("http://10.9.1.1/")))
			.withMessageContaining("deny list");
		assertThatExceptionOfType(FetchException.class).isThrownBy(() -> lists.check(URI.create("http://1.1.1.1/")))
			.withMessageContaining("not on the allow list");
	}

	@Test
	void anAllowedHostNameDoesNotVouchForANonPublicAddress() {
		DestinationPolicy lists = policy(List.of("localhost"), List.of(), false);

		assertThatExceptionOfType(FetchException.class)
			.isThrownBy(() -> lists.check(URI.create("http://localhost:8080/")))
			.withMessageContaining("is a loopback address");
	}

	@Test
	void aDeniedHostIsRefusedWithItsSubdomains() {
		DestinationPolicy lists = policy(List.of(), List.of(".internal.example", "localhost"), true);

		assertThatExceptionOfType(FetchException.class)
			.isThrownBy(() -> lists.check(URI.create("http://localhost:8080/")))
			.withMessageContaining("deny list");
	}

	@Test
	void theHttpClientsResolverGetsOnlyAddressesThePolicyAllows() throws Exception {
		assertThat(new PolicyDnsResolver(policy(List.of(), List.of(), true)).resolve("localhost")).isNotEmpty()
			.allMatch(InetAddress::isLoopbackAddress);
		assertThat(new PolicyDnsResolver(DEFAULT).resolve("0x5d.184.216.34")).extracting(InetAddress::getHostAddress)
			.containsExactly("93.184.216.34");
	}

	@Test
	void theHttpClientsResolverRefusesWithThePolicysReason() {
		assertThatExceptionOfType(PolicyDnsResolver.Refused.class)
			.isThrownBy(() -> new PolicyDnsResolver(DEFAULT).resolve("localhost"))
			.withMessageContaining("is a loopback address")
			.satisfies((refused) -> assertThat(refused.reason().status().value()).isEqualTo(403));
		assertThatExceptionOfType(PolicyDnsResolver.Refused.class)
			.isThrownBy(() -> new PolicyDnsResolver(policy(List.of(), List.of(), true)).resolve("[fe80::1]"))
			.withMessageContaining("link-local");
	}

}
