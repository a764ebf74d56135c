package dev.wireport.cli;

/**
 * Ends a command with a one-line reason and a non-zero exit status.
 */
class CommandException extends Exception {

	/** Exit status of a failure: connection refused, timeout, lost replies. */
	static final int FAILED = 1;

	/** Exit status of a bad command line. */
	static final int USAGE = 2;

	private final int exitStatus;

	CommandException(int exitStatus, String reason) {
		super(reason);
		this.exitStatus = exitStatus;
	}

	CommandException(String reason, Throwable cause) {
		super(reason, cause);
		this.exitStatus = FAILED;
	}

	static CommandException usage(String reason) {
		return new CommandException(USAGE, reason);
	}

	int exitStatus() {
		return this.exitStatus;
	}

}
