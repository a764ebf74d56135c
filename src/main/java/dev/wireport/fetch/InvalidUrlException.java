package dev.wireport.fetch;

import org.springframework.http.HttpStatus;

/**
 * The URL to fetch is malformed.
 */
class InvalidUrlException extends FetchException {

	InvalidUrlException(String message) {
		super(HttpStatus.BAD_REQUEST, "invalid", message, null);
	}

}
