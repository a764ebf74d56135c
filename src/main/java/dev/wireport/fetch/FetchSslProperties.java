package dev.wireport.fetch;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How the fetcher trusts upstream servers over HTTPS, bound from
 * {@code wireport.fetch.ssl.*}.
 *
 * @param bundle the SSL bundle ({@code spring.ssl.bundle.*}) whose trust material checks
 * upstream certificates; without one, the JDK's own trust store does
 */
@ConfigurationProperties("wireport.fetch.ssl")
public record FetchSslProperties(String bundle) {

}
