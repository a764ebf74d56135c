package dev.wireport.fetch;

import org.springframework.http.HttpStatus;

/**
 * A fetch that could not be done, with the HTTP status that says why: the caller's URL
 * (400), the destination policy (403), or the upstream server (502, 504).
 */
class FetchException extends Exception {

	private final HttpStatus status;

	private final String outcome;

	FetchException(HttpStatus status, String outcome, String message, Throwable cause) {
		super(message, cause);
		this.status = status;
		this.outcome = outcome;
	}

	HttpStatus status() {
		return this.status;
	}

	/**
	 * What went wrong, which names the problem's title.
	 * @return {@code invalid}, {@code refused}, {@code upstream-error} or {@code timeout}
	 */
	String outcome() {
		return this.outcome;
	}

	static FetchException refused(String reason) {
		return new FetchException(HttpStatus.FORBIDDEN, "refused", reason, null);
	}

	static FetchException upstream(String message, Throwable cause) {
		return new FetchException(HttpStatus.BAD_GATEWAY, "upstream-error", message, cause);
	}

	static FetchException timeout(String message, Throwable cause) {
		return new FetchException(HttpStatus.GATEWAY_TIMEOUT, "timeout", message, cause);
	}

}
