package dev.wireport.fetch;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.client.ClientHttpResponse;

/**
 * An upstream response whose body stops being readable at the fetch's deadline, and whose
 * body's stream is not drained when closed. The read timeout bounds each wait for data,
 * so an upstream that sends a byte just often enough could otherwise hold a fetch for as
 * long as its body lasts.
 *
 * @param response the response
 * @param deadline the {@link System#nanoTime()} after which no more is read
 */
record DeadlineResponse(ClientHttpResponse response, long deadline) implements ClientHttpResponse {

	@Override
	public InputStream getBody() throws IOException {
		return new FilterInputStream(this.response.getBody()) {

			@Override
			public int read() throws IOException {
				checkDeadline();
				return super.read();
			}

			@Override
			public int read(byte[] bytes, int offset, int length) throws IOException {
				checkDeadline();
				return super.read(bytes, offset, length);
			}

			/**
			 * Leaves the connection to the fetcher, which closes it at once after each
			 * exchange: closing the body's stream would first read the rest of it, which
			 * a body cut at the size cap or the deadline may have any amount of.
			 */
			@Override
			public void close() {
			}

		};
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
		this.response.close();
	}

	/**
	 * The fetch's deadline passed while its body was being read; the fetcher words the
	 * error.
	 */
	static final class Expired extends InterruptedIOException {

	}

}
