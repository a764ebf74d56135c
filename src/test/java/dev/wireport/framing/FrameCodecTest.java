package dev.wireport.framing;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.integration.ip.tcp.serializer.SoftEndOfStreamException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class FrameCodecTest {

	private static final byte[] HELLO = "hello".getBytes(StandardCharsets.US_ASCII);

	@ParameterizedTest
	@CsvSource({ "lf, 68656c6c6f0a", "crlf, 68656c6c6f0d0a", "length-header-1, 0568656c6c6f",
			"length-header-2, 000568656c6c6f", "length-header-4, 0000000568656c6c6f",
			"length-header-4-le, 0500000068656c6c6f", "stx-etx, 0268656c6c6f03", "null-terminated, 68656c6c6f00",
			"chunk, 68656c6c6f", "raw, 68656c6c6f" })
	void writesTheDocumentedWireFormat(String framing, String wireHex) throws IOException {
		FrameCodec codec = Framing.fromConfigName(framing).codec(1024);
		byte[] wire = HexFormat.of().parseHex(wireHex);

		ByteArrayOutputStream out = new ByteArrayOutputStream();
		codec.serialize(HELLO, out);

		assertThat(out.toByteArray()).isEqualTo(wire);
		assertThat(codec.deserialize(new ByteArrayInputStream(wire))).isEqualTo(HELLO);
	}

	@ParameterizedTest
	@EnumSource(value = Framing.class, names = { "CHUNK", "RAW" }, mode = EnumSource.Mode.EXCLUDE)
	void decodesFramesDeliveredOneByteAtATime(Framing framing) throws IOException {
		FrameCodec codec = framing.codec(1024);
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		codec.serialize(HELLO, out);
		codec.serialize("second".getBytes(StandardCharsets.US_ASCII), out);
		InputStream trickle = new ChunkedInput(out.toByteArray(), 1);

		assertThat(codec.deserialize(trickle)).isEqualTo(HELLO);
		assertThat(codec.deserialize(trickle)).asString().isEqualTo("second");
		assertThatExceptionOfType(SoftEndOfStreamException.class).isThrownBy(() -> codec.deserialize(trickle));
	}

	@ParameterizedTest
	@EnumSource(value = Framing.class, names = { "LENGTH_HEADER_2", "LENGTH_HEADER_4", "LENGTH_HEADER_4_LE", "RAW" })
	void carriesEveryByteValueUnchanged(Framing framing) throws IOException {
		byte[] everyByte = new byte[256];
		for (int i = 0; i < everyByte.length; i++) {
			everyByte[i] = (byte) i;
		}
		FrameCodec codec = framing.codec(1024);
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		codec.serialize(everyByte, out);

		assertThat(codec.deserialize(new ByteArrayInputStream(out.toByteArray()))).isEqualTo(everyByte);
	}

	@ParameterizedTest
	@CsvSource({ "lf, 4", "crlf, 4", "null-terminated, 4", "stx-etx, 4", "raw, 4", "length-header-1, 4",
			"length-header-4, 4", "chunk, 4" })
	void refusesAFrameOneByteOverTheLimit(String framing, int max) throws IOException {
		FrameCodec codec = Framing.fromConfigName(framing).codec(max);
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		codec.serialize("12345".getBytes(StandardCharsets.US_ASCII), out);
		ByteArrayOutputStream fits = new ByteArrayOutputStream();
		codec.serialize("1234".getBytes(StandardCharsets.US_ASCII), fits);

		assertThat(codec.deserialize(new ByteArrayInputStream(fits.toByteArray()))).asString().isEqualTo("1234");
		assertThatExceptionOfType(FrameException.class)
			.isThrownBy(() -> codec.deserialize(new ByteArrayInputStream(out.toByteArray())))
			.satisfies((ex) -> assertThat(ex.reason()).isEqualTo(FrameException.Reason.TOO_LARGE))
			.withMessageContaining("maximum frame size of 4 bytes");
	}

	@Test
	void refusesAnOversizedLengthBeforeReadingThePayload() {
		FrameCodec codec = Framing.LENGTH_HEADER_4.codec(1024);
		// Only the header is there: the codec must decide without waiting for the
		// payload.
		InputStream headerOnly = new ByteArrayInputStream(HexFormat.of().parseHex("7fffffff"));

		assertThatExceptionOfType(FrameException.class).isThrownBy(() -> codec.deserialize(headerOnly))
			.withMessage("frame of 2147483647 bytes exceeds the maximum frame size of 1024 bytes");
	}

	@ParameterizedTest
	@CsvSource({ "length-header-4, ffffffff, negative length header -1",
			"length-header-4-le, 000000f0, negative length header -268435456",
			"length-header-4, 0000, connection closed in the middle of a frame after 2 bytes",
			"length-header-2, 0005616263, connection closed in the middle of a frame after 3 bytes",
			"lf, 616263, connection closed in the middle of a frame after 3 bytes",
			"stx-etx, 616263, 'expected start byte 0x02 at the start of a frame, got 0x61'",
			"stx-etx, 02616263, connection closed in the middle of a frame after 4 bytes" })
	void reportsMalformedFrames(String framing, String wireHex, String message) {
		FrameCodec codec = Framing.fromConfigName(framing).codec(1024);
		InputStream in = new ByteArrayInputStream(HexFormat.of().parseHex(wireHex));

		assertThatExceptionOfType(FrameException.class).isThrownBy(() -> codec.deserialize(in))
			.withMessage(message)
			.satisfies((ex) -> assertThat(ex.reason()).isEqualTo(FrameException.Reason.MALFORMED));
	}

	@Test
	void chunkTakesWhatOneReadDelivered() throws IOException {
		byte[] glued = "hello,How are you???hello,How are you???".getBytes(StandardCharsets.US_ASCII);
		ReadAheadInputStream in = new ReadAheadInputStream(new ChunkedInput(glued, 25), 64);
		FrameCodec codec = Framing.CHUNK.codec(1024);

		assertThat(codec.deserialize(in)).asString().isEqualTo("hello,How are you???hello");
		assertThat(codec.deserialize(in)).asString().isEqualTo(",How are you???");
	}

	@Test
	void lengthHeaderCannotDescribeALongerPayload() {
		FrameCodec codec = Framing.LENGTH_HEADER_1.codec(1024);

		assertThat(codec.maxFrameSize()).isEqualTo(255);
		assertThat(codec.checkEncodable(new byte[256])).contains("1-byte length header");
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> codec.serialize(new byte[256], new ByteArrayOutputStream()));
	}

	@Test
	void delimitedPayloadMustNotContainTheTerminator() {
		assertThat(Framing.LF.codec(1024).checkEncodable("a\nb".getBytes(StandardCharsets.US_ASCII)))
			.contains("terminator");
		assertThat(Framing.CRLF.codec(1024).checkEncodable("a\rb\n".getBytes(StandardCharsets.US_ASCII))).isNull();
	}

	@Test
	void namesEveryFramingInConfigurationStyle() {
		assertThat(Framing.LENGTH_HEADER_4_LE.configName()).isEqualTo("length-header-4-le");
		assertThat(Framing.fromConfigName("STX-ETX")).isEqualTo(Framing.STX_ETX);
		assertThatExceptionOfType(IllegalArgumentException.class).isThrownBy(() -> Framing.fromConfigName("json"))
			.withMessageContaining("valid framings: chunk, lf, crlf");
	}

}
