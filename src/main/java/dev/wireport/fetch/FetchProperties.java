package dev.wireport.fetch;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.util.unit.DataSize;

/**
 * The fetcher behind {@code /fetch}, bound from {@code wireport.fetch.*}.
 *
 * @param connectTimeout how long to wait for a connection to the upstream server
 * @param readTimeout how long to wait for the upstream server between bytes
 * @param totalTimeout how long a whole fetch may take, redirects and body included
 * @param maxBodySize the most of an upstream body passed on
 * @param maxRedirects redirects followed at most, each checked like the first URL
 * @param userAgent the {@code User-Agent} sent upstream
 * @param allow when not empty, only these hosts (exact, or {@code .suffix} for
 * subdomains) and address ranges (CIDR) are fetched; an address range here also permits
 * the non-public addresses it covers
 * @param deny hosts and address ranges never fetched, whatever else allows them
 * @param allowPrivateAddresses also fetch loopback, private, carrier-grade NAT and
 * unique-local addresses, for trusted networks and tests (link-local, multicast and the
 * like stay refused)
 */
@ConfigurationProperties("wireport.fetch")
public record FetchProperties(@DefaultValue("5s") Duration connectTimeout, @DefaultValue("10s") Duration readTimeout,
		@DefaultValue("30s") Duration totalTimeout, @DefaultValue("10MB") DataSize maxBodySize,
		@DefaultValue("5") int maxRedirects, @DefaultValue("wireport/0.1 (fetch)") String userAgent, List<String> allow,
		List<String> deny, @DefaultValue("false") boolean allowPrivateAddresses) {

	public FetchProperties {
		allow = (allow != null) ? List.copyOf(allow) : List.of();
		deny = (deny != null) ? List.copyOf(deny) : List.of();
		positive("wireport.fetch.connect-timeout", connectTimeout);
		positive("wireport.fetch.read-timeout", readTimeout);
		positive("wireport.fetch.total-timeout", totalTimeout);
		if (maxBodySize.toBytes() < 0 || maxBodySize.toBytes() > Integer.MAX_VALUE - 8) {
			throw new InvalidConfigurationPropertyValueException("wireport.fetch.max-body-size", maxBodySize,
					"must be between 0B and 2GB");
		}
		if (maxRedirects < 0) {
			throw new InvalidConfigurationPropertyValueException("wireport.fetch.max-redirects", maxRedirects,
					"must not be negative");
		}
		checkEntries("wireport.fetch.allow", allow);
		checkEntries("wireport.fetch.deny", deny);
	}

	private static void positive(String property, Duration duration) {
		if (duration.isNegative() || duration.isZero()) {
			throw new InvalidConfigurationPropertyValueException(property, duration, "must be positive");
		}
	}

	private static void checkEntries(String property, List<String> entries) {
		for (int i = 0; i < entries.size(); i++) {
			String entry = entries.get(i);
			if (AddressRange.looksLikeRange(entry)) {
				try {
					AddressRange.parse(entry);
				}
				catch (IllegalArgumentException ex) {
					throw new InvalidConfigurationPropertyValueException(property + "[" + i + "]", entry,
							ex.getMessage());
				}
			}
			else if (entry.isBlank()) {
				throw new InvalidConfigurationPropertyValueException(property + "[" + i + "]", entry,
						"must be a host name or an address range");
			}
		}
	}

}
