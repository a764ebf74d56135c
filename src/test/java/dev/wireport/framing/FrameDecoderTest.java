package dev.wireport.framing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.function.IntSupplier;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.integration.ip.tcp.serializer.SoftEndOfStreamException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The non-blocking decoders against the blocking {@code deserialize}: fed the same bytes
 * the way the server's event loop feeds them (compact the buffer, append what one read
 * brought, flip, take frames), a decoder returns the same payloads and ends with the same
 * error or clean end, in a buffer of {@code maxFrameSize +}
 * {@link FrameDecoder#MAX_FRAMING_BYTES} bytes. Random cases come from fixed seeds, named
 * on failure.
 */
class FrameDecoderTest {

	private static final int MAX = 512;

	private static final int RUNS = 120;

	private static final String END = "end";

	private static final IntSupplier ONE_BYTE = () -> 1;

	private static final IntSupplier WHOLE = () -> Integer.MAX_VALUE;

	@ParameterizedTest
	@EnumSource(Framing.class)
	void decodesWhatDeserializeReadsUnderRandomSplits(Framing framing) throws IOException {
		FrameCodec codec = framing.codec(MAX);
		int capacity = MAX + FrameDecoder.MAX_FRAMING_BYTES;
		for (int run = 0; run < RUNS; run++) {
			long seed = framing.ordinal() * 1_000_003L + run;
			Random random = new Random(seed);
			ByteArrayOutputStream wire = new ByteArrayOutputStream();
			// Raw carries one message per connection.
			int count = (framing == Framing.RAW) ? 1 : 1 + random.nextInt(5);
			for (int i = 0; i < count; i++) {
				codec.serialize(FrameCodecPropertiesTest.payload(random, codec), wire);
			}
			byte[] bytes = mangle(random, wire.toByteArray(), run);
			// A byte at a time, small reads, or reads as large as the buffer.
			int most = switch (run % 3) {
				case 0 -> 1;
				case 1 -> 64;
				default -> capacity;
			};
			// Both sides draw the same read sizes, so that chunk sees the same reads.
			long splitSeed = random.nextLong();
			List<String> expected = deserialize(codec, bytes, randomSplits(splitSeed, most));
			List<String> decoded = decode(codec, bytes, randomSplits(splitSeed, most), Storage.values()[run % 4 % 3]);

			assertThat(decoded).as("seed %d", seed).isEqualTo(expected);
		}
	}

	@ParameterizedTest
	@CsvSource({ "lf, 101", "crlf, 102", "null-terminated, 101", "stx-etx, 102", "raw, 101", "length-header-1, 1",
			"length-header-2, 2", "length-header-4, 4", "length-header-4-le, 4" })
	void refusesAnOversizedFrameAsSoonAsTheBytesProveIt(String name, int refusedAt) throws IOException {
		FrameCodec codec = Framing.fromConfigName(name).codec(100);
		byte[] payload = new byte[200];
		Arrays.fill(payload, (byte) 'a');
		ByteArrayOutputStream wire = new ByteArrayOutputStream();
		codec.serialize(payload, wire);
		byte[] bytes = wire.toByteArray();

		Refusal refusal = feedUntilRefused(codec.decoder(), bytes);

		assertThat(refusal.fed()).isEqualTo(refusedAt);
		assertThat(refusal.error().reason()).isEqualTo(FrameException.Reason.TOO_LARGE);
		assertThat(deserialize(codec, bytes, WHOLE)).containsExactly(error(refusal.error()));
	}

	@Test
	void refusesAnOversizedLengthWithOnlyTheHeaderBuffered() throws IOException {
		FrameCodec codec = Framing.LENGTH_HEADER_4.codec(1024);
		// 10 MB announced; not one payload byte follows.
		byte[] header = HexFormat.of().parseHex("00a00000");

		Refusal refusal = feedUntilRefused(codec.decoder(), header);

		assertThat(refusal.fed()).isEqualTo(4);
		assertThat(error(refusal.error()))
			.isEqualTo("TOO_LARGE: frame of 10485760 bytes exceeds the maximum frame size of 1024 bytes");
		assertThat(deserialize(codec, header, WHOLE)).containsExactly(error(refusal.error()));
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
	void endsAsDeserializeDoes(String name, String wireHex, String outcome) throws IOException {
		FrameCodec codec = Framing.fromConfigName(name).codec(1024);
		byte[] bytes = HexFormat.of().parseHex(wireHex);

		assertThat(String.join(" ", deserialize(codec, bytes, WHOLE))).isEqualTo(outcome);
		assertThat(String.join(" ", decode(codec, bytes, WHOLE, Storage.HEAP))).isEqualTo(outcome);
		// A byte a time: chunk then sees one message per byte, as deserialize does.
		assertThat(decode(codec, bytes, ONE_BYTE, Storage.DIRECT)).isEqualTo(deserialize(codec, bytes, ONE_BYTE));
	}

	@ParameterizedTest
	@EnumSource(Framing.class)
	void takesAFrameOfTheMaximumSizeAndRefusesOneByteMore(Framing framing) throws IOException {
		FrameCodec codec = framing.codec(100);
		for (int size : new int[] { 100, 101 }) {
			byte[] payload = new byte[size];
			Arrays.fill(payload, (byte) 'a');
			ByteArrayOutputStream wire = new ByteArrayOutputStream();
			codec.serialize(payload, wire);
			byte[] bytes = wire.toByteArray();

			// In one read, so that no byte after the limit can make up for it.
			List<String> decoded = decode(codec, bytes, WHOLE, Storage.OFFSET_HEAP);

			assertThat(decoded).as("%d bytes", size).isEqualTo(deserialize(codec, bytes, WHOLE));
			if (size == 100) {
				assertThat(decoded).containsExactly(HexFormat.of().formatHex(payload), END);
			}
			else {
				assertThat(decoded).singleElement().asString().startsWith("TOO_LARGE: ");
			}
		}
	}

	@ParameterizedTest
	@EnumSource(Framing.class)
	void endTakesAFrameStillBuffered(Framing framing) throws IOException {
		FrameCodec codec = framing.codec(MAX);
		ByteArrayOutputStream wire = new ByteArrayOutputStream();
		codec.serialize("hello".getBytes(StandardCharsets.US_ASCII), wire);
		FrameDecoder decoder = codec.decoder();
		ByteBuffer buffer = ByteBuffer.wrap(wire.toByteArray());

		assertThat(decoder.end(buffer)).asString().isEqualTo("hello");
		assertThat(decoder.end(buffer)).isNull();
	}

	@Test
	void chunkGivesWhatEachReadDelivered() throws IOException {
		FrameDecoder decoder = Framing.CHUNK.codec(1024).decoder();
		ByteBuffer buffer = ByteBuffer.allocate(64);

		buffer.put("hello,How are you???hello".getBytes(StandardCharsets.US_ASCII)).flip();
		assertThat(decoder.next(buffer)).asString().isEqualTo("hello,How are you???hello");
		assertThat(decoder.next(buffer)).isNull();
		buffer.compact().put(",How are you???".getBytes(StandardCharsets.US_ASCII)).flip();
		assertThat(decoder.next(buffer)).asString().isEqualTo(",How are you???");
		assertThat(decoder.end(buffer)).isNull();
	}

	@ParameterizedTest
	@EnumSource(Framing.class)
	void anEmptyBufferHoldsNoFrameAndEndsCleanly(Framing framing) throws IOException {
		FrameDecoder decoder = framing.codec(MAX).decoder();
		ByteBuffer empty = ByteBuffer.allocate(0);

		assertThat(decoder.next(empty)).isNull();
		assertThat(decoder.end(empty)).isNull();
	}

	/**
	 * Feeds {@code bytes} to a new decoder as the event loop will: before each read the
	 * buffer is compacted, a read appends at most what the next split allows and the
	 * buffer has room for, then every whole frame is taken; at the end of the bytes,
	 * {@code end} is called until it returns {@code null}.
	 * @return the payloads in hex, then {@link #END} or the error
	 */
	static List<String> decode(FrameCodec codec, byte[] bytes, IntSupplier splits, Storage storage) {
		FrameDecoder decoder = codec.decoder();
		ByteBuffer buffer = storage.allocate(codec.maxFrameSize() + FrameDecoder.MAX_FRAMING_BYTES).flip();
		List<String> outcome = new ArrayList<>();
		try {
			int offset = 0;
			while (offset < bytes.length) {
				buffer.compact();
				int count = Math.min(Math.min(splits.getAsInt(), bytes.length - offset), buffer.remaining());
				assertThat(count).as("undecided with a full buffer").isPositive();
				buffer.put(bytes, offset, count).flip();
				offset += count;
				takeFrames(decoder, buffer, outcome);
			}
			for (byte[] frame = decoder.end(buffer); frame != null; frame = decoder.end(buffer)) {
				outcome.add(HexFormat.of().formatHex(frame));
			}
			outcome.add(END);
		}
		catch (FrameException ex) {
			outcome.add(error(ex));
		}
		return outcome;
	}

	private static void takeFrames(FrameDecoder decoder, ByteBuffer buffer, List<String> outcome)
			throws FrameException {
		while (true) {
			int position = buffer.position();
			byte[] frame = decoder.next(buffer);
			if (frame == null) {
				assertThat(buffer.position()).as("position after no frame").isEqualTo(position);
				return;
			}
			outcome.add(HexFormat.of().formatHex(frame));
		}
	}

	/**
	 * Reads {@code bytes} with {@code deserialize} until it stops, through a read-ahead
	 * buffer as on a connection, each read of the source taking the next split.
	 * @return the payloads in hex, then {@link #END} or the error
	 */
	static List<String> deserialize(FrameCodec codec, byte[] bytes, IntSupplier splits) throws IOException {
		InputStream in = new ReadAheadInputStream(new ChunkedInput(bytes, splits),
				codec.maxFrameSize() + FrameDecoder.MAX_FRAMING_BYTES);
		List<String> outcome = new ArrayList<>();
		try {
			while (true) {
				outcome.add(HexFormat.of().formatHex(codec.deserialize(in)));
			}
		}
		catch (SoftEndOfStreamException ex) {
			outcome.add(END);
		}
		catch (FrameException ex) {
			outcome.add(error(ex));
		}
		return outcome;
	}

	/**
	 * Feeds {@code bytes} one at a time until the decoder throws; it must not return a
	 * frame before.
	 */
	private static Refusal feedUntilRefused(FrameDecoder decoder, byte[] bytes) {
		ByteBuffer buffer = ByteBuffer.allocate(bytes.length).flip();
		for (int fed = 1; fed <= bytes.length; fed++) {
			buffer.compact().put(bytes[fed - 1]).flip();
			try {
				assertThat(decoder.next(buffer)).isNull();
			}
			catch (FrameException ex) {
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
	 * Where the buffer keeps its bytes: the decoders scan a heap buffer's array, at its
	 * offset, and read any other buffer through its methods.
	 */
	enum Storage {

		HEAP, OFFSET_HEAP, DIRECT;

		ByteBuffer allocate(int capacity) {
			return switch (this) {
				case HEAP -> ByteBuffer.allocate(capacity);
				case OFFSET_HEAP -> ByteBuffer.allocate(capacity + 3).position(3).slice();
				case DIRECT -> ByteBuffer.allocateDirect(capacity);
			};
		}

	}

	private record Refusal(int fed, FrameException error) {
	}

}
