package dev.wireport.framing;

import java.nio.ByteOrder;
import java.util.Locale;

/**
 * The framings a listener can speak, chosen by name ({@code chunk}, {@code lf},
 * {@code length-header-4-le}, ...). Each creates the one codec that both the server and
 * the clients use.
 */
public enum Framing {

	CHUNK("each read is one message, sticky packets included; replies written as they are"),

	LF("payload, then \\n (0x0a)"),

	CRLF("payload, then \\r\\n (0x0d 0x0a)"),

	LENGTH_HEADER_1("1-byte unsigned length, then the payload (at most 255 bytes)"),

	LENGTH_HEADER_2("2-byte big-endian unsigned length, then the payload (at most 65,535 bytes)"),

	LENGTH_HEADER_4("4-byte big-endian signed length, then the payload"),

	LENGTH_HEADER_4_LE("4-byte little-endian signed length, then the payload"),

	STX_ETX("0x02, payload, 0x03"),

	NULL_TERMINATED("payload, then 0x00"),

	RAW("the whole stream until the client half-closes is one message; the reply follows, then the server closes");

	private final String wireFormat;

	Framing(String wireFormat) {
		this.wireFormat = wireFormat;
	}

	/**
	 * The name used in configuration and on the command line, e.g.
	 * {@code length-header-4-le}.
	 * @return the name
	 */
	public String configName() {
		return name().toLowerCase(Locale.ROOT).replace('_', '-');
	}

	public String wireFormat() {
		return this.wireFormat;
	}

	public FrameCodec codec(int maxFrameSize) {
		return switch (this) {
			case CHUNK -> new ChunkCodec(maxFrameSize);
			case LF -> DelimitedCodec.terminatedBy(new byte[] { '\n' }, maxFrameSize);
			case CRLF -> DelimitedCodec.terminatedBy(new byte[] { '\r', '\n' }, maxFrameSize);
			case LENGTH_HEADER_1 -> new LengthHeaderCodec(1, ByteOrder.BIG_ENDIAN, maxFrameSize);
			case LENGTH_HEADER_2 -> new LengthHeaderCodec(2, ByteOrder.BIG_ENDIAN, maxFrameSize);
			case LENGTH_HEADER_4 -> new LengthHeaderCodec(4, ByteOrder.BIG_ENDIAN, maxFrameSize);
			case LENGTH_HEADER_4_LE -> new LengthHeaderCodec(4, ByteOrder.LITTLE_ENDIAN, maxFrameSize);
			case STX_ETX -> DelimitedCodec.between((byte) 0x02, (byte) 0x03, maxFrameSize);
			case NULL_TERMINATED -> DelimitedCodec.terminatedBy(new byte[] { 0 }, maxFrameSize);
			case RAW -> new RawCodec(maxFrameSize);
		};
	}

	/**
	 * Finds a framing by its configuration name.
	 * @param name e.g. {@code lf} or {@code length-header-4}
	 * @return the framing
	 * @throws IllegalArgumentException naming the valid framings when none matches
	 */
	public static Framing fromConfigName(String name) {
		for (Framing framing : values()) {
			if (framing.configName().equalsIgnoreCase(name)) {
				return framing;
			}
		}
		throw new IllegalArgumentException("Unknown framing '" + name + "'; valid framings: " + validNames());
	}

	public static String validNames() {
		StringBuilder names = new StringBuilder();
		for (Framing framing : values()) {
			names.append(names.isEmpty() ? "" : ", ").append(framing.configName());
		}
		return names.toString();
	}

}
