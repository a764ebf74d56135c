package dev.wireport.io;

import java.util.Locale;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * The network I/O under every TCP and UDP listener, bound from {@code wireport.io.*}.
 *
 * @param transport the Netty transport: auto (native epoll on Linux, NIO elsewhere),
 * epoll or nio
 * @param threads event-loop threads shared by every listener; 0 means one per processor
 */
@ConfigurationProperties("wireport.io")
public record IoProperties(@DefaultValue("auto") Transport transport, @DefaultValue("0") int threads) {

	public IoProperties {
		String unavailable = transport.unavailableReason();
		if (unavailable != null) {
			throw new InvalidConfigurationPropertyValueException("wireport.io.transport",
					transport.name().toLowerCase(Locale.ROOT), unavailable);
		}
		if (threads < 0) {
			throw new InvalidConfigurationPropertyValueException("wireport.io.threads", threads,
					"must be 0 (one per processor) or more");
		}
	}

	/**
	 * The event-loop threads to start.
	 * @return {@link #threads()}, or the number of processors when it is 0
	 */
	public int eventLoopThreads() {
		return (this.threads > 0) ? this.threads : Runtime.getRuntime().availableProcessors();
	}

}
