package dev.wireport.fetch;

import io.micrometer.common.KeyValue;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.httpcomponents.hc5.PoolingHttpClientConnectionManagerMetricsBinder;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.ClientTlsStrategyBuilder;
import org.apache.hc.client5.http.ssl.TlsSocketStrategy;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.ssl.SslOptions;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.observation.ClientHttpObservationDocumentation;
import org.springframework.http.client.observation.ClientRequestObservationContext;
import org.springframework.http.client.observation.ClientRequestObservationConvention;
import org.springframework.http.client.observation.DefaultClientRequestObservationConvention;

/**
 * The fetcher's one HTTP client, for the life of the service: its connections are pooled
 * and reused across fetches, it resolves names only through the destination policy, and
 * it trusts upstream servers through {@code wireport.fetch.ssl.bundle} or the JDK's trust
 * store.
 */
@Configuration(proxyBeanMethods = false)
class FetchConfiguration {

	/**
	 * Upstream connections open at once; a fetch that finds them all busy waits for one
	 * up to {@code connect-timeout}.
	 */
	private static final int MAX_CONNECTIONS = 100;

	/**
	 * A pooled connection idle this long is checked before it is reused: the upstream
	 * server may have closed it meanwhile, and requests are not retried.
	 */
	private static final TimeValue VALIDATE_AFTER_IDLE = TimeValue.ofSeconds(2);

	/** Idle pooled connections are closed after this, so that none is kept for long. */
	private static final TimeValue EVICT_AFTER_IDLE = TimeValue.ofSeconds(30);

	@Bean(destroyMethod = "close")
	CloseableHttpClient upstreamHttpClient(DestinationPolicy policy, FetchProperties properties, FetchSslProperties ssl,
			SslBundles sslBundles, MeterRegistry registry) {
		PoolingHttpClientConnectionManagerBuilder connections = PoolingHttpClientConnectionManagerBuilder.create()
			.setDnsResolver(new PolicyDnsResolver(policy))
			.setMaxConnTotal(MAX_CONNECTIONS)
			.setMaxConnPerRoute(MAX_CONNECTIONS)
			.setDefaultConnectionConfig(ConnectionConfig.custom()
				.setConnectTimeout(Timeout.of(properties.connectTimeout()))
				.setSocketTimeout(Timeout.of(properties.readTimeout()))
				.setValidateAfterInactivity(VALIDATE_AFTER_IDLE)
				.build());
		if (ssl.bundle() != null) {
			connections.setTlsSocketStrategy(tls(sslBundles.getBundle(ssl.bundle())));
		}
		PoolingHttpClientConnectionManager pool = connections.build();
		// The pool's connections, leased and idle, and the fetches waiting for one: a
		// connection an upstream fault left leased would show here.
		new PoolingHttpClientConnectionManagerMetricsBinder(pool, "upstream").bindTo(registry);
		// Redirects are followed by the fetcher, hop by hop, each checked by the policy.
		return HttpClients.custom()
			.setConnectionManager(pool)
			.disableRedirectHandling()
			.disableAutomaticRetries()
			.disableCookieManagement()
			.evictIdleConnections(EVICT_AFTER_IDLE)
			.build();
	}

	/**
	 * Tags the fetcher's {@code http.client.requests} timer with one client name: the
	 * hosts are whatever callers ask for, and a time series per host would let them grow
	 * the registry without bound.
	 * @return the convention of the client observations
	 */
	@Bean
	ClientRequestObservationConvention upstreamObservationConvention() {
		return new DefaultClientRequestObservationConvention() {

			@Override
			protected KeyValue clientName(ClientRequestObservationContext context) {
				return KeyValue.of(ClientHttpObservationDocumentation.LowCardinalityKeyNames.CLIENT_NAME, "upstream");
			}

		};
	}

	private static TlsSocketStrategy tls(SslBundle bundle) {
		SslOptions options = bundle.getOptions();
		ClientTlsStrategyBuilder tls = ClientTlsStrategyBuilder.create().setSslContext(bundle.createSslContext());
		if (options.getEnabledProtocols() != null) {
			tls.setTlsVersions(options.getEnabledProtocols());
		}
		if (options.getCiphers() != null) {
			tls.setCiphers(options.getCiphers());
		}
		return tls.buildClassic();
	}

}
