package dev.wireport.payload;

/**
 * A log-safe, size-capped rendering of a payload: valid UTF-8 text is kept, control
 * characters and bytes that are not UTF-8 are escaped ({@code \n}, {@code \x00}), so a
 * payload can neither forge log lines nor flood them.
 */
public final class Preview {

	private static final char[] HEX = "0123456789abcdef".toCharArray();

	private Preview() {
	}

	/**
	 * Renders at most {@code maxBytes} bytes of {@code payload}; a longer payload ends in
	 * {@code ...(+N bytes)}.
	 * @param payload the bytes
	 * @param maxBytes how many bytes to render at most
	 * @return the printable preview
	 */
	public static String of(byte[] payload, int maxBytes) {
		int shown = Math.min(payload.length, maxBytes);
		StringBuilder out = new StringBuilder(shown + 16);
		int i = 0;
		while (i < shown) {
			int length = utf8SequenceLength(payload, i, shown);
			if (length == 0) {
				appendHex(out, payload[i]);
				i++;
				continue;
			}
			int codePoint = decode(payload, i, length);
			if (codePoint < 0x20 || codePoint == 0x7f || (codePoint >= 0x80 && codePoint < 0xa0) || codePoint == '\\') {
				appendEscaped(out, codePoint);
			}
			else {
				out.appendCodePoint(codePoint);
			}
			i += length;
		}
		if (payload.length > shown) {
			out.append("...(+").append(payload.length - shown).append(" bytes)");
		}
		return out.toString();
	}

	/**
	 * The length of the well-formed UTF-8 sequence at {@code start}, or 0 if there is
	 * none (a stray continuation byte, an overlong form, a surrogate, a cut sequence).
	 */
	private static int utf8SequenceLength(byte[] bytes, int start, int end) {
		int lead = bytes[start] & 0xff;
		int length;
		int min;
		if (lead < 0x80) {
			return 1;
		}
		else if (lead >= 0xc2 && lead <= 0xdf) {
			length = 2;
			min = 0x80;
		}
		else if (lead >= 0xe0 && lead <= 0xef) {
			length = 3;
			min = 0x800;
		}
		else if (lead >= 0xf0 && lead <= 0xf4) {
			length = 4;
			min = 0x10000;
		}
		else {
			return 0;
		}
		if (start + length > end) {
			return 0;
		}
		for (int k = 1; k < length; k++) {
			if ((bytes[start + k] & 0xc0) != 0x80) {
				return 0;
			}
		}
		int codePoint = decode(bytes, start, length);
		boolean valid = codePoint >= min && codePoint <= Character.MAX_CODE_POINT
				&& !(codePoint >= Character.MIN_SURROGATE && codePoint <= Character.MAX_SURROGATE);
		return valid ? length : 0;
	}

	private static int decode(byte[] bytes, int start, int length) {
		if (length == 1) {
			return bytes[start];
		}
		int codePoint = bytes[start] & (0xff >> (length + 1));
		for (int k = 1; k < length; k++) {
			codePoint = (codePoint << 6) | (bytes[start + k] & 0x3f);
		}
		return codePoint;
	}

	private static void appendEscaped(StringBuilder out, int codePoint) {
		switch (codePoint) {
			case '\n' -> out.append("\\n");
			case '\r' -> out.append("\\r");
			case '\t' -> out.append("\\t");
			case '\\' -> out.append("\\\\");
			default -> out.append("\\u")
				.append(HEX[codePoint >> 12 & 0xf])
				.append(HEX[codePoint >> 8 & 0xf])
				.append(HEX[codePoint >> 4 & 0xf])
				.append(HEX[codePoint & 0xf]);
		}
	}

	private static void appendHex(StringBuilder out, byte b) {
		out.append("\\x").append(HEX[(b >> 4) & 0xf]).append(HEX[b & 0xf]);
	}

}
