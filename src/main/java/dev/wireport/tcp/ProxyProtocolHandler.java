package dev.wireport.tcp;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import dev.wireport.framing.FrameException;
import dev.wireport.payload.MessageLog;
import dev.wireport.payload.Preview;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.ProtocolDetectionState;
import io.netty.handler.codec.haproxy.HAProxyCommand;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyMessageDecoder;
import io.netty.handler.codec.haproxy.HAProxyProtocolException;
import io.netty.handler.codec.haproxy.HAProxyProxiedProtocol.AddressFamily;
import io.netty.util.AttributeKey;
import io.netty.util.NetUtil;
import io.netty.util.concurrent.ScheduledFuture;

/**
 * Reads the PROXY protocol header (HAProxy's v1 line or v2 binary header) a load balancer
 * sends before the client's bytes, first in a connection's pipeline, and removes itself
 * once it is read; Netty's {@link HAProxyMessageDecoder} parses it.
 *
 * <p>
 * The connection is not announced until the client's address is known: this handler holds
 * the channel's {@code channelActive} back and fires it only once the header is read
 * (with the carried address in the channel's {@link #CLIENT} attribute) or known to be
 * absent, so the connection admits itself, publishes its open event and logs its first
 * line with the client's address. Nothing of the header, and nothing after a bad one,
 * reaches the handlers after this one.
 *
 * <p>
 * Whether a header comes is decided as soon as the first bytes tell: at once when they
 * cannot begin one ({@code HTTP...}, {@code hello}), so that {@code optional} serves a
 * direct client's first message without waiting and {@code required} refuses it at once,
 * and by {@link HAProxyMessageDecoder#detectProtocol} once they can. A header missing
 * where it is required, malformed, cut short by the peer, or not completed within the
 * listener's frame timeout of its first byte is refused like a bad frame: the connection
 * sends {@code ERROR <reason>} in the listener's framing and closes, counted with reason
 * {@code proxy-protocol}. A peer that sends nothing is left to the idle timeout, as on
 * any listener.
 */
final class ProxyProtocolHandler extends ChannelDuplexHandler {

	/**
	 * The client's address the header carried; unset when the connection's peer is the
	 * client (no header, or a proxy's own {@code LOCAL} or {@code UNKNOWN} connection).
	 */
	static final AttributeKey<InetSocketAddress> CLIENT = AttributeKey.valueOf(ProxyProtocolHandler.class, "client");

	/** How a v1 header starts: the word and its space. */
	private static final byte[] V1_START = "PROXY ".getBytes(StandardCharsets.US_ASCII);

	/** How a v2 header starts: its 12-byte signature. */
	private static final byte[] V2_START = { 0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A };

	/**
	 * The largest v2 header accepted: the address block of any family (216 bytes) and 4
	 * KiB of TLVs, more than load balancers send (AWS sends its endpoint id, Google its
	 * PSC connection id), so that a header never holds the 64 KiB its length allows.
	 */
	private static final int MAX_TLV_BYTES = 4096;

	private final boolean required;

	private final Duration frameTimeout;

	private State state = State.DETECTING;

	/** The bytes read while it is not yet known whether they start a header. */
	private ByteBuf seen;

	/** Set while bytes are being handed to the header decoder. */
	private boolean decoding;

	private HeaderDecoder decoder;

	private HeaderReader reader;

	private ScheduledFuture<?> timer;

	ProxyProtocolHandler(ProxyProtocol mode, Duration frameTimeout) {
		this.required = mode == ProxyProtocol.REQUIRED;
		this.frameTimeout = frameTimeout;
	}

	@Override
	public void channelActive(ChannelHandlerContext ctx) {
		// Held back until the client's address is known: see announce().
	}

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object message) {
		ByteBuf bytes = (ByteBuf) message;
		switch (this.state) {
			case DETECTING -> detect(ctx, bytes);
			case DECODING -> decode(ctx, bytes);
			default -> bytes.release();
		}
	}

	private void detect(ChannelHandlerContext ctx, ByteBuf bytes) {
		if (this.seen == null) {
			this.seen = bytes;
		}
		else {
			this.seen = ctx.alloc().compositeBuffer().addComponents(true, this.seen, bytes);
		}
		if (!couldStartHeader(this.seen)) {
			noHeader(ctx);
			return;
		}
		if (HAProxyMessageDecoder.detectProtocol(this.seen).state() == ProtocolDetectionState.DETECTED) {
			this.state = State.DECODING;
			this.decoder = new HeaderDecoder();
			this.reader = new HeaderReader(ctx);
			// This handler, the decoder, then its reader.
			ctx.pipeline()
				.addAfter(ctx.name(), "proxy-protocol-reader", this.reader)
				.addAfter(ctx.name(), "proxy-protocol-decoder", this.decoder);
			ByteBuf header = this.seen;
			this.seen = null;
			decode(ctx, header);
		}
		waitForTheRest(ctx);
	}

	/**
	 * Whether the bytes read so far are the start of a v1 or v2 header: while they are,
	 * the handler waits for more; once they are not, there is no header.
	 */
	private static boolean couldStartHeader(ByteBuf bytes) {
		return startsLike(bytes, V1_START) || startsLike(bytes, V2_START);
	}

	private static boolean startsLike(ByteBuf bytes, byte[] start) {
		int length = Math.min(bytes.readableBytes(), start.length);
		for (int i = 0; i < length; i++) {
			if (bytes.getByte(bytes.readerIndex() + i) != start[i]) {
				return false;
			}
		}
		return true;
	}

	private void decode(ChannelHandlerContext ctx, ByteBuf bytes) {
		this.decoding = true;
		try {
			ctx.fireChannelRead(bytes);
		}
		finally {
			this.decoding = false;
		}
	}

	/**
	 * The first bytes cannot start a header: with {@code optional} they are the client's
	 * first bytes, and the peer is the client.
	 */
	private void noHeader(ChannelHandlerContext ctx) {
		if (this.required) {
			refuse(ctx, "PROXY protocol header required");
			return;
		}
		ByteBuf bytes = this.seen;
		this.seen = null;
		announce(ctx, null);
		if (bytes != null) {
			// The read's channelReadComplete follows.
			ctx.fireChannelRead(bytes);
		}
	}

	/**
	 * The header is read: the connection is announced with the client's address, and the
	 * decoder, removing itself once this returns, hands what followed the header on.
	 */
	private void decoded(ChannelHandlerContext ctx, HAProxyMessage header) {
		try {
			if (this.state == State.DECODING) {
				announce(ctx, client(header));
			}
		}
		finally {
			header.release();
		}
	}

	/**
	 * The client's address from a header: the proxy's own connections (a {@code LOCAL}
	 * health check, a v1 {@code UNKNOWN}) and families without one (a Unix socket) carry
	 * none, and the peer stays the client, as the specification says.
	 */
	private static InetSocketAddress client(HAProxyMessage header) {
		if (header.command() != HAProxyCommand.PROXY) {
			return null;
		}
		AddressFamily family = header.proxiedProtocol().addressFamily();
		if (family != AddressFamily.AF_IPv4 && family != AddressFamily.AF_IPv6) {
			return null;
		}
		// A literal the decoder has validated: no name lookup.
		InetAddress address = NetUtil.createInetAddressFromIpAddressString(header.sourceAddress());
		return (address != null) ? new InetSocketAddress(address, header.sourcePort()) : null;
	}

	/**
	 * Hands the connection on: the handlers after this one see it become active, then its
	 * bytes after the header; this handler and the header reader leave the pipeline.
	 */
	private void announce(ChannelHandlerContext ctx, InetSocketAddress client) {
		this.state = State.DONE;
		cancelTimer();
		if (client != null) {
			ctx.channel().attr(CLIENT).set(client);
		}
		if (this.reader != null) {
			ctx.pipeline().remove(this.reader);
		}
		ctx.pipeline().remove(this);
		ctx.fireChannelActive();
	}

	/**
	 * Refuses the connection as the listener refuses a bad frame: the error goes to the
	 * connection, which answers it in its framing and closes; from now on every byte the
	 * peer sends is dropped here, and what the decoder held with it.
	 */
	private void refuse(ChannelHandlerContext ctx, String reason) {
		this.state = State.REFUSED;
		cancelTimer();
		if (this.seen != null) {
			this.seen.release();
			this.seen = null;
		}
		if (this.decoder != null) {
			this.decoder.dropBuffered();
			ctx.pipeline().remove(this.decoder);
			ctx.pipeline().remove(this.reader);
		}
		ctx.fireExceptionCaught(new FrameException(FrameException.Reason.PROXY_PROTOCOL, reason));
	}

	/**
	 * Bytes of a header have come and the rest has not: the header must be complete
	 * within the frame timeout of its first byte, as a frame must.
	 */
	private void waitForTheRest(ChannelHandlerContext ctx) {
		if ((this.state == State.DETECTING || this.state == State.DECODING) && this.timer == null
				&& !this.frameTimeout.isZero()) {
			this.timer = ctx.executor().schedule(() -> {
				this.timer = null;
				if (this.state == State.DETECTING || this.state == State.DECODING) {
					refuse(ctx, "PROXY protocol header not completed within the frame timeout of "
							+ this.frameTimeout.toMillis() + "ms");
				}
			}, this.frameTimeout.toNanos(), TimeUnit.NANOSECONDS);
		}
	}

	private void cancelTimer() {
		if (this.timer != null) {
			this.timer.cancel(false);
			this.timer = null;
		}
	}

	/**
	 * The peer ended its side (or the connection stopped waiting for it) before the
	 * header was known: a peer that sent nothing is served as without a header (a TCP
	 * health check's connect and close), bytes that started a header make it a header cut
	 * short, other bytes (only possible with {@code optional}) are the client's.
	 */
	@Override
	public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
		if (event == ChannelInputShutdownEvent.INSTANCE
				&& (this.state == State.DETECTING || this.state == State.DECODING)) {
			if (this.state == State.DECODING || (this.seen != null && this.required)) {
				refuse(ctx, "PROXY protocol header incomplete");
			}
			else {
				ByteBuf bytes = this.seen;
				this.seen = null;
				announce(ctx, null);
				if (bytes != null) {
					ctx.fireChannelRead(bytes);
				}
			}
		}
		ctx.fireUserEventTriggered(event);
	}

	/**
	 * Netty's decoder closes the channel at once when a header is malformed, before it
	 * throws; the connection is to answer with its error first, so that close is left to
	 * the connection, which closes once the error is written. Any other close goes on.
	 */
	@Override
	public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
		if (this.decoding && this.state == State.DECODING) {
			ctx.channel().closeFuture().addListener((closed) -> promise.trySuccess());
			return;
		}
		ctx.close(promise);
	}

	@Override
	public void handlerRemoved(ChannelHandlerContext ctx) {
		cancelTimer();
		if (this.seen != null) {
			this.seen.release();
			this.seen = null;
		}
	}

	/**
	 * What Netty found wrong, from the innermost cause (the outer ones restate it),
	 * escaped: it quotes the peer's bytes, and goes into a log line and a reply.
	 */
	private static String problem(Throwable cause) {
		Throwable innermost = cause;
		while (innermost.getCause() != null) {
			innermost = innermost.getCause();
		}
		String problem = (innermost.getMessage() != null) ? innermost.getMessage()
				: innermost.getClass().getSimpleName();
		return Preview.of(problem.getBytes(StandardCharsets.UTF_8), MessageLog.PREVIEW_BYTES);
	}

	private enum State {

		/** Whether a header comes is not yet known. */
		DETECTING,

		/** A header is being read. */
		DECODING,

		/** The header was refused: every byte is dropped. */
		REFUSED,

		/** The connection has been handed on. */
		DONE

	}

	/**
	 * Netty's decoder, able to drop what it buffered when the header is refused, so that
	 * none of it reaches the connection when the decoder leaves the pipeline.
	 */
	private static final class HeaderDecoder extends HAProxyMessageDecoder {

		HeaderDecoder() {
			super(MAX_TLV_BYTES);
		}

		void dropBuffered() {
			internalBuffer().clear();
		}

	}

	/**
	 * Takes the decoder's result, right after it in the pipeline.
	 */
	private final class HeaderReader extends ChannelInboundHandlerAdapter {

		private final ChannelHandlerContext handler;

		HeaderReader(ChannelHandlerContext handler) {
			this.handler = handler;
		}

		@Override
		public void channelRead(ChannelHandlerContext ctx, Object message) {
			decoded(this.handler, (HAProxyMessage) message);
		}

		@Override
		public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
			if (cause instanceof HAProxyProtocolException && ProxyProtocolHandler.this.state == State.DECODING) {
				refuse(this.handler, "PROXY protocol header malformed: " + problem(cause));
			}
			else {
				ctx.fireExceptionCaught(cause);
			}
		}

	}

}
