package dev.wireport.payload;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;

/**
 * Decodes bytes as text only when they are valid in the charset, so that a body which is
 * not text can be sent as base64 instead of being mangled.
 */
public final class StrictText {

	private StrictText() {
	}

	/**
	 * Decodes without replacing anything.
	 * @param bytes the bytes
	 * @param charset the charset
	 * @return the text, or {@code null} if the bytes are not valid in the charset
	 */
	public static String decode(byte[] bytes, Charset charset) {
		try {
			return charset.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.decode(ByteBuffer.wrap(bytes))
				.toString();
		}
		catch (CharacterCodingException ex) {
			return null;
		}
	}

}
