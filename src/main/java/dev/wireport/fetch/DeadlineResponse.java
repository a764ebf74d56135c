package dev.wireport.fetch;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;

import org.apache.hc.core5.http.io.EofSensorInputStream;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.client.ClientHttpResponse;

/**
 * An upstream response whose body stops being readable at the fetch's deadline, and whose
 * connection is discarded, not drained, when it is closed before the body's end. The read
 * timeout bounds each wait for data, so an upstream that sends a byte just often enough
 * could otherwise hold a fetch for as long as its body lasts; and the rest of a body cut
 * at the size cap or the deadline, or of a redirect's, may be of any length, so only a
 * connection whose body was read to its end goes back to the pool.
 */
final class DeadlineResponse implements ClientHttpResponse {

	private final ClientHttpResponse response;

	private final long deadline;

	private InputStream body;

	private boolean ended;

	/**
	 * Wraps a response.
	 * @param response the response
	 * @param deadline the {@link System#nanoTime()} after which no more is read
	 */
	DeadlineResponse(ClientHttpResponse response, long deadline) {
		this.response = response;
		this.deadline = deadline;
	}

	@Override
	public InputStream getBody() throws IOException {
		return new FilterInputStream(body()) {

			@Override
			public int read() throws IOException {
				checkDeadline();
				return ended(super.read());
			}

			@Override
			public int read(byte[] bytes, int offset, int length) throws IOException {
				checkDeadline();
				return ended(super.read(bytes, offset, length));
			}

			/**
			 * Leaves the connection to {@link DeadlineResponse#close()}: closing the
			 * body's stream would first read the rest of it.
			 */
			@Override
			public void close() {
			}

		};
	}

	private InputStream body() throws IOException {
		if (this.body == null) {
			this.body = this.response.getBody();
		}
		return this.body;
	}

	private int ended(int read) {
		if (read < 0) {
			this.ended = true;
		}
		return read;
	}

	private void checkDeadline() throws Expired {
		if (System.nanoTime() - this.deadline > 0) {
			throw new Expired();
		}
	}

	@Override
	public HttpHeaders getHeaders() {
		return this.response.getHeaders();
	}

	@Override
	public HttpStatusCode getStatusCode() throws IOException {
		return this.response.getStatusCode();
	}

	@Override
	public String getStatusText() throws IOException {
		return this.response.getStatusText();
	}

	@Override
	public void close() {
		if (!this.ended) {
			try {
				// A body with nothing left to read (none, or an empty one) is no
				// EofSensorInputStream and its connection is already back in the pool.
				if (body() instanceof EofSensorInputStream unread) {
					unread.abort();
				}
			}
			catch (IOException ex) {
				// Aborting closes the connection; it is discarded either way.
			}
		}
		this.response.close();
	}

	/**
	 * The fetch's deadline passed while its body was being read; the fetcher words the
	 * error.
	 */
	static final class Expired extends InterruptedIOException {

	}

}
