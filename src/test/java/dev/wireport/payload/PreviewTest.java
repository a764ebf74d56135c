package dev.wireport.payload;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PreviewTest {

	@Test
	void keepsUtf8TextAndEscapesControlCharacters() {
		byte[] payload = "server接收消息成功\r\n\tq\\".getBytes(StandardCharsets.UTF_8);

		assertThat(Preview.of(payload, 100)).isEqualTo("server接收消息成功\\r\\n\\tq\\\\");
	}

	@Test
	void escapesBytesThatAreNotUtf8() {
		byte[] payload = { 'a', (byte) 0xff, 0x00, (byte) 0xc3, 'b', (byte) 0xe6, (byte) 0x8e };

		assertThat(Preview.of(payload, 100)).isEqualTo("a\\xff\\u0000\\xc3b\\xe6\\x8e");
	}

	@Test
	void refusesOverlongAndSurrogateEncodings() {
		byte[] overlongSlash = { (byte) 0xc0, (byte) 0xaf };
		byte[] surrogate = { (byte) 0xed, (byte) 0xa0, (byte) 0x80 };

		assertThat(Preview.of(overlongSlash, 100)).isEqualTo("\\xc0\\xaf");
		assertThat(Preview.of(surrogate, 100)).isEqualTo("\\xed\\xa0\\x80");
	}

	@Test
	void capsTheBytesShown() {
		byte[] payload = "abcdefghij".getBytes(StandardCharsets.US_ASCII);

		assertThat(Preview.of(payload, 4)).isEqualTo("abcd...(+6 bytes)");
	}

}
