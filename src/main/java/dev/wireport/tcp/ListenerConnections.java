package dev.wireport.tcp;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import javax.net.ssl.SSLSession;

import dev.wireport.framing.FrameException;
import dev.wireport.payload.MessageLog;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.Channel;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The open connections of one listener: enforces the connection limit, counts what ends
 * them, and drains them at shutdown.
 */
class ListenerConnections {

	private static final Logger logger = LoggerFactory.getLogger(ListenerConnections.class);

	private final TcpListenerSettings settings;

	private final Set<NettyTcpConnection> open = ConcurrentHashMap.newKeySet();

	private final AtomicInteger active = new AtomicInteger();

	private final AtomicInteger paused = new AtomicInteger();

	private final ReentrantLock lock = new ReentrantLock();

	private final Condition allClosed = this.lock.newCondition();

	private final TcpListenerMetrics metrics;

	private final @Nullable ListenerTls tls;

	/** The connection-open line of TLS connections, at the listener's log level. */
	private final MessageLog tlsLog;

	/**
	 * Warnings a client causes (a refused connection, a rejected frame, a failed TLS
	 * handshake): a storm of them is limited to the listener's log-rate and written off
	 * the event loop, like the per-message lines, so that it costs the other connections
	 * nothing. The meters count every one.
	 */
	private final MessageLog warnings;

	ListenerConnections(TcpListenerSettings settings, MeterRegistry registry, MessageLog warnings,
			@Nullable ListenerTls tls) {
		this.settings = settings;
		this.metrics = new TcpListenerMetrics(settings.name(), this.active, this.paused, registry);
		this.warnings = warnings;
		this.tls = tls;
		this.tlsLog = new MessageLog(logger, settings.logLevel(), settings.logRate(),
				"listener=" + settings.name() + " TLS connections");
	}

	/**
	 * The log of the warnings a listener's clients cause, shared by its connections and
	 * its TLS handshakes: one limit per listener.
	 * @param settings the listener's settings
	 * @return its warnings log
	 */
	static MessageLog warnings(TcpListenerSettings settings) {
		return MessageLog.warnings(logger, settings.name(), settings.logRate());
	}

	@Nullable ListenerTls tls() {
		return this.tls;
	}

	TcpListenerSettings settings() {
		return this.settings;
	}

	String listenerName() {
		return this.settings.name();
	}

	TcpListenerMetrics metrics() {
		return this.metrics;
	}

	/**
	 * Admits a new connection, or refuses it when the limit is reached.
	 * @param connection the connection
	 * @return whether the connection may be served
	 */
	boolean admit(NettyTcpConnection connection) {
		if (this.active.incrementAndGet() > this.settings.maxConnections()) {
			this.active.decrementAndGet();
			this.metrics.refused.increment();
			this.warnings.logIfAdmitted("listener={} remote={} refused: limit of {} connections reached",
					this.settings.name(), connection.remote(), this.settings.maxConnections());
			return false;
		}
		this.metrics.opened.increment();
		this.open.add(connection);
		SSLSession session = connection.getSslSession();
		if (this.tls != null && session != null) {
			this.tls.opened(session);
			if (this.tlsLog.admit()) {
				String client = connection.tlsClient();
				this.tlsLog.log("listener={} connection={} remote={} opened protocol={} cipher={} client={}",
						this.settings.name(), connection.getConnectionId(), connection.remote(), session.getProtocol(),
						session.getCipherSuite(), (client != null) ? "\"" + client + "\"" : "none");
			}
		}
		else {
			logger.debug("listener={} connection={} remote={} opened", this.settings.name(),
					connection.getConnectionId(), connection.remote());
		}
		return true;
	}

	void release(NettyTcpConnection connection) {
		if (this.open.remove(connection)) {
			this.metrics.closed.increment();
			if (this.tls != null) {
				this.tls.closed(connection.getSslSession());
			}
			if (this.active.decrementAndGet() == 0) {
				this.lock.lock();
				try {
					this.allClosed.signalAll();
				}
				finally {
					this.lock.unlock();
				}
			}
		}
	}

	/**
	 * Counts a connection that stopped or started reading again because of its peer's
	 * pace.
	 * @param nowPaused whether it stopped
	 */
	void paused(boolean nowPaused) {
		this.paused.addAndGet(nowPaused ? 1 : -1);
	}

	/**
	 * Counts and logs a connection closed because its replies stayed unwritten past the
	 * write timeout.
	 * @param connection the connection
	 */
	void stalled(NettyTcpConnection connection) {
		this.metrics.stalled.increment();
		this.warnings.logIfAdmitted(
				"listener={} connection={} remote={} closed: a reply stayed unwritten for over {}ms "
						+ "(the peer stopped reading, or vanished)",
				this.settings.name(), connection.getConnectionId(), connection.remote(),
				this.settings.writeTimeout().toMillis());
	}

	/**
	 * The error for a frame the peer left unfinished past its timeout: the stream ended
	 * there because of the timeout, not because the peer closed it.
	 * @return the error
	 */
	FrameException frameTimedOut() {
		String timeout = this.settings.frameTimeout().isZero()
				? "the idle timeout of " + this.settings.idleTimeout().toMillis() + "ms"
				: "the frame timeout of " + this.settings.frameTimeout().toMillis() + "ms";
		return new FrameException(FrameException.Reason.TIMEOUT, "frame not completed within " + timeout);
	}

	/**
	 * Counts and logs a frame the codec refused; the connection then sends the error and
	 * closes.
	 * @param connection the connection it came from
	 * @param frame the codec's error
	 */
	void rejected(NettyTcpConnection connection, FrameException frame) {
		this.metrics.rejected(frame.reason());
		this.warnings.logIfAdmitted(
				"listener={} connection={} remote={} frame rejected ({}): {}; closing the connection",
				this.settings.name(), connection.getConnectionId(), connection.remote(), frame.reason().tag(),
				frame.getMessage());
	}

	/**
	 * Counts and logs a frame refused on a TLS listener before its handshake, when no
	 * connection exists yet: a bad PROXY protocol header.
	 * @param channel the socket, which is closed
	 * @param frame why it was refused
	 */
	void rejectedBeforeHandshake(Channel channel, FrameException frame) {
		this.metrics.rejected(frame.reason());
		this.warnings.logIfAdmitted(
				"listener={} remote={} rejected before the TLS handshake ({}): {}; closing the connection",
				this.settings.name(), channel.remoteAddress(), frame.reason().tag(), frame.getMessage());
		channel.close();
	}

	/**
	 * Logs a connection that shutdown ended while its peer was sending a frame; the
	 * connection then sends the shutdown error and closes. Not a rejected frame: the peer
	 * broke no rule.
	 * @param connection the connection
	 * @param frame what the decoder reported of the unfinished frame
	 */
	void cutShortByShutdown(NettyTcpConnection connection, FrameException frame) {
		logger.info("listener={} connection={} remote={}:{} ended by shutdown with a frame unfinished ({})",
				this.settings.name(), connection.getConnectionId(), connection.getHostAddress(), connection.getPort(),
				frame.getMessage());
	}

	int active() {
		return this.active.get();
	}

	/**
	 * Lets every connection finish the messages it has already sent, then waits for all
	 * of them to close.
	 * @param timeout how long to wait
	 * @return whether every connection closed in time
	 * @throws InterruptedException if interrupted while waiting
	 */
	boolean drain(Duration timeout) throws InterruptedException {
		this.open.forEach(NettyTcpConnection::endWhenIdle);
		long remaining = timeout.toNanos();
		this.lock.lock();
		try {
			while (this.active.get() > 0 && remaining > 0) {
				remaining = this.allClosed.awaitNanos(remaining);
			}
			return this.active.get() == 0;
		}
		finally {
			this.lock.unlock();
		}
	}

	@Override
	public String toString() {
		return this.settings.name() + ": " + this.active.get() + " connections";
	}

}
