package dev.wireport.framing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.function.IntSupplier;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The framings' Netty decoders, fed as a connection feeds them: each read's bytes as one
 * buffer, whole frames passed on, and at the peer's end of stream the last frame taken or
 * an unfinished one refused. However the bytes are split into reads, a decoder takes the
 * same frames and stops the same way, and it never holds more than one frame's limit.
 * Random cases come from fixed seeds, named on failure.
 */
class FrameDecoderTest {

	private static final int MAX = 512;

	private static final int RUNS = 120;

	private static final String END = "end";

	private static final IntSupplier ONE_BYTE = () -> 1;

	private static final IntSupplier WHOLE = () -> Integer.MAX_VALUE;

	@ParameterizedTest
	@EnumSource(Framing.class)
	void decodesTheSameFramesHoweverTheBytesAreSplit(Framing framing) {
		FrameCodec codec = framing.codec(MAX);
		for (int run = 0; run < RUNS; run++) {
			long seed = framing.ordinal() * 1_000_003L + run;
			Random random = new Random(seed);
			ByteArrayOutputStream wire = new ByteArrayOutputStream();
			// Raw carries one message per connection.
			int count = (framing == Framing.RAW) ? 1 : 1 + random.nextInt(5);
			for (int i = 0; i < count; i++) {
				wire.writeBytes(codec.frame(FrameCodecPropertiesTest.payload(random, codec)));
			}
			byte[] bytes = mangle(random, wire.toByteArray(), run);
			// A byte at a time, small reads, or reads as large as a frame.
			int most = switch (run % 3) {
				case 0 -> 1;
				case 1 -> 64;
				default -> MAX;
			};
			List<String> decoded = decode(codec, bytes, randomSplits(random.nextLong(), most),
					Storage.values()[run % 4 % 3]);

			// Chunk's reads never exceed the limit here, so it passes every byte on.
			List<String> expected = (framing != Framing.CHUNK) ? decode(codec, bytes, WHOLE, Storage.HEAP)
					: List.of(HexFormat.of().formatHex(bytes) + END);
			assertThat(sameAcrossSplits(framing, decoded)).as("seed %d", seed).isEqualTo(expected);
		}
	}

	/**
	 * What must not depend on how the bytes were split: the frames and the ending, or for
	 * chunk, whose messages are the reads themselves, the bytes they carry.
	 */
	private static List<String> sameAcrossSplits(Framing framing, List<String> outcome) {
		return (framing != Framing.CHUNK) ? outcome : List.of(String.join("", outcome));
	}

	@ParameterizedTest
	@CsvSource({ "lf, 101", "crlf, 102", "null-terminated, 101", "stx-etx, 102", "raw, 101", "length-header-1, 1",
			"length-header-2, 2", "length-header-4, 4", "length-header-4-le, 4" })
	void refusesAnOversizedFrameAsSoonAsTheBytesProveIt(String name, int refusedAt) {
		FrameCodec codec = Framing.fromConfigName(name).codec(100);
		byte[] payload = new byte[200];
		Arrays.fill(payload, (byte) 'a');

		Refusal refusal = feedUntilRefused(codec, codec.frame(payload));

		assertThat(refusal.fed()).isEqualTo(refusedAt);
		assertThat(refusal.error().reason()).isEqualTo(FrameException.Reason.TOO_LARGE);
	}

	@Test
	void refusesAnOversizedLengthWithOnlyTheHeaderBuffered() {
		FrameCodec codec = Framing.LENGTH_HEADER_4.codec(1024);
		// 10 MB announced; not one payload byte follows.
		byte[] header = HexFormat.of().parseHex("00a00000");

		Refusal refusal = feedUntilRefused(codec, header);

		assertThat(refusal.fed()).isEqualTo(4);
		assertThat(error(refusal.error()))
			.isEqualTo("TOO_LARGE: frame of 10485760 bytes exceeds the maximum frame size of 1024 bytes");
	}

	@ParameterizedTest
	@CsvSource({ "length-header-4, ffffffff, 'MALFORMED: negative length header -1'",
			"length-header-4-le, 000000f0, 'MALFORMED: negative length header -268435456'",
			"length-header-4, 0000, MALFORMED: connection closed in the middle of a frame after 2 bytes",
			"length-header-2, 0005616263, MALFORMED: connection closed in the middle of a frame after 3 bytes",
			"lf, 616263, MALFORMED: connection closed in the middle of a frame after 3 bytes",
			"lf, 610a62, 61 MALFORMED: connection closed in the middle of a frame after 1 bytes",
			"crlf, 6162630d, MALFORMED: connection closed in the middle of a frame after 4 bytes",
			"stx-etx, 616263, 'MALFORMED: expected start byte 0x02 at the start of a frame, got 0x61'",
			"stx-etx, 026103616263, '61 MALFORMED: expected start byte 0x02 at the start of a frame, got 0x61'",
			"stx-etx, 02616263, MALFORMED: connection closed in the middle of a frame after 4 bytes",
			"stx-etx, 02, MALFORMED: connection closed in the middle of a frame after 1 bytes",
			"lf, 610a620a, 61 62 end", "crlf, 0d0d0a0a0d0a, 0d 0a end", "null-terminated, 6100, 61 end",
			"stx-etx, 026103, 61 end", "crlf, 0d0a610d0a, ' 61 end'", "stx-etx, 0203, ' end'",
			"length-header-2, 0000, ' end'", "length-header-1, 0161, 61 end", "length-header-4-le, 0100000061, 61 end",
			"raw, 6162, 6162 end", "chunk, 6162, 6162 end", "lf, '', end", "length-header-2, '', end", "raw, '', end",
			"chunk, '', end" })
	void endsAsDocumented(String name, String wireHex, String outcome) {
		Framing framing = Framing.fromConfigName(name);
		FrameCodec codec = framing.codec(1024);
		byte[] bytes = HexFormat.of().parseHex(wireHex);

		assertThat(String.join(" ", decode(codec, bytes, WHOLE, Storage.HEAP))).isEqualTo(outcome);
		// A byte a time: the same, but for chunk, which then sees one message per byte.
		List<String> byteByByte = decode(codec, bytes, ONE_BYTE, Storage.DIRECT);
		if (framing != Framing.CHUNK) {
			assertThat(String.join(" ", byteByByte)).isEqualTo(outcome);
		}
		else {
			assertThat(String.join("", byteByByte)).isEqualTo(outcome.replace(" ", ""));
		}
	}

	@ParameterizedTest
	@EnumSource(Framing.class)
	void takesAFrameOfTheMaximumSizeAndRefusesOneByteMore(Framing framing) {
		FrameCodec codec = framing.codec(100);
		for (int size : new int[] { 100, 101 }) {
			byte[] payload = new byte[size];
			Arrays.fill(payload, (byte) 'a');

			// In one read, so that no byte after the limit can make up for it.
			List<String> decoded = decode(codec, codec.frame(payload), WHOLE, Storage.OFFSET_HEAP);

			if (size == 100) {
				assertThat(decoded).as("%d bytes", size).containsExactly(HexFormat.of().formatHex(payload), END);
			}
			else {
				assertThat(decoded).as("%d bytes", size).singleElement().asString().startsWith("TOO_LARGE: ");
			}
		}
	}

	@Test
	void chunkGivesWhatEachReadDelivered() {
		EmbeddedChannel channel = new EmbeddedChannel(Framing.CHUNK.codec(1024).newDecoder());

		channel.writeInbound(Unpooled.copiedBuffer("hello,How are you???hello", StandardCharsets.US_ASCII));
		channel.writeInbound(Unpooled.copiedBuffer(",How are you???", StandardCharsets.US_ASCII));

		assertThat(frames(channel)).containsExactly("hello,How are you???hello", ",How are you???");
		assertThat(channel.finish()).isFalse();
	}

	@ParameterizedTest
	@EnumSource(value = Framing.class, names = { "CHUNK", "RAW" }, mode = EnumSource.Mode.EXCLUDE)
	void aPausedDecoderKeepsTheFramesAfterTheFirstUntilAskedAgain(Framing framing) {
		FrameCodec codec = framing.codec(MAX);
		FrameDecoder decoder = codec.newDecoder();
		EmbeddedChannel channel = new EmbeddedChannel(decoder);
		ByteBuf three = Unpooled.buffer();
		for (String text : List.of("one", "two", "three")) {
			three.writeBytes(codec.frame(text.getBytes(StandardCharsets.US_ASCII)));
		}

		decoder.setSingleDecode(true);
		channel.writeInbound(three);
		assertThat(frames(channel)).containsExactly("one");
		assertThat(decoder.pendingBytes()).isPositive();

		decoder.setSingleDecode(false);
		channel.writeInbound(Unpooled.EMPTY_BUFFER);
		assertThat(frames(channel)).containsExactly("two", "three");
		assertThat(decoder.pendingBytes()).isZero();
	}

	@ParameterizedTest
	@EnumSource(value = Framing.class, names = "CHUNK", mode = EnumSource.Mode.EXCLUDE)
	void pendingBytesCountAnUnfinishedFrame(Framing framing) {
		FrameCodec codec = framing.codec(MAX);
		FrameDecoder decoder = codec.newDecoder();
		EmbeddedChannel channel = new EmbeddedChannel(decoder);
		byte[] frame = codec.frame("hello".getBytes(StandardCharsets.US_ASCII));

		channel.writeInbound(Unpooled.wrappedBuffer(frame, 0, 2));

		assertThat(decoder.pendingBytes()).isEqualTo(2);
	}

	/**
	 * Feeds {@code bytes} to a new decoder, each split as one read, checking after every
	 * read that the decoder holds no more than one frame's limit and its framing; at the
	 * end of the bytes the peer's end of stream.
	 * @return the payloads in hex, then {@link #END} or the error
	 */
	static List<String> decode(FrameCodec codec, byte[] bytes, IntSupplier splits, Storage storage) {
		FrameDecoder decoder = codec.newDecoder();
		EmbeddedChannel channel = new EmbeddedChannel(decoder);
		List<String> outcome = new ArrayList<>();
		try {
			int offset = 0;
			while (offset < bytes.length) {
				int count = Math.min(splits.getAsInt(), bytes.length - offset);
				channel.writeInbound(storage.copy(bytes, offset, count));
				offset += count;
				outcome.addAll(hex(channel));
				assertThat(decoder.pendingBytes()).as("bytes held")
					.isLessThanOrEqualTo(codec.maxFrameSize() + FrameCodec.MAX_FRAMING_BYTES);
			}
			channel.finish();
			outcome.addAll(hex(channel));
			outcome.add(END);
		}
		catch (FrameException ex) {
			outcome.addAll(hex(channel));
			outcome.add(error(ex));
			FrameReader.closeAfterRefusal(channel);
		}
		return outcome;
	}

	private static List<String> hex(EmbeddedChannel channel) {
		List<String> frames = new ArrayList<>();
		for (byte[] payload = channel.readInbound(); payload != null; payload = channel.readInbound()) {
			frames.add(HexFormat.of().formatHex(payload));
		}
		return frames;
	}

	private static List<String> frames(EmbeddedChannel channel) {
		return hex(channel).stream()
			.map((hex) -> new String(HexFormat.of().parseHex(hex), StandardCharsets.US_ASCII))
			.toList();
	}

	/**
	 * Feeds {@code bytes} one at a time until the decoder throws; it must not pass on a
	 * frame before.
	 */
	private static Refusal feedUntilRefused(FrameCodec codec, byte[] bytes) {
		EmbeddedChannel channel = new EmbeddedChannel(codec.newDecoder());
		for (int fed = 1; fed <= bytes.length; fed++) {
			try {
				channel.writeInbound(Unpooled.wrappedBuffer(bytes, fed - 1, 1));
				assertThat((Object) channel.readInbound()).isNull();
			}
			catch (FrameException ex) {
				FrameReader.closeAfterRefusal(channel);
				return new Refusal(fed, ex);
			}
		}
		throw new AssertionError("the decoder never refused the frame");
	}

	private static String error(FrameException ex) {
		return ex.reason() + ": " + ex.getMessage();
	}

	/** Now and then breaks the bytes: one byte changed, or the stream cut short. */
	private static byte[] mangle(Random random, byte[] bytes, int run) {
		if (bytes.length == 0) {
			return bytes;
		}
		return switch (run % 5) {
			case 3 -> {
				byte[] changed = bytes.clone();
				changed[random.nextInt(changed.length)] = (byte) random.nextInt(256);
				yield changed;
			}
			case 4 -> Arrays.copyOf(bytes, random.nextInt(bytes.length));
			default -> bytes;
		};
	}

	/** Read sizes from 1 to {@code most}, the same sequence for the same seed. */
	static IntSupplier randomSplits(long seed, int most) {
		Random random = new Random(seed);
		return () -> 1 + random.nextInt(most);
	}

	/**
	 * Where a read's bytes are kept: Netty's decoders read heap buffers through their
	 * array, at its offset, and direct buffers through their methods.
	 */
	enum Storage {

		HEAP, OFFSET_HEAP, DIRECT;

		ByteBuf copy(byte[] bytes, int offset, int length) {
			return switch (this) {
				case HEAP -> Unpooled.copiedBuffer(bytes, offset, length);
				case OFFSET_HEAP ->
					Unpooled.buffer(length + 3).writerIndex(3).writeBytes(bytes, offset, length).readerIndex(3).slice();
				case DIRECT -> Unpooled.directBuffer(length).writeBytes(bytes, offset, length);
			};
		}

	}

	private record Refusal(int fed, FrameException error) {
	}

}
