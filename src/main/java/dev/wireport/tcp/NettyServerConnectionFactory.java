package dev.wireport.tcp;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLSession;
import jdk.net.ExtendedSocketOptions;

import dev.wireport.framing.FrameCodec;
import dev.wireport.io.EventLoops;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.socket.nio.NioChannelOption;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.handler.timeout.WriteTimeoutHandler;
import org.jspecify.annotations.Nullable;

import org.springframework.integration.ip.tcp.connection.AbstractServerConnectionFactory;
import org.springframework.integration.ip.tcp.connection.TcpConnectionSupport;

/**
 * A Spring Integration server connection factory on Netty: the listening socket and every
 * connection run on the shared {@link EventLoops}, and each accepted connection is a
 * {@link NettyTcpConnection} that goes through the factory's interceptors
 * ({@code wrapConnection}), registers with its listener and senders, and publishes the
 * usual connection events, as on Spring Integration's own factories. So the TCP inbound
 * and outbound adapters, and the {@code Tcp} DSL, work on it unchanged.
 *
 * <p>
 * Each connection's pipeline, from the socket inwards:
 * {@code ProxyProtocolHandler -> SslHandler -> IdleStateHandler -> WriteTimeoutHandler ->
 * framing decoder -> connection}: the PROXY protocol handler only where the listener
 * reads that header, which comes before any TLS; TLS only with an SSL bundle, and then
 * the rest only once its handshake is done; the timeouts only where they are set.
 */
final class NettyServerConnectionFactory extends AbstractServerConnectionFactory {

	/**
	 * Above this many reply bytes waiting for the socket a connection stops reading, and
	 * reads again once they are below {@link #LOW_WATER_MARK}: a peer that does not read
	 * its replies holds this much, whatever it sends.
	 */
	static final int HIGH_WATER_MARK = 64 * 1024;

	static final int LOW_WATER_MARK = 32 * 1024;

	/**
	 * Reads start at 1 KiB and adapt to what the peer sends, up to 8 KiB: idle
	 * connections hold no buffer, and one read answers at most 8 KiB of frames before the
	 * connection checks whether its peer keeps up.
	 */
	private static final AdaptiveRecvByteBufAllocator READ_SIZES = new AdaptiveRecvByteBufAllocator(64, 1024, 8 * 1024);

	/**
	 * One read of one connection in one turn of its event loop, then the loop serves the
	 * others and comes back: at most 8 KiB of frames go through the flow before another
	 * connection is served. With Netty's default of 16 reads, 4 pipelining peers held a
	 * request/reply client's p99 at 4.4 ms against 1.2 ms with one read, and one read was
	 * also the fastest pipelined (docs/performance.md).
	 */
	private static final int READS_PER_TURN = 1;

	private final TcpListenerSettings settings;

	private final ListenerConnections served;

	private final EventLoops eventLoops;

	private final FrameCodec codec;

	private final @Nullable ListenerTls tls;

	private volatile Channel serverChannel;

	NettyServerConnectionFactory(TcpListenerSettings settings, ListenerConnections served, EventLoops eventLoops) {
		super(settings.port());
		this.settings = settings;
		this.tls = served.tls();
		this.served = served;
		this.eventLoops = eventLoops;
		this.codec = settings.codec();
		setLocalAddress(settings.host());
		setBacklog(settings.backlog());
		setSoTcpNoDelay(settings.tcpNoDelay());
		setSoKeepAlive(settings.keepAlive());
		// Binding is one call that returns once the socket listens: it runs on the thread
		// that starts the factory, and the event loops do the rest.
		setTaskExecutor(Runnable::run);
	}

	/**
	 * Binds the listening socket on the shared event loops.
	 */
	@Override
	public void run() {
		if (getListener() == null) {
			logger.info(() -> this + " has no listener; not listening");
			return;
		}
		ServerBootstrap bootstrap = userTimeout(keepAliveTuning(this.eventLoops.serverBootstrap()));
		if (this.tls != null) {
			// The JDK's TLS engine wraps each reply into a heap buffer of a whole
			// record (about 16 KiB) that the socket write copies into direct memory.
			// Netty's pooled allocator serves those from per-thread caches; the
			// default adaptive one took a sixth of the TLS profile. Plain listeners
			// keep the adaptive allocator, faster for small buffers (docs/tls.md).
			bootstrap.childOption(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT);
		}
		ChannelFuture bound = bootstrap.option(ChannelOption.SO_BACKLOG, getBacklog())
			// A restarted service binds its ports again at once, whatever connections of
			// the previous one linger in TIME_WAIT.
			.option(ChannelOption.SO_REUSEADDR, true)
			.childOption(ChannelOption.TCP_NODELAY, isSoTcpNoDelay())
			.childOption(ChannelOption.SO_KEEPALIVE, isSoKeepAlive())
			// A client's half-close ends its input only: the replies to what it sent are
			// still written, and raw framing takes the whole stream as its message.
			.childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
			.childOption(ChannelOption.WRITE_BUFFER_WATER_MARK,
					new WriteBufferWaterMark(LOW_WATER_MARK, HIGH_WATER_MARK))
			.childOption(ChannelOption.RECVBUF_ALLOCATOR, READ_SIZES.maxMessagesPerRead(READS_PER_TURN))
			.childHandler(new ChannelInitializer<>() {
				@Override
				protected void initChannel(Channel channel) {
					accept(channel);
				}
			})
			.bind(getLocalAddress(), super.getPort())
			.awaitUninterruptibly();
		if (!bound.isSuccess()) {
			Throwable cause = bound.cause();
			publishServerExceptionEvent((cause instanceof Exception ex) ? ex : new IllegalStateException(cause));
			return;
		}
		this.serverChannel = bound.channel();
		setListening(true);
		this.serverChannel.closeFuture().addListener((closed) -> setListening(false));
		publishServerListeningEvent(getPort());
	}

	/**
	 * When keep-alive is on, how soon it finds a vanished peer: a quiet connection is
	 * probed after {@code keep-alive-idle}, then every {@code keep-alive-interval}, and
	 * closed after {@code keep-alive-count} unanswered probes. Through Netty's epoll
	 * options on epoll, the JDK's extended socket options on NIO (where a platform
	 * without them keeps its system's defaults, with a warning from Netty).
	 */
	private ServerBootstrap keepAliveTuning(ServerBootstrap bootstrap) {
		if (!isSoKeepAlive()) {
			return bootstrap;
		}
		int idle = wholeSeconds(this.settings.keepAliveIdle());
		int interval = wholeSeconds(this.settings.keepAliveInterval());
		int count = this.settings.keepAliveCount();
		if (this.eventLoops.epoll()) {
			return bootstrap.childOption(EpollChannelOption.TCP_KEEPIDLE, idle)
				.childOption(EpollChannelOption.TCP_KEEPINTVL, interval)
				.childOption(EpollChannelOption.TCP_KEEPCNT, count);
		}
		return bootstrap.childOption(NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPIDLE), idle)
			.childOption(NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPINTERVAL), interval)
			.childOption(NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPCOUNT), count);
	}

	/**
	 * On epoll, the sockets' {@code TCP_USER_TIMEOUT}: replies the kernel has sent that
	 * stay unacknowledged this long close the connection. {@link WriteTimeoutHandler}
	 * only sees replies Netty could not hand to the kernel, so a peer that vanished while
	 * owed less than its socket's send buffer holds (a few MB) would otherwise be noticed
	 * only by the idle timeout, or after the kernel's retransmissions (about 15 minutes).
	 * The write timeout, or with keep-alive on the keep-alive's whole probing time if
	 * that is longer: Linux then ends a quiet connection at its first unanswered probe
	 * past the user timeout instead of after {@code keep-alive-count} probes, and this
	 * keeps that count's meaning. NIO has no such option: there, that case waits for the
	 * idle timeout.
	 */
	private ServerBootstrap userTimeout(ServerBootstrap bootstrap) {
		if (!this.eventLoops.epoll() || this.settings.writeTimeout().isZero()) {
			return bootstrap;
		}
		long millis = this.settings.writeTimeout().toMillis();
		if (isSoKeepAlive()) {
			long probing = wholeSeconds(this.settings.keepAliveIdle())
					+ (long) wholeSeconds(this.settings.keepAliveInterval()) * this.settings.keepAliveCount();
			millis = Math.max(millis, TimeUnit.SECONDS.toMillis(probing));
		}
		return bootstrap.childOption(EpollChannelOption.TCP_USER_TIMEOUT, (int) Math.min(millis, Integer.MAX_VALUE));
	}

	/** The kernel counts keep-alive time in seconds: a fraction is rounded up. */
	private static int wholeSeconds(Duration duration) {
		return (int) (duration.toSeconds() + ((duration.toNanosPart() > 0) ? 1 : 0));
	}

	/**
	 * Builds an accepted socket's pipeline, TLS first where the listener has it; on the
	 * connection's event loop, before it is active.
	 */
	private void accept(Channel channel) {
		if (this.settings.proxyProtocol() != ProxyProtocol.OFF) {
			// First: the header precedes everything else the peer sends, TLS included.
			channel.pipeline()
				.addFirst(new ProxyProtocolHandler(this.settings.proxyProtocol(), this.settings.frameTimeout()));
		}
		if (this.tls != null) {
			// A refused PROXY header ends the socket before any connection exists, and no
			// plain-text error can be sent to a TLS client: it is counted and closed.
			this.tls.accept(channel, (session) -> serve(channel, session),
					(refused) -> this.served.rejectedBeforeHandshake(channel, refused));
		}
		else {
			serve(channel, null);
		}
	}

	/**
	 * Makes a socket a Spring Integration connection and adds its handlers, after TLS's
	 * where the listener has it.
	 * @param session the connection's TLS session, {@code null} for plain TCP
	 */
	private void serve(Channel channel, @Nullable SSLSession session) {
		NettyTcpConnection connection = new NettyTcpConnection(channel, getApplicationEventPublisher(),
				getComponentName(), this.served, this.codec, session);
		TcpConnectionSupport wrapped = wrapConnection(connection);
		// No java.net.Socket here: the factory's socket options are Netty's child
		// options.
		initializeConnection(wrapped, null);
		channel.closeFuture().addListener((closed) -> this.connections.remove(wrapped.getConnectionId()));
		ChannelPipeline pipeline = channel.pipeline();
		if (!this.settings.idleTimeout().isZero()) {
			pipeline.addLast(new IdleStateHandler(this.settings.idleTimeout().toNanos(), 0, 0, TimeUnit.NANOSECONDS));
		}
		if (!this.settings.writeTimeout().isZero()) {
			pipeline.addLast(new WriteTimeoutHandler(this.settings.writeTimeout().toNanos(), TimeUnit.NANOSECONDS));
		}
		pipeline.addLast(connection.decoder(), connection.handler());
	}

	/**
	 * Stops accepting; the connections already open are served on.
	 */
	void stopAccepting() {
		Channel server = this.serverChannel;
		if (server != null) {
			server.close().awaitUninterruptibly();
		}
	}

	@Override
	public void stop() {
		stopAccepting();
		super.stop();
	}

	@Override
	public int getPort() {
		Channel server = this.serverChannel;
		return (server != null && server.localAddress() instanceof InetSocketAddress bound) ? bound.getPort()
				: super.getPort();
	}

	@Override
	public SocketAddress getServerSocketAddress() {
		Channel server = this.serverChannel;
		return (server != null) ? server.localAddress() : null;
	}

}
