package dev.wireport.tcp;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;

import javax.net.ssl.SSLContext;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.pem.PemSslStoreBundle;
import org.springframework.boot.ssl.pem.PemSslStoreDetails;

/**
 * A certificate authority made for a test, and the certificates it issues, written as PEM
 * files (certificate, PKCS#8 private key) in a directory: real X.509 certificates with EC
 * P-256 keys, as a TLS server or client uses them.
 */
public final class TestPki {

	private static final AtomicLong SERIALS = new AtomicLong(System.currentTimeMillis());

	private final Path directory;

	private final X500Name name;

	private final KeyPair keys;

	private final X509Certificate certificate;

	private final Path certificateFile;

	/**
	 * Makes a CA and writes its certificate to {@code <ca>.crt}.
	 * @param directory where the files go
	 * @param ca the CA's name, also its files'
	 */
	public TestPki(Path directory, String ca) throws IOException, GeneralSecurityException {
		this.directory = directory;
		this.name = new X500Name("CN=" + ca);
		this.keys = newKeys();
		Instant now = Instant.now();
		X509v3CertificateBuilder builder = builder(this.name, this.keys, now.minus(Duration.ofHours(1)),
				now.plus(Duration.ofDays(2)));
		builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
		builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
		this.certificate = sign(builder, this.keys);
		this.certificateFile = write(ca + ".crt", this.certificate);
	}

	/**
	 * The CA's certificate, to trust what it issues.
	 * @return its PEM file
	 */
	public Path certificate() {
		return this.certificateFile;
	}

	/**
	 * Issues a certificate valid from an hour ago for two days.
	 * @param file the files' name: {@code <file>.crt} and {@code <file>.key}
	 * @param subject the subject's common name
	 * @param hosts the host names and IP addresses it is for (none for a client)
	 * @return the files
	 */
	public Issued issue(String file, String subject, String... hosts) throws IOException, GeneralSecurityException {
		Instant now = Instant.now();
		return issue(file, subject, now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(2)), hosts);
	}

	/**
	 * Issues a certificate.
	 * @param file the files' name: {@code <file>.crt} and {@code <file>.key}
	 * @param subject the subject's common name
	 * @param notBefore the start of its validity
	 * @param notAfter the end of its validity
	 * @param hosts the host names and IP addresses it is for (none for a client)
	 * @return the files
	 */
	public Issued issue(String file, String subject, Instant notBefore, Instant notAfter, String... hosts)
			throws IOException, GeneralSecurityException {
		KeyPair subjectKeys = newKeys();
		X509v3CertificateBuilder builder = builder(new X500Name("CN=" + subject), subjectKeys, notBefore, notAfter);
		builder.addExtension(Extension.authorityKeyIdentifier, false,
				new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(this.certificate));
		builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
		builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
		if (hosts.length > 0) {
			GeneralName[] names = new GeneralName[hosts.length];
			for (int i = 0; i < hosts.length; i++) {
				names[i] = new GeneralName(hosts[i].matches("[0-9.]+") ? GeneralName.iPAddress : GeneralName.dNSName,
						hosts[i]);
			}
			builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
		}
		Path certificateFile = write(file + ".crt", sign(builder, this.keys));
		Path keyFile = write(file + ".key", new JcaPKCS8Generator(subjectKeys.getPrivate(), null));
		return new Issued(certificateFile, keyFile);
	}

	private X509v3CertificateBuilder builder(X500Name subject, KeyPair subjectKeys, Instant notBefore, Instant notAfter)
			throws GeneralSecurityException {
		try {
			return new JcaX509v3CertificateBuilder(this.name, BigInteger.valueOf(SERIALS.incrementAndGet()),
					Date.from(notBefore), Date.from(notAfter), subject, subjectKeys.getPublic())
				.addExtension(Extension.subjectKeyIdentifier, false,
						new JcaX509ExtensionUtils().createSubjectKeyIdentifier(subjectKeys.getPublic()));
		}
		catch (IOException ex) {
			throw new GeneralSecurityException(ex);
		}
	}

	private static KeyPair newKeys() throws GeneralSecurityException {
		KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
		generator.initialize(new ECGenParameterSpec("secp256r1"));
		return generator.generateKeyPair();
	}

	private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair signer)
			throws GeneralSecurityException {
		try {
			return new JcaX509CertificateConverter().getCertificate(
					builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate())));
		}
		catch (OperatorCreationException ex) {
			throw new GeneralSecurityException(ex);
		}
	}

	private Path write(String file, Object pem) throws IOException {
		StringWriter text = new StringWriter();
		try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
			writer.writeObject(pem);
		}
		Path path = this.directory.resolve(file);
		Files.writeString(path, text.toString());
		return path;
	}

	/**
	 * A client's TLS context from PEM files, through Spring Boot's PEM support.
	 * @param trusted the CA certificates it trusts
	 * @param own its certificate and key, or {@code null} for none
	 * @return the context
	 */
	public static SSLContext clientContext(Path trusted, Issued own) {
		PemSslStoreDetails keys = (own != null)
				? new PemSslStoreDetails(null, own.certificate().toUri().toString(), own.key().toUri().toString())
				: null;
		return SslBundle.of(new PemSslStoreBundle(keys, PemSslStoreDetails.forCertificate(trusted.toUri().toString())))
			.createSslContext();
	}

	/**
	 * An issued certificate's files.
	 *
	 * @param certificate the certificate (PEM)
	 * @param key its private key (PEM, PKCS#8)
	 */
	public record Issued(Path certificate, Path key) {
	}

}
