package dev.wireport;

import java.lang.ref.PhantomReference;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import io.netty.buffer.ByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fails the test class after which Netty finds a buffer (or any resource it tracks) that
 * was never released. Every buffer of the test JVM is tracked; Netty finds a leak when
 * the collector has reclaimed the buffer and a new one is allocated, so after each class
 * this collects and allocates once. A leak from an earlier class can surface a class
 * later; the failure shows where the buffer was made. Registered for every test class
 * through JUnit's extension autodetection (junit-platform.properties, and the class named
 * in META-INF/services).
 */
public class NettyLeakCheck implements AfterAllCallback {

	private static final Queue<String> leaks = new ConcurrentLinkedQueue<>();

	static {
		// Before any Netty class makes its detector: the first test that touches a buffer
		// runs after the extensions are loaded. The simple level, but for every buffer
		// (the detectors below sample 1 in 1): where a leaked buffer was made, without
		// the paranoid level's trace of every access, which made the byte-level tests
		// forty times slower.
		ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.SIMPLE);
		ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new RecordingFactory());
	}

	@Override
	public void afterAll(ExtensionContext context) throws InterruptedException {
		collect();
		// Netty looks for buffers the collector reclaimed unreleased when it makes one.
		ByteBufAllocator.DEFAULT.buffer(1).release();
		List<String> found = new ArrayList<>();
		for (String leak = leaks.poll(); leak != null; leak = leaks.poll()) {
			found.add(leak);
		}
		assertThat(found).as("resources Netty found unreleased after %s", context.getDisplayName()).isEmpty();
	}

	/**
	 * Collects garbage and waits until the JVM has queued what the collection cleared: an
	 * object of no use but this one is collected with the buffers, and its reference
	 * comes off its queue once the JVM's reference handler has reached it. Bounded: at
	 * most 50 collections.
	 */
	private static void collect() throws InterruptedException {
		ReferenceQueue<Object> cleared = new ReferenceQueue<>();
		PhantomReference<Object> marker = new PhantomReference<>(new Object(), cleared);
		for (int attempt = 0; attempt < 50; attempt++) {
			System.gc();
			if (cleared.remove(100) != null) {
				break;
			}
		}
		Reference.reachabilityFence(marker);
	}

	/** Makes detectors that record each leak for the check instead of logging it. */
	private static final class RecordingFactory extends ResourceLeakDetectorFactory {

		@Override
		@SuppressWarnings("deprecation")
		public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval,
				long maxActive) {
			return new ResourceLeakDetector<>(resource, 1) {

				@Override
				protected boolean needReport() {
					return true;
				}

				@Override
				protected void reportTracedLeak(String resourceType, String records) {
					leaks.add(resourceType + " was not released:" + records);
				}

				@Override
				protected void reportUntracedLeak(String resourceType) {
					leaks.add(resourceType + " was not released");
				}

			};
		}

	}

}
