package dev.wireport.tcp;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import dev.wireport.framing.FrameCodec;
import dev.wireport.framing.FrameReader;

/**
 * A plain blocking socket client for tests; every read gives up after five seconds. A
 * client reads either frames ({@link #receive(FrameCodec)}, in one framing) or raw bytes,
 * not both: the frame reader keeps what it read ahead.
 */
final class WireClient implements Closeable {

	static final int READ_TIMEOUT_MILLIS = 5000;

	private final Socket socket;

	private final InputStream in;

	private final OutputStream out;

	private FrameReader frames;

	WireClient(int port) throws IOException {
		this.socket = new Socket();
		this.socket.setTcpNoDelay(true);
		this.socket.connect(new InetSocketAddress("127.0.0.1", port), READ_TIMEOUT_MILLIS);
		this.socket.setSoTimeout(READ_TIMEOUT_MILLIS);
		this.in = new BufferedInputStream(this.socket.getInputStream(), 8192);
		this.out = this.socket.getOutputStream();
	}

	WireClient write(byte[] bytes) throws IOException {
		this.out.write(bytes);
		this.out.flush();
		return this;
	}

	WireClient write(String text) throws IOException {
		return write(text.getBytes(StandardCharsets.UTF_8));
	}

	WireClient send(FrameCodec codec, byte[] payload) throws IOException {
		return write(codec.frame(payload));
	}

	byte[] readExactly(int length) throws IOException {
		byte[] bytes = this.in.readNBytes(length);
		if (bytes.length < length) {
			throw new EOFException("Connection closed after " + bytes.length + " of " + length + " bytes");
		}
		return bytes;
	}

	/**
	 * Reads one frame.
	 * @param codec the framing, the same on every call
	 * @return the payload
	 * @throws IOException if the read fails or times out, or the server closes first
	 */
	byte[] receive(FrameCodec codec) throws IOException {
		if (this.frames == null) {
			this.frames = new FrameReader(this.in, codec);
		}
		byte[] payload = this.frames.read();
		if (payload == null) {
			throw new EOFException("Connection closed before a frame");
		}
		return payload;
	}

	/**
	 * Reads until the server closes the connection.
	 * @return everything the server sent until then
	 * @throws IOException if the read fails or times out
	 */
	byte[] readToEnd() throws IOException {
		return this.in.readAllBytes();
	}

	void shutdownOutput() throws IOException {
		this.socket.shutdownOutput();
	}

	@Override
	public void close() throws IOException {
		this.socket.close();
	}

}
