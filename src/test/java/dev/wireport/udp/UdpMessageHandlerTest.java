package dev.wireport.udp;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import dev.wireport.payload.Instance;
import dev.wireport.payload.ReplyMode;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import org.junit.jupiter.api.Test;

import org.springframework.boot.logging.LogLevel;
import org.springframework.integration.ip.IpHeaders;
import org.springframework.messaging.support.GenericMessage;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Replies on a channel whose replies already waiting pass its high water mark.
 */
class UdpMessageHandlerTest {

	private static final byte[] ACK = UdpProperties.SEED_ACK.getBytes(StandardCharsets.UTF_8);

	private static final InetSocketAddress SENDER = new InetSocketAddress("192.0.2.1", 4000);

	private final MeterRegistry registry = new SimpleMeterRegistry();

	private final UdpListenerMetrics metrics = new UdpListenerMetrics("t", this.registry);

	private final EmbeddedChannel channel = new EmbeddedChannel();

	private final UdpMessageHandler handler = new UdpMessageHandler(new UdpListenerSettings("t", "127.0.0.1", 0, 100,
			ReplyMode.ACK, ACK, true, 1000, 1000, LogLevel.OFF, 0, 1, 0), this.channel,
			new ReplyLimiter(1000, 1000, 10), this.metrics, new Instance("test", null, null));

	@Test
	void aReplyThatFindsTheChannelUnwritableIsDroppedAndCountedThenRepliesResume() {
		this.channel.config().setWriteBufferWaterMark(new WriteBufferWaterMark(100, 200));
		// A reply the socket has not taken yet, larger than the high water mark.
		this.channel.write(new DatagramPacket(Unpooled.wrappedBuffer(new byte[300]), SENDER));
		assertThat(this.channel.isWritable()).isFalse();

		receive();

		assertThat(this.metrics.repliesDropped.count()).isEqualTo(1);
		assertThat(this.metrics.replied.count()).isZero();

		this.channel.flush();
		((DatagramPacket) this.channel.readOutbound()).release();
		assertThat(this.channel.isWritable()).isTrue();

		receive();

		DatagramPacket reply = this.channel.readOutbound();
		assertThat(reply.recipient()).isEqualTo(SENDER);
		assertThat(ByteBufUtil.getBytes(reply.content())).isEqualTo(ACK);
		reply.release();
		assertThat(this.metrics.replied.count()).isEqualTo(1);
		assertThat(this.metrics.repliesDropped.count()).isEqualTo(1);
	}

	private void receive() {
		this.handler.handleMessage(new GenericMessage<>(new byte[] { 1 }, Map.of(IpHeaders.PACKET_ADDRESS, SENDER)));
	}

}
