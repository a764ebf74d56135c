package dev.wireport.framing;

import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Throughput of every framing's Netty decoder and of its encoder, {@link #FRAMES}
 * payloads of one size per invocation.
 *
 * <p>
 * The primary result is payloads per second ({@link OperationsPerInvocation}); the
 * secondary {@code bytes} result, also labelled ops/s by JMH, is payload bytes per second
 * (framing bytes not counted), so codecs compare on the data they carry.
 *
 * <p>
 * Decoding feeds the framing's decoder as the server's connection does, without a socket:
 * the decoder sits in an {@link EmbeddedChannel} before a last handler that hands each
 * payload (a {@code byte[]} of its own) to the {@link Blackhole}. Each frame arrives in
 * reads of its own of at most 8 KiB, the server's largest read, as a peer's separate
 * writes do; each read is one buffer of Netty's default allocator, the one the server's
 * channels read into, followed by the end of the read. That is what gives
 * {@link Framing#CHUNK} its message boundaries (a 64 KiB payload is 8 messages), and for
 * {@link Framing#RAW} each frame is followed by the peer's half-close, the event the
 * server's channel fires. Encoding appends the payloads to one reused buffer, as a
 * connection collects the replies of one read.
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
	 * Payloads per invocation: enough to make the per-invocation overhead negligible at
	 * 64 bytes, few enough to keep the 64 KiB case's reply buffer at 4 MiB.
	 */
	static final int FRAMES = 64;

	/** The server's default maximum frame size, and the largest payload benchmarked. */
	private static final int MAX_FRAME_SIZE = 64 * 1024;

	/** The server's largest read. */
	private static final int READ_SIZE = 8 * 1024;

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

	private byte[] frame;

	private long payloadBytesPerInvocation;

	private FrameConsumer consumer;

	private EmbeddedChannel channel;

	private ByteBuf out;

	@Setup
	public void setUp(Blackhole blackhole) {
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
		this.frame = this.codec.frame(this.payload);
		this.consumer = new FrameConsumer(blackhole);
		this.channel = new EmbeddedChannel(this.codec.newDecoder(), this.consumer);
		this.out = ByteBufAllocator.DEFAULT.ioBuffer(FRAMES * this.frame.length);
		// A decoder that refused the frames would be measured on its error path, which
		// the channel only records: one invocation's worth is checked before measuring.
		decodeFrames();
		this.channel.checkException();
		if (this.consumer.received != this.payloadBytesPerInvocation) {
			throw new IllegalStateException(
					"Decoded " + this.consumer.received + " payload bytes, expected " + this.payloadBytesPerInvocation);
		}
	}

	@TearDown
	public void tearDown() {
		this.channel.finishAndReleaseAll();
		this.out.release();
	}

	@Benchmark
	@OperationsPerInvocation(FRAMES)
	public void decode(PayloadBytes counter) {
		decodeFrames();
		counter.bytes += this.payloadBytesPerInvocation;
	}

	/**
	 * Passes the frames through the pipeline as the server's channel does: one read at a
	 * time, each copied into a buffer of its own (the decoder keeps what it has not
	 * decoded) and followed by the end of the read; for {@code raw}, after each frame,
	 * the half-close, on which the decoder passes on its message and keeps nothing, so
	 * that one decoder serves every message as a new one would.
	 */
	private void decodeFrames() {
		ChannelPipeline pipeline = this.channel.pipeline();
		ByteBufAllocator allocator = this.channel.alloc();
		boolean endEachFrame = this.framing == Framing.RAW;
		for (int i = 0; i < FRAMES; i++) {
			for (int offset = 0; offset < this.frame.length; offset += READ_SIZE) {
				int count = Math.min(READ_SIZE, this.frame.length - offset);
				pipeline.fireChannelRead(allocator.ioBuffer(count).writeBytes(this.frame, offset, count));
				pipeline.fireChannelReadComplete();
			}
			if (endEachFrame) {
				pipeline.fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
			}
		}
	}

	@Benchmark
	@OperationsPerInvocation(FRAMES)
	public int encode(PayloadBytes counter) {
		this.out.clear();
		for (int i = 0; i < FRAMES; i++) {
			this.codec.encode(this.payload, this.out);
		}
		counter.bytes += this.payloadBytesPerInvocation;
		return this.out.readableBytes();
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
	 * Where the decoded payloads go, in place of the connection: each is consumed, and
	 * its bytes counted for the check before measuring.
	 */
	private static final class FrameConsumer extends ChannelInboundHandlerAdapter {

		private final Blackhole blackhole;

		private long received;

		FrameConsumer(Blackhole blackhole) {
			this.blackhole = blackhole;
		}

		@Override
		public void channelRead(ChannelHandlerContext ctx, Object msg) {
			this.received += ((byte[]) msg).length;
			this.blackhole.consume(msg);
		}

	}

}
