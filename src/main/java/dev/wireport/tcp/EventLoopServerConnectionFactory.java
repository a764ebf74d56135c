package dev.wireport.tcp;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.Channel;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

import dev.wireport.framing.FrameCodec;

import org.springframework.integration.ip.tcp.connection.AbstractServerConnectionFactory;

/**
 * A Spring Integration server connection factory whose connections share a few
 * {@link EventLoop}s instead of a thread each ({@code connection-threads: event-loop}).
 * One thread accepts, and hands each connection to the loops in turn; the listener's flow
 * runs on the loop's thread, one message at a time per loop.
 *
 * <p>
 * Spring Integration's own NIO factory was not used: it closes a connection as soon as
 * the peer half-closes, before the replies to what it sent are written, and hands every
 * message from its selector thread to another thread to be decoded, which is the
 * per-message thread wake-up this factory exists to avoid (docs/performance.md).
 */
final class EventLoopServerConnectionFactory extends AbstractServerConnectionFactory {

	/** After a failed accept, how long before the next try. */
	private static final long ACCEPT_RETRY_MILLIS = 100;

	private final ListenerConnections connections;

	private final FrameCodec codec;

	private final EventLoop[] loops;

	private final String threadPrefix;

	private volatile ServerSocketChannel serverChannel;

	/** The port bound, which differs from the configured one for port 0. */
	private volatile int boundPort;

	private int nextLoop;

	EventLoopServerConnectionFactory(TcpListenerSettings settings, ListenerConnections connections, int loopCount) {
		super(settings.port());
		this.connections = connections;
		this.codec = settings.codec();
		this.loops = new EventLoop[loopCount];
		this.threadPrefix = "tcp-" + settings.name();
		setLocalAddress(settings.host());
		setBacklog(settings.backlog());
		setSoTcpNoDelay(settings.tcpNoDelay());
		setSoKeepAlive(settings.keepAlive());
		setTaskExecutor(ConnectionThreads.PLATFORM.executor(this.threadPrefix + "-accept-"));
	}

	/**
	 * Starts the loops, listens, and accepts until the listening socket is closed.
	 */
	@Override
	public void run() {
		if (getListener() == null) {
			logger.info(() -> this + " has no listener; not listening");
			return;
		}
		ServerSocketChannel server;
		try {
			for (int i = 0; i < this.loops.length; i++) {
				this.loops[i] = new EventLoop(this.threadPrefix + "-loop-" + (i + 1));
				this.loops[i].start();
			}
			server = listen();
		}
		catch (IOException ex) {
			publishServerExceptionEvent(ex);
			return;
		}
		this.serverChannel = server;
		this.boundPort = server.socket().getLocalPort();
		setListening(true);
		publishServerListeningEvent(getPort());
		try {
			while (isActive() && server.isOpen()) {
				acceptNext(server);
			}
		}
		finally {
			setListening(false);
		}
	}

	private ServerSocketChannel listen() throws IOException {
		ServerSocketChannel server = ServerSocketChannel.open();
		try {
			server.bind(new InetSocketAddress(getLocalAddress(), super.getPort()), getBacklog());
			return server;
		}
		catch (IOException ex) {
			closeSocket(server);
			throw ex;
		}
	}

	/**
	 * Accepts one connection. A failure other than the socket's closing (the process out
	 * of file descriptors, say) must not end the listener: the connections it serves go
	 * on, and accepting resumes after a pause, once some of them have closed.
	 */
	private void acceptNext(ServerSocketChannel server) {
		try {
			accept(server.accept());
		}
		catch (ClosedChannelException ex) {
			logger.debug(() -> this + " stopped accepting");
		}
		catch (IOException ex) {
			logger.warn(() -> this + " could not accept a connection (" + ex.getMessage() + "); retrying in "
					+ ACCEPT_RETRY_MILLIS + "ms");
			try {
				Thread.sleep(ACCEPT_RETRY_MILLIS);
			}
			catch (InterruptedException interrupted) {
				Thread.currentThread().interrupt();
				stopAccepting();
			}
		}
	}

	private void accept(SocketChannel channel) {
		EventLoop loop = this.loops[this.nextLoop];
		this.nextLoop = (this.nextLoop + 1) % this.loops.length;
		LoopConnection connection = null;
		try {
			channel.configureBlocking(false);
			setSocketAttributes(channel.socket());
			connection = new LoopConnection(channel, loop, getApplicationEventPublisher(), getComponentName(),
					this.connections, this.codec);
			initializeConnection(connection, channel.socket());
			loop.execute(connection);
		}
		catch (IOException | RuntimeException ex) {
			logger.error(ex, () -> "Could not serve the connection from " + channel.socket().getRemoteSocketAddress());
			if (connection != null) {
				// Closing it also releases its place under the connection limit.
				connection.close();
			}
			else {
				closeSocket(channel);
			}
		}
	}

	private void closeSocket(Channel channel) {
		try {
			channel.close();
		}
		catch (IOException ex) {
			logger.debug(() -> "Closing a socket failed: " + ex.getMessage());
		}
	}

	/**
	 * Stops accepting; the connections already open are served on.
	 */
	void stopAccepting() {
		ServerSocketChannel server = this.serverChannel;
		if (server != null) {
			closeSocket(server);
		}
	}

	@Override
	public void stop() {
		stopAccepting();
		for (EventLoop loop : this.loops) {
			if (loop != null) {
				loop.close();
			}
		}
		super.stop();
	}

	@Override
	public int getPort() {
		int port = super.getPort();
		return (port == 0) ? this.boundPort : port;
	}

	@Override
	public SocketAddress getServerSocketAddress() {
		ServerSocketChannel server = this.serverChannel;
		return (server != null) ? server.socket().getLocalSocketAddress() : null;
	}

}
