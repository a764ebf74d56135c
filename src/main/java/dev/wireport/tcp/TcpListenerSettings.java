package dev.wireport.tcp;

import java.time.Duration;

import dev.wireport.framing.FrameCodec;
import dev.wireport.framing.Framing;
import dev.wireport.payload.ReplyMode;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.logging.LogLevel;

/**
 * One TCP listener with every default applied and every value checked.
 *
 * @param name the listener's name
 * @param host the bind address
 * @param port the port (0: ephemeral)
 * @param framing the framing
 * @param maxFrameSize the largest message in bytes
 * @param idleTimeout idle connections are closed after this (zero: never)
 * @param frameTimeout a frame must be complete this long after its first byte (zero:
 * never)
 * @param writeTimeout a reply blocked this long closes the connection (zero: never)
 * @param maxConnections the most connections open at once
 * @param reply ack or echo
 * @param ack the acknowledgement bytes
 * @param logLevel the level of the per-message log line
 * @param logRate the most per-message lines per second (0: no limit)
 * @param backlog the listen backlog
 * @param tcpNoDelay whether Nagle's algorithm is off
 * @param keepAlive whether TCP keep-alive is on
 * @param keepAliveIdle quiet time before the first keep-alive probe
 * @param keepAliveInterval time between unanswered probes
 * @param keepAliveCount unanswered probes that close the connection
 * @param proxyProtocol whether connections start with a PROXY protocol header
 * @param ssl the listener's TLS, {@code null} for plain TCP
 */
public record TcpListenerSettings(String name, String host, int port, Framing framing, int maxFrameSize,
		Duration idleTimeout, Duration frameTimeout, Duration writeTimeout, int maxConnections, ReplyMode reply,
		byte[] ack, LogLevel logLevel, int logRate, int backlog, boolean tcpNoDelay, boolean keepAlive,
		Duration keepAliveIdle, Duration keepAliveInterval, int keepAliveCount, ProxyProtocol proxyProtocol,
		TcpProperties.@Nullable Ssl ssl) {

	public FrameCodec codec() {
		return this.framing.codec(this.maxFrameSize);
	}

}
