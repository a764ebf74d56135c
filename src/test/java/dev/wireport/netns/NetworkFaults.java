package dev.wireport.netns;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Tests of real network faults: each test method may take a {@link NetworkNamespace}
 * parameter. Tagged {@code netns}; skipped where namespaces cannot be made.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Tag("netns")
@ExtendWith(NetworkNamespaceExtension.class)
public @interface NetworkFaults {

}
