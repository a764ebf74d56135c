package dev.wireport.listener;

import java.io.IOException;
import java.io.ObjectOutputStream;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import org.springframework.messaging.MessageHeaders;

/**
 * The headers of one message a listener received: the headers the listener made for it,
 * taken as they are, and the message's own id and timestamp. A TCP connection makes its
 * headers once when it opens and shares them among all its messages; a UDP listener makes
 * one map per datagram, holding its sender.
 *
 * <p>
 * Why not plain {@link MessageHeaders}: they copy the map they are given into a new
 * {@link HashMap} and add the id and timestamp to it, for every message. Under pipelined
 * load that copy was a quarter of the service's CPU (docs/performance.md); these headers
 * copy nothing. They read as any other headers do ({@code get}, the {@code Map} views,
 * {@link #getId()}, {@link #getTimestamp()}), and a copy made of them (by a
 * {@code MessageBuilder}, a header accessor) is a plain {@code MessageHeaders}. Equal to
 * any headers map with the same entries; a plain {@code MessageHeaders} compares only
 * maps of its own kind, which cannot hold this message's id anyway.
 */
public final class ListenerMessageHeaders extends MessageHeaders {

	private static final long serialVersionUID = 1L;

	/** The listener's headers, without an id or a timestamp; never changed. */
	private final Map<String, Object> received;

	/**
	 * Drawn when first asked for: the flow itself never reads it, so most messages never
	 * need one. Once drawn, every reader sees the same.
	 */
	private volatile @Nullable UUID id;

	private final long timestamp;

	/**
	 * The headers of a new message; its id comes from the application's id generator.
	 * @param received the listener's headers for the message, never changed afterwards (a
	 * connection's, shared by its messages)
	 * @param timestamp when the message was read, in milliseconds since the epoch
	 */
	public ListenerMessageHeaders(Map<String, Object> received, long timestamp) {
		// The map of the superclass stays empty: every read below is answered from the
		// listener's map and this message's fields.
		super(null, ID_VALUE_NONE, -1L);
		this.received = received;
		this.timestamp = timestamp;
	}

	@Override
	public UUID getId() {
		UUID id = this.id;
		if (id == null) {
			synchronized (this) {
				id = this.id;
				if (id == null) {
					id = getIdGenerator().generateId();
					this.id = id;
				}
			}
		}
		return id;
	}

	@Override
	public Long getTimestamp() {
		return this.timestamp;
	}

	@Override
	public @Nullable Object get(Object key) {
		if (ID.equals(key)) {
			return getId();
		}
		if (TIMESTAMP.equals(key)) {
			return this.timestamp;
		}
		return this.received.get(key);
	}

	@Override
	@SuppressWarnings("unchecked")
	public <T> @Nullable T get(Object key, Class<T> type) {
		Object value = get(key);
		if (value != null && !type.isInstance(value)) {
			throw new IllegalArgumentException("Incorrect type specified for header '" + key + "'. Expected [" + type
					+ "] but actual type is [" + value.getClass() + "]");
		}
		return (T) value;
	}

	@Override
	public boolean containsKey(Object key) {
		return ID.equals(key) || TIMESTAMP.equals(key) || this.received.containsKey(key);
	}

	@Override
	public boolean containsValue(Object value) {
		return all().containsValue(value);
	}

	@Override
	public boolean isEmpty() {
		return false;
	}

	@Override
	public int size() {
		return this.received.size() + 2;
	}

	@Override
	public Set<Map.Entry<String, Object>> entrySet() {
		return all().entrySet();
	}

	@Override
	public Set<String> keySet() {
		return all().keySet();
	}

	@Override
	public Collection<Object> values() {
		return all().values();
	}

	@Override
	protected Map<String, Object> getRawHeaders() {
		return all();
	}

	/**
	 * Every header in one map, for the views and comparisons that need them together,
	 * which the message path does not.
	 */
	private Map<String, Object> all() {
		Map<String, Object> all = new HashMap<>(this.received);
		all.put(ID, getId());
		all.put(TIMESTAMP, this.timestamp);
		return Collections.unmodifiableMap(all);
	}

	private void writeObject(ObjectOutputStream out) throws IOException {
		// A copy read back carries this message's id, not one drawn for it later.
		getId();
		out.defaultWriteObject();
	}

	@Override
	public boolean equals(@Nullable Object other) {
		return this == other || (other instanceof Map<?, ?> map && all().equals(map));
	}

	@Override
	public int hashCode() {
		return all().hashCode();
	}

	@Override
	public String toString() {
		return all().toString();
	}

}
