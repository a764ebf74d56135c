package dev.wireport.io;

import io.netty.util.internal.PlatformDependent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;

import static org.assertj.core.api.Assertions.assertThat;

class EventLoopsTest {

	@Test
	@EnabledForJreRange(max = JRE.JAVA_23)
	void nettyUsesUnsafeWithoutBeingToldBeforeJava24() {
		assertThat(PlatformDependent.hasUnsafe()).isTrue();
		assertThat(EventLoops.unsafeAdvice(true, null)).isNull();
	}

	@Test
	void withoutUnsafeTheAdviceNamesTheCauseAndTheJvmOption() {
		String advice = EventLoops.unsafeAdvice(false, new UnsupportedOperationException(
				"sun.misc.Unsafe: unavailable (io.netty.noUnsafe=true by default on Java 25+)"));

		assertThat(advice).contains("io.netty.noUnsafe=true by default on Java 25+")
			.contains("--sun-misc-unsafe-memory-access=allow");
	}

}
