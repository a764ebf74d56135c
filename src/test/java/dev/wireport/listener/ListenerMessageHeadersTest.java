package dev.wireport.listener;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.integration.ip.IpHeaders;
import org.springframework.integration.support.MessageBuilder;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.support.GenericMessage;
import org.springframework.messaging.support.MessageHeaderAccessor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class ListenerMessageHeadersTest {

	private static final long READ_AT = 1_764_000_000_123L;

	private final Map<String, Object> connection = Map.of(IpHeaders.CONNECTION_ID, "127.0.0.1:50000:9080:c1",
			IpHeaders.IP_ADDRESS, "127.0.0.1", IpHeaders.REMOTE_PORT, 50000);

	private final ListenerMessageHeaders headers = new ListenerMessageHeaders(this.connection, READ_AT);

	@Test
	void readsAsTheConnectionsHeadersWithTheMessagesIdAndTimestamp() {
		assertThat(this.headers.get(IpHeaders.CONNECTION_ID)).isEqualTo("127.0.0.1:50000:9080:c1");
		assertThat(this.headers.get(IpHeaders.REMOTE_PORT, Integer.class)).isEqualTo(50000);
		assertThat(this.headers.getTimestamp()).isEqualTo(READ_AT);
		assertThat(this.headers.get(MessageHeaders.TIMESTAMP)).isEqualTo(READ_AT);
		assertThat(this.headers.getId()).isNotNull().isEqualTo(this.headers.get(MessageHeaders.ID));
		assertThat(this.headers.containsKey(MessageHeaders.ID)).isTrue();
		assertThat(this.headers.containsKey(IpHeaders.IP_ADDRESS)).isTrue();
		assertThat(this.headers.containsKey("sendTimeout")).isFalse();
		assertThat(this.headers.get("sendTimeout")).isNull();
		assertThat(this.headers.containsValue("127.0.0.1")).isTrue();
		assertThat(this.headers).hasSize(5)
			.containsOnlyKeys(IpHeaders.CONNECTION_ID, IpHeaders.IP_ADDRESS, IpHeaders.REMOTE_PORT, MessageHeaders.ID,
					MessageHeaders.TIMESTAMP);
		assertThat(this.headers.values()).contains(this.headers.getId(), READ_AT, 50000);
	}

	@Test
	void aDatagramsHeadersAreItsSenderWithItsIdAndTimestamp() {
		InetSocketAddress sender = new InetSocketAddress("127.0.0.1", 41000);
		ListenerMessageHeaders datagram = new ListenerMessageHeaders(Map.of(IpHeaders.PACKET_ADDRESS, sender), READ_AT);
		assertThat(datagram.get(IpHeaders.PACKET_ADDRESS, InetSocketAddress.class)).isEqualTo(sender);
		assertThat(datagram.getTimestamp()).isEqualTo(READ_AT);
		assertThat(datagram).hasSize(3)
			.containsOnlyKeys(IpHeaders.PACKET_ADDRESS, MessageHeaders.ID, MessageHeaders.TIMESTAMP);
	}

	@Test
	void everyMessageHasAnIdOfItsOwn() {
		ListenerMessageHeaders next = new ListenerMessageHeaders(this.connection, READ_AT);
		assertThat(next.getId()).isNotEqualTo(this.headers.getId());
		assertThat(next).isNotEqualTo(this.headers);
	}

	@Test
	void aHeaderOfAnotherTypeIsRefusedAsPlainHeadersRefuseIt() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.headers.get(IpHeaders.REMOTE_PORT, String.class))
			.withMessageContaining("Incorrect type specified for header 'ip_tcp_remotePort'");
	}

	@Test
	void isEqualToAnyMapOfTheSameHeaders() {
		Map<String, Object> same = new HashMap<>(this.connection);
		same.put(MessageHeaders.ID, this.headers.getId());
		same.put(MessageHeaders.TIMESTAMP, READ_AT);
		assertThat(this.headers).isEqualTo(same).hasSameHashCodeAs(same);
		assertThat(this.headers.toString()).contains("ip_address=127.0.0.1", "timestamp=" + READ_AT);
	}

	@Test
	void aCopyMadeByTheFrameworkKeepsEveryHeader() {
		Message<byte[]> message = new GenericMessage<>(new byte[] { 'a' }, this.headers);
		Message<byte[]> copy = MessageBuilder.fromMessage(message).setHeader("added", true).build();
		assertThat(copy.getHeaders()).isNotInstanceOf(ListenerMessageHeaders.class)
			.containsAllEntriesOf(this.connection)
			.containsEntry("added", true);
		// A new message: an id and a timestamp of its own, as for any copy.
		assertThat(copy.getHeaders().getId()).isNotEqualTo(this.headers.getId());
		MessageHeaderAccessor accessor = MessageHeaderAccessor.getMutableAccessor(message);
		assertThat(accessor.getHeader(IpHeaders.IP_ADDRESS)).isEqualTo("127.0.0.1");
	}

	@Test
	void survivesSerialization() throws Exception {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
			out.writeObject(this.headers);
		}
		try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
			MessageHeaders read = (MessageHeaders) in.readObject();
			assertThat(read).isEqualTo(this.headers);
			assertThat(read.getId()).isEqualTo(this.headers.getId());
			assertThat(read.get(IpHeaders.CONNECTION_ID)).isEqualTo("127.0.0.1:50000:9080:c1");
		}
	}

}
