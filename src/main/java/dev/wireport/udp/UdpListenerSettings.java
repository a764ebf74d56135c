package dev.wireport.udp;

import dev.wireport.payload.ReplyMode;

import org.springframework.boot.logging.LogLevel;

/**
 * One UDP listener with every default applied and every value checked.
 *
 * @param name the listener's name
 * @param host the bind address
 * @param port the port (0: ephemeral)
 * @param maxDatagramSize the largest datagram handled, in bytes
 * @param reply ack or echo
 * @param ack the acknowledgement bytes
 * @param repliesEnabled whether datagrams are answered at all
 * @param replyRate replies per second per source address
 * @param replyBurst replies a source address may get at once
 * @param logLevel the level of the per-datagram log line
 * @param logRate the most per-datagram lines per second (0: no limit)
 * @param queueCapacity datagrams that may wait for a handler
 * @param handlerThreads threads handling datagrams, 0 for the event loop that receives
 * them
 */
public record UdpListenerSettings(String name, String host, int port, int maxDatagramSize, ReplyMode reply, byte[] ack,
		boolean repliesEnabled, double replyRate, int replyBurst, LogLevel logLevel, int logRate, int queueCapacity,
		int handlerThreads) {

	/**
	 * Whether the event loop that receives each datagram handles it, with no queue.
	 * @return {@code true} for {@code handler-threads: 0}
	 */
	public boolean handlesOnReceivingThread() {
		return this.handlerThreads == 0;
	}

}
