package dev.wireport.cli;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslManagerBundle;
import org.springframework.boot.ssl.pem.PemSslStoreBundle;
import org.springframework.boot.ssl.pem.PemSslStoreDetails;

/**
 * TLS for the TCP clients: {@code --tls}, with the server's CA ({@code --ca}), a client
 * certificate ({@code --cert}, {@code --key}), all PEM files read by Spring Boot's PEM
 * support, or no check of the server at all ({@code --insecure}). TLS 1.3 and 1.2, and
 * the server's certificate must be for the host connected to, as for HTTPS.
 */
final class ClientTls {

	private static final String[] PROTOCOLS = { "TLSv1.3", "TLSv1.2" };

	private final SSLContext context;

	private final boolean checkHost;

	private ClientTls(SSLContext context, boolean checkHost) {
		this.context = context;
		this.checkHost = checkHost;
	}

	/**
	 * A TCP client's options followed by the TLS options.
	 * @param options the client's own options
	 * @return all its options
	 */
	static Options.Option[] withTlsOptions(Options.Option... options) {
		return Stream.concat(Stream.of(options), options().stream()).toArray(Options.Option[]::new);
	}

	private static List<Options.Option> options() {
		return List.of(Options.Option.flag("tls", "talk TLS to the server"),
				new Options.Option("ca", "",
						"PEM file of the CA certificates that sign the server's (with --tls; default: the JDK's)"),
				new Options.Option("cert", "", "PEM file of a client certificate, for servers that ask for one"),
				new Options.Option("key", "", "PEM file of the client certificate's private key (PKCS#8 or RSA)"),
				Options.Option.flag("insecure", "with --tls, accept any server certificate (for testing only)"));
	}

	/**
	 * The client's TLS as its options ask.
	 * @param options the command's options, with the TLS options
	 * @return the TLS to connect with, {@code null} without {@code --tls}
	 * @throws CommandException for options that do not go together or files that cannot
	 * be read
	 */
	static @Nullable ClientTls from(Options options) throws CommandException {
		String ca = options.text("ca");
		String cert = options.text("cert");
		String key = options.text("key");
		boolean insecure = options.flag("insecure");
		if (!options.flag("tls")) {
			if (!ca.isEmpty() || !cert.isEmpty() || !key.isEmpty() || insecure) {
				throw CommandException.usage("--ca, --cert, --key and --insecure need --tls");
			}
			return null;
		}
		if (cert.isEmpty() != key.isEmpty()) {
			throw CommandException.usage("--cert and --key go together");
		}
		if (insecure && !ca.isEmpty()) {
			throw CommandException.usage("--insecure checks no certificate: it does not go with --ca");
		}
		PemSslStoreDetails keys = cert.isEmpty() ? null
				: new PemSslStoreDetails(null, location("cert", cert), location("key", key));
		PemSslStoreDetails trusted = ca.isEmpty() ? null : PemSslStoreDetails.forCertificates(location("ca", ca));
		try {
			SslBundle bundle = SslBundle.of(new PemSslStoreBundle(keys, trusted));
			if (insecure) {
				bundle = SslBundle.of(bundle.getStores(), null, null, SslBundle.DEFAULT_PROTOCOL, SslManagerBundle
					.of(bundle.getManagers().getKeyManagerFactory(), InsecureTrustManagerFactory.INSTANCE));
			}
			return new ClientTls(bundle.createSslContext(), !insecure);
		}
		catch (RuntimeException ex) {
			throw CommandException.usage("cannot use the PEM files given: " + rootMessage(ex));
		}
	}

	private static String location(String option, String file) throws CommandException {
		Path path = Path.of(file);
		if (!Files.isReadable(path)) {
			throw CommandException.usage("--" + option + " " + file + ": no such file, or not readable");
		}
		return path.toUri().toString();
	}

	private static String rootMessage(Throwable failure) {
		Throwable root = failure;
		while (root.getCause() != null) {
			root = root.getCause();
		}
		return (root.getMessage() != null) ? root.getMessage() : root.toString();
	}

	/**
	 * Speaks TLS over a connected socket, the handshake done before this returns.
	 * @param socket the connected socket, with its timeouts set
	 * @param host the host connected to, which the server's certificate must name
	 * @param port the port connected to
	 * @return the TLS socket
	 * @throws CommandException when the handshake fails
	 */
	Socket handshake(Socket socket, String host, int port) throws CommandException {
		try {
			SSLSocket tls = (SSLSocket) this.context.getSocketFactory().createSocket(socket, host, port, true);
			SSLParameters parameters = tls.getSSLParameters();
			parameters.setProtocols(PROTOCOLS);
			if (this.checkHost) {
				parameters.setEndpointIdentificationAlgorithm("HTTPS");
			}
			tls.setSSLParameters(parameters);
			tls.startHandshake();
			return tls;
		}
		catch (IOException ex) {
			try {
				socket.close();
			}
			catch (IOException closing) {
				ex.addSuppressed(closing);
			}
			throw new CommandException("TLS handshake with " + host + ":" + port + " failed: " + rootMessage(ex), ex);
		}
	}

}
