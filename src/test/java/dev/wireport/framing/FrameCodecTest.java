package dev.wireport.framing;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

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

		assertThat(codec.frame(HELLO)).isEqualTo(wire);
		assertThat(read(codec, wire)).isEqualTo(HELLO);
	}

	@ParameterizedTest
	@EnumSource(value = Framing.class, names = { "CHUNK", "RAW" }, mode = EnumSource.Mode.EXCLUDE)
	void decodesFramesDeliveredOneByteAtATime(Framing framing) throws IOException {
		FrameCodec codec = framing.codec(1024);
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		out.writeBytes(codec.frame(HELLO));
		out.writeBytes(codec.frame("second".getBytes(StandardCharsets.US_ASCII)));
		FrameReader trickle = new FrameReader(new ChunkedInput(out.toByteArray(), 1), codec);

		assertThat(trickle.read()).isEqualTo(HELLO);
		assertThat(trickle.read()).asString().isEqualTo("second");
		assertThat(trickle.read()).isNull();
	}

	@ParameterizedTest
	@EnumSource(value = Framing.class, names = { "LENGTH_HEADER_2", "LENGTH_HEADER_4", "LENGTH_HEADER_4_LE", "RAW" })
	void carriesEveryByteValueUnchanged(Framing framing) throws IOException {
		byte[] everyByte = new byte[256];
		for (int i = 0; i < everyByte.length; i++) {
			everyByte[i] = (byte) i;
		}
		FrameCodec codec = framing.codec(1024);
		assertThat(read(codec, codec.frame(everyByte))).isEqualTo(everyByte);
	}

	@ParameterizedTest
	@CsvSource({ "lf, 4", "crlf, 4", "null-terminated, 4", "stx-etx, 4", "raw, 4", "length-header-1, 4",
			"length-header-4, 4", "chunk, 4" })
	void refusesAFrameOneByteOverTheLimit(String framing, int max) throws IOException {
		FrameCodec codec = Framing.fromConfigName(framing).codec(max);
		byte[] tooLarge = codec.frame("12345".getBytes(StandardCharsets.US_ASCII));
		byte[] fits = codec.frame("1234".getBytes(StandardCharsets.US_ASCII));

		assertThat(read(codec, fits)).asString().isEqualTo("1234");
		assertThatExceptionOfType(FrameException.class).isThrownBy(() -> read(codec, tooLarge))
			.satisfies((ex) -> assertThat(ex.reason()).isEqualTo(FrameException.Reason.TOO_LARGE))
			.withMessageContaining("maximum frame size of 4 bytes");
	}

	@Test
	void refusesAnOversizedLengthBeforeReadingThePayload() {
		FrameCodec codec = Framing.LENGTH_HEADER_4.codec(1024);
		// Only the header is there: the codec must decide without waiting for the
		// payload.
		byte[] headerOnly = HexFormat.of().parseHex("7fffffff");

		assertThatExceptionOfType(FrameException.class).isThrownBy(() -> read(codec, headerOnly))
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
		byte[] wire = HexFormat.of().parseHex(wireHex);

		assertThatExceptionOfType(FrameException.class).isThrownBy(() -> read(codec, wire))
			.withMessage(message)
			.satisfies((ex) -> assertThat(ex.reason()).isEqualTo(FrameException.Reason.MALFORMED));
	}

	@Test
	void chunkTakesWhatOneReadDelivered() throws IOException {
		byte[] glued = "hello,How are you???hello,How are you???".getBytes(StandardCharsets.US_ASCII);
		FrameReader in = new FrameReader(new ChunkedInput(glued, 25), Framing.CHUNK.codec(1024));

		assertThat(in.read()).asString().isEqualTo("hello,How are you???hello");
		assertThat(in.read()).asString().isEqualTo(",How are you???");
	}

	@Test
	void lengthHeaderCannotDescribeALongerPayload() {
		FrameCodec codec = Framing.LENGTH_HEADER_1.codec(1024);

		assertThat(codec.maxFrameSize()).isEqualTo(255);
		assertThat(codec.checkEncodable(new byte[256])).contains("1-byte length header");
		assertThatExceptionOfType(IllegalArgumentException.class).isThrownBy(() -> codec.frame(new byte[256]));
	}

	@Test
	void delimitedPayloadMustNotContainTheTerminator() {
		assertThat(Framing.LF.codec(1024).checkEncodable("a\nb".getBytes(StandardCharsets.US_ASCII)))
			.contains("terminator");
		assertThat(Framing.CRLF.codec(1024).checkEncodable("a\rb\n".getBytes(StandardCharsets.US_ASCII))).isNull();
	}

	/** The first frame of {@code wire}, read as a client reads it. */
	private static byte[] read(FrameCodec codec, byte[] wire) throws IOException {
		return new FrameReader(new ByteArrayInputStream(wire), codec).read();
	}

	@Test
	void namesEveryFramingInConfigurationStyle() {
		assertThat(Framing.LENGTH_HEADER_4_LE.configName()).isEqualTo("length-header-4-le");
		assertThat(Framing.fromConfigName("STX-ETX")).isEqualTo(Framing.STX_ETX);
		assertThatExceptionOfType(IllegalArgumentException.class).isThrownBy(() -> Framing.fromConfigName("json"))
			.withMessageContaining("valid framings: chunk, lf, crlf");
	}

}
