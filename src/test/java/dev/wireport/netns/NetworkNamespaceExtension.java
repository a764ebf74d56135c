package dev.wireport.netns;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives each test method that asks for one a {@link NetworkNamespace} of its own, removed
 * after the test whatever its outcome, and skips the tests, saying why, where namespaces
 * cannot be made: not Linux, not root, no {@code ip} command.
 */
public final class NetworkNamespaceExtension implements ExecutionCondition, ParameterResolver, AfterEachCallback {

	private static final ExtensionContext.Namespace STORE = ExtensionContext.Namespace
		.create(NetworkNamespaceExtension.class);

	@Override
	public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
		String reason = unavailableReason();
		return (reason != null) ? ConditionEvaluationResult.disabled(reason)
				: ConditionEvaluationResult.enabled("network namespaces can be made here");
	}

	/**
	 * Why network namespaces cannot be made here.
	 * @return {@code null} if they can
	 */
	static String unavailableReason() {
		String os = System.getProperty("os.name");
		if (!os.toLowerCase(Locale.ROOT).contains("linux")) {
			return "network-namespace tests need Linux, not " + os;
		}
		String uid = uid();
		if (!"0".equals(uid)) {
			return "network-namespace tests need root to make namespaces and links (uid " + uid + ")";
		}
		try {
			NetworkNamespace.ip("-V");
		}
		catch (IOException ex) {
			return "network-namespace tests need the ip command of iproute2: " + ex.getMessage();
		}
		return null;
	}

	private static String uid() {
		try {
			return Files.readAllLines(Path.of("/proc/self/status"))
				.stream()
				.filter((line) -> line.startsWith("Uid:"))
				.map((line) -> line.split("\\s+")[1])
				.findFirst()
				.orElse("unknown");
		}
		catch (IOException ex) {
			return "unknown";
		}
	}

	@Override
	public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
		return parameter.getParameter().getType() == NetworkNamespace.class;
	}

	@Override
	public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
		try {
			NetworkNamespace namespace = NetworkNamespace.create();
			context.getStore(STORE).put(parameter.getIndex(), namespace);
			return namespace;
		}
		catch (IOException ex) {
			throw new IllegalStateException("Cannot make a network namespace", ex);
		}
	}

	@Override
	public void afterEach(ExtensionContext context) throws IOException {
		ExtensionContext.Store store = context.getStore(STORE);
		for (int index = 0; index < context.getRequiredTestMethod().getParameterCount(); index++) {
			NetworkNamespace namespace = store.remove(index, NetworkNamespace.class);
			if (namespace != null) {
				namespace.close();
			}
		}
	}

}
