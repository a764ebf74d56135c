package dev.wireport.io;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;

/**
 * Which Netty transport serves every listener ({@code wireport.io.transport}).
 */
public enum Transport {

	/** Native epoll where it is available (Linux), NIO elsewhere. */
	AUTO,

	/** Netty's native epoll transport: Linux only, fails start-up elsewhere. */
	EPOLL,

	/** The JDK's NIO selectors, on every platform. */
	NIO;

	/**
	 * The transport this choice comes to on this machine.
	 * @return {@link #EPOLL} or {@link #NIO}
	 */
	Transport resolve() {
		return (this == AUTO) ? (Epoll.isAvailable() ? EPOLL : NIO) : this;
	}

	/**
	 * Why this transport cannot run here.
	 * @return {@code null} if it can, or the reason
	 */
	String unavailableReason() {
		if (this == EPOLL && !Epoll.isAvailable()) {
			return "the native epoll transport is not available here (" + Epoll.unavailabilityCause().getMessage()
					+ "); use auto or nio";
		}
		return null;
	}

	IoHandlerFactory ioHandlerFactory() {
		return (resolve() == EPOLL) ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
	}

}
