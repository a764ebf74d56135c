package dev.wireport.tcp;

import dev.wireport.framing.FrameException;
import java.net.InetSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.regex.Pattern;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

import dev.wireport.payload.MessageLog;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import io.netty.handler.ssl.SslProvider;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;

/**
 * TLS on one TCP listener: the server context built from the listener's Spring Boot SSL
 * bundle (rebuilt when the bundle is reloaded, for the connections accepted after), the
 * handshake of each connection, and the TLS meters.
 *
 * <p>
 * The JDK's TLS provider, TLS 1.3 and 1.2 only, or those of the two that the bundle's
 * {@code options.enabled-protocols} allow; the bundle's ciphers where it names them.
 */
final class ListenerTls {

	private static final Logger logger = LoggerFactory.getLogger(ListenerTls.class);

	/** The protocols offered, newest first; older ones have known weaknesses. */
	static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

	private static final int MESSAGE_LIMIT = 160;

	/**
	 * The JDK's TLS. BoringSSL (netty-tcnative) answered request/reply over TLS 24 %
	 * faster, but it closes its own side when a client half-closes (TLS 1.3
	 * {@code close_notify}), so the replies to what that client sent last are lost: 9 of
	 * 20 acknowledgements reached the sticky demo (docs/tls.md).
	 */
	static final SslProvider PROVIDER = SslProvider.JDK;

	/**
	 * A failure about a certificate, by the JDK's message.
	 */
	private static final Pattern CERTIFICATE_ALERT = Pattern.compile("certificate|unknown_ca",
			Pattern.CASE_INSENSITIVE);

	private final String listener;

	private final TcpProperties.Ssl ssl;

	private final MeterRegistry registry;

	private final Map<String, Counter> handshakes = new ConcurrentHashMap<>();

	/** Open connections per protocol and cipher, each with its gauge. */
	private final Map<List<String>, AtomicInteger> open = new ConcurrentHashMap<>();

	private volatile SslContext context;

	/** The listener's warnings log: failed handshakes, which any client can cause. */
	private final MessageLog warnings;

	/**
	 * Builds the listener's server context from its bundle, and follows the bundle's
	 * reloads.
	 * @throws InvalidConfigurationPropertyValueException if the bundle does not exist or
	 * cannot serve TLS
	 */
	ListenerTls(String listener, TcpProperties.Ssl ssl, MessageLog warnings, SslBundles bundles,
			MeterRegistry registry) {
		this.listener = listener;
		this.warnings = warnings;
		this.ssl = ssl;
		this.registry = registry;
		SslBundle bundle;
		try {
			bundle = bundles.getBundle(ssl.bundle());
		}
		catch (NoSuchSslBundleException ex) {
			throw invalidBundle("no SSL bundle of that name; one is defined under spring.ssl.bundle.pem.<name> "
					+ "or spring.ssl.bundle.jks.<name> (defined: " + bundles.getBundleNames() + ")");
		}
		this.context = serverContext(bundle);
		bundles.addBundleUpdateHandler(ssl.bundle(), reloaded());
		counter("completed", "none");
		for (String reason : List.of("protocol", "certificate", "timeout")) {
			counter("failed", reason);
		}
	}

	private Consumer<SslBundle> reloaded() {
		return (bundle) -> {
			try {
				this.context = serverContext(bundle);
				logger.info("TCP listener '{}': SSL bundle '{}' reloaded; new connections use it", this.listener,
						this.ssl.bundle());
			}
			catch (RuntimeException ex) {
				logger.error("TCP listener '{}': SSL bundle '{}' reloaded but unusable; keeping the previous one",
						this.listener, this.ssl.bundle(), ex);
			}
		};
	}

	private SslContext serverContext(SslBundle bundle) {
		if (bundle.getStores().getKeyStore() == null) {
			throw invalidBundle("bundle '" + this.ssl.bundle()
					+ "' has no key store: a TLS listener needs a certificate and its private key");
		}
		if (this.ssl.clientAuth() != TlsClientAuth.NONE && bundle.getStores().getTrustStore() == null) {
			throw invalidBundle("bundle '" + this.ssl.bundle() + "' has no trust store, which client-auth "
					+ this.ssl.clientAuth().name().toLowerCase(Locale.ROOT) + " needs to check client certificates");
		}
		String[] enabled = bundle.getOptions().getEnabledProtocols();
		List<String> protocols = PROTOCOLS.stream()
			.filter((protocol) -> enabled == null || Arrays.asList(enabled).contains(protocol))
			.toList();
		if (protocols.isEmpty()) {
			throw invalidBundle("bundle '" + this.ssl.bundle() + "' enables " + Arrays.toString(enabled) + ", none of "
					+ PROTOCOLS);
		}
		SslContextBuilder builder = SslContextBuilder.forServer(bundle.getManagers().getKeyManagerFactory())
			.sslProvider(PROVIDER)
			.protocols(protocols)
			.clientAuth(this.ssl.clientAuth().netty());
		if (this.ssl.clientAuth() != TlsClientAuth.NONE) {
			builder.trustManager(bundle.getManagers().getTrustManagerFactory());
		}
		String[] ciphers = bundle.getOptions().getCiphers();
		if (ciphers != null) {
			builder.ciphers(Arrays.asList(ciphers));
		}
		try {
			return builder.build();
		}
		catch (SSLException ex) {
			throw invalidBundle("bundle '" + this.ssl.bundle() + "' cannot make a TLS server: " + ex.getMessage());
		}
	}

	private InvalidConfigurationPropertyValueException invalidBundle(String reason) {
		return new InvalidConfigurationPropertyValueException("wireport.tcp.listeners." + this.listener + ".ssl.bundle",
				this.ssl.bundle(), reason);
	}

	/**
	 * Puts TLS at the socket end of a new connection's pipeline; once the handshake is
	 * done, {@code serve} builds the rest of it, with the session. A failed handshake
	 * closes the socket and nothing else happens: the connection never existed for the
	 * flow.
	 * @param channel the accepted socket
	 * @param serve builds the connection and its handlers after the TLS handlers
	 * @param refused takes a frame refused before the handshake (a bad PROXY protocol
	 * header, read ahead of TLS) and ends the socket
	 */
	void accept(Channel channel, Consumer<SSLSession> serve, Consumer<FrameException> refused) {
		SslHandler tls = this.context.newHandler(channel.alloc());
		tls.setHandshakeTimeoutMillis(this.ssl.handshakeTimeout().toMillis());
		channel.pipeline().addLast(tls, new Handshake(tls, serve, refused));
	}

	private Counter counter(String outcome, String reason) {
		return this.handshakes.computeIfAbsent(outcome + "/" + reason,
				(key) -> Counter.builder("wireport.tcp.tls.handshakes")
					.description("TLS handshakes on TCP listeners, by outcome and, for those that failed, why")
					.tag("listener", this.listener)
					.tag("outcome", outcome)
					.tag("reason", reason)
					.register(this.registry));
	}

	/**
	 * Counts an open connection by its protocol and cipher.
	 * @param session the connection's TLS session
	 */
	void opened(SSLSession session) {
		this.open.computeIfAbsent(List.of(session.getProtocol(), session.getCipherSuite()), (key) -> {
			AtomicInteger count = new AtomicInteger();
			Gauge.builder("wireport.tcp.tls.connections", count, AtomicInteger::get)
				.description("TLS connections open now, by protocol and cipher")
				.tag("listener", this.listener)
				.tag("protocol", key.get(0))
				.tag("cipher", key.get(1))
				.register(this.registry);
			return count;
		}).incrementAndGet();
	}

	void closed(SSLSession session) {
		this.open.get(List.of(session.getProtocol(), session.getCipherSuite())).decrementAndGet();
	}

	/**
	 * Why a handshake failed, as the meters tag it: {@code timeout}, {@code certificate}
	 * (a certificate missing, untrusted, expired or for another host, on either side: the
	 * JDK reports the peer's refusal only as an alert's name in its message), or
	 * {@code protocol} (anything else: not TLS, no common protocol or cipher, the peer
	 * gone).
	 */
	static String reason(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof SslHandshakeTimeoutException) {
				return "timeout";
			}
			if (cause instanceof CertificateException || cause instanceof CertPathValidatorException
					|| cause instanceof CertPathBuilderException) {
				return "certificate";
			}
			String message = cause.getMessage();
			if (cause instanceof SSLException && message != null && CERTIFICATE_ALERT.matcher(message).find()) {
				return "certificate";
			}
		}
		return "protocol";
	}

	/**
	 * The subject of the client's certificate.
	 * @param session a TLS session
	 * @return the subject (RFC 2253), or {@code null} when the client sent no certificate
	 */
	static @Nullable String clientSubject(SSLSession session) {
		try {
			Certificate[] chain = session.getPeerCertificates();
			return (chain.length > 0 && chain[0] instanceof X509Certificate client)
					? client.getSubjectX500Principal().getName() : null;
		}
		catch (SSLPeerUnverifiedException ex) {
			return null;
		}
	}

	/**
	 * A failure's message, cut: Netty's for a plain-text client carries the hex of what
	 * it sent, up to a whole read.
	 */
	private static String shortened(String message) {
		return (message != null && message.length() > MESSAGE_LIMIT)
				? message.substring(0, MESSAGE_LIMIT) + "... (" + message.length() + " characters)" : message;
	}

	private static String remote(Channel channel) {
		InetSocketAddress peer = (InetSocketAddress) channel.remoteAddress();
		String remote = peer.getAddress().getHostAddress() + ":" + peer.getPort();
		// Behind a load balancer that sent the PROXY protocol, the client it carried.
		InetSocketAddress client = channel.attr(ProxyProtocolHandler.CLIENT).get();
		return (client != null) ? client.getAddress().getHostAddress() + ":" + client.getPort() + " via=" + remote
				: remote;
	}

	/**
	 * Waits for the handshake: on success it hands the channel on to the connection and
	 * leaves; on failure it counts and logs it, and the channel closes.
	 */
	private final class Handshake extends ChannelInboundHandlerAdapter {

		private final SslHandler tls;

		private final Consumer<SSLSession> serve;

		private final Consumer<FrameException> refused;

		Handshake(SslHandler tls, Consumer<SSLSession> serve, Consumer<FrameException> refused) {
			this.tls = tls;
			this.serve = serve;
			this.refused = refused;
		}

		@Override
		public void channelActive(ChannelHandlerContext ctx) {
			// The connection is active for the handlers after this one once the handshake
			// is done.
		}

		@Override
		public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
			if (event instanceof ChannelInputShutdownEvent) {
				// The peer ended its side before the handshake: there is nothing to wait
				// for. Closing fails the handshake, which is counted.
				ctx.close();
				return;
			}
			if (!(event instanceof SslHandshakeCompletionEvent handshake)) {
				ctx.fireUserEventTriggered(event);
				return;
			}
			if (handshake.isSuccess()) {
				counter("completed", "none").increment();
				// The connection's handlers go after this one and see the channel become
				// active; the application data of the read that finished the handshake
				// comes after this event, so it reaches them.
				this.serve.accept(this.tls.engine().getSession());
				ctx.fireChannelActive();
				ctx.pipeline().remove(this);
			}
			else {
				failed(ctx, handshake.cause());
			}
		}

		private void failed(ChannelHandlerContext ctx, Throwable cause) {
			String reason = reason(cause);
			counter("failed", reason).increment();
			if (cause instanceof ClosedChannelException || cause.getCause() instanceof ClosedChannelException) {
				// A client that connected and left without a word, like a port probe.
				logger.debug("listener={} remote={} closed during the TLS handshake", ListenerTls.this.listener,
						remote(ctx.channel()));
			}
			else {
				ListenerTls.this.warnings.logIfAdmitted("listener={} remote={} TLS handshake failed ({}): {}",
						ListenerTls.this.listener, remote(ctx.channel()), reason, shortened(cause.getMessage()));
			}
			ctx.close();
		}

		@Override
		public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
			if (cause instanceof FrameException frame) {
				this.refused.accept(frame);
				return;
			}
			// The handshake's failure, reported and counted through its completion event.
			logger.debug("listener={} remote={} TLS: {}", ListenerTls.this.listener, remote(ctx.channel()),
					cause.toString());
			ctx.close();
		}

	}

}
