package dev.wireport.io;

import java.util.Locale;
import java.util.concurrent.TimeUnit;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.internal.PlatformDependent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * The one Netty event-loop group every TCP and UDP listener runs on: a few threads, each
 * serving many sockets, on the transport {@code wireport.io.transport} chose. Listeners
 * take their bootstraps from here, so they share the threads and the transport. The group
 * stops last, after the listeners have drained (a bean destroyed after every lifecycle
 * has stopped).
 */
@Component
public class EventLoops implements DisposableBean {

	private static final Logger logger = LoggerFactory.getLogger(EventLoops.class);

	private final EventLoopGroup group;

	private final boolean epoll;

	public EventLoops(IoProperties properties) {
		this.epoll = properties.transport().resolve() == Transport.EPOLL;
		this.group = new MultiThreadIoEventLoopGroup(properties.eventLoopThreads(),
				new DefaultThreadFactory("wireport-io", true), properties.transport().ioHandlerFactory());
		logger.info("Network I/O on {} event-loop threads, {} transport", properties.eventLoopThreads(),
				transportName());
		String advice = unsafeAdvice(PlatformDependent.hasUnsafe(), PlatformDependent.getUnsafeUnavailabilityCause());
		if (advice != null) {
			logger.warn(advice);
		}
	}

	/**
	 * What to do when Netty cannot use {@code sun.misc.Unsafe}: from Java 24 on, unless
	 * the JVM allows it, Netty falls back to buffers and reference counts without it, and
	 * a pipelined message cost 20-25 % more CPU on Java 25 (docs/performance.md).
	 * @param hasUnsafe whether Netty uses it
	 * @param cause why not, as Netty gives it
	 * @return the advice to log, or {@code null} when Netty uses it
	 */
	static String unsafeAdvice(boolean hasUnsafe, Throwable cause) {
		if (hasUnsafe) {
			return null;
		}
		return "Netty runs without sun.misc.Unsafe (" + ((cause != null) ? cause.getMessage() : "unavailable")
				+ "), which costs CPU on every message; on Java 24 and newer start the JVM with"
				+ " --sun-misc-unsafe-memory-access=allow, as the container image does";
	}

	/**
	 * The transport in use.
	 * @return {@code epoll} or {@code nio}
	 */
	public String transportName() {
		return (this.epoll ? Transport.EPOLL : Transport.NIO).name().toLowerCase(Locale.ROOT);
	}

	/**
	 * Whether the native epoll transport is in use, whose channels take Netty's epoll
	 * options.
	 * @return {@code true} for epoll, {@code false} for NIO
	 */
	public boolean epoll() {
		return this.epoll;
	}

	/**
	 * A bootstrap for a listening TCP socket on the shared group.
	 * @return a new bootstrap
	 */
	public ServerBootstrap serverBootstrap() {
		return new ServerBootstrap().group(this.group)
			.channel(this.epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class);
	}

	/**
	 * A bootstrap for a UDP socket on the shared group.
	 * @return a new bootstrap
	 */
	public Bootstrap datagramBootstrap() {
		return new Bootstrap().group(this.group)
			.channel(this.epoll ? EpollDatagramChannel.class : NioDatagramChannel.class);
	}

	@Override
	public void destroy() {
		this.group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
	}

}
