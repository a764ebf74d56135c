package dev.wireport.framing;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Throughput of every framing's codec, decoding and encoding {@link #FRAMES} payloads of
 * one size per invocation.
 *
 * <p>
 * The primary result is payloads per second ({@link OperationsPerInvocation}); the
 * secondary {@code bytes} result, also labelled ops/s by JMH, is payload bytes per second
 * (framing bytes not counted), so codecs compare on the data they carry.
 *
 * <p>
 * Decoding reads what the server reads: a {@link ReadAheadInputStream} with the
 * connection's 8 KiB buffer, over pre-encoded frames in memory that arrive one frame per
 * read, as a peer's separate writes do. That is what gives {@link Framing#CHUNK} its
 * message boundaries (a 64 KiB payload still arrives as 8 KiB chunks, as from a socket),
 * and for {@link Framing#RAW} each frame is followed by an end of stream, the client's
 * half-close, so one input carries many raw messages. {@code decodeBuffered} takes the
 * same frames out of a buffer with the codec's non-blocking {@link FrameDecoder}, as the
 * event loops do. Encoding writes through a {@link BufferedOutputStream} of the
 * connection's size, into an in-memory sink standing in for the socket.
 *
 * <p>
 * Run with {@code ./mvnw -B -Pjmh test-compile exec:exec}; pick framings and sizes with
 * JMH's {@code -p}, e.g. {@code -Djmh.args="-f 1 -p framing=LF,RAW -p payloadSize=64"}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class FrameCodecBenchmark {

	/**
	 * Payloads per invocation: enough to make the per-invocation rewind negligible at 64
	 * bytes, few enough to keep the 64 KiB input at 4 MiB.
	 */
	static final int FRAMES = 64;

	/** The server's default maximum frame size, and the largest payload benchmarked. */
	private static final int MAX_FRAME_SIZE = 64 * 1024;

	/** The server connection's read and write buffer sizes. */
	private static final int CONNECTION_BUFFER_SIZE = 8192;

	/** Every framing; JMH takes all of an enum's constants when none are listed. */
	@Param
	public Framing framing;

	/**
	 * The payload size asked for. A framing that carries less runs at its maximum when
	 * that is at least half the size (length-header-2 at 65536 runs 65,535-byte
	 * payloads); otherwise the combination is skipped by failing its setup
	 * (length-header-1, at most 255 bytes, runs at 64 only), as a much smaller payload
	 * under the same label would mislead.
	 */
	@Param({ "64", "1024", "65536" })
	public int payloadSize;

	private FrameCodec codec;

	private byte[] payload;

	private long payloadBytesPerInvocation;

	private FrameInput input;

	private ReadAheadInputStream in;

	private ByteArrayOutputStream sink;

	private byte[] frames;

	private int frameLength;

	private FrameDecoder decoder;

	private ByteBuffer buffer;

	private OutputStream out;

	@Setup
	public void setUp() throws IOException {
		this.codec = this.framing.codec(MAX_FRAME_SIZE);
		int size = Math.min(this.payloadSize, this.codec.maxFrameSize());
		if (size < this.payloadSize / 2) {
			throw new IllegalStateException("Skipped: " + this.framing.configName() + " carries at most " + size
					+ " bytes, far from " + this.payloadSize);
		}
		// Letters hold none of the delimiters (\n, \r, NUL, ETX).
		this.payload = new byte[size];
		for (int i = 0; i < size; i++) {
			this.payload[i] = (byte) ('a' + i % 26);
		}
		String problem = this.codec.checkEncodable(this.payload);
		if (problem != null) {
			throw new IllegalStateException("Payload not encodable: " + problem);
		}
		this.payloadBytesPerInvocation = (long) FRAMES * size;
		this.sink = new ByteArrayOutputStream();
		this.out = new BufferedOutputStream(this.sink, CONNECTION_BUFFER_SIZE);
		encodeAll();
		this.frames = this.sink.toByteArray();
		this.frameLength = this.frames.length / FRAMES;
		this.input = new FrameInput(this.frames, this.frameLength, this.framing == Framing.RAW);
		this.in = new ReadAheadInputStream(this.input, CONNECTION_BUFFER_SIZE);
		this.decoder = this.codec.decoder();
		this.buffer = ByteBuffer.allocate(MAX_FRAME_SIZE + FrameDecoder.MAX_FRAMING_BYTES).flip();
	}

	@Benchmark
	@OperationsPerInvocation(FRAMES)
	public void decode(Blackhole blackhole, PayloadBytes counter) throws IOException {
		this.input.rewind();
		// Counting bytes, not calls: a chunk message can be part of a payload.
		long left = this.payloadBytesPerInvocation;
		while (left > 0) {
			byte[] message = this.codec.deserialize(this.in);
			left -= message.length;
			blackhole.consume(message);
		}
		counter.bytes += this.payloadBytesPerInvocation;
	}

	/**
	 * Decodes as an event-loop connection does: each frame's bytes are appended to the
	 * connection's buffer in reads of at most the connection's read size, and every whole
	 * frame is taken out after each read; a {@code raw} frame is taken at its end of
	 * stream.
	 */
	@Benchmark
	@OperationsPerInvocation(FRAMES)
	public void decodeBuffered(Blackhole blackhole, PayloadBytes counter) throws FrameException {
		for (int frame = 0; frame < this.frames.length; frame += this.frameLength) {
			for (int read = frame; read < frame + this.frameLength; read += CONNECTION_BUFFER_SIZE) {
				int count = Math.min(CONNECTION_BUFFER_SIZE, frame + this.frameLength - read);
				this.buffer.compact().put(this.frames, read, count).flip();
				for (byte[] message = this.decoder.next(this.buffer); message != null; message = this.decoder
					.next(this.buffer)) {
					blackhole.consume(message);
				}
			}
			if (this.framing == Framing.RAW) {
				blackhole.consume(this.decoder.end(this.buffer));
			}
		}
		counter.bytes += this.payloadBytesPerInvocation;
	}

	@Benchmark
	@OperationsPerInvocation(FRAMES)
	public int encode(PayloadBytes counter) throws IOException {
		this.sink.reset();
		encodeAll();
		counter.bytes += this.payloadBytesPerInvocation;
		return this.sink.size();
	}

	private void encodeAll() throws IOException {
		for (int i = 0; i < FRAMES; i++) {
			this.codec.serialize(this.payload, this.out);
		}
		this.out.flush();
	}

	/**
	 * Payload bytes handled, reported by JMH per second as the {@code bytes} result.
	 */
	@State(Scope.Thread)
	@AuxCounters(AuxCounters.Type.OPERATIONS)
	public static class PayloadBytes {

		public long bytes;

	}

	/**
	 * Frames of equal length, each delivered by reads of its own, optionally each
	 * followed by one end of stream.
	 */
	private static final class FrameInput extends ChunkedInput {

		private final int frameLength;

		private final boolean endAfterEachFrame;

		private boolean endPending;

		FrameInput(byte[] frames, int frameLength, boolean endAfterEachFrame) {
			super(frames);
			this.frameLength = frameLength;
			this.endAfterEachFrame = endAfterEachFrame;
		}

		@Override
		int limit(int length) {
			return Math.min(length, this.frameLength - position() % this.frameLength);
		}

		@Override
		public int read(byte[] target, int offset, int length) {
			if (this.endPending) {
				this.endPending = false;
				return -1;
			}
			int count = super.read(target, offset, length);
			this.endPending = this.endAfterEachFrame && count > 0 && position() % this.frameLength == 0;
			return count;
		}

	}

}
