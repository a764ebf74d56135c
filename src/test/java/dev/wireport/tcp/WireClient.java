package dev.wireport.tcp;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import dev.wireport.framing.FrameCodec;
import dev.wireport.framing.ReadAheadInputStream;

/**
 * A plain blocking socket client for tests; every read gives up after five seconds.
 */
final class WireClient implements Closeable {

	static final int READ_TIMEOUT_MILLIS = 5000;

	private final Socket socket;

	private final InputStream in;

	private final OutputStream out;

	WireClient(int port) throws IOException {
		this.socket = new Socket();
		this.socket.setTcpNoDelay(true);
		this.socket.connect(new InetSocketAddress("127.0.0.1", port), READ_TIMEOUT_MILLIS);
		this.socket.setSoTimeout(READ_TIMEOUT_MILLIS);
		this.in = new ReadAheadInputStream(this.socket.getInputStream(), 8192);
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
		ByteArrayOutputStream frame = new ByteArrayOutputStream();
		codec.serialize(payload, frame);
		return write(frame.toByteArray());
	}

	byte[] readExactly(int length) throws IOException {
		byte[] bytes = this.in.readNBytes(length);
		if (bytes.length < length) {
			throw new EOFException("Connection closed after " + bytes.length + " of " + length + " bytes");
		}
		return bytes;
	}

	byte[] receive(FrameCodec codec) throws IOException {
		return codec.deserialize(this.in);
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
